package dev.keytrust.graph.mock.fault;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.graph.mock.http.GraphError;
import dev.keytrust.graph.mock.http.MockResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a fault does to a request it hits — a closed set of kinds, each carrying its own behaviour, after WireMock's
 * {@code Fault} and Microsoft Dev Proxy's plugins. Which requests are hit is the business of the rule
 * ({@link dev.keytrust.graph.mock.FaultRule}: method, path glob, probability, times), never of the kind. In JSON a
 * kind is an object with {@code "kind"}: {@code error}, {@code drop}, {@code latency}, {@code genericError} or
 * {@code syncStateGone}.
 *
 * <p>To add a kind: a record here implementing {@link #apply}, listed in {@link JsonSubTypes} and the permits clause.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = Fault.Error.class, name = "error"),
        @JsonSubTypes.Type(value = Fault.Drop.class, name = "drop"),
        @JsonSubTypes.Type(value = Fault.Latency.class, name = "latency"),
        @JsonSubTypes.Type(value = Fault.GenericError.class, name = "genericError"),
        @JsonSubTypes.Type(value = Fault.SyncStateGone.class, name = "syncStateGone")})
public sealed interface Fault permits Fault.Error, Fault.Drop, Fault.Latency, Fault.GenericError, Fault.SyncStateGone {
    /** Retry-After Dev Proxy sends on a simulated 429 or 503 when none is given. */
    int DEFAULT_RETRY_AFTER_SECONDS = 5;

    /**
     * Acts on one request.
     *
     * @return the response to answer with, or null to let the request go on to its route
     * @throws GraphError when the fault answers with a Graph error
     */
    MockResponse apply(FaultContext context);

    /**
     * A simulated Graph error: 429, 500, 502, 503, 504 or 507, in Graph's error shape; with {@code Retry-After} when
     * {@code retryAfterSeconds} is set (a client retrying a 429 before it has passed is throttled again).
     */
    record Error(int status, int retryAfterSeconds) implements Fault {
        private static final Set<Integer> STATUSES = Set.of(429, 500, 502, 503, 504, 507);

        public Error {
            if (!STATUSES.contains(status)) {
                throw bad("a fault's status must be one of 429, 500, 502, 503, 504, 507 but got " + status
                        + " (a genericError fault answers with any status)");
            }
            if (retryAfterSeconds < 0) {
                throw bad("retryAfterSeconds must be 0 or more but got " + retryAfterSeconds);
            }
        }

        /** A 429 or 503 with Dev Proxy's default Retry-After; other statuses without one. */
        public static Error of(int status) {
            return new Error(status, status == 429 || status == 503 ? DEFAULT_RETRY_AFTER_SECONDS : 0);
        }

        /** As the admin API reads it: without {@code retryAfterSeconds}, a 429 or 503 gets Dev Proxy's default. */
        @JsonCreator
        static Error fromJson(@JsonProperty("status") Integer status, @JsonProperty("retryAfterSeconds") Integer retryAfter) {
            if (status == null) {
                throw bad("an error fault needs a status (429, 500, 502, 503, 504 or 507)");
            }
            return new Error(status, retryAfter != null ? retryAfter
                    : status == 429 || status == 503 ? DEFAULT_RETRY_AFTER_SECONDS : 0);
        }

        @Override
        public MockResponse apply(FaultContext context) {
            GraphError e = switch (status) {
                case 429 -> new GraphError(429, "TooManyRequests", "Too many requests (simulated throttling).");
                case 500 -> new GraphError(500, "InternalServerError", "Internal server error (simulated).");
                case 502 -> new GraphError(502, "BadGateway", "Bad gateway (simulated).");
                case 503 -> new GraphError(503, "ServiceUnavailable", "Service unavailable (simulated).");
                case 507 -> new GraphError(507, "InsufficientStorage", "Insufficient storage (simulated).");
                default -> new GraphError(504, "GatewayTimeout", "Gateway timeout (simulated).");
            };
            if (retryAfterSeconds > 0) {
                e.header("Retry-After", Integer.toString(retryAfterSeconds));
                if (status == 429) {
                    context.throttledFor(retryAfterSeconds);
                }
            }
            throw e;
        }
    }

