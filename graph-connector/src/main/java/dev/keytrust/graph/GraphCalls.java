package dev.keytrust.graph;

import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.kiota.ApiException;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Graph calls with retries: 429 and 5xx wait for Retry-After (or back off, doubling from 1 s) on the testbed
 * clock; dropped connections back off too; 401/403 and other 4xx fail at once with a typed error. Counts requests
 * and waits for the read's report.
 */
final class GraphCalls {
    private static final Logger LOG = LoggerFactory.getLogger(GraphCalls.class);
    private static final Set<Integer> TRANSIENT = Set.of(429, 500, 502, 503, 504);

    private final GraphConnectorConfig config;
    private final Runnable dropToken;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger waits = new AtomicInteger();

    /** Retries and waits as {@code config} says; {@code dropToken} forgets the cached token after a 401. */
    GraphCalls(GraphConnectorConfig config, Runnable dropToken) {
        this.config = config;
        this.dropToken = dropToken;
    }

    int requests() {
        return requests.get();
    }

    int waits() {
        return waits.get();
    }

    void resetCounters() {
        requests.set(0);
        waits.set(0);
    }

    /** Runs {@code call} until it succeeds, a permanent error occurs, or attempts run out; waits on this thread. */
    <T> T call(String what, Supplier<T> call) {
        boolean tokenRenewed = false;
        for (int attempt = 1; ; attempt++) {
            try {
                return once(what, call);
            } catch (TransientFailure e) {
                if (e.tokenRenewed()) {
                    if (tokenRenewed) {
                        throw permanent(what, (ApiException) e.getCause()); // refused again with a fresh token
                    }
                    tokenRenewed = true;
                    continue;
                }
                if (attempt >= config.maxAttempts()) {
                    throw new KeyTrustException(ErrorCode.GRAPH_UNAVAILABLE, what + " failed " + attempt + " times, last with "
                            + (e.getCause() instanceof ApiException api ? e.getMessage() + " (" + describe(api)
                            + "); Graph is throttling or failing, try again later" : e.getMessage() + "; check that Graph is reachable"),
                            e.getCause());
                }
                waitBeforeRetry(what, attempt, e.retryAfter(), e.getMessage());
            }
        }
    }

    /** A transient failure {@link #once} leaves to its caller to wait out (threads other than the caller's never wait). */
    static final class TransientFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Optional<Duration> retryAfter;
        private final boolean tokenRenewed;

        TransientFailure(String message, Optional<Duration> retryAfter, Throwable cause, boolean tokenRenewed) {
            super(message, cause);
            this.retryAfter = retryAfter;
            this.tokenRenewed = tokenRenewed;
        }

        Optional<Duration> retryAfter() {
            return retryAfter;
        }

        /** Graph refused the token (401) and it was dropped: retry at once with a new one. */
        boolean tokenRenewed() {
            return tokenRenewed;
        }
    }

    /**
     * Runs {@code call} once: permanent errors are thrown as {@link #call} throws them, transient ones (429, 5xx, a
     * dropped connection) as {@link TransientFailure} with the Retry-After, for the caller to retry. Used on pool
     * threads, which must not wait on the testbed clock: on virtual time only the thread that owns the scheduler may.
     */
    <T> T once(String what, Supplier<T> call) {
        requests.incrementAndGet();
        try {
            return call.get();
        } catch (ApiException e) {
            int status = e.getResponseStatusCode();
            if (status == 401) {
                dropToken.run();
                throw new TransientFailure(what + ": HTTP 401, the token was renewed", Optional.of(Duration.ZERO), e, true);
            }
            if (!TRANSIENT.contains(status)) {
                throw permanent(what, e);
            }
            throw new TransientFailure("HTTP " + status, retryAfter(e.getResponseHeaders().get("Retry-After"))
                    .or(() -> retryAfter(e.getResponseHeaders().get("retry-after"))), e, false);
        } catch (TransientFailure e) {
            throw e;
        } catch (RuntimeException e) {
            if (isAuthentication(e)) {
                throw new KeyTrustException(ErrorCode.GRAPH_AUTHENTICATION_FAILED, what + " failed: the token endpoint "
                        + "refused the credentials: " + rootMessage(e) + "; check tenant, client id and secret or certificate", e);
            }
            if (!isNetwork(e)) {
                throw e;
            }
            throw new TransientFailure(rootMessage(e), Optional.empty(), e, false);
        }
    }

    /** Waits before retry {@code attempt} of a failed step (used by batches as well). */
    void waitBeforeRetry(String what, int attempt, Optional<Duration> retryAfter, String why) {
        Duration wait = retryAfter.orElseGet(() -> backoff(attempt));
        waits.incrementAndGet();
        LOG.info("{}: {} — waiting {} s before attempt {}", what, why, wait.toSeconds(), attempt + 1);
        config.scheduler().sleep(wait);
    }

    Duration backoff(int attempt) {
        Duration d = Duration.ofSeconds(1L << Math.min(attempt - 1, 10));
        return d.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : d;
    }

    int maxAttempts() {
        return config.maxAttempts();
    }

    static Optional<Duration> retryAfter(Set<String> values) {
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        return retryAfter(values.iterator().next());
    }

    static Optional<Duration> retryAfter(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static KeyTrustException permanent(String what, ApiException e) {
        int status = e.getResponseStatusCode();
        ErrorCode code = status == 401 || status == 403 ? ErrorCode.GRAPH_AUTHENTICATION_FAILED : ErrorCode.GRAPH_REQUEST_FAILED;
        return new KeyTrustException(code, what + " was refused with HTTP " + status + ": " + describe(e), e);
    }

    /** {@code code: message} of a Graph error. */
    static String describe(ApiException e) {
        if (e instanceof ODataError o && o.getError() != null) {
            return o.getError().getCode() + ": " + o.getError().getMessage();
        }
        return String.valueOf(e.getMessage());
    }

    /** The Graph error code of an API exception ({@code syncStateNotFound}), if any. */
    static String code(ApiException e) {
        return e instanceof ODataError o && o.getError() != null ? o.getError().getCode() : null;
    }

    private static boolean isAuthentication(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getName();
            if (name.equals("com.azure.core.exception.ClientAuthenticationException")
                    || name.equals("com.microsoft.aad.msal4j.MsalServiceException")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNetwork(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
