package dev.keytrust.graph.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keytrust.graph.mock.RawGraphClient.Reply;
import dev.keytrust.tls.CertificateTrust;
import dev.keytrust.tls.SelfSignedCertificate;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The identity platform side of the mock as clients configured for a custom authority host see it. */
class IdentityPlatformIT extends MockOverHttps {
    private static final String SCOPE = "https://graph.microsoft.com/.default";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private SelfSignedCertificate appCert;

    @Override
    GraphMockConfig.Builder config() {
        appCert = SelfSignedCertificate.generate(List.of("keytrust-agent"));
        return GraphMockConfig.builder().seed(13).clientCertificate(appCert.certificate()).verifiedDomain("contoso.onmicrosoft.com");
    }

    @Test
    void openIdConfigurationNamesTheMocksEndpointsForTheTenantIdTheVerifiedDomainAndOrganizations() {
        for (String tenant : new String[] {mock.tenantId(), "contoso.onmicrosoft.com"}) {
            Reply v2 = client.get("/" + tenant + "/v2.0/.well-known/openid-configuration", null);
            assertThat(v2.status()).isEqualTo(200);
            assertThat(v2.body().get("token_endpoint").asText()).isEqualTo(mock.tokenUrl());
            assertThat(v2.body().get("jwks_uri").asText()).isEqualTo(mock.baseUrl() + "/" + mock.tenantId() + "/discovery/v2.0/keys");
            assertThat(v2.body().get("issuer").asText()).isEqualTo(mock.baseUrl() + "/" + mock.tenantId() + "/v2.0");
            assertThat(v2.body().get("token_endpoint_auth_methods_supported")).extracting(JsonNode::asText)
                    .contains("client_secret_post", "client_secret_basic", "private_key_jwt");
        }
        Reply organizations = client.get("/organizations/v2.0/.well-known/openid-configuration", null);
        assertThat(organizations.body().get("issuer").asText()).isEqualTo(mock.baseUrl() + "/{tenantid}/v2.0");
        Reply v1 = client.get("/" + mock.tenantId() + "/.well-known/openid-configuration", null);
        assertThat(v1.body().get("issuer").asText()).isEqualTo("https://sts.windows.net/" + mock.tenantId() + "/");
        Reply unknown = client.get("/fabrikam.onmicrosoft.com/v2.0/.well-known/openid-configuration", null);
        assertThat(unknown.status()).isEqualTo(400);
        assertOAuthError(unknown, "invalid_tenant", 90002);
    }

