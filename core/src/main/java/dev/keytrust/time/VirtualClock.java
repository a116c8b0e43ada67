package dev.keytrust.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A {@link Clock} that stands still until told to move: tests advance it, nothing sleeps. Thread-safe.
 *
 * <pre>{@code
 * VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T00:00:00Z"));
 * DomainController dc = DomainController.start(DomainControllerConfig.builder("DC1").clock(clock).build());
 * clock.advance(Duration.ofMinutes(30));   // whenChanged of the next write shows 00:30
 * }</pre>
 */
public final class VirtualClock extends Clock {
    /** The default starting instant: 2026-01-01T00:00:00Z. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private volatile Instant now;

    public VirtualClock() {
        this(DEFAULT_START);
    }

    public VirtualClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    @Override
    public Instant instant() {
        return now;
    }

    /** Moves the clock forward; a negative duration is refused. */
    public synchronized Instant advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("virtual time only moves forward; asked to move by " + duration);
        }
        now = now.plus(duration);
        return now;
    }

    /** Moves the clock to {@code instant}, which must not be in its past. */
    public synchronized void setTo(Instant instant) {
        if (instant.isBefore(now)) {
            throw new IllegalArgumentException("virtual time only moves forward; it is " + now + ", asked for " + instant);
        }
        now = instant;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone)) {
            throw new UnsupportedOperationException("the testbed clock is always UTC");
        }
        return this;
    }
}
