package dev.keytrust.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import dev.keytrust.KeyTrustException;
import dev.keytrust.graph.mock.DeviceKey;
import dev.keytrust.graph.mock.FaultRule;
import dev.keytrust.graph.mock.GraphMockAdmin.KeyRequest;
import dev.keytrust.graph.mock.GraphUser;
import dev.keytrust.graph.mock.UserUpdate;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeySource;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent end to end: the Graph mock over HTTPS → agent → a DC over LDAP, on virtual time. */
class SyncAgentIT {
    private static final long SEED = 21;

    @Test
    void everyGraphKeyLandsOnTheRightUserByteForByteAndASecondCycleWritesNothing(@TempDir Path dir) throws Exception {
        try (AgentLab lab = new AgentLab(SEED, 40, 1); SyncAgent agent = lab.agent(dir.resolve("state.json"), b -> b)) {
            GraphUser cloudOnly = lab.mock.admin().addUser(GraphUser.named("cloud@corp.example.com", "Cloud Only"));
            lab.mock.admin().addKey(cloudOnly.id(), KeyRequest.generated());
            CycleReport first = agent.runCycle();
            assertThat(first.mode()).isEqualTo("full");
            assertThat(first.usersScanned()).isEqualTo(41);
            assertThat(first.usersJoined()).isEqualTo(40);
            assertThat(first.usersSkipped()).singleElement().satisfies(s -> {
                assertThat(s.user()).isEqualTo("cloud@corp.example.com");
                assertThat(s.reason()).contains("cloud-only");
            });
            int expectedKeys = 0;
            for (GraphUser p : lab.people) {
                List<DeviceKey> keys = lab.mock.admin().keys(p.id());
                expectedKeys += keys.size();
                List<String> values = lab.values(lab.dcs.get(0), p.userPrincipalName());
                assertThat(values).hasSize(keys.size());
                String dn = lab.dn(lab.dcs.get(0), p.userPrincipalName());
                for (DeviceKey k : keys) {
                    KeyCredential kc = values.stream().map(KeyCredential::fromDnBinary)
                            .filter(v -> v.keyIdBase64().equals(k.keyId())).findFirst().orElseThrow();
                    assertThat(kc.keyMaterial().bytes()).isEqualTo(k.keyMaterial());
                    assertThat(kc.source()).isEqualTo(KeySource.AZURE_AD);
                    assertThat(kc.deviceId()).contains(k.deviceId());
                    assertThat(kc.creationTime().orElseThrow().instant()).isEqualTo(k.createdDateTime());
                    assertThat(kc.ownerDn()).contains(dn);
                    assertThat(kc.keyHashValid()).isTrue();
                }
            }
            assertThat(first.keysAdded()).isEqualTo(expectedKeys).isPositive();

            long usnBefore = lab.dcs.get(0).highestCommittedUsn();
            CycleReport second = agent.runCycle();
            assertThat(second.mode()).isEqualTo("delta");
            assertThat(second.keysAdded() + second.keysRemoved()).isZero();
            assertThat(lab.dcs.get(0).highestCommittedUsn()).as("nothing written").isEqualTo(usnBefore);
            CycleReport full = agent.runCycle(true);
            assertThat(full.mode()).isEqualTo("full");
            assertThat(full.keysUnchanged()).isEqualTo(expectedKeys);
            assertThat(lab.dcs.get(0).highestCommittedUsn()).as("a full re-run writes nothing either").isEqualTo(usnBefore);
        }
    }

