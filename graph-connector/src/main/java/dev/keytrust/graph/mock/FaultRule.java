package dev.keytrust.graph.mock;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.graph.mock.fault.Fault;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A fault rule, after Microsoft's Dev Proxy and WireMock: which requests it hits — {@code path} (a glob: {@code *} is
 * any run of characters; a pattern not starting with {@code /v1.0} or {@code /beta} matches under both Graph
 * versions), {@code method} if given, each with {@code probability} drawn from the seed, {@code times} times at most
 * (-1: always) — and what happens to them: its {@link Fault}s, applied in order until one answers (so a latency can
 * precede an error).
 *
 * <p>Over the admin API a rule is {@code {"path", "method"?, "times"?, "probability"?, "faults": [{"kind": ...}]}};
 * the earlier flat shape ({@code status}, {@code retryAfterSeconds}, {@code latencyMs}, {@code drop}) is still read,
 * and written next to {@code faults} when it can express the rule.
 *
 * <pre>{@code
 * mock.admin().addFault(FaultRule.status("/users*", 429).retryAfter(30).times(3));
 * mock.admin().addFault(FaultRule.of("/users/delta*", new Fault.Latency(50, 400), new Fault.Error(503, 5)));
 * }</pre>
 *
 * @param id assigned by the mock
 * @param path glob over the request path
 * @param method HTTP method, or null for any
 * @param times how many requests to affect (-1: unlimited)
 * @param probability chance (0-1] that a matching request is affected
 * @param faults what happens to a hit request, in order
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
@JsonPropertyOrder({"id", "path", "method", "times", "probability", "faults"})
public record FaultRule(String id, String path, String method, int times, double probability, List<Fault> faults) {
    /** The admin API's body, for messages. */
    public static final String JSON_SHAPE = "{path, method?, times?, probability?, faults: [{kind: error|drop|latency|"
            + "genericError, ...}]} (or the flat {path, status?, retryAfterSeconds?, latencyMs?, drop?, ...})";
    /** Compiled globs: matching runs on every request while a fault is active. */
    private static final Map<String, Pattern> GLOBS = new ConcurrentHashMap<>();

