package dev.keytrust.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.agent.source.KeyRead;
import dev.keytrust.agent.source.SourceKey;
import dev.keytrust.agent.source.SourceUser;
import dev.keytrust.agent.source.SyncState;
import dev.keytrust.graph.mock.DeviceKey;
import dev.keytrust.graph.mock.FaultRule;
import dev.keytrust.graph.mock.fault.Fault;
import dev.keytrust.graph.mock.GraphMock;
import dev.keytrust.graph.mock.GraphMockAdmin.KeyRequest;
import dev.keytrust.graph.mock.GraphMockConfig;
import dev.keytrust.graph.mock.GraphUser;
import dev.keytrust.graph.mock.RecordedRequest;
import dev.keytrust.graph.mock.SeededTenant;
import dev.keytrust.graph.mock.UserUpdate;
import dev.keytrust.persona.Personas;
import dev.keytrust.time.VirtualScheduler;
import dev.keytrust.tls.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connector over the real Graph SDK and Azure Identity (client secret) against the mock over HTTPS. */
class GraphKeySourceIT {
    private static final long SEED = 11;
    private VirtualScheduler time;
    private GraphMock mock;
    private GraphKeySource source;

    @BeforeEach
    void start() {
        time = new VirtualScheduler(Instant.parse("2026-03-01T08:00:00Z"));
        mock = GraphMock.start(GraphMockConfig.builder().seed(SEED).clock(time.clock()).defaultPageSize(7).maxPageSize(7).build());
        source = GraphKeySource.create(connectorTo(mock).clientSecret(mock.config().clientSecret().orElseThrow()).build());
    }

    /** A connector config pointed at {@code graph} (URLs, trust, this test's clock), still without a credential. */
    private GraphConnectorConfig.Builder connectorTo(GraphMock graph) {
        return GraphConnectorConfig.builder(graph.tenantId(), graph.clientId())
                .graphUrl(graph.baseUrl()).authorityHost(graph.authorityHost()).trust(graph.certificate()).scheduler(time);
    }

    /** A mock whose app accepts only assertions signed with {@code appCertificate}'s key. */
    private GraphMock certificateOnlyMock(SelfSignedCertificate appCertificate) {
        return GraphMock.start(GraphMockConfig.builder().seed(SEED).clock(time.clock())
                .noClientSecret().clientCertificate(appCertificate.certificate()).build());
    }

    @AfterEach
    void stop() {
        source.close();
        mock.close();
    }

    @Test
    void aFullSnapshotPagesThroughEveryUserWithTheirKeysAndTheSameAnchorsAsTheSeededDc() {
        List<GraphUser> people = SeededTenant.populate(mock.admin(), SEED, 30, "corp.example.com");
        KeyRead read = source.fullSnapshot();

        assertThat(read.full()).isTrue();
        assertThat(read.users()).hasSize(30);
        Map<String, SourceUser> byUpn = read.users().stream().collect(Collectors.toMap(SourceUser::userPrincipalName, Function.identity()));
        var persona = Personas.generate(SEED, 30).get(3);
        SourceUser u = byUpn.get(persona.userPrincipalName("corp.example.com"));
        assertThat(u.onPremisesImmutableId()).contains(persona.immutableId());
        assertThat(u.onPremisesSecurityIdentifier()).contains(persona.sid(Personas.domainSid("corp.example.com", SEED)).toString());
        for (GraphUser p : people) {
            List<DeviceKey> expected = mock.admin().keys(p.id());
            SourceUser got = byUpn.get(p.userPrincipalName());
            assertThat(got.keyError()).isEmpty();
            assertThat(got.keys()).extracting(SourceKey::keyMaterial)
                    .containsExactlyInAnyOrderElementsOf(expected.stream().map(DeviceKey::keyMaterialBase64).toList());
            for (SourceKey k : got.keys()) {
                DeviceKey d = expected.stream().filter(e -> e.deviceId().toString().equals(k.deviceId())).findFirst().orElseThrow();
                assertThat(k.keyType()).isEqualTo("NGC");
                assertThat(k.deviceName()).contains(d.displayName());
                assertThat(k.createdDateTime()).contains(d.createdDateTime());
                assertThat(k.keyStrength()).contains("normal");
                assertThat(k.methodId()).contains(d.id());
            }
        }
        assertThat(people.stream().filter(p -> !mock.admin().keys(p.id()).isEmpty()).count()).isBetween(8L, 22L);
        long pages = mock.admin().requests().stream().filter(r -> r.path().equals("/beta/users/delta()")).count();
        assertThat(pages).as("30 users in pages of 7").isEqualTo(5);
        assertThat(mock.admin().requests()).anyMatch(r -> r.path().equals("/v1.0/$batch"));
    }

