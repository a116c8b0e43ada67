package dev.keytrust.testbed;

import dev.keytrust.time.ScheduledTask;
import dev.keytrust.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Waits that move virtual time (or, on scaled time, wait for it) until a condition holds, and fail with what was
 * seen so far. Default limit: 24 hours of testbed time.
 *
 * <pre>{@code
 * testbed.await().until(key).isVisibleOn("DC3");
 * testbed.await().atMost(Duration.ofHours(4)).until(key).isReadByAgent();
 * }</pre>
 */
public final class TestbedAwait {
    private final Testbed testbed;
    private Duration limit = Duration.ofHours(24);

    TestbedAwait(Testbed testbed) {
        this.testbed = testbed;
    }

    /** The longest testbed time to wait. */
    public TestbedAwait atMost(Duration value) {
        this.limit = value;
        return this;
    }

    /** Conditions on one key. */
    public KeyAwait until(TestKey key) {
        return new KeyAwait(key);
    }

    /** Conditions on a key's journey. */
    public final class KeyAwait {
        private final TestKey key;

        KeyAwait(TestKey key) {
            this.key = key;
        }

        /** Until the key is visible on {@code dc}; returns the timeline. */
        public KeyTimeline isVisibleOn(String dc) {
            testbed.dc(dc); // a clear error for an unknown DC before waiting
            waitFor(() -> testbed.timeline(key).visibleOn(dc).isPresent(), key + " to become visible on " + dc);
            return testbed.timeline(key);
        }

        /** Until a key-trust PKINIT sign-in with the key succeeds at {@code dc}'s KDC; returns the timeline. */
        public KeyTimeline canSignInOn(String dc) {
            testbed.dc(dc);
            waitFor(() -> testbed.timeline(key).signedInOn(dc).isPresent(), "a sign-in with " + key + " to succeed on " + dc);
            return testbed.timeline(key);
        }

        /** Until the key is visible on every DC. */
        public KeyTimeline isVisibleEverywhere() {
            waitFor(() -> testbed.dcs().stream().allMatch(d -> testbed.timeline(key).visibleOn(d.name()).isPresent()),
                    key + " to become visible on every DC");
            return testbed.timeline(key);
        }

        /** Until the agent has written the key to the sync target. */
        public KeyTimeline isReadByAgent() {
            waitFor(() -> testbed.timeline(key).readByAgent().isPresent(), key + " to be read by the agent");
            return testbed.timeline(key);
        }

        /** Until {@code dc} no longer holds the key (after {@link Testbed#removeKey}). */
        public void isGoneFrom(String dc) {
            waitFor(() -> !testbed.dc(dc).hasKey(key), key + " to be removed from " + dc);
        }

        private void waitFor(BooleanSupplier condition, String what) {
            Instant deadline = testbed.now().plus(limit);
            while (!condition.getAsBoolean()) {
                if (!testbed.now().isBefore(deadline)) {
                    throw new AssertionError("expected " + what + " within " + limit + " of testbed time, but by "
                            + testbed.now() + " it had not; timeline so far:\n" + testbed.timeline(key));
                }
                if (testbed.scheduler() instanceof VirtualScheduler v) {
                    List<ScheduledTask> pending = v.pending();
                    Instant next = pending.isEmpty() ? deadline : pending.get(0).dueAt();
                    v.advanceTo(next.isAfter(deadline) ? deadline : next.isBefore(v.now()) ? v.now() : next);
                } else {
                    testbed.advance(Duration.ofSeconds(1));
                }
            }
        }
    }
}
