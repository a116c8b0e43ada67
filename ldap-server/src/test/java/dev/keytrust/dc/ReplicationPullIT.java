package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import dev.keytrust.time.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Pull replication between two DCs over LDAP, with AD's per-attribute and per-value conflict rules. */
class ReplicationPullIT {
    private static final String PASSWORD = "Passw0rd!Passw0rd";

    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-03-01T10:00:00Z"));

    @Test
    void aKeyWrittenOnDc1ReachesDc2OnlyWhenDc2PullsAndConcurrentKeysMerge() throws Exception {
        try (DomainController dc1 = start("DC1"); DomainController dc2 = start("DC2");
             LDAPConnection one = dc1.connect(); LDAPConnection two = dc2.connect()) {
            String user = "CN=replicated,CN=Users," + dc1.baseDn();
            String keyA = KeyCredentialLinkIT.key(user, 51);
            TestUsers.add(one, user, "replicated", new Attribute("msDS-KeyCredentialLink", keyA));
            assertThat(two.getEntry(user)).as("not replicated yet: the delay LDAP clients must see").isNull();

            Replicator.PullResult first = dc2.pullFrom(dc1);
            assertThat(first.objectsAdded()).as(first.toString()).isPositive();
            SearchResultEntry copy = two.getEntry(user, "objectGUID", "msDS-KeyCredentialLink", "msDS-KeyCredentialLink-BL",
                    "msDS-ReplValueMetaData", "uSNChanged");
            assertThat(copy.getAttributeValueBytes("objectGUID")).isEqualTo(one.getEntry(user, "objectGUID").getAttributeValueBytes("objectGUID"));
            assertThat(copy.getAttributeValues("msDS-KeyCredentialLink")).containsExactly(keyA);
            assertThat(copy.getAttributeValue("msDS-KeyCredentialLink-BL")).isEqualTo(user);
            assertThat(copy.getAttributeValue("msDS-ReplValueMetaData")).contains("<pszLastOriginatingDsaDN>" + dc1.dsServiceName() + "<");
            assertThat(copy.getAttributeValueAsLong("uSNChanged")).as("the destination's own USN").isLessThanOrEqualTo(dc2.highestCommittedUsn());

            Replicator.PullResult again = dc2.pullFrom(dc1);
            assertThat(again.objectsAdded() + again.objectsChanged()).as("nothing new").isZero();
            long usnOnDc1 = one.getEntry(user, "uSNChanged").getAttributeValueAsLong("uSNChanged");
            dc1.pullFrom(dc2);
            assertThat(one.getEntry(user, "uSNChanged").getAttributeValueAsLong("uSNChanged"))
                    .as("changes that came from DC1 are not applied back to DC1").isEqualTo(usnOnDc1);
            assertThat(one.getEntry(dc2.dsServiceName())).as("DC2's own objects reach DC1").isNotNull();

            clock.advance(Duration.ofMinutes(1));
            String keyB = KeyCredentialLinkIT.key(user, 52);
            String keyC = KeyCredentialLinkIT.key(user, 53);
            one.modify(user, new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", keyB));
            two.modify(user, new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", keyC));
            dc2.pullFrom(dc1);
            dc1.pullFrom(dc2);
            for (LDAPConnection c : new LDAPConnection[] {one, two}) {
                assertThat(c.getEntry(user, "msDS-KeyCredentialLink").getAttributeValues("msDS-KeyCredentialLink"))
                        .as("concurrent adds on two DCs merge").containsExactlyInAnyOrder(keyA, keyB, keyC);
            }

            clock.advance(Duration.ofMinutes(1));
            two.modify(user, new Modification(ModificationType.DELETE, "msDS-KeyCredentialLink", keyA));
            dc1.pullFrom(dc2);
            assertThat(one.getEntry(user, "msDS-KeyCredentialLink").getAttributeValues("msDS-KeyCredentialLink"))
                    .as("a removal replicates").containsExactlyInAnyOrder(keyB, keyC);
            assertThat(one.getEntry(user, "msDS-ReplValueMetaData").getAttributeValues("msDS-ReplValueMetaData"))
                    .anyMatch(x -> x.contains("<ftimeDeleted>2026-03-01T10:02:00Z</ftimeDeleted>"));
        }
    }

    @Test
    void conflictingWritesToOneAttributeConvergeOnTheLaterOne() throws Exception {
        try (DomainController dc1 = start("DC1"); DomainController dc2 = start("DC2");
             LDAPConnection one = dc1.connect(); LDAPConnection two = dc2.connect()) {
            String user = "CN=contested,CN=Users," + dc1.baseDn();
            one.add(user, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", "contested"));
            dc2.pullFrom(dc1);
            clock.advance(Duration.ofSeconds(10));
            one.modify(user, new Modification(ModificationType.REPLACE, "description", "set on DC1 first"));
            clock.advance(Duration.ofSeconds(10));
            two.modify(user, new Modification(ModificationType.REPLACE, "description", "set on DC2 later"));
            dc2.pullFrom(dc1);
            dc1.pullFrom(dc2);
            assertThat(one.getEntry(user, "description").getAttributeValue("description")).isEqualTo("set on DC2 later");
            assertThat(two.getEntry(user, "description").getAttributeValue("description")).isEqualTo("set on DC2 later");
        }
    }

    @Test
    void aPersistentDcKeepsItsHighWaterMarksAcrossARestartAndPullsOnlyWhatIsNew(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (DomainController dc1 = start("DC1")) {
            DomainControllerConfig persistent = DomainControllerConfig.builder("DC2").clock(clock).adminPassword(PASSWORD)
                    .seed(9).dataDirectory(dir).build();
            try (DomainController dc2 = DomainController.start(persistent)) {
                assertThat(dc2.pullFrom(dc1).objectsRead()).isPositive();
            }
            try (DomainController dc2 = DomainController.start(persistent)) {
                assertThat(dc2.pullFrom(dc1).objectsRead()).as("nothing new since the marks saved at the clean stop").isZero();
                try (LDAPConnection one = dc1.connect()) {
                    one.modify("CN=Administrator,CN=Users," + dc1.baseDn(), new Modification(ModificationType.REPLACE, "description", "after"));
                }
                assertThat(dc2.pullFrom(dc1).objectsRead()).isEqualTo(1);
            }
        }
    }

    @Test
    void passwordsReplicateSoAUserCanBindOnEveryDcWithItsCurrentPassword() throws Exception {
        try (DomainController dc1 = start("DC1"); DomainController dc2 = start("DC2");
             LDAPConnection one = dc1.connect()) {
            String user = TestUsers.add(one, "CN=pw,CN=Users," + dc1.baseDn(), "pw", new Attribute("userPassword", "First-Passw0rd!"));
            dc2.pullFrom(dc1);
            try (LDAPConnection asUser = new LDAPConnection("127.0.0.1", dc2.port(), user, "First-Passw0rd!")) {
                assertThat(asUser.isConnected()).isTrue();
            }
            clock.advance(Duration.ofMinutes(5));
            one.modify(user, new Modification(ModificationType.REPLACE, "userPassword", "Second-Passw0rd!"));
            dc2.pullFrom(dc1);
            try (LDAPConnection asUser = new LDAPConnection("127.0.0.1", dc2.port(), user, "Second-Passw0rd!")) {
                assertThat(asUser.isConnected()).isTrue();
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LDAPConnection("127.0.0.1", dc2.port(), user, "First-Passw0rd!"))
                    .isInstanceOfSatisfying(com.unboundid.ldap.sdk.LDAPException.class,
                            e -> assertThat(e.getResultCode()).isEqualTo(com.unboundid.ldap.sdk.ResultCode.INVALID_CREDENTIALS));
            try (LDAPConnection two = dc2.connect()) {
                assertThat(two.getEntry(user).hasAttribute("userPassword")).as("never returned to ordinary reads").isFalse();
            }
        }
    }

    @Test
    void dcsOfDifferentDomainsRefuseToReplicate() {
        try (DomainController dc1 = start("DC1");
             DomainController other = DomainController.start(DomainControllerConfig.builder("DC2").adminPassword(PASSWORD)
                     .clock(clock).seed(10).build())) {
            long before = other.highestCommittedUsn();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> other.pullFrom(dc1))
                    .isInstanceOf(dev.keytrust.KeyTrustException.class)
                    .hasMessageContaining("not the same domain").hasMessageContaining("seed");
            assertThat(other.highestCommittedUsn()).as("nothing applied").isEqualTo(before);
        }
    }

    @Test
    void aPartnerThatStopsAnsweringFailsThePullWithinTheResponseTimeoutNotTheSdksFiveMinutes() throws Exception {
        // A partner whose network is cut: the connection is accepted, then nothing ever comes back.
        try (DomainController dc1 = start("DC1"); java.net.ServerSocket silent = new java.net.ServerSocket(0, 5,
                java.net.InetAddress.getLoopbackAddress())) {
            Thread sink = new Thread(() -> {
                try (java.net.Socket s = silent.accept()) {
                    s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                } catch (java.io.IOException e) {
                    // the test is over
                }
            }, "silent-partner");
            sink.setDaemon(true);
            sink.start();
            long started = System.nanoTime();
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Replicator.RESPONSE_TIMEOUT.plusSeconds(10), () ->
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> dc1.replicator().pull("127.0.0.1", silent.getLocalPort(), dc1.administratorDn(), PASSWORD))
                            .isInstanceOf(dev.keytrust.KeyTrustException.class).hasMessageContaining("timeout"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("given up after the response timeout")
                    .isGreaterThanOrEqualTo(Replicator.RESPONSE_TIMEOUT.minusMillis(100));
            try (LDAPConnection one = dc1.connect()) {
                String status = dev.keytrust.dc.schema.AdSchema.REPLICATION_STATUS;
                assertThat(one.getEntry("", status).getAttributeValues(status)).as("the partner's status says why")
                        .anyMatch(partner -> partner.contains("timeout"));
            }
        }
    }

    private DomainController start(String name) {
        return DomainController.start(DomainControllerConfig.builder(name).adminPassword(PASSWORD).clock(clock).seed(9).build());
    }
}
