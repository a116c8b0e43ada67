package dev.keytrust.graph.mock.http;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error a route answers with, in Graph's shape: {@code {"error":{"code","message","innerError":{"date",
 * "request-id","client-request-id"}}}}. Thrown by routes; the server turns it into the response.
 */
public final class GraphError extends KeyTrustException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public GraphError(int status, String code, String message) {
        super(ErrorCode.GRAPH_REQUEST_FAILED, message);
        this.status = status;
        this.code = code;
    }

    public static GraphError badRequest(String message) {
        return new GraphError(400, "BadRequest", message);
    }

    /** A request the mock itself failed on: the details are in its log, never in the answer. */
    public static GraphError internal() {
        return new GraphError(500, "InternalServerError", "The Graph mock failed while answering this request; its log "
                + "has the details. The request may be retried; if it fails again, please report it.");
    }

    public static GraphError notFound(String resource) {
        return new GraphError(404, "Request_ResourceNotFound", "Resource '" + resource
                + "' does not exist or one of its queried reference-property objects are not present.");
    }

    public GraphError header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The extra headers to send (Retry-After, WWW-Authenticate). */
    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The response, with the request's ids and time in {@code innerError}. */
    public MockResponse toResponse(String date, String requestId, String clientRequestId) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("date", date);
        inner.put("request-id", requestId);
        inner.put("client-request-id", clientRequestId);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", getMessage());
        error.put("innerError", inner);
        MockResponse r = MockResponse.json(status, Map.of("error", error));
        for (Map.Entry<String, String> h : headers.entrySet()) {
            r = r.withHeader(h.getKey(), h.getValue());
        }
        return r;
    }
}
