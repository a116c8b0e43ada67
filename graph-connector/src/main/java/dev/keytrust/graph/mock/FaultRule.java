package dev.keytrust.graph.mock;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A simulated fault, after Microsoft's Dev Proxy: requests whose path matches {@code path} (a glob: {@code *} is any
 * run of characters; a pattern not starting with {@code /v1.0}, {@code /beta} or a tenant id matches under both Graph
 * versions) and, if given, {@code method} fail with {@code status} (429, 500, 502, 503, 504; with Retry-After when
 * {@code retryAfterSeconds} is set), or have their connection dropped ({@code drop}), or are answered after
 * {@code latencyMs} of wall time — each {@code times} times at most (-1: always), with {@code probability}. Over
 * the admin API every property but {@code path} is optional: no {@code times} means always, no {@code probability}
 * means 1.
 *
 * <pre>{@code
 * mock.admin().addFault(FaultRule.status("/users*", 429).retryAfter(30).times(3));
 * }</pre>
 *
 * @param id assigned by the mock
 * @param path glob over the request path
 * @param method HTTP method, or null for any
 * @param status the status to answer with, or 0
 * @param retryAfterSeconds Retry-After to send (429 and 503), or 0
 * @param times how many requests to affect (-1: unlimited)
 * @param probability chance (0-1] that a matching request is affected, drawn from the seed
 * @param latencyMs delay before answering (wall time)
 * @param drop close the connection without answering
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record FaultRule(String id, String path, String method, int status, int retryAfterSeconds, int times,
        double probability, int latencyMs, boolean drop) {
    private static final Set<Integer> STATUSES = Set.of(429, 500, 502, 503, 504);
    /** Compiled globs: matching runs on every request while a fault is active. */
    private static final java.util.Map<String, Pattern> GLOBS = new java.util.concurrent.ConcurrentHashMap<>();

    public FaultRule {
        if (path == null || path.isBlank() || !path.startsWith("/")) {
            throw bad("a fault needs a path starting with / (a glob like /users*) but got '" + path + "'");
        }
        if (status != 0 && !STATUSES.contains(status)) {
            throw bad("a fault's status must be one of 429, 500, 502, 503, 504 but got " + status);
        }
        if (status == 0 && !drop && latencyMs <= 0) {
            throw bad("a fault must do something: give a status, drop: true, or latencyMs > 0");
        }
        if (status != 0 && drop) {
            throw bad("a fault either answers with a status or drops the connection, not both");
        }
        if (retryAfterSeconds < 0 || latencyMs < 0 || latencyMs > 60_000) {
            throw bad("retryAfterSeconds must be 0 or more and latencyMs 0-60000 but got " + retryAfterSeconds + " and " + latencyMs);
        }
        if (times == 0 || times < -1) {
            throw bad("times must be -1 (always) or at least 1 but got " + times);
        }
        if (probability == 0) {
            probability = 1;
        }
        if (probability < 0 || probability > 1) {
            throw bad("probability must be in (0, 1] but got " + probability);
        }
        method = method == null || method.isBlank() ? null : method.toUpperCase(Locale.ROOT);
    }

    /** A rule as the admin API reads it: absent properties take their defaults (always, probability 1, no latency). */
    @JsonCreator
    static FaultRule fromJson(@JsonProperty("id") String ignoredId, @JsonProperty("path") String path,
            @JsonProperty("method") String method, @JsonProperty("status") Integer status,
            @JsonProperty("retryAfterSeconds") Integer retryAfterSeconds, @JsonProperty("times") Integer times,
            @JsonProperty("probability") Double probability, @JsonProperty("latencyMs") Integer latencyMs,
            @JsonProperty("drop") Boolean drop) {
        if (probability != null && probability == 0) {
            throw bad("probability must be in (0, 1] but got 0");
        }
        return new FaultRule(null, path, method, status == null ? 0 : status, retryAfterSeconds == null ? 0 : retryAfterSeconds,
                times == null ? -1 : times, probability == null ? 1 : probability, latencyMs == null ? 0 : latencyMs,
                Boolean.TRUE.equals(drop));
    }

    /** Answer matching requests with {@code status}, always. */
    public static FaultRule status(String path, int status) {
        return new FaultRule(null, path, null, status, 0, -1, 1, 0, false);
    }

    /** Drop the connection of matching requests, always. */
    public static FaultRule dropConnection(String path) {
        return new FaultRule(null, path, null, 0, 0, -1, 1, 0, true);
    }

    /** Delay matching requests by {@code millis}, always. */
    public static FaultRule latency(String path, int millis) {
        return new FaultRule(null, path, null, 0, 0, -1, 1, millis, false);
    }

    public FaultRule retryAfter(int seconds) {
        return new FaultRule(id, path, method, status, seconds, times, probability, latencyMs, drop);
    }

    public FaultRule times(int n) {
        return new FaultRule(id, path, method, status, retryAfterSeconds, n, probability, latencyMs, drop);
    }

    public FaultRule probability(double p) {
        return new FaultRule(id, path, method, status, retryAfterSeconds, times, p, latencyMs, drop);
    }

    public FaultRule method(String m) {
        return new FaultRule(id, path, m, status, retryAfterSeconds, times, probability, latencyMs, drop);
    }

    public FaultRule withId(String newId) {
        return new FaultRule(newId, path, method, status, retryAfterSeconds, times, probability, latencyMs, drop);
    }

    public FaultRule withTimes(int n) {
        return new FaultRule(id, path, method, status, retryAfterSeconds, n, probability, latencyMs, drop);
    }

    public boolean matches(String requestMethod, String requestPath) {
        if (method != null && !method.equals(requestMethod)) {
            return false;
        }
        Pattern glob = GLOBS.computeIfAbsent(path, p -> Pattern.compile(toRegex(p)));
        if (glob.matcher(requestPath).matches()) {
            return true;
        }
        boolean versioned = path.startsWith("/v1.0") || path.startsWith("/beta");
        if (!versioned) {
            for (String v : new String[] {"/v1.0", "/beta"}) {
                if (requestPath.startsWith(v + "/") && glob.matcher(requestPath.substring(v.length())).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String toRegex(String glob) {
        StringBuilder r = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (r.length() > 0) {
                r.append(".*");
            }
            r.append(Pattern.quote(part));
        }
        return r.toString();
    }

    private static KeyTrustException bad(String message) {
        return new KeyTrustException(ErrorCode.GRAPH_MOCK_BAD_REQUEST, message);
    }
}
