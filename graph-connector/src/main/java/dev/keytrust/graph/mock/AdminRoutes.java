package dev.keytrust.graph.mock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The HTTP admin API under {@code /_admin}: users, keys, faults, reset and the request journal. Errors are
 * {@code {"error":{"code":"badRequest","message":...}}} with 400 (or 404 for an unknown route); nothing changes on
 * a refused request.
 */
final class AdminRoutes {
    private final GraphMockAdmin admin;

    AdminRoutes(GraphMockAdmin admin) {
        this.admin = admin;
    }

    MockResponse handle(MockRequest r) {
        try {
            return route(r);
        } catch (KeyTrustException e) {
            return error(400, "badRequest", e.getMessage());
        } catch (IllegalArgumentException e) {
            return error(400, "badRequest", e.getMessage());
        }
    }

    private MockResponse route(MockRequest r) {
        String[] s = r.path().substring(1).split("/", -1);
        String m = r.method();
        int n = s.length;
        if (n == 2 && "users".equals(s[1]) && "POST".equals(m)) {
            GraphUser user = read(r, GraphUser.class, "a user: {\"userPrincipalName\": ..., \"displayName\": ...}");
            return MockResponse.json(201, admin.addUser(user));
        }
        if (n == 2 && "users".equals(s[1]) && "GET".equals(m)) {
            return MockResponse.json(200, Map.of("value", admin.users()));
        }
        if (n == 3 && "users".equals(s[1]) && "DELETE".equals(m)) {
            admin.removeUser(s[2]);
            return MockResponse.noContent();
        }
        if (n == 4 && "users".equals(s[1]) && "keys".equals(s[3]) && "POST".equals(m)) {
            JsonNode body = r.body().length == 0 ? MockResponse.JSON.createObjectNode() : read(r, JsonNode.class, "{deviceId?, displayName?, publicKey?}");
            for (var it = body.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!List.of("deviceId", "displayName", "publicKey", "keyMaterial", "keyType").contains(f)) {
                    throw new IllegalArgumentException("unknown key property '" + f
                            + "'; expected deviceId, displayName, publicKey (or, for bad-data tests, keyMaterial and keyType)");
                }
            }
            UUID device = body.hasNonNull("deviceId") ? guid(body.get("deviceId").asText()) : null;
            byte[] publicKey = body.hasNonNull("publicKey") ? publicKey(body.get("publicKey").asText()) : null;
            DeviceKey key = admin.addKey(s[2], new GraphMockAdmin.KeyRequest(device,
                    body.hasNonNull("displayName") ? body.get("displayName").asText() : null, publicKey,
                    body.hasNonNull("keyMaterial") ? body.get("keyMaterial").asText() : null,
                    body.hasNonNull("keyType") ? body.get("keyType").asText() : null));
            return MockResponse.json(201, keyJson(key));
        }
        if (n == 4 && "users".equals(s[1]) && "keys".equals(s[3]) && "GET".equals(m)) {
            return MockResponse.json(200, Map.of("value", admin.keys(s[2]).stream().map(AdminRoutes::keyJson).toList()));
        }
        if (n == 5 && "users".equals(s[1]) && "keys".equals(s[3]) && "DELETE".equals(m)) {
            admin.removeKey(s[2], s[4]);
            return MockResponse.noContent();
        }
        if (n == 2 && "faults".equals(s[1]) && "POST".equals(m)) {
            return MockResponse.json(201, admin.addFault(read(r, FaultRule.class,
                    "{path, method?, status?, retryAfterSeconds?, times?, probability?, latencyMs?, drop?}")));
        }
        if (n == 2 && "faults".equals(s[1]) && "GET".equals(m)) {
            return MockResponse.json(200, Map.of("value", admin.faults()));
        }
        if (n == 2 && "faults".equals(s[1]) && "DELETE".equals(m)) {
            admin.clearFaults();
            return MockResponse.noContent();
        }
        if (n == 2 && "reset".equals(s[1]) && "POST".equals(m)) {
            admin.reset();
            return MockResponse.noContent();
        }
        if (n == 2 && "requests".equals(s[1]) && "GET".equals(m)) {
            return MockResponse.json(200, Map.of("value", admin.requests()));
        }
        return error(404, "notFound", "no admin route " + m + " " + r.path() + "; see the README's Graph mock section");
    }

    static Map<String, Object> keyJson(DeviceKey key) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", key.id());
        out.put("deviceId", key.deviceId().toString());
        out.put("keyId", key.keyId());
        out.put("keyMaterial", key.keyMaterialBase64());
        out.put("displayName", key.displayName());
        out.put("createdDateTime", key.createdDateTime().toString());
        out.put("keyStrength", key.keyStrength());
        key.privateKey().ifPresent(p -> out.put("privateKeyPkcs8", Base64.getEncoder().encodeToString(p.getEncoded())));
        return out;
    }

    private static <T> T read(MockRequest r, Class<T> type, String expected) {
        try {
            return MockResponse.JSON.readValue(r.body(), type);
        } catch (IOException e) {
            if (e.getCause() instanceof KeyTrustException k) {
                throw k;
            }
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new KeyTrustException(ErrorCode.GRAPH_MOCK_BAD_REQUEST, "expected JSON " + expected + " but could not "
                    + "read the body: " + why);
        }
    }

    private static UUID guid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("deviceId must be a GUID but got '" + s + "'");
        }
    }

    private static byte[] publicKey(String text) {
        String b64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("publicKey must be base64 (or PEM) of an RSA public key but is not base64: "
                    + e.getMessage());
        }
    }

    private static MockResponse error(int status, String code, String message) {
        return MockResponse.json(status, Map.of("error", Map.of("code", code, "message", message)));
    }
}
