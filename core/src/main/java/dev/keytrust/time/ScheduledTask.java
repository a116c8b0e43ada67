package dev.keytrust.time;

import java.time.Instant;

/** A task handed to a {@link Scheduler}. */
public interface ScheduledTask {
    /** Its name, as shown in diagnostics and failures. */
    String name();

    /** When it runs next (for a periodic task, its next run). */
    Instant dueAt();

    /** Stops it from running (again); returns whether it was still pending. */
    boolean cancel();

    /** Whether it has run (a one-shot task) or was cancelled. */
    boolean isDone();
}
