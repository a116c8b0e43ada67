package dev.keytrust.graph.mock.fault;

import dev.keytrust.graph.mock.GraphMockConfig;
import dev.keytrust.graph.mock.http.GraphError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Graph-like throttling per client: an optional budget of resource units per window, and Dev Proxy's rule that a
 * client retrying before its Retry-After has passed is throttled again (its wait does not shrink by retrying).
 */
public final class Throttle {
    private record Window(Instant start, int spent) {
    }

    private final Clock clock;
    private final Optional<GraphMockConfig.RateLimit> limit;
    private final Map<String, Window> windows = new HashMap<>();
    private final Map<String, Instant> blockedUntil = new HashMap<>();

    public Throttle(Clock clock, Optional<GraphMockConfig.RateLimit> limit) {
        this.clock = clock;
        this.limit = limit;
    }

    /**
     * Charges {@code cost} units to {@code client}; returns the 429 to answer with, or null to let the request through
     * (then {@code headers} gets the RateLimit-* headers when a limit is set).
     */
    public synchronized GraphError charge(String client, int cost, Map<String, String> headers) {
        Instant now = clock.instant();
        Instant until = blockedUntil.get(client);
        if (until != null && now.isBefore(until)) {
            return tooMany(until, now, "The client retried before its Retry-After had passed; wait "
                    + seconds(now, until) + " s before retrying (requests made too early are throttled again).");
        }
        blockedUntil.remove(client);
        if (limit.isEmpty()) {
            return null;
        }
        Duration window = limit.get().window();
        Window w = windows.get(client);
        if (w == null || !now.isBefore(w.start().plus(window))) {
            w = new Window(now, 0);
        }
        int budget = limit.get().resourceUnits();
        if (w.spent() + cost > budget) {
            Instant reset = w.start().plus(window);
            windows.put(client, w);
            blockedUntil.put(client, reset);
            return tooMany(reset, now, "Too many requests: the app spent its " + budget + " resource units for this "
                    + window.toSeconds() + " s window.");
        }
        w = new Window(w.start(), w.spent() + cost);
        windows.put(client, w);
        headers.put("RateLimit-Limit", Integer.toString(budget));
        headers.put("RateLimit-Remaining", Integer.toString(budget - w.spent()));
        headers.put("RateLimit-Reset", Long.toString(seconds(now, w.start().plus(window))));
        return null;
    }

    /** Records that {@code client} was told to wait {@code retryAfter} seconds (a simulated 429 or 503). */
    public synchronized void told(String client, int retryAfterSeconds) {
        if (retryAfterSeconds > 0) {
            blockedUntil.put(client, clock.instant().plusSeconds(retryAfterSeconds));
        }
    }

    public synchronized void reset() {
        windows.clear();
        blockedUntil.clear();
    }

    private static GraphError tooMany(Instant until, Instant now, String message) {
        return new GraphError(429, "TooManyRequests", message).header("Retry-After", Long.toString(seconds(now, until)));
    }

    private static long seconds(Instant now, Instant until) {
        long millis = Duration.between(now, until).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }
}