    @Test
    void theJwksAtJwksUriValidatesTheAccessTokensTheMockIssues() throws Exception {
        String token = client.token();
        String jwksUri = client.get("/" + mock.tenantId() + "/v2.0/.well-known/openid-configuration", null).body()
                .get("jwks_uri").asText();
        JsonNode key = client.get(jwksUri, null).body().at("/keys/0");
        String[] parts = token.split("\\.");
        JsonNode header = RawGraphClient.JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        assertThat(key.get("kid").asText()).isEqualTo(header.get("kid").asText());
        assertThat(key.get("kty").asText()).isEqualTo("RSA");
        PublicKey publicKey = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Base64.getUrlDecoder().decode(key.get("n").asText())),
                new BigInteger(1, Base64.getUrlDecoder().decode(key.get("e").asText()))));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(publicKey);
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rs256.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    }

    @Test
    void instanceDiscoveryAnswersForTheMocksHostAndRefusesAnother() {
        String authorize = mock.baseUrl() + "/" + mock.tenantId() + "/oauth2/v2.0/authorize";
        Reply own = client.get("/common/discovery/instance?api-version=1.1&authorization_endpoint="
                + URLEncoder.encode(authorize, StandardCharsets.UTF_8), null);
        assertThat(own.status()).isEqualTo(200);
        String host = URI.create(mock.baseUrl()).getAuthority();
        assertThat(own.body().get("tenant_discovery_endpoint").asText())
                .isEqualTo(mock.baseUrl() + "/" + mock.tenantId() + "/v2.0/.well-known/openid-configuration");
        assertThat(own.body().at("/metadata/0/aliases/0").asText()).isEqualTo(host);
        Reply other = client.get("/common/discovery/instance?api-version=1.1&authorization_endpoint="
                + URLEncoder.encode("https://login.example.net/x/oauth2/v2.0/authorize", StandardCharsets.UTF_8), null);
        assertThat(other.status()).isEqualTo(400);
        assertOAuthError(other, "invalid_instance", 50049);
    }

    @Test
    void clientSecretBasicGetsATokenAndAWrongBasicSecretIsAnOAuthError() throws Exception {
        String secret = mock.config().clientSecret().orElseThrow();
        HttpResponse<String> ok = postForm(mock.tokenUrl(), "grant_type=client_credentials&scope=" + enc(SCOPE),
                basic(mock.clientId(), secret));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(RawGraphClient.JSON.readTree(ok.body()).get("access_token").asText()).isNotBlank();
        HttpResponse<String> wrong = postForm(mock.tokenUrl(), "grant_type=client_credentials&scope=" + enc(SCOPE),
                basic(mock.clientId(), "not-the-secret"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertOAuthError(new Reply(401, wrong.headers(), RawGraphClient.JSON.readTree(wrong.body())), "invalid_client", 7000215);
    }

    @Test
    void aVerifiedDomainStandsForTheTenantAndOrganizationsIsRefusedForAppTokens() throws Exception {
        String secret = mock.config().clientSecret().orElseThrow();
        String body = "grant_type=client_credentials&scope=" + enc(SCOPE) + "&client_id=" + mock.clientId()
                + "&client_secret=" + enc(secret);
        assertThat(postForm(mock.baseUrl() + "/contoso.onmicrosoft.com/oauth2/v2.0/token", body, null).statusCode()).isEqualTo(200);
        HttpResponse<String> organizations = postForm(mock.baseUrl() + "/organizations/oauth2/v2.0/token", body, null);
        assertThat(organizations.statusCode()).isEqualTo(400);
        assertThat(organizations.body()).contains("AADSTS90002", mock.tenantId(), "contoso.onmicrosoft.com");
    }

    @Test
    void aPs256AssertionNamingTheCertificateByItsSha256ThumbprintGetsATokenAndAWrongThumbprintDoesNot() throws Exception {
        String thumbprint = B64URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(appCert.certificate().getEncoded()));
        HttpResponse<String> ok = postForm(mock.tokenUrl(), assertionForm(ps256Assertion(thumbprint)), null);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        HttpResponse<String> wrong = postForm(mock.tokenUrl(), assertionForm(ps256Assertion(B64URL.encodeToString(new byte[32]))), null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("AADSTS700027", "x5t#S256");
    }

    @Test
    void aFaultOnTheTokenEndpointAnswersInTheOAuthShapeWithItsRetryAfter() throws Exception {
        mock.admin().addFault(FaultRule.status("/*/oauth2/v2.0/token", 503).retryAfter(4).times(1));
        String secret = mock.config().clientSecret().orElseThrow();
        HttpResponse<String> r = postForm(mock.tokenUrl(), "grant_type=client_credentials&scope=" + enc(SCOPE)
                + "&client_id=" + mock.clientId() + "&client_secret=" + enc(secret), null);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).contains("4");
        assertOAuthError(new Reply(503, r.headers(), RawGraphClient.JSON.readTree(r.body())), "temporarily_unavailable", 90033);
    }

    private String ps256Assertion(String thumbprintS256) throws Exception {
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"PS256\",\"typ\":\"JWT\",\"x5t#S256\":\"" + thumbprintS256 + "\"}";
        String claims = "{\"aud\":\"" + mock.tokenUrl() + "\",\"iss\":\"" + mock.clientId() + "\",\"sub\":\"" + mock.clientId()
                + "\",\"jti\":\"" + UUID.randomUUID() + "\",\"nbf\":" + now + ",\"exp\":" + (now + 600) + "}";
        String input = B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature ps256 = Signature.getInstance("RSASSA-PSS");
        ps256.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        PrivateKey key = appCert.keyPair().getPrivate();
        ps256.initSign(key);
        ps256.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64URL.encodeToString(ps256.sign());
    }

    private String assertionForm(String assertion) {
        return "grant_type=client_credentials&scope=" + enc(SCOPE) + "&client_id=" + mock.clientId()
                + "&client_assertion_type=" + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                + "&client_assertion=" + assertion;
    }

    private HttpResponse<String> postForm(String url, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpClient http = HttpClient.newBuilder().sslContext(CertificateTrust.sslContext(mock.certificate())).build();
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((enc(id) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void assertOAuthError(Reply r, String error, int aadsts) {
        assertThat(r.body().get("error").asText()).isEqualTo(error);
        assertThat(r.body().get("error_description").asText()).startsWith("AADSTS" + aadsts + ":");
        assertThat(r.body().get("error_codes").get(0).asInt()).isEqualTo(aadsts);
        assertThat(r.body().get("trace_id").asText()).isNotBlank();
        assertThat(r.body().get("correlation_id").asText()).isNotBlank();
    }
}
