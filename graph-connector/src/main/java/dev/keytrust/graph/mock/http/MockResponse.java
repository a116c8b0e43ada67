package dev.keytrust.graph.mock.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP response from the mock's routes.
 *
 * @param status HTTP status; 0 means "drop the connection without answering"
 * @param headers headers to send (the server adds request ids and the content type)
 * @param body the body; empty for 204
 */
public record MockResponse(int status, Map<String, String> headers, byte[] body) {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String ODATA_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

    public static MockResponse json(int status, Object value) {
        try {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", ODATA_JSON);
            return new MockResponse(status, headers, JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    public static MockResponse noContent() {
        return new MockResponse(204, new LinkedHashMap<>(), new byte[0]);
    }

    public static MockResponse dropped() {
        return new MockResponse(0, Map.of(), new byte[0]);
    }

    public MockResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new MockResponse(status, h, body);
    }
}
