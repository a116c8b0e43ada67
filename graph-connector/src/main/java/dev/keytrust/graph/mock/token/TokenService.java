package dev.keytrust.graph.mock.token;

import dev.keytrust.graph.mock.GraphMockConfig;
import dev.keytrust.graph.mock.http.GraphError;
import dev.keytrust.graph.mock.http.MockRequest;
import dev.keytrust.graph.mock.http.MockResponse;
import dev.keytrust.graph.mock.http.RouteTable;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The mock's Entra ID token endpoint ({@code POST /{tenant}/oauth2/v2.0/token}, client-credentials grant with a
 * secret or an RS256 certificate assertion) and the check Graph routes make of the bearer token.
 */
public final class TokenService {
    public static final String GRAPH_AUDIENCE = "https://graph.microsoft.com";
    private static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
    /** OpenID scopes MSAL adds to every request; Entra ignores them for the client-credentials grant. */
    private static final java.util.Set<String> RESERVED_SCOPES = java.util.Set.of("openid", "profile", "offline_access");
    /**
     * The clients' clock: a certificate assertion is dated by the client's wall clock (as a TLS certificate is), so its
     * validity is also checked against real time — not only the testbed's, which may be virtual.
     */
    private static final java.time.Clock CLIENT_CLOCK = java.time.Clock.systemUTC();
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /** Who a valid access token belongs to. */
    public record Principal(String appId, List<String> roles) {
    }

    private final GraphMockConfig config;
    private final KeyPair signingKey;
    private final String keyId;
    private String tokenUrl;
    private final Discovery discovery;
    /** Tokens whose signature has been checked (the RSA check is the costliest part of a request). */
    private final java.util.concurrent.ConcurrentHashMap<String, Jwt> verified = new java.util.concurrent.ConcurrentHashMap<>();

    public TokenService(GraphMockConfig config, KeyPair signingKey) {
        this.config = config;
        this.signingKey = signingKey;
        this.keyId = Base64.getUrlEncoder().withoutPadding().encodeToString(sha(signingKey.getPublic().getEncoded(), "SHA-1"));
        this.discovery = new Discovery(config, (java.security.interfaces.RSAPublicKey) signingKey.getPublic(), keyId,
                () -> UUID.randomUUID().toString());
    }

    public void baseUrl(String baseUrl) {
        this.tokenUrl = baseUrl + "/" + config.tenantId() + "/oauth2/v2.0/token";
        discovery.baseUrl(baseUrl);
    }

    /** The identity platform's routes (anonymous: no bearer token). */
    public RouteTable<Void> routes() {
        return new RouteTable<Void>().add("*", "/{tenant}/oauth2/v2.0/token", (r, p, c) -> token(p.get("tenant"), r))
                .add("GET", "/common/discovery/instance", (r, p, c) -> discovery.instance(r, config.clock().instant()))
                .add("GET", "/{tenant}/v2.0/.well-known/openid-configuration", (r, p, c) -> discovery.openIdV2(p.get("tenant")))
                .add("GET", "/{tenant}/.well-known/openid-configuration", (r, p, c) -> discovery.openIdV1(p.get("tenant")))
                .add("GET", "/{tenant}/discovery/v2.0/keys", (r, p, c) -> discovery.keys(p.get("tenant")))
                .add("GET", "/{tenant}/discovery/keys", (r, p, c) -> discovery.keys(p.get("tenant")));
    }

    /** A simulated fault on an identity-platform route, in the OAuth error shape its clients read. */
    public MockResponse oauthError(dev.keytrust.graph.mock.http.GraphError e) {
        return OAuthError.fromGraph(e, config.clock().instant(), () -> UUID.randomUUID().toString());
    }

