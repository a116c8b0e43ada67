package dev.keytrust.graph.mock.fault;

import java.util.Random;

/** What a {@link Fault} may use while it acts on one request; the router provides it. */
public interface FaultContext {
    /** Whether the request is an inner request of a {@code $batch} (its connection cannot be dropped alone). */
    boolean batched();

    /** The mock's seeded randomness (latency ranges draw from it). */
    Random random();

    /** Waits {@code millis} of wall time (simulated network latency; the testbed clock does not move). */
    void delay(int millis);

    /** Records that the client was told to wait {@code retryAfterSeconds} after a 429, so retrying early is throttled again. */
    void throttledFor(int retryAfterSeconds);
}
