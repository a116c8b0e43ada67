package dev.keytrust.graph.mock.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.graph.mock.DeviceKey;
import dev.keytrust.graph.mock.FaultRule;
import dev.keytrust.graph.mock.GraphMockAdmin;
import dev.keytrust.graph.mock.GraphUser;
import dev.keytrust.graph.mock.MockSettings;
import dev.keytrust.graph.mock.RecordedRequest;
import dev.keytrust.graph.mock.UserUpdate;
import dev.keytrust.tls.CertificateTrust;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.net.ssl.SSLContext;

/**
 * {@link GraphMockAdmin} over the HTTP admin API of a running mock (another process, the CLI, a test): each operation
 * is one request built from the same route table the mock serves ({@link AdminOperation}), with
 * {@code Authorization: Bearer <admin token>} when one is given. A refused operation throws the mock's message as
 * {@code GRAPH_MOCK_BAD_REQUEST}, as the in-process admin does.
 *
 * <pre>{@code
 * GraphMockAdmin admin = HttpGraphMockAdmin.connect("https://127.0.0.1:8443", Path.of("graph-ca.pem"), null);
 * admin.addFault(FaultRule.status("/users*", 503).times(2));
 * }</pre>
 */
public final class HttpGraphMockAdmin implements GraphMockAdmin {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final URI base;
    private final HttpClient http;
    private final Optional<String> adminToken;