    @Test
    void deltaReturnsOnlyWhatChangedKeysAddedAndRemovedAndDeletedUsers() {
        GraphUser alice = mock.admin().addUser(GraphUser.named("alice@corp.example.com", "Alice"));
        GraphUser bob = mock.admin().addUser(GraphUser.named("bob@corp.example.com", "Bob"));
        GraphUser carol = mock.admin().addUser(GraphUser.named("carol@corp.example.com", "Carol"));
        DeviceKey aliceKey = mock.admin().addKey(alice.id(), KeyRequest.device("ALICE-PC"));
        KeyRead first = source.fullSnapshot();
        assertThat(first.users()).hasSize(3);

        KeyRead nothing = source.changesSince(first.state());
        assertThat(nothing.full()).isFalse();
        assertThat(nothing.users()).isEmpty();
        assertThat(nothing.removedUserIds()).isEmpty();

        time.advance(Duration.ofMinutes(30));
        DeviceKey bobKey = mock.admin().addKey(bob.id(), KeyRequest.device("BOB-LAPTOP"));
        mock.admin().addKey(bob.id(), KeyRequest.device("BOB-PC"));
        mock.admin().removeKey(alice.id(), aliceKey.keyId());
        mock.admin().removeUser(carol.id());
        KeyRead changes = source.changesSince(nothing.state());

        assertThat(changes.full()).isFalse();
        assertThat(changes.users()).extracting(SourceUser::userPrincipalName)
                .containsExactlyInAnyOrder("alice@corp.example.com", "bob@corp.example.com");
        SourceUser bobRead = changes.users().stream().filter(u -> u.id().equals(bob.id())).findFirst().orElseThrow();
        assertThat(bobRead.keys()).hasSize(2).extracting(k -> k.deviceName().orElseThrow()).containsExactlyInAnyOrder("BOB-LAPTOP", "BOB-PC");
        assertThat(bobRead.keys()).filteredOn(k -> k.deviceId().equals(bobKey.deviceId().toString()))
                .singleElement().satisfies(k -> assertThat(k.createdDateTime()).contains(Instant.parse("2026-03-01T08:30:00Z")));
        assertThat(changes.users().stream().filter(u -> u.id().equals(alice.id())).findFirst().orElseThrow().keys()).isEmpty();
        assertThat(changes.removedUserIds()).containsExactly(carol.id());
    }

    @Test
    void aProfileChangeASoftDeletionAndARestoreComeBackAsGraphReportsThem() {
        GraphUser alice = mock.admin().addUser(GraphUser.named("alice@corp.example.com", "Alice"));
        GraphUser bob = mock.admin().addUser(GraphUser.named("bob@corp.example.com", "Bob"));
        DeviceKey aliceKey = mock.admin().addKey(alice.id(), KeyRequest.device("ALICE-PC"));
        KeyRead first = source.fullSnapshot();

        mock.admin().updateUser(alice.id(), new UserUpdate("Alice Jones", "alice.jones@corp.example.com",
                "AAECAwQFBgcICQoLDA0ODw==", null, null, null, null, null));
        mock.admin().removeUser(bob.id());
        KeyRead changed = source.changesSince(first.state());
        assertThat(changed.full()).isFalse();
        assertThat(changed.users()).singleElement().satisfies(u -> {
            assertThat(u.id()).isEqualTo(alice.id());
            assertThat(u.userPrincipalName()).isEqualTo("alice.jones@corp.example.com");
            assertThat(u.onPremisesImmutableId()).contains("AAECAwQFBgcICQoLDA0ODw==");
            assertThat(u.keys()).singleElement().satisfies(k -> assertThat(k.deviceId()).isEqualTo(aliceKey.deviceId().toString()));
        });
        assertThat(changed.removedUserIds()).as("soft-deleted: @removed changed").containsExactly(bob.id());

        mock.admin().restoreUser(bob.id());
        KeyRead restored = source.changesSince(changed.state());
        assertThat(restored.users()).extracting(SourceUser::id).containsExactly(bob.id());
        assertThat(restored.removedUserIds()).isEmpty();
    }

