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
 * <p>Scheduled instants stay exact however long the work takes: simulated time never passes the due instant of a
 * task that has not finished. A task sees {@link #now()} equal to its due instant for as long as it runs (so what it
 * schedules, and what it stamps, is relative to that instant, not to when the machine got round to it); when it is
 * done, time catches up with the wall clock, running later tasks in order at their own instants. A task that
 * {@link #sleep sleeps} lets time move (running what falls due meanwhile, as on virtual time). When the machine cannot
 * keep up with the scale, simulated time falls behind the wall clock instead of drifting; {@link #lag()} says by how
 * much, and a warning says so once it passes {@value #LAG_WARNING_SECONDS} real seconds.
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
    /** The due instant of the task running on the scheduler thread (null when none runs, or it sleeps). */
    private volatile Instant holding;
    private Instant last;
    private boolean lagWarned;
    /** Real seconds behind the wall clock after which a warning says the machine cannot keep up with the scale. */
    static final int LAG_WARNING_SECONDS = 5;

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

    /**
     * The simulated instant: the scaled wall clock, held at the due instant of a task that is running or overdue (see
     * the class comment); never moves backwards.
     */
    @Override
    public Instant now() {
        Instant wall = wall();
        // Ask the queue first, then read what is held: a task taken from the queue is held before the queue's lock
        // is released, so no moment exists where it is neither queued nor held (time would run past its instant).
        Instant next = queue.nextDue();
        Instant hold = holding;
        if (hold == null) {
            hold = next;
        }
        Instant t = hold != null && hold.isBefore(wall) ? hold : wall;
        synchronized (this) {
            if (last != null && t.isBefore(last)) {
                t = last;
            }
            last = t;
            return t;
        }
    }

    /** How far simulated time is behind the scaled wall clock, in real time: zero when the machine keeps up. */
    public Duration lag() {
        return Duration.ofNanos((long) (Math.max(0, Duration.between(now(), wall()).toNanos()) / scale));
    }

    private Instant wall() {
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
        return queue.add(name, kind, task, notPast(when), null);
    }

    @Override
    public ScheduledTask scheduleAtFixedRate(Instant first, Duration period, String name, Runnable task) {
        requireOpen();
        return queue.add(name, Kind.BACKGROUND, task, notPast(first), period);
    }

    /** A task asked for in the past runs now: its due instant never holds time below what was already read. */
    private Instant notPast(Instant when) {
        Instant now = now();
        return when.isBefore(now) ? now : when;
    }

    /** Waits {@code duration / scale} of wall time (on a monitor, interruptibly); returns early only if closed. */
    @Override
    public void sleep(Duration duration) {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("'sleep' needs a duration of zero or more but got " + duration);
        }
        Instant target = now().plus(duration);
        if (Thread.currentThread() == thread) {
            sleepInTask(target);
            return;
        }
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
            if (!runNextDue(null)) {
                return;
            }
        }
    }

    /**
     * Runs the next task due by the wall clock (and, when {@code limit} is given, at or before it), or waits until one
     * is due or {@code limit} is reached; false when interrupted.
     */
    private boolean runNextDue(Instant limit) {
        TaskQueue.Task due;
        Instant outer;
        synchronized (queue) {
            Instant wall = wall();
            Instant upTo = limit != null && limit.isBefore(wall) ? limit : wall;
            due = queue.pollDue(upTo);
            if (due == null) {
                Instant next = queue.nextDue();
                if (limit != null && (next == null || limit.isBefore(next))) {
                    next = limit;
                }
                long waitNanos = next == null ? Long.MAX_VALUE : (long) (Duration.between(wall, next).toNanos() / scale) + 1;
                try {
                    if (waitNanos == Long.MAX_VALUE) {
                        queue.wait();
                    } else if (waitNanos > 0) {
                        queue.wait(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                return true;
            }
            outer = holding;
            holding = due.dueAt(); // held before the lock is released: see now()
        }
        Instant at = due.dueAt();
        warnIfBehind(at);
        try {
            TaskQueue.run(due, at);
        } catch (RuntimeException e) {
            synchronized (this) {
                failures.add(e);
            }
            LOG.warn("scheduled task '{}' failed at {} (testbed time): {}", due.name(), at, e.getMessage());
        } finally {
            holding = outer;
        }
        queue.reschedule(due, at);
        return true;
    }

    /** A task sleeping on the scheduler thread: time moves on, tasks due meanwhile run here, in order, at their instants. */
    private void sleepInTask(Instant target) {
        Instant held = holding;
        holding = null;
        try {
            while (!closed && now().isBefore(target)) {
                if (!runNextDue(target)) {
                    throw new KeyTrustException(ErrorCode.SCHEDULED_TASK_FAILED, "interrupted while waiting until " + target
                            + " of testbed time");
                }
            }
        } finally {
            holding = held;
        }
    }

    private void warnIfBehind(Instant due) {
        long behindNanos = (long) (Duration.between(due, wall()).toNanos() / scale);
        if (!lagWarned && behindNanos > Duration.ofSeconds(LAG_WARNING_SECONDS).toNanos()) {
            lagWarned = true;
            LOG.warn("time scale {}: this machine cannot keep up (simulated time is {} s of real time behind the wall clock); "
                    + "scheduled instants stay exact, but the lab runs slower than {}x: choose a smaller --time-scale",
                    scale, behindNanos / 1_000_000_000L, scale);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the scheduler is closed");
        }
    }
}
