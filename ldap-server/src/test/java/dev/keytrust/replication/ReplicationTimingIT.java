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

    @Test
    void aWriteReachesIntraSitePartnersAfter15sAnd3sMoreAndTheBranchAtTheNextInterSitePull() throws Exception {
        VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-04-01T08:00:00Z"));
        try (ReplicationNetwork lab = ReplicationNetwork.start(TopologyYaml.parse(TOPOLOGY), time, 42, PASSWORD)) {
            Instant t0 = lab.timeZero();
            List<String> partners = lab.connections().stream()
                    .filter(c -> c.source().equals("DC1") && c.kind() == Connection.Kind.INTRA_SITE)
                    .map(Connection::destination).distinct().toList();
            assertThat(partners).containsExactlyInAnyOrder("DC2", "DC3");
            String dn = "CN=timed,CN=Users,DC=corp,DC=example,DC=com";
            try (LDAPConnection dc1 = lab.dc("DC1").connect()) {
                dc1.add(dn, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", "timed"));
            }
            time.advanceTo(t0.plusSeconds(14));
            assertThat(sees(lab, partners.get(0), dn)).as("not before the 15 s first-partner delay").isFalse();
            time.advanceTo(t0.plusSeconds(15));
            assertThat(sees(lab, partners.get(0), dn)).as("first partner at exactly 15 s").isTrue();
            assertThat(sees(lab, partners.get(1), dn)).as("second partner not yet").isFalse();
            time.advanceTo(t0.plusSeconds(18));
            assertThat(sees(lab, partners.get(1), dn)).as("second partner 3 s later").isTrue();

            String hqBridgehead = KnowledgeConsistencyChecker.bridgehead(TopologyYaml.parse(TOPOLOGY), "HQ", 42);
            assertThat(hqBridgehead).isIn("DC1", "DC2", "DC3");
            time.advanceTo(t0.plus(Duration.ofMinutes(15)).minusSeconds(1));
            assertThat(sees(lab, "DC4", dn)).as("the branch waits for the 15-minute inter-site pull").isFalse();
            time.advanceTo(t0.plus(Duration.ofMinutes(15)));
            assertThat(sees(lab, "DC4", dn)).as("the branch has it at the inter-site pull").isTrue();
        }
    }

    private static boolean sees(ReplicationNetwork lab, String dc, String dn) throws LDAPException {
        try (LDAPConnection ldap = lab.dc(dc).connect()) {
            return ldap.getEntry(dn) != null;
        }
    }
}
