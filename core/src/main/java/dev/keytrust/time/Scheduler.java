package dev.keytrust.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The testbed's one clock and task scheduler. Everything time-dependent (replication timers, the agent's cycle,
 * Graph throttling waits, whenChanged stamps) takes a {@code Scheduler}, so the same code runs on virtual time
 * ({@link VirtualScheduler}: tests advance it, nothing sleeps) or on scaled wall time ({@link ScaledScheduler}:
 * a lab 60 times faster than reality).
 *
 * <p>Tasks due at the same instant run in the order they were scheduled. A task is either foreground (work that
 * a test waits for, such as a pending change notification) or background (periodic housekeeping, such as the
 * hourly replication pull); {@link VirtualScheduler#runUntilQuiet(Duration)} stops when no foreground task is left.
 *
 * <pre>{@code
 * VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
 * time.schedule(Duration.ofSeconds(15), "notify DC2", () -> replicate("DC1", "DC2"));
 * time.advance(Duration.ofSeconds(15));   // runs it, with time.now() at 00:00:15
 * }</pre>
 */
public interface Scheduler extends AutoCloseable {
    /** Whether a task is work to wait for, or periodic housekeeping. */
    enum Kind { FOREGROUND, BACKGROUND }

    /** The current (simulated) instant. */
    Instant now();

    /** A {@link Clock} view of this scheduler's time (UTC), for code that takes a {@code Clock}. */
    Clock clock();

    /** Runs {@code task} once, {@code delay} from now (zero or positive). */
    ScheduledTask schedule(Duration delay, String name, Runnable task);

    /** Runs {@code task} once at {@code when} (now if it is in the past). */
    ScheduledTask scheduleAt(Instant when, String name, Kind kind, Runnable task);

    /** Runs {@code task} at {@code first} and then every {@code period} (positive), as background work. */
    ScheduledTask scheduleAtFixedRate(Instant first, Duration period, String name, Runnable task);

    /**
     * Holds the calling thread for {@code duration} of testbed time, for code that must wait in the middle of its
     * work (a Graph client honouring {@code Retry-After}). On virtual time nothing sleeps: time jumps forward,
     * running whatever falls due meanwhile (also when called from inside a task); on scaled time the thread waits
     * {@code duration / scale} of wall time.
     */
    void sleep(Duration duration);

    /** Tasks not yet run, in the order they will run (what "still pending" means in waits and diagnostics). */
    java.util.List<ScheduledTask> pending();

    /**
     * Failures of tasks that ran on a thread of the scheduler's own (scaled time), each a {@code SCHEDULED_TASK_FAILED}
     * {@link dev.keytrust.KeyTrustException}; empty for virtual time, whose tasks throw on the thread that advances it.
     */
    default java.util.List<RuntimeException> failures() {
        return java.util.List.of();
    }

    /** Cancels every pending task and stops any thread of its own; idempotent. */
    @Override
    void close();
}
