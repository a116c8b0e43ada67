package dev.keytrust.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import dev.keytrust.dc.SambaOracle;
import dev.keytrust.encoding.MsGuid;
import dev.keytrust.graph.GraphConnectorConfig;
import dev.keytrust.graph.GraphKeySource;
import dev.keytrust.graph.mock.DeviceKey;
import dev.keytrust.graph.mock.GraphMock;
import dev.keytrust.graph.mock.GraphMockAdmin.KeyRequest;
import dev.keytrust.graph.mock.GraphMockConfig;
import dev.keytrust.graph.mock.GraphUser;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeySource;
import dev.keytrust.time.VirtualScheduler;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The agent against a real Samba AD DC ({@code ../shared/tools/samba-oracle.sh}) instead of our DC: users are created
 * there over LDAP with mS-DS-ConsistencyGuid set to the GUID whose base64 is the mock user's onPremisesImmutableId.
 */
class SambaAgentIT {
    @Test
    void theAgentRunsUnchangedAgainstSamba() throws Exception {
        boolean started = SambaOracle.ensureRunning();
        String tag = "kta" + Long.toHexString(System.nanoTime() & 0xFFFFFFL);
        List<String> created = new ArrayList<>();
        VirtualScheduler time = new VirtualScheduler();
        try (LDAPConnection samba = SambaOracle.connect();
             GraphMock mock = GraphMock.start(GraphMockConfig.builder().seed(8).clock(time.clock()).build());
             GraphKeySource source = GraphKeySource.create(GraphConnectorConfig.builder(mock.tenantId(), mock.clientId())
                     .clientSecret(mock.config().clientSecret().orElseThrow()).graphUrl(mock.baseUrl())
                     .authorityHost(mock.authorityHost()).trust(mock.certificate()).scheduler(time).build())) {
            List<GraphUser> users = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                UUID guid = UUID.randomUUID();
                String sam = tag + i;
                String dn = "CN=" + sam + ",CN=Users," + SambaOracle.BASE_DN;
                samba.add(dn, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", sam),
                        new Attribute("userPrincipalName", sam + "@corp.example.com"),
                        new Attribute("mS-DS-ConsistencyGuid", MsGuid.toBytes(guid)));
                created.add(dn);
                GraphUser u = mock.admin().addUser(GraphUser.named(sam + "@corp.example.com", sam).withOnPremises(
                        Base64.getEncoder().encodeToString(MsGuid.toBytes(guid)), null, sam, dn, "corp.example.com"));
                mock.admin().addKey(u.id(), KeyRequest.device(sam.toUpperCase() + "-PC"));
                users.add(u);
            }
            mock.admin().addKey(users.get(0).id(), KeyRequest.device("SECOND-PC"));
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            String onPrem = KeyCredential.builder().publicKey((RSAPublicKey) rsa.generateKeyPair().getPublic())
                    .ownerDn(created.get(1)).creationTime(time.now()).source(KeySource.AD).build().toDnBinary();
            samba.modify(created.get(1), new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", onPrem));

            try (SyncAgent agent = SyncAgent.create(AgentConfig.builder(source, time)
                    .dc("ldap://" + SambaOracle.HOST + ":" + SambaOracle.PORT)
                    .bind(SambaOracle.ADMIN_DN, SambaOracle.ADMIN_PASSWORD).build())) {
                CycleReport first = agent.runCycle();
                assertThat(first.usersJoined()).isEqualTo(4);
                assertThat(first.keysAdded()).isEqualTo(5);
                for (int i = 0; i < 4; i++) {
                    List<String> values = values(samba, created.get(i));
                    for (DeviceKey k : mock.admin().keys(users.get(i).id())) {
                        KeyCredential kc = values.stream().map(KeyCredential::fromDnBinary)
                                .filter(v -> v.keyIdBase64().equals(k.keyId())).findFirst().orElseThrow();
                        assertThat(kc.keyMaterial().bytes()).isEqualTo(k.keyMaterial());
                        assertThat(kc.source()).isEqualTo(KeySource.AZURE_AD);
                    }
                }
                String usn = samba.getRootDSE().getAttributeValue("highestCommittedUSN");
                assertThat(agent.runCycle().keysAdded()).isZero();
                assertThat(samba.getRootDSE().getAttributeValue("highestCommittedUSN")).as("a re-run writes nothing").isEqualTo(usn);

                time.advance(Duration.ofMinutes(30));
                DeviceKey gone = mock.admin().keys(users.get(0).id()).get(0);
                mock.admin().removeKey(users.get(0).id(), gone.keyId());
                mock.admin().removeKey(users.get(1).id(), mock.admin().keys(users.get(1).id()).get(0).keyId());
                List<String> before3 = values(samba, created.get(3));
                mock.admin().removeUser(users.get(3).id());
                CycleReport delta = agent.runCycle();
                assertThat(delta.keysRemoved()).isEqualTo(2);
                assertThat(values(samba, created.get(0))).hasSize(1);
                assertThat(values(samba, created.get(1))).containsExactly(onPrem);
                assertThat(values(samba, created.get(3))).containsExactlyInAnyOrderElementsOf(before3);
            }
        } finally {
            try (LDAPConnection samba = SambaOracle.connect()) {
                for (String dn : created) {
                    samba.delete(dn);
                }
            }
            time.close();
            if (started) {
                SambaOracle.stop();
            }
        }
    }

    private static List<String> values(LDAPConnection ldap, String dn) throws Exception {
        SearchResultEntry e = ldap.getEntry(dn, "msDS-KeyCredentialLink");
        String[] v = e.getAttributeValues("msDS-KeyCredentialLink");
        return v == null ? List.of() : List.of(v);
    }
}
