package dev.keytrust.graph.mock;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The requests the mock has answered, newest last; keeps the latest {@value #CAPACITY}. */
final class RequestJournal {
    static final int CAPACITY = 100_000;

    private final Deque<RecordedRequest> entries = new ArrayDeque<>();

    synchronized void add(RecordedRequest e) {
        if (entries.size() == CAPACITY) {
            entries.removeFirst();
        }
        entries.addLast(e);
    }

    synchronized List<RecordedRequest> entries() {
        return new ArrayList<>(entries);
    }

    synchronized void clear() {
        entries.clear();
    }
}