    public FaultRule {
        if (path == null || path.isBlank() || !path.startsWith("/")) {
            throw bad("a fault needs a path starting with / (a glob like /users*) but got '" + path + "'");
        }
        if (faults == null || faults.isEmpty()) {
            throw bad("a fault must do something: give a status, drop: true, or latencyMs > 0 (or a non-empty faults list)");
        }
        faults = List.copyOf(faults);
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

    /** A rule as the admin API reads it (the flat shape mapped onto fault kinds); absent properties take defaults. */
    @JsonCreator
    static FaultRule fromJson(@JsonProperty("id") String ignoredId, @JsonProperty("path") String path,
            @JsonProperty("method") String method, @JsonProperty("times") Integer times,
            @JsonProperty("probability") Double probability, @JsonProperty("faults") List<Fault> faults,
            @JsonProperty("status") Integer status, @JsonProperty("retryAfterSeconds") Integer retryAfterSeconds,
            @JsonProperty("latencyMs") Integer latencyMs, @JsonProperty("drop") Boolean drop) {
        if (probability != null && probability == 0) {
            throw bad("probability must be in (0, 1] but got 0");
        }
        int defaultRetryAfter = status != null && (status == 429 || status == 503) ? Fault.DEFAULT_RETRY_AFTER_SECONDS : 0;
        List<Fault> flat = flat(status == null ? 0 : status, retryAfterSeconds == null ? defaultRetryAfter : retryAfterSeconds,
                latencyMs == null ? 0 : latencyMs, Boolean.TRUE.equals(drop));
        List<Fault> kinds = faults;
        if (faults != null && !flat.isEmpty() && !faults.equals(flat)) {
            throw bad("a fault gives 'faults' and the flat status/retryAfterSeconds/latencyMs/drop, and they disagree; "
                    + "give one of them");
        }
        if (kinds == null) {
            kinds = flat;
        }
        return new FaultRule(null, path, method, times == null ? -1 : times, probability == null ? 1 : probability, kinds);
    }

    /** The flat shape's fault kinds: latency first, then the status or the drop. */
    private static List<Fault> flat(int status, int retryAfterSeconds, int latencyMs, boolean drop) {
        if (status != 0 && drop) {
            throw bad("a fault either answers with a status or drops the connection, not both");
        }
        if (retryAfterSeconds < 0 || latencyMs < 0 || latencyMs > 60_000) {
            throw bad("retryAfterSeconds must be 0 or more and latencyMs 0-60000 but got " + retryAfterSeconds + " and " + latencyMs);
        }
        List<Fault> out = new ArrayList<>();
        if (latencyMs > 0) {
            out.add(new Fault.Latency(latencyMs, latencyMs));
        }
        if (status != 0) {
            out.add(new Fault.Error(status, retryAfterSeconds));
        }
        if (drop) {
            out.add(new Fault.Drop());
        }
        return out;
    }

    /** Matching requests get {@code faults}, in order, always. */
    public static FaultRule of(String path, Fault... faults) {
        return new FaultRule(null, path, null, -1, 1, List.of(faults));
    }

    /**
     * Answer matching requests with {@code status} (429, 500, 502, 503, 504, 507), always; a 429 or 503 with Dev
     * Proxy's default Retry-After ({@value Fault#DEFAULT_RETRY_AFTER_SECONDS} s; {@link #retryAfter} changes it).
     */
    public static FaultRule status(String path, int status) {
        return of(path, Fault.Error.of(status));
    }

    /** Drop the connection of matching requests, always. */
    public static FaultRule dropConnection(String path) {
        return of(path, new Fault.Drop());
    }

    /** Delay matching requests by {@code millis}, always. */
    public static FaultRule latency(String path, int millis) {
        return of(path, new Fault.Latency(millis, millis));
    }

    /** Sends {@code Retry-After: seconds} with this rule's simulated errors. */
    public FaultRule retryAfter(int seconds) {
        return new FaultRule(id, path, method, times, probability, faults.stream()
                .map(f -> f instanceof Fault.Error e ? new Fault.Error(e.status(), seconds) : f).toList());
    }

    public FaultRule times(int n) {
        return new FaultRule(id, path, method, n, probability, faults);
    }

    public FaultRule probability(double p) {
        return new FaultRule(id, path, method, times, p, faults);
    }

    public FaultRule method(String m) {
        return new FaultRule(id, path, m, times, probability, faults);
    }

    /** This rule with its id as the mock assigned it. */
    public FaultRule withId(String newId) {
        return new FaultRule(newId, path, method, times, probability, faults);
    }

    /** Flat shape, for older readers: the simulated status, or 0. */
    @JsonIgnore
    public int status() {
        return faults.stream().filter(Fault.Error.class::isInstance).map(f -> ((Fault.Error) f).status()).findFirst().orElse(0);
    }

    /** Flat shape: Retry-After of the simulated status, or 0. */
    @JsonIgnore
    public int retryAfterSeconds() {
        return faults.stream().filter(Fault.Error.class::isInstance).map(f -> ((Fault.Error) f).retryAfterSeconds()).findFirst().orElse(0);
    }

    /** Flat shape: a fixed latency, or 0. */
    @JsonIgnore
    public int latencyMs() {
        return faults.stream().filter(f -> f instanceof Fault.Latency l && l.minMs() == l.maxMs())
                .map(f -> ((Fault.Latency) f).minMs()).findFirst().orElse(0);
    }

    /** Flat shape: whether the connection is dropped. */
    @JsonIgnore
    public boolean drop() {
        return faults.stream().anyMatch(Fault.Drop.class::isInstance);
    }

    @JsonProperty("status")
    private Integer jsonStatus() {
        return flatShapeFits() && status() != 0 ? status() : null;
    }

    @JsonProperty("retryAfterSeconds")
    private Integer jsonRetryAfterSeconds() {
        return flatShapeFits() && retryAfterSeconds() != 0 ? retryAfterSeconds() : null;
    }

    @JsonProperty("latencyMs")
    private Integer jsonLatencyMs() {
        return flatShapeFits() && latencyMs() != 0 ? latencyMs() : null;
    }

    @JsonProperty("drop")
    private Boolean jsonDrop() {
        return flatShapeFits() && drop() ? Boolean.TRUE : null;
    }

    /** Whether the flat shape expresses this rule exactly (then it is written next to {@code faults}). */
    private boolean flatShapeFits() {
        try {
            return flat(status(), retryAfterSeconds(), latencyMs(), drop()).equals(faults);
        } catch (KeyTrustException e) {
            return false;
        }
    }

    /** Whether this rule's method and path glob match a request. */
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
