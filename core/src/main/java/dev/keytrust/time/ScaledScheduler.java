package dev.keytrust.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;

/**
 * A {@link Scheduler} on scaled wall time: simulated time runs {@code scale} times faster than real time from a
 * chosen start (scale 60: one real second is one simulated minute). Tasks run in due order on one daemon thread
 * of its own. Failures of tasks are kept in {@link #failures()} and do not stop the scheduler.
 *
 * <pre>{@code
 * try (ScaledScheduler time = new ScaledScheduler(Instant.parse("2026-01-01T00:00:00Z"), 60)) {
 *     time.schedule(Duration.ofMinutes(30), "agent cycle", agent::runCycle);   // runs after 30 real seconds
 * }
 * }</pre>
 */
public final class ScaledScheduler implements Scheduler {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ScaledScheduler.class);
    private final Instant start;
    private final double scale;
    private final long startNanos;
    private final TaskQueue queue = new TaskQueue();
    private final Thread thread;
    private final List<RuntimeException> failures = new ArrayList<>();
    private volatile boolean closed;

    /**
     * Scaled time that starts at the real present: what the command line runs on. The one place the testbed reads
     * the wall clock to anchor its own.
     *
     * @param scale simulated seconds per real second, at least 1
     */
    public static ScaledScheduler startingNow(double scale) {
        return new ScaledScheduler(Clock.systemUTC().instant(), scale);
    }

    /**
     * @param start the simulated instant at creation
     * @param scale simulated seconds per real second, at least 1
     */
    public ScaledScheduler(Instant start, double scale) {
        if (!(scale >= 1) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("time scale must be 1 or more (60: one real second is a simulated minute) but is " + scale);
        }
        this.start = Objects.requireNonNull(start, "start");
        this.scale = scale;
        this.startNanos = System.nanoTime();
        this.thread = new Thread(this::loop, "keytrust-scheduler");
        thread.setDaemon(true);
        thread.start();
    }

    public double scale() {
        return scale;
    }

    @Override
    public Instant now() {
        long elapsed = System.nanoTime() - startNanos;
        return start.plusNanos((long) (elapsed * scale));
    }

    @Override
    public Clock clock() {
        return new Clock() {
            @Override
            public Instant instant() {
                return now();
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
    }

    @Override
    public ScheduledTask schedule(Duration delay, String name, Runnable task) {
        return scheduleAt(now().plus(delay), name, Kind.FOREGROUND, task);
    }

    @Override
    public ScheduledTask scheduleAt(Instant when, String name, Kind kind, Runnable task) {
        requireOpen();
        return queue.add(name, kind, task, when, null);
    }

    @Override
    public ScheduledTask scheduleAtFixedRate(Instant first, Duration period, String name, Runnable task) {
        requireOpen();
        return queue.add(name, Kind.BACKGROUND, task, first, period);
    }

    /** Waits {@code duration / scale} of wall time (on a monitor, interruptibly); returns early only if closed. */
    @Override
    public void sleep(Duration duration) {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("'sleep' needs a duration of zero or more but got " + duration);
        }
        Instant target = now().plus(duration);
        Object monitor = new Object();
        synchronized (monitor) {
            for (Instant now = now(); now.isBefore(target) && !closed; now = now()) {
                long nanos = (long) (Duration.between(now, target).toNanos() / scale) + 1;
                try {
                    monitor.wait(nanos / 1_000_000, (int) (nanos % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KeyTrustException(ErrorCode.SCHEDULED_TASK_FAILED, "interrupted while waiting "
                            + duration + " of testbed time", e);
                }
            }
        }
    }

    /** Pending tasks in the order they will run. */
    @Override
    public List<ScheduledTask> pending() {
        return queue.pending();
    }

    /** Failures of tasks so far (each a {@code SCHEDULED_TASK_FAILED} KeyTrustException), also logged when they happen. */
    @Override
    public synchronized List<RuntimeException> failures() {
        return List.copyOf(failures);
    }

    /** Stops the scheduler; failures of its tasks are logged once more as a summary (they stay in {@link #failures()}). */
    @Override
    public void close() {
        List<RuntimeException> failed = failures();
        if (!closed && !failed.isEmpty()) {
            LOG.warn("{} scheduled task(s) failed while the scheduler ran; the first: {}", failed.size(),
                    failed.get(0).getMessage());
        }
        closed = true;
        queue.clear();
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (!closed) {
            TaskQueue.Task due;
            synchronized (queue) {
                due = queue.pollDue(now());
                if (due == null) {
                    Instant next = queue.nextDue();
                    long waitNanos = next == null ? Long.MAX_VALUE
                            : (long) (Duration.between(now(), next).toNanos() / scale) + 1;
                    try {
                        if (waitNanos == Long.MAX_VALUE) {
                            queue.wait();
                        } else {
                            queue.wait(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
            }
            Instant at = now();
            try {
                TaskQueue.run(due, at);
            } catch (RuntimeException e) {
                synchronized (this) {
                    failures.add(e);
                }
                LOG.warn("scheduled task '{}' failed at {} (testbed time): {}", due.name(), at, e.getMessage());
            }
            queue.reschedule(due, due.dueAt());
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the scheduler is closed");
        }
    }
}