    /** The connection is closed without an answer (inside a {@code $batch}, the item gets a 504 instead). */
    record Drop() implements Fault {
        @Override
        public MockResponse apply(FaultContext context) {
            if (context.batched()) {
                throw new GraphError(504, "GatewayTimeout", "The upstream connection was dropped.");
            }
            return MockResponse.dropped();
        }
    }

    /** The request waits {@code minMs} to {@code maxMs} of wall time (drawn from the seed), then goes on. */
    record Latency(int minMs, int maxMs) implements Fault {
        public Latency {
            if (minMs < 0 || maxMs < minMs || maxMs > 60_000) {
                throw bad("latency must be 0-60000 ms with minMs <= maxMs but got " + minMs + "-" + maxMs);
            }
        }

        /** As the admin API reads it: {@code maxMs} defaults to {@code minMs}. */
        @JsonCreator
        static Latency fromJson(@JsonProperty("minMs") Integer minMs, @JsonProperty("maxMs") Integer maxMs) {
            if (minMs == null) {
                throw bad("a latency fault needs minMs (and optionally maxMs), in milliseconds");
            }
            return new Latency(minMs, maxMs == null ? minMs : maxMs);
        }

        @Override
        public MockResponse apply(FaultContext context) {
            int millis = minMs == maxMs ? minMs : minMs + context.random().nextInt(maxMs - minMs + 1);
            if (millis > 0) {
                context.delay(millis);
            }
            return null;
        }
    }

    /**
     * Dev Proxy's GenericRandomError: any status from 400 to 599 with the given headers and body (default: a Graph
     * error whose code names the status). A 429 or 503 without {@code Retry-After} gets Dev Proxy's default
     * ({@value #DEFAULT_RETRY_AFTER_SECONDS} s); a {@code Retry-After} on a 429 counts for re-throttling.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record GenericError(int status, Map<String, String> headers, String body) implements Fault {
        public GenericError {
            if (status < 400 || status > 599) {
                throw bad("a genericError fault's status must be 400-599 but got " + status);
            }
            Map<String, String> h = new LinkedHashMap<>(headers == null ? Map.of() : headers);
            if ((status == 429 || status == 503) && h.keySet().stream().noneMatch("retry-after"::equalsIgnoreCase)) {
                h.put("Retry-After", Integer.toString(DEFAULT_RETRY_AFTER_SECONDS)); // as Dev Proxy does
            }
            headers = Map.copyOf(h);
        }

        @Override
        public MockResponse apply(FaultContext context) {
            MockResponse r;
            if (body == null) {
                GraphError e = new GraphError(status, "Status" + status, "Simulated error " + status + ".");
                headers.forEach(e::header);
                throw withRetry(e, context);
            }
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", body.startsWith("{") ? MockResponse.ODATA_JSON : "text/plain; charset=utf-8");
            h.putAll(headers);
            r = new MockResponse(status, h, body.getBytes(StandardCharsets.UTF_8));
            retryAfter(context);
            return r;
        }

        private GraphError withRetry(GraphError e, FaultContext context) {
            retryAfter(context);
            return e;
        }

        private void retryAfter(FaultContext context) {
            for (Map.Entry<String, String> h : headers.entrySet()) {
                if (status == 429 && h.getKey().toLowerCase(Locale.ROOT).equals("retry-after") && h.getValue().matches("\\d{1,6}")) {
                    context.throttledFor(Integer.parseInt(h.getValue()));
                }
            }
        }
    }

    /**
     * 410 Gone with {@code code} {@code resyncRequired} or {@code syncStateNotFound}: what Graph answers a delta link
     * whose sync state it no longer has; the client must start again with a full delta round.
     */
    record SyncStateGone(String code) implements Fault {
        public SyncStateGone {
            if (code == null) {
                code = "resyncRequired";
            }
            if (!code.equals("resyncRequired") && !code.equals("syncStateNotFound")) {
                throw bad("a syncStateGone fault's code must be resyncRequired or syncStateNotFound but got '" + code + "'");
            }
        }

        @Override
        public MockResponse apply(FaultContext context) {
            throw new GraphError(410, code, "The sync state is gone (simulated " + code + "): restart the sync with a new "
                    + "delta request without a token (full sync).");
        }
    }

    private static KeyTrustException bad(String message) {
        return new KeyTrustException(ErrorCode.GRAPH_MOCK_BAD_REQUEST, message);
    }
}
