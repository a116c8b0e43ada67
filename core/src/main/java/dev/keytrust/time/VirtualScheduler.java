package dev.keytrust.time;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Scheduler} on virtual time: nothing happens until the test calls {@link #advance(Duration)},
 * {@link #advanceTo(Instant)} or {@link #runUntilQuiet(Duration)}; then every task due runs, in order, on the
 * calling thread, with {@link #now()} set to its due instant. Deterministic: the same schedule gives the same
 * runs. Tasks may be scheduled from any thread.
 *
 * <p>Default start: {@link VirtualClock#DEFAULT_START} (2026-01-01T00:00:00Z).
 *
 * <pre>{@code
 * VirtualScheduler time = new VirtualScheduler();
 * time.scheduleAtFixedRate(time.now().plus(Duration.ofHours(1)), Duration.ofHours(1), "hourly pull", pull);
 * time.schedule(Duration.ofSeconds(15), "notify first partner", notify);
 * Instant quiet = time.runUntilQuiet(Duration.ofHours(4));   // 00:00:15: the foreground work is done
 * }</pre>
 */
public final class VirtualScheduler implements Scheduler {
    private final VirtualClock clock;
    private final TaskQueue queue = new TaskQueue();
    private boolean running;

    public VirtualScheduler() {
        this(VirtualClock.DEFAULT_START);
    }

    public VirtualScheduler(Instant start) {
        this.clock = new VirtualClock(start);
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    /** The virtual clock itself (a {@link Clock}); DCs and other components read time from it. */
    @Override
    public VirtualClock clock() {
        return clock;
    }

    @Override
    public ScheduledTask schedule(Duration delay, String name, Runnable task) {
        requireNotNegative(delay, name);
        return scheduleAt(now().plus(delay), name, Kind.FOREGROUND, task);
    }

    @Override
    public ScheduledTask scheduleAt(Instant when, String name, Kind kind, Runnable task) {
        Instant now = now();
        return queue.add(name, kind, task, when.isBefore(now) ? now : when, null);
    }

    @Override
    public ScheduledTask scheduleAtFixedRate(Instant first, Duration period, String name, Runnable task) {
        Instant now = now();
        return queue.add(name, Kind.BACKGROUND, task, first.isBefore(now) ? now : first, period);
    }

    /** Moves time forward by {@code duration}, running every task due on the way; returns the new now. */
    public Instant advance(Duration duration) {
        requireNotNegative(duration, "advance");
        return advanceTo(now().plus(duration));
    }

    /**
     * Moves time forward to {@code target}, running every task due on the way (also those scheduled by tasks
     * that run).
     *
     * @throws KeyTrustException ({@code SCHEDULED_TASK_FAILED}) if a task throws; time stays at that task's instant
     */
    public synchronized Instant advanceTo(Instant target) {
        Objects.requireNonNull(target, "target");
        if (running) {
            throw new IllegalStateException("a scheduled task may not advance virtual time itself; schedule more work instead");
        }
        if (target.isBefore(now())) {
            throw new IllegalArgumentException("virtual time only moves forward; it is " + now() + ", asked for " + target);
        }
        running = true;
        try {
            runDueUpTo(target);
            return now();
        } finally {
            running = false;
        }
    }

    /**
     * Moves time forward by {@code duration} like {@link #advance(Duration)}, but may also be called from inside a
     * running task: tasks falling due meanwhile run nested, then the caller goes on at the new instant.
     */
    @Override
    public synchronized void sleep(Duration duration) {
        requireNotNegative(duration, "sleep");
        Instant target = now().plus(duration);
        if (!running) {
            advanceTo(target);
            return;
        }
        runDueUpTo(target);
    }

    private void runDueUpTo(Instant target) {
        for (TaskQueue.Task t = queue.pollDue(target); t != null; t = queue.pollDue(target)) {
            Instant at = t.dueAt().isAfter(now()) ? t.dueAt() : now();
            clock.setTo(at);
            TaskQueue.run(t, at);
            queue.reschedule(t, at);
        }
        if (target.isAfter(now())) {
            clock.setTo(target); // a task that slept may already have taken time past the target
        }
    }

    /**
     * Runs until no foreground task is pending, jumping from one due instant to the next (background tasks due
     * on the way run too); returns the instant it became quiet.
     *
     * @throws KeyTrustException ({@code NOT_QUIET}) if foreground work is still pending after {@code limit},
     *     listing it
     */
    public Instant runUntilQuiet(Duration limit) {
        requireNotNegative(limit, "runUntilQuiet");
        Instant deadline = now().plus(limit);
        while (queue.hasForeground()) {
            Instant next = queue.nextDue();
            if (next.isAfter(deadline)) {
                throw new KeyTrustException(ErrorCode.NOT_QUIET, "still busy after " + limit + " of virtual time (now "
                        + now() + "); pending: " + pending() + "; allow more time or look for work that keeps rescheduling itself");
            }
            advanceTo(next.isAfter(now()) ? next : now());
        }
        return now();
    }

    /** Pending tasks in the order they will run. */
    @Override
    public List<ScheduledTask> pending() {
        return queue.pending();
    }

    @Override
    public void close() {
        queue.clear();
    }

    private static void requireNotNegative(Duration d, String what) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("'" + what + "' needs a duration of zero or more but got " + d);
        }
    }
}
