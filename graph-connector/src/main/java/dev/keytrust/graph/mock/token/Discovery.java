package dev.keytrust.graph.mock.token;

import dev.keytrust.graph.mock.GraphMockConfig;
import dev.keytrust.graph.mock.http.MockRequest;
import dev.keytrust.graph.mock.http.MockResponse;
import java.math.BigInteger;
import java.net.URI;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The identity platform's metadata as Entra publishes it, for the mock's host: OpenID configuration (v2.0 and v1),
 * instance discovery ({@code /common/discovery/instance}) and the JWKS with the key the mock signs tokens with — so a
 * client configured for a custom authority host finds every endpoint on the mock and can validate its tokens.
 */
final class Discovery {
    private static final List<String> AUTH_METHODS = List.of("client_secret_post", "private_key_jwt", "client_secret_basic");
    private final GraphMockConfig config;
    private final RSAPublicKey key;
    private final String keyId;
    private final Supplier<String> ids;
    private String baseUrl;

    Discovery(GraphMockConfig config, RSAPublicKey key, String keyId, Supplier<String> ids) {
        this.config = config;
        this.key = key;
        this.keyId = keyId;
        this.ids = ids;
    }

    void baseUrl(String url) {
        this.baseUrl = url;
    }

    /** Whether {@code tenant} names the mock's tenant: its id or its verified domain. */
    boolean isTenant(String tenant) {
        return tenant.equalsIgnoreCase(config.tenantId()) || tenant.equalsIgnoreCase(config.verifiedDomain());
    }

    private static boolean isMultiTenant(String tenant) {
        return "common".equalsIgnoreCase(tenant) || "organizations".equalsIgnoreCase(tenant);
    }

    /** {@code GET /{tenant}/v2.0/.well-known/openid-configuration}. */
    MockResponse openIdV2(String tenant) {
        if (!isTenant(tenant) && !isMultiTenant(tenant)) {
            return unknownTenant(tenant);
        }
        String path = isMultiTenant(tenant) ? tenant.toLowerCase(Locale.ROOT) : config.tenantId();
        String issuerTenant = isMultiTenant(tenant) ? "{tenantid}" : config.tenantId();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_endpoint", baseUrl + "/" + path + "/oauth2/v2.0/token");
        body.put("token_endpoint_auth_methods_supported", AUTH_METHODS);
        body.put("jwks_uri", baseUrl + "/" + path + "/discovery/v2.0/keys");
        body.put("response_modes_supported", List.of("query", "fragment", "form_post"));
        body.put("subject_types_supported", List.of("pairwise"));
        body.put("id_token_signing_alg_values_supported", List.of("RS256"));
        body.put("response_types_supported", List.of("code", "id_token", "code id_token", "id_token token"));
        body.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
        body.put("issuer", baseUrl + "/" + issuerTenant + "/v2.0");
        body.put("request_uri_parameter_supported", false);
        body.put("authorization_endpoint", baseUrl + "/" + path + "/oauth2/v2.0/authorize");
        body.put("device_authorization_endpoint", baseUrl + "/" + path + "/oauth2/v2.0/devicecode");
        body.put("end_session_endpoint", baseUrl + "/" + path + "/oauth2/v2.0/logout");
        body.put("tenant_region_scope", "EU");
        body.put("cloud_instance_name", host());
        body.put("msgraph_host", host());
        return json(body);
    }

    /** {@code GET /{tenant}/.well-known/openid-configuration} (v1 endpoints, {@code sts.windows.net}-style issuer). */
    MockResponse openIdV1(String tenant) {
        if (!isTenant(tenant) && !isMultiTenant(tenant)) {
            return unknownTenant(tenant);
        }
        String path = isMultiTenant(tenant) ? tenant.toLowerCase(Locale.ROOT) : config.tenantId();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_endpoint", baseUrl + "/" + path + "/oauth2/token");
        body.put("token_endpoint_auth_methods_supported", AUTH_METHODS);
        body.put("jwks_uri", baseUrl + "/common/discovery/keys");
        body.put("issuer", "https://sts.windows.net/" + (isMultiTenant(tenant) ? "{tenantid}" : config.tenantId()) + "/");
        body.put("authorization_endpoint", baseUrl + "/" + path + "/oauth2/authorize");
        body.put("id_token_signing_alg_values_supported", List.of("RS256"));
        body.put("cloud_instance_name", host());
        return json(body);
    }

    /** The JWKS: the mock's signing key as Entra lists its keys ({@code kty}, {@code use}, {@code kid}, {@code x5t}, {@code n}, {@code e}). */
    MockResponse keys(String tenant) {
        if (!isTenant(tenant) && !isMultiTenant(tenant)) {
            return unknownTenant(tenant);
        }
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("use", "sig");
        jwk.put("kid", keyId);
        jwk.put("x5t", keyId);
        jwk.put("n", unsigned(key.getModulus()));
        jwk.put("e", unsigned(key.getPublicExponent()));
        jwk.put("issuer", baseUrl + "/" + (isTenant(tenant) ? config.tenantId() : "{tenantid}") + "/v2.0");
        return json(Map.of("keys", List.of(jwk)));
    }

    /**
     * {@code GET /common/discovery/instance?api-version=1.1&authorization_endpoint=...}: answers for the mock's own
     * host (its aliases are only itself); another host is {@code invalid_instance}, as Entra answers an unknown cloud.
     */
    MockResponse instance(MockRequest r, java.time.Instant now) {
        String endpoint = r.option("authorization_endpoint");
        URI uri;
        try {
            uri = endpoint == null ? null : URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getAuthority() == null || !uri.getAuthority().equalsIgnoreCase(host())) {
            return OAuthError.response(400, "invalid_instance", 50049, "Unknown or invalid instance: authorization_endpoint "
                    + "must be on this mock's host " + host() + " (got " + (endpoint == null ? "none" : "'" + endpoint + "'") + ").",
                    now, ids);
        }
        String[] segments = uri.getPath() == null ? new String[0] : uri.getPath().split("/");
        String tenant = segments.length > 1 && !segments[1].isEmpty() ? segments[1] : "common";
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("preferred_network", host());
        metadata.put("preferred_cache", host());
        metadata.put("aliases", List.of(host()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant_discovery_endpoint", baseUrl + "/" + tenant + "/v2.0/.well-known/openid-configuration");
        body.put("api-version", "1.1");
        body.put("metadata", List.of(metadata));
        return json(body);
    }

    MockResponse unknownTenant(String tenant) {
        return OAuthError.response(400, "invalid_tenant", 90002, "Tenant '" + tenant + "' not found. Check to make sure you "
                + "have the correct tenant ID and are signing into the correct cloud. This mock's tenant is "
                + config.tenantId() + " (verified domain " + config.verifiedDomain() + ").", config.clock().instant(), ids);
    }

    private String host() {
        return URI.create(baseUrl).getAuthority();
    }

    private static MockResponse json(Object body) {
        return MockResponse.json(200, body).withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("Access-Control-Allow-Origin", "*");
    }

    private static String unsigned(BigInteger n) {
        byte[] b = n.toByteArray();
        if (b.length > 1 && b[0] == 0) {
            b = Arrays.copyOfRange(b, 1, b.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
