package dev.keytrust.time;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * The ordered task queue both schedulers share: by due instant, then by scheduling order, so runs are
 * deterministic. Not thread-safe on its own; the schedulers guard it.
 */
final class TaskQueue {
    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> {
        int c = a.due.compareTo(b.due);
        return c != 0 ? c : Long.compare(a.sequence, b.sequence);
    });
    private long sequence;

    final class Task implements ScheduledTask {
        private final String name;
        private final Scheduler.Kind kind;
        private final Runnable body;
        private final Duration period;
        private Instant due;
        private long sequence;
        private boolean done;

        private Task(String name, Scheduler.Kind kind, Runnable body, Instant due, Duration period) {
            this.name = Objects.requireNonNull(name, "name");
            this.kind = Objects.requireNonNull(kind, "kind");
            this.body = Objects.requireNonNull(body, "task");
            this.due = Objects.requireNonNull(due, "due");
            this.period = period;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Instant dueAt() {
            synchronized (TaskQueue.this) {
                return due;
            }
        }

        @Override
        public boolean cancel() {
            synchronized (TaskQueue.this) {
                if (done) {
                    return false;
                }
                done = true;
                return queue.remove(this);
            }
        }

        @Override
        public boolean isDone() {
            synchronized (TaskQueue.this) {
                return done;
            }
        }

        Scheduler.Kind kind() {
            return kind;
        }

        @Override
        public String toString() {
            return name + " @ " + due + (period != null ? " every " + period : "") + " (" + kind + ")";
        }
    }

    synchronized Task add(String name, Scheduler.Kind kind, Runnable body, Instant due, Duration period) {
        if (period != null && (period.isZero() || period.isNegative())) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION,
                    "a periodic task needs a positive period but '" + name + "' has " + period);
        }
        Task t = new Task(name, kind, body, due, period);
        t.sequence = sequence++;
        queue.add(t);
        notifyAll();
        return t;
    }

    /** The next task due at or before {@code limit}, removed from the queue (periodic ones re-queued), or null. */
    synchronized Task pollDue(Instant limit) {
        Task t = queue.peek();
        if (t == null || t.due.isAfter(limit)) {
            return null;
        }
        queue.poll();
        if (t.period == null) {
            t.done = true;
        }
        return t;
    }

    /** Re-queues a periodic task for its next run (after it has run, unless cancelled meanwhile). */
    synchronized void reschedule(Task t, Instant ranAt) {
        if (t.period != null && !t.done) {
            t.due = ranAt.plus(t.period);
            t.sequence = sequence++;
            queue.add(t);
        }
    }

    synchronized Instant nextDue() {
        Task t = queue.peek();
        return t == null ? null : t.due;
    }

    synchronized boolean hasForeground() {
        return queue.stream().anyMatch(t -> t.kind == Scheduler.Kind.FOREGROUND);
    }

    synchronized List<ScheduledTask> pending() {
        List<Task> all = new ArrayList<>(queue);
        all.sort(queue.comparator());
        return List.copyOf(all);
    }

    synchronized void clear() {
        queue.forEach(t -> t.done = true);
        queue.clear();
        notifyAll();
    }

    static void run(Task t, Instant at) {
        try {
            t.body.run();
        } catch (RuntimeException | Error e) {
            throw new KeyTrustException(ErrorCode.SCHEDULED_TASK_FAILED,
                    "scheduled task '" + t.name + "' failed at " + at + ": " + e, e);
        }
    }
}