    @Test
    void deltaRemovesGoneKeysLeavesAdSourcedValuesAndDeletedUsersAlone(@TempDir Path dir) throws Exception {
        try (AgentLab lab = new AgentLab(SEED, 12, 1); SyncAgent agent = lab.agent(dir.resolve("state.json"), b -> b)) {
            GraphUser withKeys = lab.people.stream().filter(p -> !lab.mock.admin().keys(p.id()).isEmpty()).findFirst().orElseThrow();
            GraphUser deleted = lab.people.stream().filter(p -> p != withKeys && !lab.mock.admin().keys(p.id()).isEmpty()).findFirst().orElseThrow();
            String dn = lab.dn(lab.dcs.get(0), withKeys.userPrincipalName());
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            String onPrem = KeyCredential.builder().publicKey((RSAPublicKey) rsa.generateKeyPair().getPublic()).ownerDn(dn)
                    .creationTime(lab.time.now()).source(KeySource.AD).build().toDnBinary();
            try (LDAPConnection ldap = lab.dcs.get(0).connect()) {
                ldap.modify(dn, new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", onPrem));
            }
            agent.runCycle();
            List<String> deletedValues = lab.values(lab.dcs.get(0), deleted.userPrincipalName());
            assertThat(deletedValues).isNotEmpty();

            lab.time.advance(Duration.ofMinutes(30));
            DeviceKey gone = lab.mock.admin().keys(withKeys.id()).get(0);
            lab.mock.admin().removeKey(withKeys.id(), gone.keyId());
            DeviceKey fresh = lab.mock.admin().addKey(withKeys.id(), KeyRequest.device("NEW-PC"));
            lab.mock.admin().removeUser(deleted.id());
            CycleReport delta = agent.runCycle();

            assertThat(delta.mode()).isEqualTo("delta");
            assertThat(delta.usersScanned()).isEqualTo(1);
            assertThat(delta.usersRemoved()).isEqualTo(1);
            assertThat(delta.keysAdded()).isEqualTo(1);
            assertThat(delta.keysRemoved()).isEqualTo(1);
            assertThat(delta.valuesUntouched()).isEqualTo(1);
            List<String> now = lab.values(lab.dcs.get(0), withKeys.userPrincipalName());
            assertThat(now).contains(onPrem);
            assertThat(now.stream().map(v -> KeyCredential.fromDnBinary(v).keyIdBase64()))
                    .contains(fresh.keyId()).doesNotContain(gone.keyId());
            assertThat(lab.values(lab.dcs.get(0), deleted.userPrincipalName())).as("Entra deletions do not touch AD")
                    .containsExactlyInAnyOrderElementsOf(deletedValues);
        }
    }

    @Test
    void aProfileChangeDeltaIsReadAndAnAnchorSetOnACloudUserJoinsItAndWritesItsKeys(@TempDir Path dir) throws Exception {
        try (AgentLab lab = new AgentLab(SEED, 8, 1); SyncAgent agent = lab.agent(dir.resolve("state.json"), b -> b)) {
            GraphUser twin = lab.mock.admin().addUser(GraphUser.named("twin@corp.example.com", "Cloud Twin"));
            DeviceKey twinKey = lab.mock.admin().addKey(twin.id(), KeyRequest.device("TWIN-PC"));
            GraphUser keyless = lab.people.stream().filter(p -> lab.mock.admin().keys(p.id()).isEmpty()).findFirst().orElseThrow();
            GraphUser keyed = lab.people.stream().filter(p -> !lab.mock.admin().keys(p.id()).isEmpty()).findFirst().orElseThrow();
            CycleReport first = agent.runCycle();
            assertThat(first.usersSkipped()).extracting(CycleReport.Skipped::user).contains("twin@corp.example.com");
            List<String> keyedValues = lab.values(lab.dcs.get(0), keyed.userPrincipalName());

            lab.time.advance(Duration.ofMinutes(30));
            lab.mock.admin().updateUser(keyed.id(), new UserUpdate("Renamed Person", null, null, false, null, null, null, null));
            long usnBefore = lab.dcs.get(0).highestCommittedUsn();
            CycleReport renamed = agent.runCycle();
            assertThat(renamed.mode()).isEqualTo("delta");
            assertThat(renamed.usersScanned()).isEqualTo(1);
            assertThat(renamed.keysAdded() + renamed.keysRemoved()).isZero();
            assertThat(lab.dcs.get(0).highestCommittedUsn()).as("a profile change alone writes nothing").isEqualTo(usnBefore);
            assertThat(lab.values(lab.dcs.get(0), keyed.userPrincipalName())).containsExactlyInAnyOrderElementsOf(keyedValues);

            lab.time.advance(Duration.ofMinutes(30));
            lab.mock.admin().purgeUser(keyless.id());
            lab.mock.admin().updateUser(twin.id(), new UserUpdate(null, null, keyless.onPremisesImmutableId(), null, null, null,
                    null, null));
            CycleReport joined = agent.runCycle();
            assertThat(joined.mode()).isEqualTo("delta");
            assertThat(joined.usersRemoved()).isEqualTo(1);
            assertThat(joined.keysAdded()).isEqualTo(1);
            assertThat(lab.values(lab.dcs.get(0), keyless.userPrincipalName()).stream()
                    .map(v -> KeyCredential.fromDnBinary(v).keyIdBase64())).contains(twinKey.keyId());
        }
    }

    @Test
    void garbageKeyMaterialAndUnknownKeyTypesAreSkippedAndReportedWhileOtherKeysAreWritten(@TempDir Path dir) throws Exception {
        try (AgentLab lab = new AgentLab(SEED, 6, 1); SyncAgent agent = lab.agent(dir.resolve("state.json"), b -> b)) {
            GraphUser u = lab.people.get(0);
            lab.mock.admin().addKey(u.id(), KeyRequest.malformed("BAD-B64", "%%% not base64 %%%", null));
            lab.mock.admin().addKey(u.id(), KeyRequest.malformed("NOT-RSA", "AAECAwQFBgcICQ==", null));
            lab.mock.admin().addKey(u.id(), KeyRequest.malformed("FIDO", lab.mock.admin().keys(lab.people.get(1).id()).isEmpty()
                    ? "AAAA" : lab.mock.admin().keys(lab.people.get(1).id()).get(0).keyMaterialBase64(), "FIDO"));
            DeviceKey good = lab.mock.admin().addKey(u.id(), KeyRequest.device("GOOD-PC"));
            CycleReport r = agent.runCycle();
            assertThat(r.keyProblems()).filteredOn(p -> p.user().equals(u.userPrincipalName())).extracting(CycleReport.Skipped::reason)
                    .anyMatch(s -> s.contains("not valid base64")).anyMatch(s -> s.contains("not an RSA public key"))
                    .anyMatch(s -> s.contains("key type 'FIDO'"));
            assertThat(lab.values(lab.dcs.get(0), u.userPrincipalName()).stream().map(v -> KeyCredential.fromDnBinary(v).keyIdBase64()))
                    .contains(good.keyId());
            assertThat(r.toJson()).contains("\"mode\":\"full\"", "\"usersSkipped\":[]", "\"keysAdded\":");
        }
    }

    @Test
    void aThrottlingStormOfTenSimulatedMinutesIsRiddenOutAndNothingIsLost(@TempDir Path dir) throws Exception {
        try (AgentLab lab = new AgentLab(SEED, 30, 1); SyncAgent agent = lab.agent(dir.resolve("state.json"), b -> b)) {
            // Graph throttles (the token endpoint is Entra, not Graph): half of all Graph requests, for ten minutes
            lab.mock.admin().addFault(FaultRule.status("/v1.0/*", 429).retryAfter(20).probability(0.5));
            lab.mock.admin().addFault(FaultRule.status("/beta/*", 429).retryAfter(20).probability(0.5));
            lab.time.schedule(Duration.ofMinutes(10), "storm ends", () -> lab.mock.admin().clearFaults());
            CycleReport r = agent.runCycle();
            assertThat(r.throttleWaits()).isPositive();
            assertThat(r.usersSkipped()).isEmpty();
            int expected = lab.people.stream().mapToInt(p -> lab.mock.admin().keys(p.id()).size()).sum();
            assertThat(r.keysAdded()).isEqualTo(expected);
        }
    }

    @Test
    void anUnreachableSyncTargetFallsBackToTheNextDcAndSaysSo(@TempDir Path dir) throws Exception {
        try (AgentLab lab = new AgentLab(SEED, 8, 2); SyncAgent agent = lab.agent(dir.resolve("state.json"), b -> b)) {
            lab.dcs.get(0).suspend();
            CycleReport r = agent.runCycle();
            assertThat(r.targetDc()).isEqualTo(lab.dcs.get(1).ldapUrl());
            assertThat(r.fallbackReason()).contains(lab.dcs.get(0).ldapUrl(), "unreachable");
            assertThat(r.keysAdded()).isPositive();
        }
    }

    @Test
    void anAgentKilledBetweenWritesConvergesOnTheNextRunWithNoDuplicates(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state.json");
        try (AgentLab lab = new AgentLab(SEED, 30, 1)) {
            AtomicInteger writes = new AtomicInteger();
            try (SyncAgent crashing = lab.agent(state, b -> b.afterWrite(dn -> {
                if (writes.incrementAndGet() == 4) {
                    throw new IllegalStateException("killed after the 4th write");
                }
            }))) {
                assertThatThrownBy(crashing::runCycle).hasMessageContaining("killed");
            }
            assertThat(state).doesNotExist();
            try (SyncAgent restarted = lab.agent(state, b -> b)) {
                CycleReport r = restarted.runCycle();
                assertThat(r.mode()).isEqualTo("full");
                int expected = lab.people.stream().mapToInt(p -> lab.mock.admin().keys(p.id()).size()).sum();
                assertThat(r.keysAdded() + r.keysUnchanged()).isEqualTo(expected);
                assertThat(r.keysUnchanged()).isPositive();
            }
            for (GraphUser p : lab.people) {
                List<String> values = lab.values(lab.dcs.get(0), p.userPrincipalName());
                List<String> ids = new ArrayList<>(values.stream().map(v -> KeyCredential.fromDnBinary(v).keyIdBase64()).toList());
                assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
                        lab.mock.admin().keys(p.id()).stream().map(DeviceKey::keyId).toList());
            }
            assertThat(state).exists();
        }
    }

