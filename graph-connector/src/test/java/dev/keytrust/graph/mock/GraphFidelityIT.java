package dev.keytrust.graph.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keytrust.graph.mock.RawGraphClient.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What Graph does that clients rely on, over HTTPS: any user property in {@code $select}, {@code $expand} of manager
 * and memberOf, delta with soft deletion, restore, permanent deletion, {@code latest}, an id filter and
 * {@code return=minimal}; {@code $batch} ordering; Graph's throttling headers; echoed request ids and {@code Date}.
 */
class GraphFidelityIT extends MockOverHttps {
    private String token;
    private GraphUser alice;
    private GraphUser bob;
    private GraphUser carol;

    @Override
    GraphMockConfig.Builder config() {
        return GraphMockConfig.builder().seed(11);
    }

    @BeforeEach
    void addUsers() {
        alice = mock.admin().addUser(GraphUser.named("alice@corp.example.com", "Alice"));
        time.advance(Duration.ofMinutes(1));
        bob = mock.admin().addUser(GraphUser.named("bob@corp.example.com", "Bob"));
        carol = mock.admin().addUser(GraphUser.named("carol@corp.example.com", "Carol"));
        token = client.token();
    }

    @Test
    void anyUserPropertyCanBeSelectedAndManagerAndMemberOfExpandOthers400() {
        Reply created = client.get("/v1.0/users/" + bob.id() + "?$select=createdDateTime,mailNickname,jobTitle,aboutMe", token);
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.body().get("createdDateTime").asText()).isEqualTo("2026-03-01T08:01:00Z");
        assertThat(created.body().get("mailNickname").asText()).isEqualTo("bob");
        assertThat(created.body().get("jobTitle").isNull()).isTrue();
        assertThat(created.body().has("aboutMe")).isTrue();
        Reply listOnlySingle = client.get("/v1.0/users?$select=aboutMe", token);
        assertThat(listOnlySingle.status()).isEqualTo(400);
        Reply unknown = client.get("/v1.0/users?$select=shoeSize", token);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().at("/error/message").asText()).contains("Could not find a property named 'shoeSize'");

        mock.admin().updateUser(bob.id(), new UserUpdate(null, null, null, null, null, null, null, alice.id()));
        Reply expanded = client.get("/v1.0/users?$select=id,displayName&$expand=manager($select=id,displayName),memberOf", token);
        assertThat(expanded.status()).isEqualTo(200);
        JsonNode b = find(expanded.body().get("value"), bob.id());
        assertThat(b.at("/manager/displayName").asText()).isEqualTo("Alice");
        assertThat(b.at("/manager/@odata.type").asText()).isEqualTo("#microsoft.graph.user");
        assertThat(b.get("memberOf")).isEmpty();
        assertThat(find(expanded.body().get("value"), alice.id()).has("manager")).as("no manager, no property").isFalse();
        Reply single = client.get("/v1.0/users/" + bob.id() + "?$expand=manager", token);
        assertThat(single.body().at("/manager/id").asText()).isEqualTo(alice.id());
        Reply directReports = client.get("/v1.0/users?$expand=directReports", token);
        assertThat(directReports.status()).isEqualTo(400);
        assertThat(directReports.body().at("/error/code").asText()).isEqualTo("Request_UnsupportedQuery");
        assertThat(client.get("/v1.0/users?$expand=nonsense", token).body().at("/error/message").asText())
                .contains("Could not find a property named 'nonsense'");
    }

    @Test
    void deltaReportsSoftDeletionAsChangedPermanentDeletionAsDeletedAndRestoreAsTheUserAgain() {
        String link = client.get("/v1.0/users/delta()", token).body().get("@odata.deltaLink").asText();
        mock.admin().removeUser(bob.id());
        mock.admin().updateUser(alice.id(), UserUpdate.displayName("Alice Jones"));
        Reply round = client.get(link, token);
        assertThat(round.body().get("value")).hasSize(2);
        assertThat(find(round.body().get("value"), bob.id()).at("/@removed/reason").asText()).isEqualTo("changed");
        assertThat(find(round.body().get("value"), alice.id()).get("displayName").asText()).isEqualTo("Alice Jones");
        assertThat(client.get("/v1.0/users/" + bob.id(), token).status()).as("soft-deleted: gone from /users").isEqualTo(404);
        assertThat(mock.admin().deletedUsers()).extracting(GraphUser::id).containsExactly(bob.id());

        link = round.body().get("@odata.deltaLink").asText();
        mock.admin().restoreUser(bob.id());
        Reply restored = client.get(link, token);
        assertThat(find(restored.body().get("value"), bob.id()).get("userPrincipalName").asText()).isEqualTo("bob@corp.example.com");

        link = restored.body().get("@odata.deltaLink").asText();
        mock.admin().removeUser(bob.id());
        mock.admin().purgeUser(bob.id());
        Reply purged = client.get(link, token);
        assertThat(purged.body().get("value")).singleElement()
                .satisfies(u -> assertThat(u.at("/@removed/reason").asText()).isEqualTo("deleted"));
    }

    @Test
    void deltaTakesLatestAnIdFilterAndReturnMinimal() {
        mock.admin().updateUser(alice.id(), UserUpdate.displayName("Before"));
        Reply latest = client.get("/v1.0/users/delta()?$deltatoken=latest&$select=displayName,accountEnabled", token);
        assertThat(latest.body().get("value")).isEmpty();
        String fromNow = latest.body().get("@odata.deltaLink").asText();
        Reply filtered = client.get("/v1.0/users/delta()?$filter=id%20eq%20'" + bob.id() + "'%20or%20id%20eq%20'" + carol.id() + "'", token);
        assertThat(filtered.body().get("value")).extracting(u -> u.get("id").asText()).containsExactly(bob.id(), carol.id());
        String filteredLink = filtered.body().get("@odata.deltaLink").asText();

        mock.admin().updateUser(alice.id(), new UserUpdate(null, null, null, false, null, null, null, null));
        mock.admin().updateUser(carol.id(), UserUpdate.displayName("Carol Smith"));
        Reply minimal = client.get(fromNow, token, "Prefer", "return=minimal");
        assertThat(minimal.header("Preference-Applied")).isEqualTo("return=minimal");
        JsonNode a = find(minimal.body().get("value"), alice.id());
        assertThat(a.get("accountEnabled").asBoolean()).isFalse();
        assertThat(a.has("displayName")).as("unchanged since the token: left out").isFalse();
        assertThat(find(minimal.body().get("value"), carol.id()).has("accountEnabled")).isFalse();
        Reply full = client.get(fromNow, token);
        assertThat(find(full.body().get("value"), alice.id()).get("displayName").asText()).isEqualTo("Before");
        assertThat(client.get(filteredLink, token).body().get("value")).extracting(u -> u.get("id").asText())
                .containsExactly(carol.id());
        assertThat(client.get("/v1.0/users/delta()?$filter=displayName%20eq%20'x'", token).status()).isEqualTo(400);
    }

    @Test
    void batchAnswersShuffledFromTheSeedOrInOrderAsTheAdminSays() {
        StringBuilder body = new StringBuilder("{\"requests\":[");
        for (int i = 1; i <= 8; i++) {
            body.append(i > 1 ? "," : "").append("{\"id\":\"").append(i).append("\",\"method\":\"GET\",\"url\":\"/users/")
                    .append(alice.id()).append("\"}");
        }
        String batch = body.append("]}").toString();
        mock.close();
        mock = GraphMock.start(GraphMockConfig.builder().seed(11).clock(time.clock()).build());
        client = new RawGraphClient(mock);
        token = client.token();
        mock.admin().addUser(alice);
        List<String> shuffled = ids(client.post("/v1.0/$batch", "application/json", batch, token));
        assertThat(shuffled).containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6", "7", "8").isNotEqualTo(List.of("1", "2", "3", "4", "5", "6", "7", "8"));
        assertThat(mock.admin().settings().batchOrder()).isEqualTo(MockSettings.BatchOrder.SHUFFLED);
        mock.admin().settings(new MockSettings(MockSettings.BatchOrder.IN_ORDER, null));
        assertThat(ids(client.post("/v1.0/$batch", "application/json", batch, token))).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");

        try (GraphMock again = GraphMock.start(GraphMockConfig.builder().seed(11).clock(time.clock()).build())) {
            RawGraphClient other = new RawGraphClient(again);
            again.admin().addUser(alice);
            assertThat(ids(other.post("/v1.0/$batch", "application/json", batch, other.token()))).as("same seed, same order")
                    .containsExactlyElementsOf(shuffled);
        }
        Reply selfDependent = client.post("/v1.0/$batch", "application/json",
                "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\",\"dependsOn\":[\"1\"]}]}", token);
        assertThat(selfDependent.status()).isEqualTo(400);
        Reply failed = client.post("/v1.0/$batch", "application/json", "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\","
                + "\"url\":\"/users/nobody@x\"},{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/users\",\"dependsOn\":[\"1\"]}]}", token);
        assertThat(find(failed.body().get("responses"), "2").get("status").asInt()).isEqualTo(424);
    }

    @Test
    void throttlingSendsGraphsHeadersCostsFollowTheDocsAndRetryingEarlyIsThrottledPerResource() {
        mock.close();
        mock = GraphMock.start(GraphMockConfig.builder().seed(11).clock(time.clock())
                .rateLimit(new GraphMockConfig.RateLimit(10, Duration.ofSeconds(10))).build());
        client = new RawGraphClient(mock);
        token = client.token();
        mock.admin().addUser(alice);
        Reply users = client.get("/v1.0/users", token);
        assertThat(users.header("x-ms-resource-unit")).isEqualTo("2");
        assertThat(users.header("RateLimit-Limit")).isNull();
        assertThat(client.get("/v1.0/users?$select=id&$top=5", token).header("x-ms-resource-unit")).isEqualTo("1");
        assertThat(client.get("/v1.0/users/" + alice.id() + "?$expand=manager", token).header("x-ms-resource-unit")).isEqualTo("2");
        assertThat(client.get("/v1.0/users", token).header("x-ms-throttle-limit-percentage")).as("7 of 10 units").isNull();
        assertThat(client.get("/v1.0/users", token).header("x-ms-throttle-limit-percentage")).as("9 of 10").isEqualTo("0.9");
        Reply over = client.get("/v1.0/users", token);
        assertThat(over.status()).isEqualTo(429);
        assertThat(over.header("Retry-After")).isEqualTo("10");
        assertThat(over.header("x-ms-throttle-information")).isEqualTo("ResourceUnitLimitExceeded");
        assertThat(over.header("x-ms-throttle-scope")).isEqualTo("Tenant_Application/ReadWrite/" + mock.clientId() + "/" + mock.tenantId());
        time.advance(Duration.ofSeconds(10));

        mock.admin().addFault(FaultRule.status("/users/*/authentication/*", 429).retryAfter(30).times(1));
        String methods = "/v1.0/users/" + alice.id() + "/authentication/windowsHelloForBusinessMethods";
        assertThat(client.get(methods, token).status()).isEqualTo(429);
        time.advance(Duration.ofSeconds(5));
        Reply early = client.get(methods, token);
        assertThat(early.status()).as("the same resource before Retry-After: throttled again").isEqualTo(429);
        assertThat(early.header("x-ms-throttle-information")).isEqualTo("RetriedBeforeRetryAfter");
        assertThat(client.get("/v1.0/users/" + alice.id(), token).status()).as("another resource is open").isEqualTo(200);

        mock.admin().settings(new MockSettings(null, MockSettings.ThrottleHeaders.RATE_LIMIT));
        Reply devProxy = client.get("/v1.0/users/" + alice.id(), token);
        assertThat(devProxy.header("RateLimit-Limit")).isEqualTo("10");
        assertThat(devProxy.header("x-ms-resource-unit")).isNull();
    }

    @Test
    void clientRequestIdIsEchoedAndEveryAnswerHasADateAndItsOwnRequestId() {
        Reply a = client.get("/v1.0/users", token, "client-request-id", "4f6c5b0e-1111-4222-8333-944455556666");
        Reply b = client.get("/v1.0/users", token);
        assertThat(a.header("client-request-id")).isEqualTo("4f6c5b0e-1111-4222-8333-944455556666");
        assertThat(a.header("Date")).isNotBlank();
        assertThat(a.header("request-id")).isNotEqualTo(b.header("request-id"));
        assertThat(a.header("OData-Version")).isEqualTo("4.0");
        assertThat(a.header("x-ms-ags-diagnostic")).contains("ServerInfo");
        Reply error = client.get("/v1.0/users/nobody@x", token, "client-request-id", "abc");
        assertThat(error.body().at("/error/innerError/client-request-id").asText()).isEqualTo("abc");
    }

    @Test
    void devProxysFaultsAnswerWithAnyStatusHeadersAndBodyAndA429Or503GetsADefaultRetryAfter() {
        Reply added = client.post("/_admin/faults", "application/json", "{\"path\":\"/users/" + alice.id() + "\",\"times\":1,"
                + "\"faults\":[{\"kind\":\"latency\",\"minMs\":1,\"maxMs\":20},{\"kind\":\"genericError\",\"status\":418,"
                + "\"headers\":{\"x-teapot\":\"yes\"},\"body\":\"{\\\"teapot\\\":\\\"short and stout\\\"}\"}]}", null);
        assertThat(added.status()).isEqualTo(201);
        Reply teapot = client.get("/v1.0/users/" + alice.id(), token);
        assertThat(teapot.status()).isEqualTo(418);
        assertThat(teapot.header("x-teapot")).isEqualTo("yes");
        assertThat(teapot.body().get("teapot").asText()).isEqualTo("short and stout");
        assertThat(teapot.header("client-request-id")).isNotBlank();
        client.post("/_admin/faults", "application/json", "{\"path\":\"/users\",\"times\":1,\"status\":503}", null);
        Reply unavailable = client.get("/v1.0/users", token);
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.header("Retry-After")).isEqualTo("5");
        client.post("/_admin/faults", "application/json", "{\"path\":\"/users\",\"times\":1,\"faults\":[{\"kind\":"
                + "\"genericError\",\"status\":429}]}", null);
        assertThat(client.get("/v1.0/users", token).header("Retry-After")).isEqualTo("5");
        mock.admin().addFault(FaultRule.status("/users", 507).times(1));
        Reply storage = client.get("/v1.0/users?$select=id", token);
        assertThat(storage.status()).isEqualTo(507);
        assertThat(storage.header("Retry-After")).isNull();
    }

    private static JsonNode find(JsonNode items, String id) {
        for (JsonNode n : items) {
            if (id.equals(n.path("id").asText())) {
                return n;
            }
        }
        throw new AssertionError("no item " + id + " in " + items);
    }

    private static List<String> ids(Reply batch) {
        List<String> out = new ArrayList<>();
        batch.body().get("responses").forEach(r -> out.add(r.get("id").asText()));
        return out;
    }
}
