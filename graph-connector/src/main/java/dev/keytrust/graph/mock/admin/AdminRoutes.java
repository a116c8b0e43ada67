package dev.keytrust.graph.mock.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.graph.mock.DeviceKey;
import dev.keytrust.graph.mock.FaultRule;
import dev.keytrust.graph.mock.GraphMockAdmin;
import dev.keytrust.graph.mock.GraphUser;
import dev.keytrust.graph.mock.MockSettings;
import dev.keytrust.graph.mock.UserUpdate;
import dev.keytrust.graph.mock.http.GraphError;
import dev.keytrust.graph.mock.http.MockRequest;
import dev.keytrust.graph.mock.http.MockResponse;
import dev.keytrust.graph.mock.http.RouteTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP admin API under {@code /_admin}: users, keys, faults, reset and the request journal. Errors are in Graph's
 * shape ({@code {"error":{"code":"BadRequest","message":...,"innerError":{...}}}}) with 400, 404 for an unknown route,
 * or 401 when the mock has an admin token and the request does not carry it; nothing changes on a refused request.
 * Bodies must be JSON objects.
 */
public final class AdminRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);
    private final GraphMockAdmin admin;
    private final Clock clock;
    private final Optional<byte[]> token;
    private final RouteTable<Void> routes;

    public AdminRoutes(GraphMockAdmin admin, Clock clock, Optional<String> adminToken) {
        this.admin = admin;
        this.clock = clock;
        this.token = adminToken.map(t -> ("Bearer " + t).getBytes(StandardCharsets.UTF_8));
        this.routes = table();
    }

    public MockResponse handle(MockRequest r) {
        String requestId = UUID.randomUUID().toString();
        String clientRequestId = r.header("client-request-id") != null ? r.header("client-request-id") : requestId;
        String date = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        MockResponse response;
        try {
            authorize(r);
            response = route(r);
        } catch (GraphError e) {
            response = e.toResponse(date, requestId, clientRequestId);
        } catch (KeyTrustException | IllegalArgumentException e) {
            response = GraphError.badRequest(e.getMessage()).toResponse(date, requestId, clientRequestId);
        } catch (RuntimeException | StackOverflowError e) {
            LOG.error("the Graph mock's admin API failed on {} {}", r.method(), r.path(), e);
            response = GraphError.internal().toResponse(date, requestId, clientRequestId);
        }
        return response.withHeader("request-id", requestId).withHeader("client-request-id", clientRequestId);
    }

    /** With an admin token, the request must carry {@code Authorization: Bearer <token>} (compared in constant time). */
    private void authorize(MockRequest r) {
        if (token.isEmpty()) {
            return;
        }
        String given = r.header("Authorization");
        if (given == null || !MessageDigest.isEqual(token.get(), given.getBytes(StandardCharsets.UTF_8))) {
            throw new GraphError(401, "InvalidAuthenticationToken", (given == null ? "The admin API needs an "
                    + "'Authorization: Bearer <admin token>' header; the request has none."
                    : "The admin API refused the Authorization header: it is not 'Bearer <admin token>'.")
                    + " The token is the one the mock was started with (GraphMockConfig.adminToken, keytrust graph-mock "
                    + "--admin-token-env).").header("WWW-Authenticate", "Bearer realm=\"keytrust-graph-mock-admin\"");
        }
    }

    /** The admin routes, one per {@link AdminOperation}. */
    private RouteTable<Void> table() {
        RouteTable<Void> t = new RouteTable<>();
        add(t, AdminOperation.ADD_USER, (r, p, c) -> MockResponse.json(201, admin.addUser(
                read(r.body(), GraphUser.class, "{\"userPrincipalName\": ..., \"displayName\": ...}"))));
        add(t, AdminOperation.LIST_USERS, (r, p, c) -> MockResponse.json(200, Map.of("value", admin.users())));
        add(t, AdminOperation.REMOVE_USER, (r, p, c) -> {
            admin.removeUser(p.get("user"));
            return MockResponse.noContent();
        });
        add(t, AdminOperation.UPDATE_USER, (r, p, c) -> MockResponse.json(200, admin.updateUser(p.get("user"),
                read(r.body(), UserUpdate.class, UserUpdate.JSON_SHAPE))));
        add(t, AdminOperation.LIST_DELETED_USERS, (r, p, c) -> MockResponse.json(200, Map.of("value", admin.deletedUsers())));
        add(t, AdminOperation.RESTORE_USER, (r, p, c) -> MockResponse.json(200, admin.restoreUser(p.get("user"))));
        add(t, AdminOperation.PURGE_USER, (r, p, c) -> {
            admin.purgeUser(p.get("user"));
            return MockResponse.noContent();
        });
        add(t, AdminOperation.GET_SETTINGS, (r, p, c) -> MockResponse.json(200, admin.settings()));
        add(t, AdminOperation.CHANGE_SETTINGS, (r, p, c) -> MockResponse.json(200, admin.settings(
                read(r.body(), MockSettings.class, "{batchOrder?: inOrder|shuffled, throttleHeaders?: graph|rateLimit}"))));
        add(t, AdminOperation.ADD_KEY, (r, p, c) -> MockResponse.json(201, keyJson(admin.addKey(p.get("user"), keyRequest(r)))));
        add(t, AdminOperation.LIST_KEYS, (r, p, c) -> MockResponse.json(200, Map.of("value",
                admin.keys(p.get("user")).stream().map(AdminRoutes::keyJson).toList())));
        add(t, AdminOperation.REMOVE_KEY, (r, p, c) -> {
            admin.removeKey(p.get("user"), p.get("key"));
            return MockResponse.noContent();
        });
        add(t, AdminOperation.ADD_FAULT, (r, p, c) -> MockResponse.json(201, admin.addFault(read(r.body(), FaultRule.class,
                FaultRule.JSON_SHAPE))));
        add(t, AdminOperation.LIST_FAULTS, (r, p, c) -> MockResponse.json(200, Map.of("value", admin.faults())));
        add(t, AdminOperation.CLEAR_FAULTS, (r, p, c) -> {
            admin.clearFaults();
            return MockResponse.noContent();
        });
        add(t, AdminOperation.RESET, (r, p, c) -> {
            admin.reset();
            return MockResponse.noContent();
        });
        add(t, AdminOperation.REQUESTS, (r, p, c) -> MockResponse.json(200, Map.of("value", admin.requests())));
        return t;
    }

    private static void add(RouteTable<Void> table, AdminOperation operation, RouteTable.Handler<Void> handler) {
        table.add(operation.method(), operation.path().template(), handler);
    }

    private MockResponse route(MockRequest r) {
        RouteTable.Resolution<Void> found = routes.resolve(r.method(), r.rawPath());
        if (!found.found()) {
            throw new GraphError(404, "Request_ResourceNotFound", "No admin route " + r.method() + " " + r.path()
                    + (found.allowed().isEmpty() ? "" : " (this path takes " + String.join(", ", found.allowed()) + ")")
                    + "; see the README's Graph mock section.");
        }
        return found.handle(r, null);
    }

    private static GraphMockAdmin.KeyRequest keyRequest(MockRequest r) {
        JsonNode body = r.body().length == 0 ? MockResponse.JSON.createObjectNode()
                : object(r.body(), "{deviceId?, displayName?, publicKey?}");
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("deviceId", "displayName", "publicKey", "keyMaterial", "keyType").contains(f)) {
                throw new IllegalArgumentException("unknown key property '" + f
                        + "'; expected deviceId, displayName, publicKey (or, for bad-data tests, keyMaterial and keyType)");
            }
        }
        String deviceId = text(body, "deviceId");
        String publicKey = text(body, "publicKey");
        return new GraphMockAdmin.KeyRequest(deviceId == null ? null : guid(deviceId), text(body, "displayName"),
                publicKey == null ? null : publicKey(publicKey), text(body, "keyMaterial"), text(body, "keyType"));
    }

    public static Map<String, Object> keyJson(DeviceKey key) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", key.id());
        out.put("deviceId", key.deviceId().toString());
        out.put("keyId", key.keyId());
        out.put("keyMaterial", key.keyMaterialBase64());
        out.put("displayName", key.displayName());
        out.put("createdDateTime", key.createdDateTime().toString());
        out.put("keyStrength", key.keyStrength());
        key.privateKey().ifPresent(p -> out.put("privateKeyPkcs8", Base64.getEncoder().encodeToString(p.getEncoded())));
        out.put("keyType", key.keyType());
        if (key.rawKeyMaterial() != null) {
            out.put("rawKeyMaterial", key.rawKeyMaterial());
        }
        return out;
    }

    /** The body as {@code type}: it must be a JSON object; a wrong property is named, without Java type names. */
    public static <T> T read(byte[] body, Class<T> type, String expected) {
        JsonNode tree = object(body, expected);
        try {
            return MockResponse.JSON.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof KeyTrustException k) {
                throw k;
            }
            throw bad(problem(e) + "; expected " + expected);
        }
    }

    /** The body as a JSON object, or a 400 saying what it is instead. */
    public static JsonNode object(byte[] body, String expected) {
        JsonNode tree;
        try {
            tree = body.length == 0 ? null : MockResponse.JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw bad("expected a JSON object " + expected + " but the body is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw bad("expected a JSON object " + expected + " but could not read the body");
        }
        if (tree == null || tree.isMissingNode()) {
            throw bad("expected a JSON object " + expected + " but the body is empty");
        }
        if (!tree.isObject()) {
            String found = tree.isNull() ? "the JSON literal null" : tree.isArray() ? "an array" : tree.isTextual() ? "a string"
                    : tree.isNumber() ? "a number" : tree.isBoolean() ? "a boolean" : "another JSON value";
            throw bad("expected a JSON object " + expected + " but the body is " + found);
        }
        return tree;
    }

    private static String problem(JsonProcessingException e) {
        if (e instanceof InvalidTypeIdException t) {
            return (t.getTypeId() == null ? "a fault without 'kind'" : "unknown fault kind '" + t.getTypeId() + "'")
                    + " (expected kind error, drop, latency, genericError or syncStateGone)";
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown property '" + u.getPropertyName() + "'";
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            String property = m.getPath().get(m.getPath().size() - 1).getFieldName();
            Class<?> t = m.getTargetType();
            String want = t == null ? "of another type" : t == String.class ? "a string"
                    : t == int.class || t == Integer.class || t == long.class || t == Long.class ? "a whole number"
                    : t == double.class || t == Double.class ? "a number" : t == boolean.class || t == Boolean.class ? "true or false"
                    : t.isEnum() ? "one of " + enumNames(t) : "of another type";
            String got = m instanceof InvalidFormatException f ? " but got '" + f.getValue() + "'" : "";
            return "property '" + property + "' must be " + want + got;
        }
        return "the body could not be read (" + e.getOriginalMessage() + ")";
    }

    /** The JSON names of an enum's constants ({@code @JsonProperty}, else the constant's name). */
    private static String enumNames(Class<?> type) {
        List<String> names = new java.util.ArrayList<>();
        for (java.lang.reflect.Field f : type.getFields()) {
            if (f.isEnumConstant()) {
                com.fasterxml.jackson.annotation.JsonProperty p = f.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
                names.add(p != null ? p.value() : f.getName());
            }
        }
        return String.join(", ", names);
    }

    /** A string property, or null if absent or JSON null; another type is refused. */
    private static String text(JsonNode body, String property) {
        JsonNode v = body.get(property);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw bad("property '" + property + "' must be a string but got " + v);
        }
        return v.asText();
    }

    private static KeyTrustException bad(String message) {
        return new KeyTrustException(ErrorCode.GRAPH_MOCK_BAD_REQUEST, message);
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
}
