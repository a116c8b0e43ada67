package dev.keytrust.graph.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keytrust.graph.mock.RawGraphClient.Reply;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hostile or careless input over HTTPS: every request gets an answer in Graph's error shape, nothing is dropped. */
class GraphMockRobustnessIT extends MockOverHttps {
    @Override
    GraphMockConfig.Builder config() {
        return GraphMockConfig.builder().seed(9);
    }

    @Test
    void aHundredThousandCharacterFilterIsRefusedWithGraphsErrorInsteadOfADroppedConnection() {
        String token = client.token();
        Reply r = client.get("/v1.0/users?$filter=id%20eq%20'" + "a".repeat(100_000) + "'", token);
        assertThat(r.status()).isEqualTo(400);
        assertGraphError(r, "BadRequest");
        assertThat(r.body().at("/error/message").asText()).contains("$filter", "100008", "2048");
    }

    @Test
    void aQueryOptionTheMockDoesNotImplementIsA400InsteadOfAnIgnoredOption() {
        String token = client.token();
        String alice = mock.admin().addUser(GraphUser.named("alice@corp.example.com", "Alice")).id();
        for (String url : new String[] {"/v1.0/users?$skip=1", "/v1.0/users?$expand=ownedDevices", "/v1.0/users?format=json",
                "/v1.0/users/delta()?$orderby=displayName", "/v1.0/users/" + alice + "?$top=1",
                "/v1.0/users/" + alice + "/authentication/methods?$top=1"}) {
            Reply r = client.get(url, token);
            assertThat(r.status()).as(url).isEqualTo(400);
            assertGraphError(r, "Request_UnsupportedQuery");
            assertThat(r.body().at("/error/message").asText()).as(url).contains("is not supported by this mock");
        }
        assertThat(client.get("/v1.0/users?$select=id&$top=1&api-version=2", token).status()).isEqualTo(200);
    }

    @Test
    void requestIdsDifferAcrossRunsWithTheSameSeedAndGraphAnswersCarryItsHeaders() {
        Reply first = client.get("/v1.0/users", client.token());
        mock.close();
        mock = GraphMock.start(GraphMockConfig.builder().seed(9).clock(time.clock()).build());
        client = new RawGraphClient(mock);
        Reply second = client.get("/v1.0/users", client.token());
        assertThat(first.header("request-id")).isNotBlank().isNotEqualTo(second.header("request-id"));
        assertThat(second.header("OData-Version")).isEqualTo("4.0");
        assertThat(second.header("x-ms-ags-diagnostic")).contains("ServerInfo");
        assertThat(second.header("Date")).isNotBlank();
    }