    @Test
    void aDcThatGoesDownMidCycleFailsItNamingTheDcAndTheLdapResultInWordsWithoutJavaClassNames(@TempDir Path dir) throws Exception {
        for (boolean full : new boolean[] {true, false}) {
            try (AgentLab lab = new AgentLab(SEED, 30, 1)) {
                AtomicInteger writes = new AtomicInteger();
                AtomicInteger downAfter = new AtomicInteger(full ? 3 : 1);
                try (SyncAgent agent = lab.agent(dir.resolve(full + "-state.json"), b -> b.afterWrite(dn -> {
                    if (writes.incrementAndGet() == downAfter.get()) {
                        lab.dcs.get(0).suspend();
                    }
                }))) {
                    if (!full) {
                        downAfter.set(Integer.MAX_VALUE);
                        agent.runCycle();
                        lab.time.advance(Duration.ofMinutes(30));
                        writes.set(0);
                        downAfter.set(1);
                        for (GraphUser p : lab.people.subList(0, 3)) {
                            lab.mock.admin().addKey(p.id(), KeyRequest.device("NEW-PC"));
                        }
                    }
                    String url = lab.dcs.get(0).ldapUrl();
                    assertThatThrownBy(() -> agent.runCycle()).as(full ? "full" : "delta")
                            .isInstanceOfSatisfying(KeyTrustException.class, e -> assertThat(e.getMessage())
                                    .contains("sync target DC " + url, "LDAP result 81 (server down)", "nothing was saved")
                                    .doesNotContainPattern("\\w\\$\\w").doesNotContain("Exception", "Failure", "dev.keytrust"));
                }
            }
        }
    }