    /** Answers a token request for {@code tenant}. */
    public MockResponse token(String tenant, MockRequest request) {
        Instant now = config.clock().instant();
        if (!"POST".equals(request.method())) {
            return entraError(405, "invalid_request", 900561, "The endpoint only accepts POST requests. Received a "
                    + request.method() + " request.", now);
        }
        if ("common".equalsIgnoreCase(tenant) || "organizations".equalsIgnoreCase(tenant)) {
            return entraError(400, "invalid_request", 90002, "The client credentials grant needs a tenant: use the tenant id "
                    + config.tenantId() + " or the verified domain " + config.verifiedDomain() + " in place of '" + tenant
                    + "' (an app-only token belongs to one tenant).", now);
        }
        if (!discovery.isTenant(tenant)) {
            return entraError(400, "invalid_request", 90002, "Tenant '" + tenant + "' not found. Check to make sure you "
                    + "have the correct tenant ID and are signing into the correct cloud.", now);
        }
        Map<String, String> form = form(request.body());
        String basic = request.header("Authorization");
        if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] idAndSecret = basicCredentials(basic.substring(6).trim());
            if (idAndSecret == null) {
                return entraError(401, "invalid_client", 7000216, "The Authorization header is not HTTP Basic of "
                        + "url-encoded client_id ':' client_secret (RFC 6749 section 2.3.1).", now);
            }
            if (form.containsKey("client_secret") || form.containsKey("client_assertion")) {
                return entraError(400, "invalid_request", 90014, "The request authenticates the client twice (HTTP Basic "
                        + "and a client_secret or client_assertion in the body); use one method.", now);
            }
            if (form.containsKey("client_id") && !form.get("client_id").equalsIgnoreCase(idAndSecret[0])) {
                return entraError(400, "invalid_request", 90014, "client_id in the body differs from the one in the "
                        + "Authorization header.", now);
            }
            form.put("client_id", idAndSecret[0]);
            form.put("client_secret", idAndSecret[1]);
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return entraError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '"
                    + form.get("grant_type") + "'; this mock supports client_credentials.", now);
        }
        String clientId = form.get("client_id");
        String assertion = form.get("client_assertion");
        if (clientId == null && assertion != null) {
            try {
                clientId = Jwt.parse(assertion).stringClaim("iss");
            } catch (IllegalArgumentException e) {
                clientId = null;
            }
        }
        if (clientId == null || !clientId.equalsIgnoreCase(config.clientId())) {
            return entraError(400, "unauthorized_client", 700016, "Application with identifier '" + clientId
                    + "' was not found in the directory '" + config.tenantId() + "'.", now);
        }
        String scope = form.getOrDefault("scope", "");
        List<String> resources = java.util.Arrays.stream(scope.trim().split("\\s+"))
                .filter(x -> !x.isEmpty() && !RESERVED_SCOPES.contains(x)).toList();
        if (resources.size() != 1 || !(resources.get(0).equals(GRAPH_AUDIENCE + "/.default")
                || resources.get(0).equals(GRAPH_APP_ID + "/.default"))) {
            return entraError(400, "invalid_scope", 1002012, "The provided value for scope '" + scope + "' is not valid. "
                    + "Client credential flows must have a scope value with /.default suffixed to the resource identifier "
                    + "(application ID URI): use " + GRAPH_AUDIENCE + "/.default.", now);
        }
        String refusal = assertion != null ? checkAssertion(form, assertion, now) : checkSecret(form.get("client_secret"));
        if (refusal != null) {
            int code = Integer.parseInt(refusal.substring(0, refusal.indexOf(':')));
            return entraError(401, "invalid_client", code, refusal.substring(refusal.indexOf(':') + 1), now);
        }
        long lifetime = config.tokenLifetime().toSeconds();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        body.put("expires_in", lifetime);
        body.put("ext_expires_in", lifetime);
        body.put("access_token", issue(now));
        return MockResponse.json(200, body).withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("Cache-Control", "no-store, no-cache");
    }

    private String checkSecret(String secret) {
        if (secret == null) {
            return "7000216:'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.";
        }
        if (config.clientSecret().isEmpty() || !MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                config.clientSecret().get().getBytes(StandardCharsets.UTF_8))) {
            return "7000215:Invalid client secret provided. Ensure the secret being sent in the request is the client "
                    + "secret value, not the client secret ID, for a secret added to app '" + config.clientId() + "'.";
        }
        return null;
    }

    private String checkAssertion(Map<String, String> form, String assertion, Instant now) {
        if (!ASSERTION_TYPE.equals(form.get("client_assertion_type"))) {
            return "7000216:client_assertion_type must be " + ASSERTION_TYPE + ".";
        }
        Jwt jwt;
        try {
            jwt = Jwt.parse(assertion);
        } catch (IllegalArgumentException e) {
            return "700027:Client assertion failed signature validation: " + e.getMessage() + ".";
        }
        if (config.clientCertificate().isEmpty()) {
            return "700027:Client assertion contains an invalid signature. [Reason - The key was not found.] No "
                    + "certificate is registered for app '" + config.clientId() + "'.";
        }
        String thumbprint = thumbprintMismatch(jwt.header(), config.clientCertificate().get());
        if (thumbprint != null || !jwt.verifiedBy(config.clientCertificate().get().getPublicKey())) {
            Object given = jwt.header().containsKey("x5t#S256") ? jwt.header().get("x5t#S256") : jwt.header().get("x5t");
            return "700027:Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of "
                    + "key used by client: '" + (given == null ? "none" : given) + "'" + (thumbprint == null ? "" : ", " + thumbprint)
                    + "]";
        }
        if (!config.clientId().equalsIgnoreCase(jwt.stringClaim("sub"))) {
            return "700021:Client assertion subject '" + jwt.stringClaim("sub") + "' is not the client id.";
        }
        Object aud = jwt.claims().get("aud");
        if (aud == null || !(aud.toString().equalsIgnoreCase(tokenUrl) || aud.toString().contains("/" + config.tenantId() + "/")
                || aud.toString().toLowerCase(java.util.Locale.ROOT).contains("/" + config.verifiedDomain() + "/"))) {
            return "700212:Client assertion audience claim does not match Realm issuer: expected " + tokenUrl + " but was "
                    + aud + ".";
        }
        long exp = jwt.epochClaim("exp");
        long nbf = jwt.epochClaim("nbf");
        long t = now.getEpochSecond();
        // Assertions are signed on the client's wall clock, the mock may run on virtual time: allow either.
        long wall = CLIENT_CLOCK.instant().getEpochSecond();
        if (exp < 0 || (exp <= t && exp <= wall)) {
            return "700024:Client assertion is not within its valid time range. Current time: " + now + ", assertion "
                    + "valid until: " + (exp < 0 ? "(no exp)" : Instant.ofEpochSecond(exp)) + ".";
        }
        if (nbf > t + 300 && nbf > wall + 300) {
            return "700024:Client assertion is not within its valid time range: not before " + Instant.ofEpochSecond(nbf) + ".";
        }
        return null;
    }

    /**
     * When the assertion names a certificate by thumbprint ({@code x5t}: SHA-1, {@code x5t#S256}: SHA-256, base64url
     * or base64 of the DER), it must be the registered one; null if it is (or none is named), else what differs.
     */
    private static String thumbprintMismatch(Map<String, Object> header, java.security.cert.X509Certificate registered) {
        byte[] der;
        try {
            der = registered.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            return "the registered certificate cannot be encoded";
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        Object s256 = header.get("x5t#S256");
        if (s256 != null && !b64.encodeToString(sha(der, "SHA-256")).equals(base64url(s256))) {
            return "the registered certificate's x5t#S256 is " + b64.encodeToString(sha(der, "SHA-256"));
        }
        Object s1 = header.get("x5t");
        if (s1 != null && !b64.encodeToString(sha(der, "SHA-1")).equals(base64url(s1))) {
            return "the registered certificate's x5t is " + b64.encodeToString(sha(der, "SHA-1"));
        }
        return null;
    }

    /** A thumbprint as base64url without padding: clients send base64url (the JOSE form) or plain base64 (msal4j). */
    private static String base64url(Object thumbprint) {
        return thumbprint.toString().replace('+', '-').replace('/', '_').replace("=", "");
    }

    /** {client_id, client_secret} from HTTP Basic credentials (each form-url-encoded), or null if malformed. */
    private static String[] basicCredentials(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private String issue(Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", GRAPH_AUDIENCE);
        claims.put("iss", "https://sts.windows.net/" + config.tenantId() + "/");
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", now.plus(config.tokenLifetime()).getEpochSecond());
        claims.put("app_displayname", "KeyTrust sync agent");
        claims.put("appid", config.clientId());
        claims.put("appidacr", config.clientCertificate().isPresent() ? "2" : "1");
        claims.put("idtyp", "app");
        claims.put("oid", UUID.nameUUIDFromBytes(("sp:" + config.clientId()).getBytes(StandardCharsets.UTF_8)).toString());
        claims.put("roles", config.roles());
        claims.put("sub", UUID.nameUUIDFromBytes(("sp:" + config.clientId()).getBytes(StandardCharsets.UTF_8)).toString());
        claims.put("tid", config.tenantId());
        claims.put("uti", UUID.randomUUID().toString());
        claims.put("ver", "1.0");
        return Jwt.sign(Map.of("kid", keyId, "x5t", keyId), claims, signingKey.getPrivate());
    }

    /**
     * Checks a request's bearer token for a route needing {@code role}.
     *
     * @throws GraphError 401 InvalidAuthenticationToken or 403 Authorization_RequestDenied, as Graph answers
     */
    public Principal authenticate(MockRequest request, String role) {
        String header = request.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw unauthorized("Access token is empty.");
        }
        String raw = header.substring(7).trim();
        Jwt jwt = verified.get(raw);
        if (jwt == null) {
            try {
                jwt = Jwt.parse(raw);
            } catch (IllegalArgumentException e) {
                throw unauthorized("IDX14100: JWT is not well formed: " + e.getMessage());
            }
            if (!jwt.verifiedBy(signingKey.getPublic())) {
                throw unauthorized("Access token validation failure. Invalid signature.");
            }
            if (verified.size() > 10_000) {
                verified.clear();
            }
            verified.put(raw, jwt);
        }
        if (!GRAPH_AUDIENCE.equals(jwt.stringClaim("aud")) && !GRAPH_APP_ID.equals(jwt.stringClaim("aud"))) {
            throw unauthorized("Access token validation failure. Invalid audience.");
        }
        if (!config.tenantId().equalsIgnoreCase(jwt.stringClaim("tid"))) {
            throw unauthorized("Access token validation failure. Invalid issuer: the token is for tenant "
                    + jwt.stringClaim("tid") + ".");
        }
        if (jwt.epochClaim("exp") <= config.clock().instant().getEpochSecond()) {
            throw unauthorized("Lifetime validation failed, the token is expired.");
        }
        Object roles = jwt.claims().get("roles");
        List<String> granted = roles instanceof List<?> l ? l.stream().map(Object::toString).toList() : List.of();
        if (role != null && !granted.contains(role)) {
            throw new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation. "
                    + "The app needs the application permission " + role + "; its token has " + granted + ".");
        }
        return new Principal(jwt.stringClaim("appid"), granted);
    }

    /** The app id in a request's bearer token, without checking it (for throttling and the journal); "-" if none. */
    public String clientOf(MockRequest r) {
        String header = r.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "-";
        }
        String raw = header.substring(7).trim();
        Jwt jwt = verified.get(raw);
        try {
            String appId = (jwt != null ? jwt : Jwt.parse(raw)).stringClaim("appid");
            return appId != null ? appId : "-";
        } catch (IllegalArgumentException e) {
            return "-";
        }
    }

    private static GraphError unauthorized(String message) {
        return new GraphError(401, "InvalidAuthenticationToken", message).header("WWW-Authenticate",
                "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\""
                        + GRAPH_APP_ID + "\"");
    }

    private MockResponse entraError(int status, String error, int aadsts, String description, Instant now) {
        return OAuthError.response(status, error, aadsts, description, now, () -> UUID.randomUUID().toString());
    }

    private static Map<String, String> form(byte[] body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    public static byte[] sha(byte[] data, String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }
}
