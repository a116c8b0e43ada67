package dev.keytrust.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import dev.keytrust.time.VirtualScheduler;
import dev.keytrust.topology.Connection;
import dev.keytrust.topology.KnowledgeConsistencyChecker;
import dev.keytrust.topology.TopologyYaml;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AD's replication timing, on virtual time, with exact expected instants. */
class ReplicationTimingIT {
    private static final String PASSWORD = "Passw0rd!Passw0rd";
    private static final String TOPOLOGY = String.join("\n",
            "sites: [{name: HQ}, {name: Branch}]",
            "siteLinks: [{name: HQ-Branch, sites: [HQ, Branch], replInterval: 15m}]",
            "domainControllers:",
            "  - {name: DC1, site: HQ}",
            "  - {name: DC2, site: HQ}",
            "  - {name: DC3, site: HQ}",
            "  - {name: DC4, site: Branch}",
            "");
    private static final String USERS = "CN=Users,DC=corp,DC=example,DC=com";

    private final VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-04-01T08:00:00Z"));

    @Test
    void aWriteReachesIntraSitePartnersAfter15sAnd3sMoreAndTheBranchAtTheNextInterSitePull() throws Exception {
        try (ReplicationNetwork lab = start(TOPOLOGY)) {
            Instant t0 = lab.timeZero();
            List<String> partners = lab.connections().stream()
                    .filter(c -> c.source().equals("DC1") && c.kind() == Connection.Kind.INTRA_SITE)
                    .map(Connection::destination).distinct().toList();
            assertThat(partners).containsExactlyInAnyOrder("DC2", "DC3");
            String dn = addUser(lab, "DC1", "timed", "timed");
            assertArrivesAt(lab, partners.get(0), dn, t0.plusSeconds(15), "the first partner, after the 15 s delay");
            assertThat(sees(lab, partners.get(1), dn)).as("second partner not yet").isFalse();
            time.advanceTo(t0.plusSeconds(18));
            assertThat(sees(lab, partners.get(1), dn)).as("second partner 3 s later").isTrue();

            String hqBridgehead = KnowledgeConsistencyChecker.bridgehead(TopologyYaml.parse(TOPOLOGY), "HQ", 42);
            assertThat(hqBridgehead).isIn("DC1", "DC2", "DC3");
            assertArrivesAt(lab, "DC4", dn, t0.plus(Duration.ofMinutes(15)), "the branch, at the 15-minute inter-site pull");
        }
    }

    @Test
    void aPartitionedSiteKeepsTakingWritesAndConvergesAtTheFirstPullAfterHealing() throws Exception {
        try (ReplicationNetwork lab = start(TOPOLOGY)) {
            Instant t0 = lab.timeZero();
            lab.isolate("DC4");
            String hq = addUser(lab, "DC1", "written in HQ", "hqwrite");
            String branch = addUser(lab, "DC4", "written in the branch", "branchwrite");
            time.advanceTo(t0.plus(Duration.ofMinutes(30)));
            assertThat(sees(lab, "DC4", hq)).as("the partitioned branch does not get HQ's write").isFalse();
            assertThat(sees(lab, "DC1", branch)).isFalse();
            assertThat(sees(lab, "DC2", hq)).as("HQ replicates inside itself meanwhile").isTrue();
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> lab.replicate("DC1", "DC4")))
                    .hasMessageContaining("partitioned");

