package dev.keytrust.graph.mock.fault;

import dev.keytrust.graph.mock.GraphMockConfig;
import dev.keytrust.graph.mock.MockSettings.ThrottleHeaders;
import dev.keytrust.graph.mock.http.GraphError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Graph-like throttling per client: an optional budget of resource units per window (Graph's identity-service
 * limit per app and tenant), and the rule that a client retrying a resource before its Retry-After has passed is
 * throttled again on that resource (its wait does not shrink by retrying; other resources stay open).
 *
 * <p>Headers, as {@link ThrottleHeaders} chooses: Graph's — {@code x-ms-resource-unit} on every answer,
 * {@code x-ms-throttle-limit-percentage} once more than 0.8 of the budget is spent, and on a 429 {@code Retry-After},
 * {@code x-ms-throttle-scope} and {@code x-ms-throttle-information} — or Dev Proxy's {@code RateLimit-Limit},
 * {@code -Remaining} and {@code -Reset} on every answer (with {@code Retry-After} on a 429).
 */
public final class Throttle {
    private record Window(Instant start, int spent) {
    }

    private final Clock clock;
    private final Optional<GraphMockConfig.RateLimit> limit;
    private final Supplier<ThrottleHeaders> style;
    private final String tenantId;
    private final Map<String, Window> windows = new HashMap<>();
    private final Map<String, Instant> blockedUntil = new HashMap<>();

    /** {@code style} is read on every request (the admin API may change it); {@code tenantId} names the throttle scope. */
    public Throttle(Clock clock, Optional<GraphMockConfig.RateLimit> limit, Supplier<ThrottleHeaders> style, String tenantId) {
        this.clock = clock;
        this.limit = limit;
        this.style = style;
        this.tenantId = tenantId;
    }

    /**
     * The resource-unit cost Graph documents for an identity request: 2 for {@code GET /users}, 1 otherwise; less 1
     * with {@code $select}, plus 1 with {@code $expand}, less 1 with {@code $top} under 20; never below 1.
     */
    public static int cost(String method, boolean usersCollection, Map<String, String> query) {
        int cost = "GET".equals(method) && usersCollection ? 2 : 1;
        for (Map.Entry<String, String> q : query.entrySet()) {
            String name = q.getKey().toLowerCase(Locale.ROOT);
            name = name.startsWith("$") ? name.substring(1) : name;
            if (name.equals("select")) {
                cost--;
            } else if (name.equals("expand")) {
                cost++;
            } else if (name.equals("top") && q.getValue().trim().matches("\\d{1,3}") && Integer.parseInt(q.getValue().trim()) < 20) {
                cost--;
            }
        }
        return Math.max(1, cost);
    }

    /**
     * Charges {@code cost} units to {@code client} for a request on {@code resource}; returns the 429 to answer with,
     * or null to let the request through (then {@code headers} gets the headers to send with the answer).
     */
    public synchronized GraphError charge(String client, String resource, int cost, Map<String, String> headers) {
        Instant now = clock.instant();
        Instant until = blockedUntil.get(key(client, resource));
        if (until != null && now.isBefore(until)) {
            return tooMany(client, until, now, cost, "RetriedBeforeRetryAfter", "The client retried " + resource
                    + " before its Retry-After had passed; wait " + seconds(now, until)
                    + " s before retrying (requests made too early are throttled again).");
        }
        blockedUntil.remove(key(client, resource));
        boolean graph = style.get() == ThrottleHeaders.GRAPH;
        if (graph && cost > 0) {
            headers.put("x-ms-resource-unit", Integer.toString(cost));
        }
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
            blockedUntil.put(key(client, resource), reset);
            GraphError e = tooMany(client, reset, now, cost, "ResourceUnitLimitExceeded", "Too many requests: the app spent "
                    + "its " + budget + " resource units for this " + window.toSeconds() + " s window.");
            if (!graph) {
                rateLimitHeaders(budget, budget - w.spent(), seconds(now, reset)).forEach(e::header);
            }
            return e;
        }
        w = new Window(w.start(), w.spent() + cost);
        windows.put(client, w);
        if (graph) {
            double used = (double) w.spent() / budget;
            if (used > 0.8) {
                headers.put("x-ms-throttle-limit-percentage", String.format(Locale.ROOT, "%.1f", used));
            }
        } else {
            headers.putAll(rateLimitHeaders(budget, budget - w.spent(), seconds(now, w.start().plus(window))));
        }
        return null;
    }

    /** Records that {@code client} was told to wait {@code retryAfter} seconds on {@code resource} (a simulated 429). */
    public synchronized void told(String client, String resource, int retryAfterSeconds) {
        if (retryAfterSeconds > 0) {
            blockedUntil.put(key(client, resource), clock.instant().plusSeconds(retryAfterSeconds));
        }
    }

    public synchronized void reset() {
        windows.clear();
        blockedUntil.clear();
    }

    /**
     * The resource a Graph path belongs to, for re-throttling: the WHfB and other authentication methods of users,
     * or the first segment after the version ({@code users}, {@code $batch}).
     */
    public static String resource(String path) {
        String[] s = path.substring(1).split("/", -1);
        if (s.length > 3 && "users".equals(s[1]) && "authentication".equals(s[3])) {
            return "authenticationMethods";
        }
        return s.length > 1 ? s[1] : path;
    }

    private static String key(String client, String resource) {
        return client + " " + resource;
    }

    private GraphError tooMany(String client, Instant until, Instant now, int cost, String reason, String message) {
        GraphError e = new GraphError(429, "TooManyRequests", message).header("Retry-After", Long.toString(seconds(now, until)));
        if (style.get() == ThrottleHeaders.GRAPH) {
            e.header("x-ms-throttle-scope", "Tenant_Application/ReadWrite/" + client + "/" + tenantId)
                    .header("x-ms-throttle-information", reason).header("x-ms-resource-unit", Integer.toString(cost));
        }
        return e;
    }

    private static Map<String, String> rateLimitHeaders(int budget, int remaining, long resetSeconds) {
        Map<String, String> h = new HashMap<>();
        h.put("RateLimit-Limit", Integer.toString(budget));
        h.put("RateLimit-Remaining", Integer.toString(Math.max(0, remaining)));
        h.put("RateLimit-Reset", Long.toString(resetSeconds));
        return h;
    }

    private static long seconds(Instant now, Instant until) {
        long millis = Duration.between(now, until).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }
}