    private HttpGraphMockAdmin(String baseUrl, SSLContext tls, Optional<String> adminToken) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
        this.adminToken = adminToken.filter(t -> !t.isEmpty());
    }

    /** A client of the mock at {@code baseUrl} trusting {@code certificate}; {@code adminToken} may be null. */
    public static HttpGraphMockAdmin connect(String baseUrl, X509Certificate certificate, String adminToken) {
        return new HttpGraphMockAdmin(baseUrl, CertificateTrust.sslContext(certificate), Optional.ofNullable(adminToken));
    }

    /** A client of the mock at {@code baseUrl} trusting the PEM certificate in {@code caPem}. */
    public static HttpGraphMockAdmin connect(String baseUrl, Path caPem, String adminToken) {
        return connect(baseUrl, CertificateTrust.read(caPem, "the Graph mock's certificate (keytrust graph-mock --ca-out writes it)"),
                adminToken);
    }

    @Override
    public GraphUser addUser(GraphUser user) {
        return read(send(AdminOperation.ADD_USER, Map.of(), user), GraphUser.class);
    }

    @Override
    public void removeUser(String idOrUpn) {
        send(AdminOperation.REMOVE_USER, Map.of("user", idOrUpn), null);
    }

    @Override
    public GraphUser updateUser(String idOrUpn, UserUpdate update) {
        return read(send(AdminOperation.UPDATE_USER, Map.of("user", idOrUpn), update), GraphUser.class);
    }

    @Override
    public GraphUser restoreUser(String idOrUpn) {
        return read(send(AdminOperation.RESTORE_USER, Map.of("user", idOrUpn), null), GraphUser.class);
    }

    @Override
    public void purgeUser(String idOrUpn) {
        send(AdminOperation.PURGE_USER, Map.of("user", idOrUpn), null);
    }

    @Override
    public List<GraphUser> deletedUsers() {
        return read(send(AdminOperation.LIST_DELETED_USERS, Map.of(), null).path("value"), new TypeReference<List<GraphUser>>() { });
    }

    @Override
    public MockSettings settings() {
        return read(send(AdminOperation.GET_SETTINGS, Map.of(), null), MockSettings.class);
    }

    @Override
    public MockSettings settings(MockSettings change) {
        return read(send(AdminOperation.CHANGE_SETTINGS, Map.of(), change), MockSettings.class);
    }

    @Override
    public List<GraphUser> users() {
        return read(send(AdminOperation.LIST_USERS, Map.of(), null).path("value"), new TypeReference<List<GraphUser>>() { });
    }

    @Override
    public DeviceKey addKey(String userIdOrUpn, KeyRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (request != null) {
            putIfSet(body, "deviceId", request.deviceId() == null ? null : request.deviceId().toString());
            putIfSet(body, "displayName", request.displayName());
            putIfSet(body, "publicKey", request.publicKey() == null ? null : Base64.getEncoder().encodeToString(request.publicKey()));
            putIfSet(body, "keyMaterial", request.rawKeyMaterial());
            putIfSet(body, "keyType", request.keyType());
        }
        return key(send(AdminOperation.ADD_KEY, Map.of("user", userIdOrUpn), body));
    }

    @Override
    public DeviceKey removeKey(String userIdOrUpn, String keyOrMethodId) {
        DeviceKey removed = keys(userIdOrUpn).stream().filter(k -> k.id().equalsIgnoreCase(keyOrMethodId)
                || k.keyId().equals(keyOrMethodId)).findFirst().orElse(null);
        send(AdminOperation.REMOVE_KEY, Map.of("user", userIdOrUpn, "key", keyOrMethodId), null);
        return removed;
    }

    @Override
    public List<DeviceKey> keys(String userIdOrUpn) {
        List<DeviceKey> out = new ArrayList<>();
        for (JsonNode k : send(AdminOperation.LIST_KEYS, Map.of("user", userIdOrUpn), null).path("value")) {
            out.add(key(k));
        }
        return out;
    }

    @Override
    public FaultRule addFault(FaultRule fault) {
        return fault(send(AdminOperation.ADD_FAULT, Map.of(), fault));
    }

    @Override
    public List<FaultRule> faults() {
        List<FaultRule> out = new ArrayList<>();
        for (JsonNode f : send(AdminOperation.LIST_FAULTS, Map.of(), null).path("value")) {
            out.add(fault(f));
        }
        return out;
    }

    @Override
    public void clearFaults() {
        send(AdminOperation.CLEAR_FAULTS, Map.of(), null);
    }

    @Override
    public void reset() {
        send(AdminOperation.RESET, Map.of(), null);
    }

    @Override
    public List<RecordedRequest> requests() {
        return read(send(AdminOperation.REQUESTS, Map.of(), null).path("value"), new TypeReference<List<RecordedRequest>>() { });
    }

    /** Sends one admin request; answers its JSON body (empty object for 204) or throws the mock's refusal. */
    private JsonNode send(AdminOperation op, Map<String, String> params, Object body) {
        URI uri = base.resolve(op.path().expand(params));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
        try {
            b.method(op.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the admin request as JSON: " + e.getMessage(), e);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        adminToken.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        HttpResponse<byte[]> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new KeyTrustException(ErrorCode.GRAPH_UNAVAILABLE, "cannot reach the Graph mock's admin API at " + base
                    + ": " + e.getMessage() + "; is the mock running (keytrust graph-mock) and is its certificate the one given?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeyTrustException(ErrorCode.GRAPH_UNAVAILABLE, "interrupted while calling the Graph mock's admin API", e);
        }
        JsonNode tree;
        try {
            tree = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new KeyTrustException(ErrorCode.GRAPH_REQUEST_FAILED, "the Graph mock's admin API answered "
                    + op.method() + " " + uri.getPath() + " with status " + response.statusCode() + " and a body that is not JSON");
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return tree;
        }
        String message = tree.at("/error/message").asText("status " + status);
        ErrorCode code = status == 401 ? ErrorCode.GRAPH_AUTHENTICATION_FAILED
                : status / 100 == 4 ? ErrorCode.GRAPH_MOCK_BAD_REQUEST : ErrorCode.GRAPH_REQUEST_FAILED;
        throw new KeyTrustException(code, message);
    }

    private static <T> T read(JsonNode tree, Class<T> type) {
        return read(tree, JSON.getTypeFactory().constructType(type));
    }

    private static <T> T read(JsonNode tree, TypeReference<T> type) {
        return read(tree, JSON.getTypeFactory().constructType(type));
    }

    private static <T> T read(JsonNode tree, com.fasterxml.jackson.databind.JavaType type) {
        try {
            return JSON.treeToValue(tree, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new KeyTrustException(ErrorCode.GRAPH_REQUEST_FAILED, "the Graph mock's admin API answered in an "
                    + "unexpected shape (" + e.getOriginalMessage() + "); are client and mock the same version?", e);
        }
    }

    /** A rule as the mock stored it (the admin API reads no id from a body, so it is set from the answer). */
    private static FaultRule fault(JsonNode f) {
        return read(f, FaultRule.class).withId(f.path("id").asText(null));
    }

    private static DeviceKey key(JsonNode k) {
        String raw = k.path("rawKeyMaterial").asText(null);
        byte[] material = raw != null ? raw.getBytes(java.nio.charset.StandardCharsets.UTF_8)
                : Base64.getDecoder().decode(k.path("keyMaterial").asText());
        Optional<PrivateKey> privateKey = Optional.empty();
        if (k.hasNonNull("privateKeyPkcs8")) {
            try {
                privateKey = Optional.of(KeyFactory.getInstance("RSA").generatePrivate(
                        new PKCS8EncodedKeySpec(Base64.getDecoder().decode(k.get("privateKeyPkcs8").asText()))));
            } catch (GeneralSecurityException e) {
                throw new KeyTrustException(ErrorCode.GRAPH_REQUEST_FAILED, "the Graph mock sent a private key that is not "
                        + "an RSA PKCS#8 key: " + e.getMessage(), e);
            }
        }
        return new DeviceKey(k.path("id").asText(), UUID.fromString(k.path("deviceId").asText()),
                k.path("displayName").asText(null), material, Instant.parse(k.path("createdDateTime").asText()),
                k.path("keyStrength").asText(null), privateKey, k.path("keyType").asText("NGC"), raw);
    }

    private static void putIfSet(Map<String, Object> body, String name, String value) {
        if (value != null) {
            body.put(name, value);
        }
    }
}
