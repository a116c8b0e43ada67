package dev.keytrust.graph.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.graph.mock.GraphMockAdmin.KeyRequest;
import dev.keytrust.graph.mock.RawGraphClient.Reply;
import dev.keytrust.keycredential.KeyMaterial;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mock's wire contract, checked with a plain HTTPS client: tokens, shapes, paging, errors, admin API. */
class GraphMockIT extends MockOverHttps {
    @Override
    GraphMockConfig.Builder config() {
        return GraphMockConfig.builder().seed(5).rateLimit(new GraphMockConfig.RateLimit(40, Duration.ofSeconds(10)));
    }

    @Test
    void tokensAreRs256JwtsForGraphWithTheAppRolesAndBadCredentialsGetEntraErrors() {
        String token = client.token();
        String[] parts = token.split("\\.");
        JsonNode header = json(parts[0]);
        JsonNode claims = json(parts[1]);
        assertThat(header.get("alg").asText()).isEqualTo("RS256");
        assertThat(claims.get("aud").asText()).isEqualTo("https://graph.microsoft.com");
        assertThat(claims.get("tid").asText()).isEqualTo(mock.tenantId());
        assertThat(claims.get("roles")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("User.Read.All", "UserAuthenticationMethod.Read.All");
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(3600);

        Reply wrong = client.post(mock.tokenUrl(), "application/x-www-form-urlencoded", RawGraphClient.form("grant_type",
                "client_credentials", "client_id", mock.clientId(), "client_secret", "nope", "scope",
                "https://graph.microsoft.com/.default"), null);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body().get("error").asText()).isEqualTo("invalid_client");
        assertThat(wrong.body().get("error_description").asText()).startsWith("AADSTS7000215:");
        Reply otherTenant = client.post(mock.baseUrl() + "/11111111-1111-1111-1111-111111111111/oauth2/v2.0/token",
                "application/x-www-form-urlencoded", "grant_type=client_credentials", null);
        assertThat(otherTenant.status()).isEqualTo(400);
        assertThat(otherTenant.body().get("error_description").asText()).startsWith("AADSTS90002:");
    }

    @Test
    void graphRefusesMissingForgedAndExpiredTokensWith401AndMissingRolesWith403() throws Exception {
        Reply none = client.get("/v1.0/users", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.body().at("/error/code").asText()).isEqualTo("InvalidAuthenticationToken");
        assertThat(none.body().at("/error/innerError/request-id").asText()).isEqualTo(none.header("request-id"));
        assertThat(none.body().at("/error/innerError/date").asText()).isEqualTo("2026-03-01T08:00:00Z");

        String token = client.token();
        String[] p = token.split("\\.");
        String forged = p[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(p[1])).replace("\"ver\"", "\"xyz\"").getBytes()) + "." + p[2];
        assertThat(client.get("/v1.0/users", forged).body().at("/error/message").asText()).contains("Invalid signature");

