package dev.keytrust.graph.mock.routes;

import dev.keytrust.graph.mock.http.GraphError;
import dev.keytrust.graph.mock.http.MockResponse;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Opaque {@code $skiptoken} / {@code $deltatoken} values: base64url of a small JSON object. */
public final class ODataTokens {
    private ODataTokens() {
    }

    public static String encode(Map<String, Object> state) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MockResponse.JSON.writeValueAsBytes(state));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Decodes a token of kind {@code kind}.
     *
     * @throws GraphError 400 when it is not one this mock issued
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> decode(String token, String kind, String parameter) {
        try {
            Map<String, Object> state = MockResponse.JSON.readValue(Base64.getUrlDecoder().decode(token), LinkedHashMap.class);
            if (!kind.equals(state.get("k"))) {
                throw new IllegalArgumentException("wrong kind " + state.get("k"));
            }
            return state;
        } catch (IOException | IllegalArgumentException e) {
            throw GraphError.badRequest("The " + parameter + " '" + abbreviate(token) + "' is not valid for this request; "
                    + "use the nextLink or deltaLink exactly as returned.");
        }
    }

    public static long number(Map<String, Object> state, String key) {
        Object v = state.get(key);
        return v instanceof Number n ? n.longValue() : -1;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
