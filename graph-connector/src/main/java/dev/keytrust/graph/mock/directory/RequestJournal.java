package dev.keytrust.graph.mock.directory;

import dev.keytrust.graph.mock.RecordedRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The requests the mock has answered, newest last; keeps the latest {@value #CAPACITY}. */
public final class RequestJournal {
    public static final int CAPACITY = 100_000;

    private final Deque<RecordedRequest> entries = new ArrayDeque<>();

    public synchronized void add(RecordedRequest e) {
        if (entries.size() == CAPACITY) {
            entries.removeFirst();
        }
        entries.addLast(e);
    }

    public synchronized List<RecordedRequest> entries() {
        return new ArrayList<>(entries);
    }

    public synchronized void clear() {
        entries.clear();
    }
}