    @Test
    void anExpiredDeltaTokenGivesAFullSnapshotWithTheReason() {
        mock.admin().addUser(GraphUser.named("alice@corp.example.com", "Alice"));
        KeyRead first = source.fullSnapshot();
        time.advance(Duration.ofDays(8));
        KeyRead again = source.changesSince(first.state());
        assertThat(again.full()).isTrue();
        assertThat(again.resyncReason()).get().asString().contains("syncStateNotFound");
        assertThat(again.users()).hasSize(1);
        assertThat(SyncState.parse(again.state().serialize())).isEqualTo(again.state());
    }

    @Test
    void a410ResyncRequiredOnTheDeltaLinkGivesAFullSnapshotWithTheReason() {
        mock.admin().addUser(GraphUser.named("alice@corp.example.com", "Alice"));
        KeyRead first = source.fullSnapshot();
        mock.admin().addUser(GraphUser.named("bob@corp.example.com", "Bob"));
        mock.admin().addFault(FaultRule.of("/beta/users/delta*", new Fault.SyncStateGone("resyncRequired")).times(1));
        KeyRead again = source.changesSince(first.state());
        assertThat(again.full()).isTrue();
        assertThat(again.resyncReason()).get().asString().contains("resyncRequired");
        assertThat(again.users()).hasSize(2);
        assertThat(mock.admin().requests()).filteredOn(r -> r.status() == 410).hasSize(1);
    }

    @Test
    void throttlingIsWaitedOutOnTheTestbedClockAndRetryingEarlyIsThrottledAgain() {
        mock.admin().addUser(GraphUser.named("alice@corp.example.com", "Alice"));
        mock.admin().addFault(FaultRule.status("/users/delta*", 429).retryAfter(30).times(2));
        Instant before = time.now();
        KeyRead read = source.fullSnapshot();
        assertThat(read.users()).hasSize(1);
        assertThat(read.throttleWaits()).isEqualTo(2);
        assertThat(Duration.between(before, time.now())).isEqualTo(Duration.ofSeconds(60));
        List<Integer> statuses = mock.admin().requests().stream().filter(r -> r.path().startsWith("/beta/users/delta"))
                .map(RecordedRequest::status).toList();
        assertThat(statuses).containsExactly(429, 429, 200);
    }

    @Test
    void aThrottlingStormWithRateLimitsAndRandomFaultsIsRiddenOutWhileRetriesMakeProgress() {
        try (GraphMock limited = GraphMock.start(GraphMockConfig.builder().seed(SEED).clock(time.clock())
                .defaultPageSize(10).maxPageSize(10).rateLimit(new GraphMockConfig.RateLimit(12, Duration.ofSeconds(10))).build());
             GraphKeySource throttled = GraphKeySource.create(connectorTo(limited)
                     .clientSecret(limited.config().clientSecret().orElseThrow()).maxAttempts(10).build())) {
            SeededTenant.populate(limited.admin(), SEED, 80, "corp.example.com");
            limited.admin().addFault(FaultRule.status("/users/*/authentication/*", 429).retryAfter(7).probability(0.2));
            limited.admin().addFault(FaultRule.status("/users/*/authentication/*", 503).probability(0.1));
            KeyRead read = throttled.fullSnapshot();
            assertThat(read.users()).hasSize(80);
            assertThat(read.users()).allSatisfy(u -> assertThat(u.keyError()).isEmpty());
            long withKeys = limited.admin().users().stream().filter(u -> !limited.admin().keys(u.id()).isEmpty()).count();
            assertThat(read.users().stream().filter(u -> !u.keys().isEmpty()).count()).isEqualTo(withKeys);
            assertThat(read.throttleWaits()).isPositive();
            List<RecordedRequest> journal = limited.admin().requests();
            assertThat(journal).anyMatch(r -> r.status() == 429).anyMatch(r -> r.status() == 503);
        }
    }

