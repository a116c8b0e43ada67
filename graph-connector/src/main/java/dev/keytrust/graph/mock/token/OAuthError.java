package dev.keytrust.graph.mock.token;

import dev.keytrust.graph.mock.http.GraphError;
import dev.keytrust.graph.mock.http.MockResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Errors of the identity platform in Entra's OAuth shape: {@code error}, {@code error_description} starting with an
 * AADSTS code, {@code error_codes}, {@code timestamp}, {@code trace_id}, {@code correlation_id}, {@code error_uri} —
 * never Graph's {@code {"error":{"code":...}}}, which OAuth clients cannot read.
 */
final class OAuthError {
    private OAuthError() {
    }

    static MockResponse response(int status, String error, int aadsts, String description, Instant now, Supplier<String> ids) {
        String trace = ids.get();
        String correlation = ids.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", "AADSTS" + aadsts + ": " + description + " Trace ID: " + trace
                + " Correlation ID: " + correlation + " Timestamp: " + now);
        body.put("error_codes", List.of(aadsts));
        body.put("timestamp", now.toString());
        body.put("trace_id", trace);
        body.put("correlation_id", correlation);
        body.put("error_uri", "https://login.microsoftonline.com/error?code=" + aadsts);
        return MockResponse.json(status, body).withHeader("Content-Type", "application/json; charset=utf-8");
    }

    /**
     * A Graph-shaped error (a simulated fault) re-shaped for an OAuth client: 429, 503 and 504 are
     * {@code temporarily_unavailable}, other 5xx {@code server_error} (AADSTS90033, Entra's transient error), 4xx
     * {@code invalid_request}; the status and headers (Retry-After) stay.
     */
    static MockResponse fromGraph(GraphError e, Instant now, Supplier<String> ids) {
        int s = e.status();
        String error = s == 429 || s == 503 || s == 504 ? "temporarily_unavailable" : s >= 500 ? "server_error" : "invalid_request";
        MockResponse r = response(s, error, s >= 500 || s == 429 ? 90033 : 90014, e.getMessage(), now, ids);
        for (Map.Entry<String, String> h : e.headers().entrySet()) {
            r = r.withHeader(h.getKey(), h.getValue());
        }
        return r;
    }
}