    @Test
    void scheduledCyclesRunEveryIntervalOnTestbedTimeAndAShortIntervalNeedsConsent(@TempDir Path dir) throws Exception {
        try (AgentLab lab = new AgentLab(SEED, 4, 1)) {
            assertThatThrownBy(() -> AgentConfig.builder(lab.source, lab.time).dc(lab.dcs.get(0).ldapUrl())
                    .bind("cn=x", "y").interval(Duration.ofMinutes(5)).build()).hasMessageContaining("30-minute floor");
            List<String> modes = new ArrayList<>();
            try (SyncAgent agent = lab.agent(dir.resolve("state.json"), b -> b)) {
                agent.onReport(r -> modes.add(r.mode() + "@" + lab.time.now()));
                agent.start();
                lab.time.advance(Duration.ofMinutes(61));
            }
            assertThat(modes).containsExactly("full@2026-04-01T09:00:00Z", "delta@2026-04-01T09:30:00Z", "delta@2026-04-01T10:00:00Z");
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aScheduledCycleWaitsOutThrottlingOnVirtualTimeWithoutBlockingTheScheduler(@TempDir Path dir) throws Exception {
        try (AgentLab lab = new AgentLab(SEED, 20, 1); SyncAgent agent = lab.agent(dir.resolve("state.json"), b -> b)) {
            lab.mock.admin().addFault(FaultRule.status("/v1.0/$batch", 429).retryAfter(45).times(3));
            lab.mock.admin().addFault(FaultRule.status("/beta/users/delta*", 503).retryAfter(30).times(1));
            List<CycleReport> reports = new ArrayList<>();
            agent.onReport(reports::add);
            agent.start();
            lab.time.advance(Duration.ofMinutes(31));
            assertThat(agent.lastFailure()).isEmpty();
            assertThat(reports).hasSize(2);
            assertThat(reports.get(0).throttleWaits()).isGreaterThanOrEqualTo(4);
            int expected = lab.people.stream().mapToInt(p -> lab.mock.admin().keys(p.id()).size()).sum();
            assertThat(reports.get(0).keysAdded()).isEqualTo(expected);
        }
    }
}
