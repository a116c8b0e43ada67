package dev.keytrust.graph.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.graph.mock.GraphMockAdmin.KeyRequest;
import dev.keytrust.graph.mock.RawGraphClient.Reply;
import dev.keytrust.graph.mock.admin.HttpGraphMockAdmin;
import dev.keytrust.graph.mock.fault.Fault;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One contract, two implementations of {@link GraphMockAdmin}: the in-process one and {@link HttpGraphMockAdmin} over
 * the admin API of the running mock, both checked with the same assertions against the same mock.
 */
class GraphMockAdminContractIT extends MockOverHttps {
    private static final String ADMIN_TOKEN = "contract-admin-token";

    static Stream<Arguments> implementations() {
        Function<GraphMock, GraphMockAdmin> inProcess = GraphMock::admin;
        Function<GraphMock, GraphMockAdmin> overHttp = m -> HttpGraphMockAdmin.connect(m.baseUrl(), m.certificatePem(), ADMIN_TOKEN);
        return Stream.of(Arguments.of("in process", inProcess), Arguments.of("over HTTP", overHttp));
    }

    @Override
    GraphMockConfig.Builder config() {
        return GraphMockConfig.builder().seed(11).adminToken(ADMIN_TOKEN);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void usersAndKeysRoundTripThroughEitherAdmin(String name, Function<GraphMock, GraphMockAdmin> which) {
        GraphMockAdmin admin = which.apply(mock);
        GraphUser alice = admin.addUser(GraphUser.named("alice@corp.example.com", "Alice"));
        assertThat(alice.id()).isNotBlank();
        assertThat(admin.users()).containsExactly(alice);
        DeviceKey key = admin.addKey("alice@corp.example.com", KeyRequest.device("ALICE-PC"));
        assertThat(key.displayName()).isEqualTo("ALICE-PC");
        assertThat(key.privateKey()).isPresent();
        assertThat(admin.keys(alice.id())).singleElement().satisfies(k -> {
            assertThat(k.id()).isEqualTo(key.id());
            assertThat(k.keyId()).isEqualTo(key.keyId());
            assertThat(k.keyMaterialBase64()).isEqualTo(key.keyMaterialBase64());
            assertThat(k.privateKey()).isEqualTo(key.privateKey());
        });
        assertThat(mock.admin().keys(alice.id())).singleElement().satisfies(k -> assertThat(k.keyId()).isEqualTo(key.keyId()));
        assertThat(admin.removeKey(alice.id(), key.id()).keyId()).isEqualTo(key.keyId());
        assertThat(admin.keys(alice.id())).isEmpty();
        admin.removeUser(alice.id());
        assertThat(admin.users()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void aKeyIsRemovedByItsKeyIdThoughTheKeyIdHoldsSlashAndPlus(String name, Function<GraphMock, GraphMockAdmin> which) {
        GraphMockAdmin admin = which.apply(mock);
        GraphUser alice = admin.addUser(GraphUser.named("alice@corp.example.com", "Alice"));
        DeviceKey chosen = null;
        for (int i = 0; i < 64 && chosen == null; i++) { // base64 KeyIDs: about one in four holds both
            DeviceKey k = admin.addKey(alice.id(), KeyRequest.device("PC-" + i));
            chosen = k.keyId().contains("/") && k.keyId().contains("+") ? k : null;
        }
        assertThat(chosen).as("a key whose KeyID holds '/' and '+'").isNotNull();
        DeviceKey key = chosen;
        int before = admin.keys(alice.id()).size();
        assertThat(admin.removeKey(alice.id(), key.keyId()).id()).isEqualTo(key.id());
        assertThat(admin.keys(alice.id())).hasSize(before - 1).noneMatch(k -> k.keyId().equals(key.keyId()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void usersAreUpdatedSoftDeletedRestoredAndPurgedAndSettingsChangeThroughEitherAdmin(String name,
            Function<GraphMock, GraphMockAdmin> which) {
        GraphMockAdmin admin = which.apply(mock);
        GraphUser alice = admin.addUser(GraphUser.named("alice@corp.example.com", "Alice"));
        GraphUser bob = admin.addUser(GraphUser.named("bob@corp.example.com", "Bob"));
        GraphUser changed = admin.updateUser(alice.id(), new UserUpdate("Alice Jones", "alice.jones@corp.example.com",
                "AAECAwQFBgcICQoLDA0ODw==", false, null, null, null, bob.id()));
        assertThat(changed.displayName()).isEqualTo("Alice Jones");
        assertThat(changed.userPrincipalName()).isEqualTo("alice.jones@corp.example.com");
        assertThat(changed.onPremisesImmutableId()).isEqualTo("AAECAwQFBgcICQoLDA0ODw==");
        assertThat(changed.accountEnabled()).isFalse();
        assertThat(mock.admin().users()).contains(changed);
        assertThatThrownBy(() -> admin.updateUser(alice.id(), new UserUpdate(null, "bob@corp.example.com", null, null,
                null, null, null, null))).isInstanceOfSatisfying(KeyTrustException.class,
                e -> assertThat(e.getMessage()).contains("already used"));
        admin.removeUser(bob.id());
        assertThat(admin.users()).containsExactly(changed);
        assertThat(admin.deletedUsers()).extracting(GraphUser::id).containsExactly(bob.id());
        assertThat(admin.restoreUser(bob.id()).id()).isEqualTo(bob.id());
        assertThat(admin.deletedUsers()).isEmpty();
        admin.purgeUser(bob.id());
        assertThat(admin.users()).containsExactly(changed);
        assertThatThrownBy(() -> admin.restoreUser(bob.id())).isInstanceOf(KeyTrustException.class);

        assertThat(admin.settings()).isEqualTo(MockSettings.DEFAULTS);
        assertThat(admin.settings(new MockSettings(MockSettings.BatchOrder.IN_ORDER, null)))
                .isEqualTo(new MockSettings(MockSettings.BatchOrder.IN_ORDER, MockSettings.ThrottleHeaders.GRAPH));
        assertThat(mock.admin().settings().batchOrder()).isEqualTo(MockSettings.BatchOrder.IN_ORDER);
        admin.reset();
        assertThat(admin.settings()).isEqualTo(MockSettings.DEFAULTS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void aRefusedOperationThrowsTheSameErrorAndChangesNothing(String name, Function<GraphMock, GraphMockAdmin> which) {
        GraphMockAdmin admin = which.apply(mock);
        assertThatThrownBy(() -> admin.addKey("nobody@corp.example.com", KeyRequest.generated()))
                .isInstanceOfSatisfying(KeyTrustException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.GRAPH_MOCK_BAD_REQUEST);
                    assertThat(e.getMessage()).contains("nobody@corp.example.com");
                });
        admin.addUser(GraphUser.named("bob@corp.example.com", "Bob"));
        assertThatThrownBy(() -> admin.addUser(GraphUser.named("bob@corp.example.com", "Bob again")))
                .isInstanceOfSatisfying(KeyTrustException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.GRAPH_MOCK_BAD_REQUEST);
                    assertThat(e.getMessage()).contains("already used");
                });
        assertThat(admin.users()).extracting(GraphUser::displayName).containsExactly("Bob");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void faultsOfEveryKindAreStoredAsGivenAndHitGraphRequests(String name, Function<GraphMock, GraphMockAdmin> which) {
        GraphMockAdmin admin = which.apply(mock);
        FaultRule unavailable = admin.addFault(FaultRule.status("/users", 503).retryAfter(7).times(1));
        FaultRule teapot = admin.addFault(FaultRule.of("/users/delta*", new Fault.Latency(1, 3),
                new Fault.GenericError(418, Map.of("x-simulated", "yes"), "{\"error\":{\"code\":\"Teapot\"}}")).method("GET"));
        assertThat(unavailable.id()).isEqualTo("fault-1");
        assertThat(teapot.id()).isEqualTo("fault-2");
        assertThat(admin.faults()).containsExactly(unavailable, teapot);

        String token = client.token();
        Reply first = client.get("/v1.0/users", token);
        assertThat(first.status()).isEqualTo(503);
        assertThat(first.header("Retry-After")).isEqualTo("7");
        assertThat(client.get("/v1.0/users", token).status()).isEqualTo(200);
        Reply delta = client.get("/beta/users/delta()", token);
        assertThat(delta.status()).isEqualTo(418);
        assertThat(delta.header("x-simulated")).isEqualTo("yes");
        assertThat(delta.body().at("/error/code").asText()).isEqualTo("Teapot");
        assertThat(admin.faults()).containsExactly(teapot);

        List<RecordedRequest> journal = admin.requests();
        assertThat(journal).extracting(RecordedRequest::fault).containsSubsequence("fault-1", "fault-2");
        admin.clearFaults();
        assertThat(admin.faults()).isEmpty();
        admin.reset();
        assertThat(admin.requests()).isEmpty();
    }

    @Test
    void theHttpAdminWithAWrongTokenIsRefusedAsAnAuthenticationFailure() {
        GraphMockAdmin wrong = HttpGraphMockAdmin.connect(mock.baseUrl(), mock.certificate(), "not-the-token");
        assertThatThrownBy(wrong::users).isInstanceOfSatisfying(KeyTrustException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.GRAPH_AUTHENTICATION_FAILED);
            assertThat(e.getMessage()).contains("admin token");
        });
    }

    @Test
    void theOldFlatFaultShapeIsStillReadAndWrittenNextToTheKinds() {
        Reply added = client.post("/_admin/faults", "application/json",
                "{\"path\":\"/users*\",\"status\":429,\"retryAfterSeconds\":3,\"latencyMs\":2,\"times\":2}", ADMIN_TOKEN);
        assertThat(added.status()).isEqualTo(201);
        assertThat(mock.admin().faults()).singleElement().satisfies(f -> assertThat(f.faults())
                .containsExactly(new Fault.Latency(2, 2), new Fault.Error(429, 3)));
        assertThat(added.body().get("status").asInt()).isEqualTo(429);
        assertThat(added.body().get("retryAfterSeconds").asInt()).isEqualTo(3);
        assertThat(added.body().get("latencyMs").asInt()).isEqualTo(2);
        assertThat(added.body().at("/faults/1/kind").asText()).isEqualTo("error");

        Reply kinds = client.post("/_admin/faults", "application/json",
                "{\"path\":\"/users*\",\"faults\":[{\"kind\":\"error\",\"status\":503}]}", ADMIN_TOKEN);
        assertThat(kinds.status()).isEqualTo(201);
        assertThat(kinds.body().at("/faults/0/retryAfterSeconds").asInt()).as("Dev Proxy's default Retry-After").isEqualTo(5);
        Reply both = client.post("/_admin/faults", "application/json",
                "{\"path\":\"/users*\",\"status\":500,\"faults\":[{\"kind\":\"drop\"}]}", ADMIN_TOKEN);
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.body().at("/error/message").asText()).contains("disagree");
        Reply range = client.post("/_admin/faults", "application/json",
                "{\"path\":\"/users*\",\"faults\":[{\"kind\":\"latency\",\"minMs\":9,\"maxMs\":3}]}", ADMIN_TOKEN);
        assertThat(range.status()).isEqualTo(400);
        assertThat(range.body().at("/error/message").asText()).contains("minMs <= maxMs");
        assertThat(mock.admin().faults()).hasSize(2);
    }
}