        assertThat(client.get("/v1.0/users", token).status()).isEqualTo(200);
        time.advance(Duration.ofMinutes(61));
        Reply expired = client.get("/v1.0/users", token);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body().at("/error/message").asText()).contains("expired");

        String fresh = client.token();
        assertThat(client.delete("/v1.0/users/x/authentication/windowsHelloForBusinessMethods/y", fresh).status()).isEqualTo(403);
    }

    @Test
    void usersPageWithNextLinksHonourTopSelectAndFilterAndRejectBadTop() {
        for (int i = 0; i < 12; i++) {
            mock.admin().addUser(GraphUser.named("user" + i + "@corp.example.com", "User " + i)
                    .withOnPremises(Base64.getEncoder().encodeToString(new byte[] {(byte) i}), "S-1-5-21-1-2-3-" + (1100 + i),
                            "user" + i, "CN=User " + i + ",CN=Users,DC=corp,DC=example,DC=com", "corp.example.com"));
        }
        String token = client.token();
        Reply first = client.get("/v1.0/users?$top=5&$select=id,userPrincipalName,onPremisesImmutableId", token);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("@odata.context").asText())
                .isEqualTo(mock.baseUrl() + "/v1.0/$metadata#users(id,userPrincipalName,onPremisesImmutableId)");
        assertThat(first.header("Content-Type")).startsWith("application/json;odata.metadata=minimal");
        List<String> upns = new ArrayList<>();
        Reply page = first;
        while (true) {
            page.body().get("value").forEach(u -> {
                upns.add(u.get("userPrincipalName").asText());
                assertThat(u.has("displayName")).isFalse();
                assertThat(u.has("onPremisesImmutableId")).isTrue();
            });
            if (!page.body().has("@odata.nextLink")) {
                break;
            }
            page = client.get(page.body().get("@odata.nextLink").asText(), token);
        }
        assertThat(upns).hasSize(12).doesNotHaveDuplicates();

        Reply defaults = client.get("/v1.0/users/user3@corp.example.com", token);
        assertThat(defaults.body().has("onPremisesImmutableId")).as("onPremises* only when selected").isFalse();
        assertThat(defaults.body().get("@odata.context").asText()).endsWith("$metadata#users/$entity");

        Reply filtered = client.get("/v1.0/users?$filter=onPremisesImmutableId%20eq%20'" + "Aw=="
                + "'&$select=id,onPremisesSecurityIdentifier", token);
        assertThat(filtered.body().get("value")).singleElement()
                .satisfies(u -> assertThat(u.get("onPremisesSecurityIdentifier").asText()).isEqualTo("S-1-5-21-1-2-3-1103"));

        Reply badTop = client.get("/v1.0/users?$top=1000", token);
        assertThat(badTop.status()).isEqualTo(400);
        assertThat(badTop.body().at("/error/message").asText()).contains("between 1 and 999");
        Reply v1Keys = client.get("/v1.0/users?$select=deviceKeys", token);
        assertThat(v1Keys.status()).as("deviceKeys is beta-only").isEqualTo(400);
    }

    @Test
    void keysShowAsBetaDeviceKeysAndAsV1WhfbMethodsAndThePrivateKeySignsForTheRegisteredPublicKey() throws Exception {
        GraphUser alice = mock.admin().addUser(GraphUser.named("alice@corp.example.com", "Alice"));
        time.advance(Duration.ofMinutes(5));
        DeviceKey key = mock.admin().addKey(alice.id(), KeyRequest.device("ALICE-PC"));
        String token = client.token();

        Reply beta = client.get("/beta/users/" + alice.id() + "?$select=id,deviceKeys", token);
        JsonNode dk = beta.body().get("deviceKeys").get(0);
        assertThat(dk.get("deviceId").asText()).isEqualTo(key.deviceId().toString());
        assertThat(dk.get("keyType").asText()).isEqualTo("NGC");
        byte[] material = Base64.getDecoder().decode(dk.get("keyMaterial").asText());
        KeyMaterial m = KeyMaterial.describe(material);
        assertThat(m.format()).isEqualTo(KeyMaterial.Format.RSA1);
        assertThat(m.rsaModulusBits()).hasValue(2048);

        Signature sign = Signature.getInstance("SHA256withRSA");
        sign.initSign(key.privateKey().orElseThrow());
        sign.update("challenge".getBytes());
        byte[] sig = sign.sign();
        Signature verify = Signature.getInstance("SHA256withRSA");
        verify.initVerify(m.rsaPublicKey().orElseThrow());
        verify.update("challenge".getBytes());
        assertThat(verify.verify(sig)).isTrue();

        Reply methods = client.get("/v1.0/users/" + alice.id() + "/authentication/windowsHelloForBusinessMethods", token);
        JsonNode method = methods.body().get("value").get(0);
        assertThat(method.get("@odata.type").asText()).isEqualTo("#microsoft.graph.windowsHelloForBusinessAuthenticationMethod");
        assertThat(method.get("id").asText()).isEqualTo(key.id());
        assertThat(method.get("displayName").asText()).isEqualTo("ALICE-PC");
        assertThat(method.get("createdDateTime").asText()).isEqualTo("2026-03-01T08:05:00Z");
        assertThat(method.has("device")).isFalse();
        Reply expanded = client.get("/v1.0/users/" + alice.id() + "/authentication/windowsHelloForBusinessMethods/"
                + key.id() + "?$expand=device", token);
        assertThat(expanded.body().at("/device/deviceId").asText()).isEqualTo(key.deviceId().toString());
        Reply all = client.get("/v1.0/users/" + alice.id() + "/authentication/methods", token);
        assertThat(all.body().get("value")).extracting(v -> v.get("@odata.type").asText())
                .containsExactly("#microsoft.graph.passwordAuthenticationMethod", "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod");
    }

    @Test
    void anAppWithTheReadWriteRoleDeletesAWhfbMethodAndTheKeyLeavesDeviceKeysAndShowsInBetaDelta() {
        try (GraphMock rw = GraphMock.start(GraphMockConfig.builder().seed(6).clock(time.clock())
                .roles(List.of(GraphMockConfig.USER_READ_ALL, GraphMockConfig.METHODS_READ_ALL, GraphMockConfig.METHODS_READ_WRITE_ALL))
                .build())) {
            RawGraphClient c = new RawGraphClient(rw);
            GraphUser alice = rw.admin().addUser(GraphUser.named("alice@corp.example.com", "Alice"));
            DeviceKey key = rw.admin().addKey(alice.id(), KeyRequest.device("ALICE-PC"));
            String token = c.token();
            Reply first = c.get("/beta/users/delta()?$select=id,deviceKeys", token);
            String deltaLink = first.body().get("@odata.deltaLink").asText();
            Reply deleted = c.delete("/v1.0/users/" + alice.id() + "/authentication/windowsHelloForBusinessMethods/" + key.id(), token);
            assertThat(deleted.status()).isEqualTo(204);
            assertThat(rw.admin().keys(alice.id())).isEmpty();
            Reply changes = c.get(deltaLink, token);
            assertThat(changes.body().get("value")).singleElement()
                    .satisfies(u -> assertThat(u.get("deviceKeys")).isEmpty());
            Reply again = c.delete("/v1.0/users/" + alice.id() + "/authentication/windowsHelloForBusinessMethods/" + key.id(), token);
            assertThat(again.status()).isEqualTo(404);
        }
    }

    @Test
    void batchesAnswerEachRequestOnItsOwnAndRefuseMoreThanTwenty() {
        GraphUser alice = mock.admin().addUser(GraphUser.named("alice@corp.example.com", "Alice"));
        String token = client.token();
        Reply batch = client.post("/v1.0/$batch", "application/json", "{\"requests\":["
                + "{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/" + alice.id() + "\"},"
                + "{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/users/nobody@corp.example.com\"}]}", token);
        assertThat(batch.status()).isEqualTo(200);
        JsonNode responses = batch.body().get("responses");
        assertThat(responses.get(0).get("status").asInt()).isEqualTo(200);
        assertThat(responses.get(0).at("/body/userPrincipalName").asText()).isEqualTo("alice@corp.example.com");
        assertThat(responses.get(1).get("status").asInt()).isEqualTo(404);
        assertThat(responses.get(1).at("/body/error/code").asText()).isEqualTo("Request_ResourceNotFound");

        StringBuilder many = new StringBuilder("{\"requests\":[");
        for (int i = 0; i < 21; i++) {
            many.append(i == 0 ? "" : ",").append("{\"id\":\"").append(i).append("\",\"method\":\"GET\",\"url\":\"/users\"}");
        }
        Reply tooMany = client.post("/v1.0/$batch", "application/json", many.append("]}").toString(), token);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.body().at("/error/message").asText()).contains("maximum of 20");
    }

    @Test
    void resourceUnitsAreRateLimitedPerWindowAndEarlyRetriesAreThrottledAgain() {
        mock.admin().settings(new MockSettings(null, MockSettings.ThrottleHeaders.RATE_LIMIT)); // Dev Proxy's headers
        String token = client.token();
        int ok = 0;
        Reply last = null;
        for (int i = 0; i < 25; i++) {
            last = client.get("/v1.0/users", token);
            if (last.status() != 200) {
                break;
            }
            ok++;
        }
        assertThat(ok).as("40 units, GET /users costs 2").isEqualTo(20);
        assertThat(last.status()).isEqualTo(429);
        assertThat(last.header("Retry-After")).isEqualTo("10");
        time.advance(Duration.ofSeconds(4));
        Reply early = client.get("/v1.0/users/anyone@x", token);
        assertThat(early.status()).isEqualTo(429);
        assertThat(early.header("Retry-After")).isEqualTo("6");
        time.advance(Duration.ofSeconds(6));
        Reply after = client.get("/v1.0/users", token);
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.header("RateLimit-Remaining")).isEqualTo("38");
    }

    @Test
    void badAdminInputIsRefusedNamingTheProblemAndChangesNothing() {
        GraphUser alice = mock.admin().addUser(GraphUser.named("alice@corp.example.com", "Alice"));
        Reply dup = client.post("/_admin/users", "application/json",
                "{\"userPrincipalName\":\"ALICE@corp.example.com\",\"displayName\":\"Other\"}", null);
        assertThat(dup.status()).isEqualTo(400);
        assertThat(dup.body().at("/error/message").asText()).contains("already used");
        Reply unknown = client.post("/_admin/users", "application/json", "{\"userPrincipalName\":\"b@c\",\"shoeSize\":9}", null);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().at("/error/message").asText()).contains("shoeSize");
        Reply badKey = client.post("/_admin/users/" + alice.id() + "/keys", "application/json", "{\"publicKey\":\"AAAA\"}", null);
        assertThat(badKey.status()).isEqualTo(400);
        assertThat(badKey.body().at("/error/message").asText()).contains("RSA public key");
        Reply badFault = client.post("/_admin/faults", "application/json", "{\"path\":\"/users\",\"status\":418}", null);
        assertThat(badFault.status()).isEqualTo(400);
        assertThat(badFault.body().at("/error/message").asText()).contains("429, 500, 502, 503, 504");
        assertThat(mock.admin().users()).containsExactly(alice);
        assertThat(mock.admin().keys(alice.id())).isEmpty();
        assertThat(mock.admin().faults()).isEmpty();

        Reply added = client.post("/_admin/users/" + alice.id() + "/keys", "application/json", "{\"displayName\":\"PC\"}", null);
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.body().get("id").asText()).isEqualTo(mock.admin().keys(alice.id()).get(0).id());
        assertThat(added.body().get("keyId").asText()).isEqualTo(mock.admin().keys(alice.id()).get(0).keyId());
        assertThatThrownBy(() -> mock.admin().addKey("nobody", KeyRequest.generated()))
                .isInstanceOfSatisfying(KeyTrustException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.GRAPH_MOCK_BAD_REQUEST));
    }

    @Test
    void theSameSeedGivesTheSameIdsAndKeys() {
        List<String> first = snapshot();
        mock.close();
        mock = GraphMock.start(GraphMockConfig.builder().seed(5).clock(time.clock()).build());
        assertThat(snapshot()).isEqualTo(first);
        mock.admin().reset();
        assertThat(snapshot()).isEqualTo(first);
    }

    private List<String> snapshot() {
        List<String> out = new ArrayList<>();
        for (GraphUser u : SeededTenant.populate(mock.admin(), 5, 6, "corp.example.com")) {
            out.add(u.id() + " " + u.onPremisesImmutableId());
            mock.admin().keys(u.id()).forEach(k -> out.add(k.id() + " " + k.deviceId() + " " + k.keyId()));
        }
        return out;
    }

    private static JsonNode json(String b64url) {
        try {
            return RawGraphClient.JSON.readTree(Base64.getUrlDecoder().decode(b64url));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