    @Test
    void serverErrorsAndDroppedConnectionsAreRetriedAndAPersistentOutageFailsWithATypedError() {
        mock.admin().addUser(GraphUser.named("alice@corp.example.com", "Alice"));
        mock.admin().addFault(FaultRule.status("/users/delta*", 503).times(1));
        mock.admin().addFault(FaultRule.dropConnection("/users/delta*").times(1));
        assertThat(source.fullSnapshot().users()).hasSize(1);

        mock.admin().addFault(FaultRule.status("/users/delta*", 500));
        assertThatThrownBy(source::fullSnapshot).isInstanceOfSatisfying(KeyTrustException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.GRAPH_UNAVAILABLE)).hasMessageContaining("HTTP 500");
    }

    @Test
    void aThrottledOrFailedBatchAsAWholeIsRetriedAfterItsRetryAfter() {
        GraphUser alice = mock.admin().addUser(GraphUser.named("alice@corp.example.com", "Alice"));
        mock.admin().addKey(alice.id(), KeyRequest.generated());
        mock.admin().addFault(FaultRule.status("/v1.0/$batch", 429).retryAfter(12).times(1));
        mock.admin().addFault(FaultRule.status("/v1.0/$batch", 502).times(1));
        Instant before = time.now();
        KeyRead read = source.fullSnapshot();
        assertThat(read.users()).singleElement().satisfies(u -> {
            assertThat(u.keyError()).isEmpty();
            assertThat(u.keys()).hasSize(1);
        });
        assertThat(read.throttleWaits()).isEqualTo(2);
        assertThat(Duration.between(before, time.now())).isEqualTo(Duration.ofSeconds(12 + 2)); // Retry-After, then the back-off of a second attempt
    }

    @Test
    void aUserWhoseMethodsFailIsReportedAloneAndTheOthersAreRead() {
        GraphUser alice = mock.admin().addUser(GraphUser.named("alice@corp.example.com", "Alice"));
        GraphUser bob = mock.admin().addUser(GraphUser.named("bob@corp.example.com", "Bob"));
        mock.admin().addKey(alice.id(), KeyRequest.generated());
        mock.admin().addKey(bob.id(), KeyRequest.generated());
        mock.admin().addFault(FaultRule.status("/users/" + bob.id() + "/authentication/*", 500));
        KeyRead read = source.fullSnapshot();
        SourceUser a = read.users().stream().filter(u -> u.id().equals(alice.id())).findFirst().orElseThrow();
        SourceUser b = read.users().stream().filter(u -> u.id().equals(bob.id())).findFirst().orElseThrow();
        assertThat(a.keys()).hasSize(1);
        assertThat(a.keyError()).isEmpty();
        assertThat(b.keys()).isEmpty();
        assertThat(b.keyError()).get().asString().contains("HTTP 500");
    }

    @Test
    void aWrongSecretFailsWithAnAuthenticationErrorNamingTheCause() {
        try (GraphKeySource wrong = GraphKeySource.create(connectorTo(mock).clientSecret("not-the-secret").build())) {
            assertThatThrownBy(wrong::fullSnapshot).isInstanceOfSatisfying(KeyTrustException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.GRAPH_AUTHENTICATION_FAILED))
                    .hasMessageContaining("AADSTS7000215");
        }
    }

    @Test
    void aCertificateCredentialSignsAnAssertionTheMockChecksAgainstTheRegisteredCertificate(@TempDir Path dir) throws Exception {
        SelfSignedCertificate appCert = SelfSignedCertificate.generate(List.of("keytrust-agent"));
        Path pem = dir.resolve("agent.pem");
        Files.writeString(pem, appCert.keyAndCertificatePem());
        try (GraphMock certMock = certificateOnlyMock(appCert);
             GraphKeySource viaCert = GraphKeySource.create(connectorTo(certMock).clientCertificate(pem, null).build())) {
            certMock.admin().addKey(certMock.admin().addUser(GraphUser.named("a@corp.example.com", "A")).id(), KeyRequest.generated());
            KeyRead read = viaCert.fullSnapshot();
            assertThat(read.users()).singleElement().satisfies(u -> assertThat(u.keys()).hasSize(1));
        }
        SelfSignedCertificate stranger = SelfSignedCertificate.generate(List.of("someone-else"));
        Path otherPem = dir.resolve("other.pem");
        Files.writeString(otherPem, stranger.keyAndCertificatePem());
        try (GraphMock certMock = certificateOnlyMock(appCert);
             GraphKeySource wrongCert = GraphKeySource.create(connectorTo(certMock).clientCertificate(otherPem, null).build())) {
            assertThatThrownBy(wrongCert::fullSnapshot).isInstanceOfSatisfying(KeyTrustException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.GRAPH_AUTHENTICATION_FAILED)).hasMessageContaining("AADSTS700027");
        }
    }
}