            lab.heal();
            time.advanceTo(t0.plus(Duration.ofMinutes(45)));
            assertThat(sees(lab, "DC4", hq)).as("the next inter-site pull after healing brings HQ's write").isTrue();
            time.runUntilQuiet(Duration.ofHours(2));
            time.advance(Duration.ofHours(2)); // periodic pulls carry the branch's write through HQ
            for (String dc : List.of("DC1", "DC2", "DC3", "DC4")) {
                assertThat(sees(lab, dc, hq)).as(dc).isTrue();
                assertThat(sees(lab, dc, branch)).as(dc).isTrue();
            }
        }
    }

    @Test
    void aDcThatWasDownGetsTheWritesMadeMeanwhileAfterItIsBack() throws Exception {
        try (ReplicationNetwork lab = start(TOPOLOGY)) {
            Instant t0 = lab.timeZero();
            lab.stopDc("DC3");
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> lab.dc("DC3").connect()))
                    .as("a DC that is down does not answer LDAP").isNotNull();
            String dn = addUser(lab, "DC1", "while down", "whiledown");
            time.advanceTo(t0.plus(Duration.ofMinutes(10)));
            lab.startDc("DC3");
            assertThat(sees(lab, "DC3", dn)).as("nothing arrives while it was down").isFalse();
            time.advanceTo(t0.plus(Duration.ofHours(1)));
            assertThat(sees(lab, "DC3", dn)).as("the hourly intra-site pull brings what it missed").isTrue();
        }
    }

    @Test
    void disabledInboundReplicationHoldsChangesBackUntilEnabled() throws Exception {
        try (ReplicationNetwork lab = start(TOPOLOGY)) {
            lab.setInboundReplication("DC2", false);
            String dn = addUser(lab, "DC1", "held back", "heldback");
            time.advance(Duration.ofMinutes(5));
            assertThat(sees(lab, "DC3", dn)).isTrue();
            assertThat(sees(lab, "DC2", dn)).as("DC2 pulls nothing while inbound replication is off").isFalse();
            lab.setInboundReplication("DC2", true);
            lab.replicate("DC1", "DC2");
            assertThat(sees(lab, "DC2", dn)).isTrue();
        }
    }

    @Test
    void anInterSitePullWaitsForTheSiteLinksScheduleToOpen() throws Exception {
        // 2026-04-01 is a Wednesday; pulls every 15 min from 08:00, the link is open from 08:50 to 10:00 on Wednesdays.
        String topology = TOPOLOGY.replace("replInterval: 15m}", "replInterval: 15m, schedule: [{days: [Wed], from: \"08:50\", to: \"10:00\"}]}");
        try (ReplicationNetwork lab = start(topology)) {
            Instant t0 = lab.timeZero();
            String dn = addUser(lab, "DC1", "scheduled", "scheduled");
            assertArrivesAt(lab, "DC4", dn, t0.plus(Duration.ofMinutes(60)),
                    "the branch, at the 09:00 pull (the 08:15, 08:30 and 08:45 pulls fall outside the schedule)");
        }
    }

    @Test
    void aSiteLinkWithUseNotifyCarriesAChangeAcrossSitesAfterTheFirstNotificationDelay() throws Exception {
        String topology = String.join("\n",
                "sites: [{name: HQ}, {name: Branch}]",
                "siteLinks: [{name: HQ-Branch, sites: [HQ, Branch], replInterval: 180m, options: [USE_NOTIFY]}]",
                "domainControllers:",
                "  - {name: DC1, site: HQ}",
                "  - {name: DC2, site: Branch}",
                "");
        try (ReplicationNetwork lab = start(topology)) {
            Instant t0 = lab.timeZero();
            String dn = addUser(lab, "DC1", "notified", "notified");
            assertArrivesAt(lab, "DC2", dn, t0.plusSeconds(15),
                    "notified like an intra-site partner, not at the 180-minute pull");
        }
    }

    @Test
    void aDeletionReplicatesAsATombstoneAndGarbageCollectionRemovesItEvery12HoursAfterTheLifetime() throws Exception {
        try (ReplicationNetwork lab = start(TOPOLOGY + "tombstoneLifetime: 13h\n")) {
            Instant t0 = lab.timeZero();
            String dn = addUser(lab, "DC1", "short-lived", "shortlived");
            time.advanceTo(t0.plus(Duration.ofMinutes(30)));
            assertThat(sees(lab, "DC4", dn)).isTrue();
            try (LDAPConnection dc1 = lab.dc("DC1").connect()) {
                dc1.delete(dn);
            }
            time.advanceTo(t0.plus(Duration.ofMinutes(60)));
            for (String dc : List.of("DC1", "DC2", "DC3", "DC4")) {
                assertThat(sees(lab, dc, dn)).as(dc + ": gone for clients").isFalse();
                assertThat(tombstones(lab, dc)).as(dc + ": its tombstone replicated").isEqualTo(1);
            }
            time.advanceTo(t0.plus(Duration.ofHours(24)).minusSeconds(1));
            assertThat(tombstones(lab, "DC4")).as("deleted at 30 min: not yet 13 h old at the 12 h collection").isEqualTo(1);
            time.advanceTo(t0.plus(Duration.ofHours(24)));
            for (String dc : List.of("DC1", "DC2", "DC3", "DC4")) {
                assertThat(tombstones(lab, dc)).as(dc + ": collected at the 24 h run").isZero();
            }
        }
    }

    private ReplicationNetwork start(String topology) {
        return ReplicationNetwork.start(TopologyYaml.parse(topology), time, 42, PASSWORD);
    }

    /** Adds a user {@code CN=cn} with {@code sam} under CN=Users on {@code dc}; its DN. */
    private static String addUser(ReplicationNetwork lab, String dc, String cn, String sam) throws LDAPException {
        String dn = "CN=" + cn + "," + USERS;
        try (LDAPConnection ldap = lab.dc(dc).connect()) {
            ldap.add(dn, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", sam));
        }
        return dn;
    }

    /** {@code dc} does not see {@code dn} a second before {@code at} and sees it at {@code at} (virtual time). */
    private void assertArrivesAt(ReplicationNetwork lab, String dc, String dn, Instant at, String who) throws LDAPException {
        time.advanceTo(at.minusSeconds(1));
        assertThat(sees(lab, dc, dn)).as("not yet a second before: " + who).isFalse();
        time.advanceTo(at);
        assertThat(sees(lab, dc, dn)).as("arrived at " + at + ": " + who).isTrue();
    }

    private static int tombstones(ReplicationNetwork lab, String dc) throws LDAPException {
        try (LDAPConnection ldap = lab.dc(dc).connect()) {
            com.unboundid.ldap.sdk.SearchRequest r = new com.unboundid.ldap.sdk.SearchRequest("DC=corp,DC=example,DC=com",
                    com.unboundid.ldap.sdk.SearchScope.SUB, "(sAMAccountName=shortlived)");
            r.addControl(new com.unboundid.ldap.sdk.Control("1.2.840.113556.1.4.417", true));
            return ldap.search(r).getEntryCount();
        }
    }

    private static boolean sees(ReplicationNetwork lab, String dc, String dn) throws LDAPException {
        try (LDAPConnection ldap = lab.dc(dc).connect()) {
            return ldap.getEntry(dn) != null;
        }
    }
}