    static Stream<Arguments> badRequestsInABatch() {
        return Stream.of(
                Arguments.of("a huge filter", "/users?$filter=id eq '" + "''".repeat(50_000) + "'", "$filter"),
                Arguments.of("a badly percent-encoded URL", "/users?$filter=%zz", "percent-encoded"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequestsInABatch")
    void aBadRequestInsideABatchIsAnInner400NotAFailureOfTheMockAndTheOtherRequestsAreAnswered(String what, String url,
            String messagePart) {
        String token = client.token();
        Reply r = client.post("/v1.0/$batch", "application/json", "{\"requests\":["
                + "{\"id\":\"1\",\"method\":\"GET\",\"url\":\"" + url + "\"},"
                + "{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/users\"}]}", token);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().at("/responses/0/status").asInt()).isEqualTo(400);
        assertThat(r.body().at("/responses/0/body/error/message").asText()).contains(messagePart);
        assertThat(r.body().at("/responses/1/status").asInt()).isEqualTo(200);
    }

    @Test
    void quotedFilterValuesWithDoubledQuotesUpToTheLimitStillMatch() {
        GraphUser odd = mock.admin().addUser(GraphUser.named("o'" + "x".repeat(30) + "@corp.example.com", "O"));
        String token = client.token();
        String upn = odd.userPrincipalName().replace("'", "''");
        Reply found = client.get("/v1.0/users?$filter=userPrincipalName%20eq%20'" + upn + "'", token);
        assertThat(found.body().get("value")).singleElement()
                .satisfies(u -> assertThat(u.get("id").asText()).isEqualTo(odd.id()));
        Reply quotes = client.get("/v1.0/users?$filter=%20id%20%20eq%20'" + "x''".repeat(600) + "'%20", token);
        assertThat(quotes.status()).isEqualTo(200);
        assertThat(quotes.body().get("value")).isEmpty();
        Reply unclosed = client.get("/v1.0/users?$filter=id%20eq%20'" + "''".repeat(600), token);
        assertThat(unclosed.status()).isEqualTo(400);
        assertThat(unclosed.body().at("/error/code").asText()).isEqualTo("Request_UnsupportedQuery");
    }

    @Test
    void nullAndNonObjectAdminBodiesAreRefusedWith400NamingTheProblem() {
        for (String route : new String[] {"/_admin/faults", "/_admin/users"}) {
            for (String body : new String[] {"null", "[]", "42", "\"text\"", ""}) {
                Reply r = client.post(route, "application/json", body, null);
                assertThat(r.status()).as(route + " " + body).isEqualTo(400);
                assertThat(r.body().at("/error/message").asText()).as(route + " " + body).contains("JSON object");
                assertGraphError(r, "BadRequest");
            }
        }
        Reply keys = client.post("/_admin/users/" + mock.admin().addUser(GraphUser.named("a@corp.example.com", "A")).id()
                + "/keys", "application/json", "null", null);
        assertThat(keys.status()).isEqualTo(400);
        assertThat(keys.body().at("/error/message").asText()).contains("JSON object");
        assertThat(mock.admin().faults()).isEmpty();
        assertThat(mock.admin().users()).hasSize(1);
    }

    @Test
    void wrongTypesInAdminBodiesAreNamedByPropertyWithoutJavaClassNames() {
        Reply status = client.post("/_admin/faults", "application/json", "{\"path\":\"/users\",\"status\":\"soon\"}", null);
        assertThat(status.status()).isEqualTo(400);
        assertThat(status.body().at("/error/message").asText()).contains("'status'", "whole number", "soon")
                .doesNotContain("java.", "`");
        Reply path = client.post("/_admin/faults", "application/json", "{\"path\":[\"/users\"],\"status\":429}", null);
        assertThat(path.status()).isEqualTo(400);
        assertThat(path.body().at("/error/message").asText()).contains("'path'", "string").doesNotContain("java.", "`");
        String alice = mock.admin().addUser(GraphUser.named("alice@corp.example.com", "Alice")).id();
        Reply device = client.post("/_admin/users/" + alice + "/keys", "application/json", "{\"deviceId\":5}", null);
        assertThat(device.status()).isEqualTo(400);
        assertThat(device.body().at("/error/message").asText()).contains("'deviceId'", "string");
        assertThat(mock.admin().keys(alice)).isEmpty();
        Reply unknown = client.post("/_admin/users", "application/json", "{\"userPrincipalName\":\"b@c\",\"shoeSize\":9}", null);
        assertThat(unknown.body().at("/error/message").asText()).contains("shoeSize").doesNotContain("dev.keytrust", "class");
    }

    @Test
    void aFaultWithoutTimesIsAcceptedAndHitsEveryMatchingRequest() {
        Reply added = client.post("/_admin/faults", "application/json", "{\"path\":\"/users*\",\"status\":503}", null);
        assertThat(added.status()).isEqualTo(201);
        String token = client.token();
        for (int i = 0; i < 3; i++) {
            assertThat(client.get("/v1.0/users", token).status()).isEqualTo(503);
        }
        assertThat(mock.admin().faults()).singleElement().satisfies(f -> assertThat(f.times()).isEqualTo(-1));
        Reply zero = client.post("/_admin/faults", "application/json", "{\"path\":\"/users*\",\"status\":503,\"times\":0}", null);
        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.body().at("/error/message").asText()).contains("times");
    }

    @Test
    void batchesWithDuplicateIdsOrBadDependenciesAreRefusedAsGraphDoes() {
        String token = client.token();
        Reply duplicate = client.post("/v1.0/$batch", "application/json", "{\"requests\":["
                + "{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\"},{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\"}]}", token);
        assertThat(duplicate.status()).isEqualTo(400);
        assertGraphError(duplicate, "BadRequest");
        assertThat(duplicate.body().at("/error/message").asText()).isEqualTo("Request Id '1' has to be unique in a batch.");

        Reply self = client.post("/v1.0/$batch", "application/json", "{\"requests\":["
                + "{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\",\"dependsOn\":[\"1\"]}]}", token);
        assertThat(self.status()).isEqualTo(400);
        assertGraphError(self, "BadRequest");
        assertThat(self.body().at("/error/message").asText()).contains("Invalid dependency for request Id '1'", "itself");

        Reply unknown = client.post("/v1.0/$batch", "application/json", "{\"requests\":["
                + "{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\",\"dependsOn\":[\"7\"]}]}", token);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().at("/error/message").asText()).contains("Invalid dependency for request Id '1'", "'7'");

        Reply ok = client.post("/v1.0/$batch", "application/json", "{\"requests\":["
                + "{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/nobody@x\"},"
                + "{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/users\",\"dependsOn\":[\"1\"]}]}", token);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().at("/responses/0/status").asInt()).isEqualTo(404);
        assertThat(ok.body().at("/responses/1/status").asInt()).as("a failed dependency").isEqualTo(424);
    }

    @Test
    void whateverTheAdminApiThrowsEvenAStackOverflowTheRequestIsAnswered500InGraphsShape() {
        mock.close();
        mock = GraphMock.start(GraphMockConfig.builder().seed(9).clock(time.clock()).build(), real -> failing(real));
        client = new RawGraphClient(mock);
        for (String route : new String[] {"/_admin/faults", "/_admin/users"}) {
            Reply r = client.get(route, null);
            assertThat(r.status()).as(route).isEqualTo(500);
            assertGraphError(r, "InternalServerError");
            assertThat(r.body().at("/error/message").asText()).as(route).contains("log")
                    .doesNotContain("Error", "simulated", "java.");
        }
        assertThat(client.get("/_admin/requests", null).status()).as("the mock still serves").isEqualTo(200);
    }

    @Test
    void withAnAdminTokenTheAdminApiAnswers401WithoutItAndGraphIsUnaffected() {
        String secret = "kt-admin-0123456789abcdef";
        mock.close();
        mock = GraphMock.start(GraphMockConfig.builder().seed(9).clock(time.clock()).adminToken(secret).build());
        client = new RawGraphClient(mock);
        String user = "{\"userPrincipalName\":\"a@corp.example.com\",\"displayName\":\"A\"}";

        Reply none = client.post("/_admin/users", "application/json", user, null);
        assertThat(none.status()).isEqualTo(401);
        assertGraphError(none, "InvalidAuthenticationToken");
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        Reply wrong = client.post("/_admin/users", "application/json", user, secret + "x");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body().at("/error/message").asText()).doesNotContain(secret);
        assertThat(client.get("/_admin/requests", null).status()).isEqualTo(401);
        assertThat(mock.admin().users()).isEmpty();

        assertThat(client.post("/_admin/users", "application/json", user, secret).status()).isEqualTo(201);
        assertThat(client.get("/v1.0/users", client.token()).body().get("value")).hasSize(1);
        assertThat(mock.config().toString()).doesNotContain(secret);
        assertThat(mock.config().loopbackOnly()).as("the default host").isTrue();
    }

    /** The real admin, except that listing faults overflows the stack and listing users throws an Error. */
    private static GraphMockAdmin failing(GraphMockAdmin real) {
        return (GraphMockAdmin) java.lang.reflect.Proxy.newProxyInstance(GraphMockAdmin.class.getClassLoader(),
                new Class<?>[] {GraphMockAdmin.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "faults" -> throw new StackOverflowError("simulated");
                        case "users" -> throw new LinkageError("simulated");
                        default -> {
                            try {
                                return method.invoke(real, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    }
                });
    }

    static void assertGraphError(Reply r, String code) {
        JsonNode error = r.body().get("error");
        assertThat(error).as("Graph's error body").isNotNull();
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.at("/innerError/date").asText()).isNotBlank();
        assertThat(error.at("/innerError/request-id").asText()).isNotBlank();
        assertThat(error.at("/innerError/client-request-id").asText()).isNotBlank();
    }
}
