package dev.keytrust.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyTest {
    private static final String LAB = String.join("\n",
            "domain: corp.example.com",
            "sites: [{name: HQ}, {name: Branch}]",
            "siteLinks:",
            "  - {name: HQ-Branch, sites: [HQ, Branch], cost: 100, replInterval: 15m}",
            "domainControllers:",
            "  - {name: DC1, site: HQ, port: 14389}",
            "  - {name: DC2, site: HQ}",
            "  - {name: DC3, site: Branch}",
            "notification: {firstDelay: 15s, subsequentDelay: 3s}",
            "");

    @Test
    void theLabTopologyReadsWithAdsDefaults() {
        Topology t = TopologyYaml.parse(LAB);
        assertThat(t.domain()).isEqualTo("corp.example.com");
        assertThat(t.sites()).containsExactly("HQ", "Branch");
        assertThat(t.siteLinks().get(0).replInterval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(t.dc("DC1").orElseThrow().port()).isEqualTo(14389);
        assertThat(t.dc("dc2").orElseThrow().site()).isEqualTo("HQ");
        assertThat(t.firstNotificationDelay()).isEqualTo(Duration.ofSeconds(15));
        assertThat(t.subsequentNotificationDelay()).isEqualTo(Duration.ofSeconds(3));
        Topology defaults = TopologyYaml.parse("sites: [A, B]\nsiteLinks: [{name: L, sites: [A, B]}]\n"
                + "domainControllers: [{name: DC1, site: A}, {name: DC2, site: B}]\n");
        assertThat(defaults.siteLinks().get(0).replInterval()).isEqualTo(SiteLink.DEFAULT_INTERVAL);
        assertThat(defaults.siteLinks().get(0).cost()).isEqualTo(100);
        assertThat(defaults.tombstoneLifetime()).isEqualTo(Duration.ofDays(180));
        assertThat(TopologyYaml.parse(LAB + "tombstoneLifetime: 60d\n").tombstoneLifetime()).isEqualTo(Duration.ofDays(60));
    }

    @Test
    void mistakesAreRefusedNamingTheLine() {
        assertError(LAB.replace("site: Branch}", "site: Brnach}"), "line 8", "unknown site 'Brnach'");
        assertError(LAB.replace("replInterval: 15m", "replInterval: 20m"), "line 4", "multiple of 15m");
        assertError(LAB.replace("replInterval: 15m", "replInterval: 5m"), "line 4", "at least 15m");
        assertError(LAB.replace("{name: DC2, site: HQ}", "{name: DC1, site: HQ}"), "line 7", "defined twice");
        assertError(LAB.replace("{name: DC3, site: Branch}", "{name: DC3, site: Branch, port: 14389}"), "line 8", "both use 127.0.0.1:14389");
        assertError(LAB.replace("cost: 100", "costs: 100"), "line 4", "unknown key 'costs'");
        assertError(LAB.replace("[{name: HQ}, {name: Branch}]", "[{name: HQ}, {name: HQ}]"), "line 2", "site 'HQ' is defined twice");
        assertError(LAB.replace("firstDelay: 15s", "firstDelay: soon"), "line 9", "expected a duration");
        assertError("domain: [", "topology", "not valid YAML");
        assertError(LAB + "tombstoneLifetime: 10m\n", "line 10", "at least one hour");
    }

    @Test
    void eachDcMayHaveItsOwnHostAndTheSamePortOnDifferentHosts() {
        Topology t = TopologyYaml.parse(LAB.replace("{name: DC2, site: HQ}", "{name: DC2, site: HQ, host: 10.213.0.2, port: 14389}")
                .replace("{name: DC3, site: Branch}", "{name: DC3, site: Branch, host: dc3.corp.example.com, port: 14389}"));
        assertThat(t.dc("DC1").orElseThrow().host()).as("the default").isEqualTo("127.0.0.1");
        assertThat(t.dc("DC2").orElseThrow().host()).isEqualTo("10.213.0.2");
        assertThat(t.dc("DC3").orElseThrow().host()).isEqualTo("dc3.corp.example.com");
        assertError(LAB.replace("{name: DC2, site: HQ}", "{name: DC2, site: HQ, host: 0.0.0.0}"), "line 7",
                "partners connect to this host");
        assertError(LAB.replace("{name: DC2, site: HQ}", "{name: DC2, site: HQ, host: ''}"), "line 7", "has host ''");
        assertError(LAB.replace("{name: DC2, site: HQ}", "{name: DC2, site: HQ, host: 'dc 2'}"), "line 7",
                "expected the host name or IPv4 address");
        assertError(LAB.replace("{name: DC2, site: HQ}", "{name: DC2, site: HQ, host: 10.213.0.2, port: 14389}")
                .replace("{name: DC3, site: Branch}", "{name: DC3, site: Branch, host: 10.213.0.2, port: 14389}"), "line 8",
                "both use 10.213.0.2:14389");
    }

    @Test
    void theKccBuildsARingInsideASiteAndBridgeheadConnectionsBetweenSites() {
        Topology t = TopologyYaml.parse(LAB);
        List<Connection> c = KnowledgeConsistencyChecker.connections(t, 42);
        assertThat(c).filteredOn(x -> x.kind() == Connection.Kind.INTRA_SITE)
                .extracting(Connection::toString)
                .containsExactlyInAnyOrder("DC1 <- DC2 (INTRA_SITE)", "DC2 <- DC1 (INTRA_SITE)");
        String hq = KnowledgeConsistencyChecker.bridgehead(t, "HQ", 42);
        assertThat(c).filteredOn(x -> x.kind() == Connection.Kind.INTER_SITE)
                .extracting(Connection::toString)
                .containsExactlyInAnyOrder("DC3 <- " + hq + " (INTER_SITE over HQ-Branch)", hq + " <- DC3 (INTER_SITE over HQ-Branch)");
        assertThat(KnowledgeConsistencyChecker.hops(c, "DC1", "DC3")).isBetween(1, 2);
    }

    @Test
    void aPreferredBridgeheadIsUsedAndManualConnectionsAreKept() {
        Topology t = TopologyYaml.parse(LAB.replace("{name: DC2, site: HQ}", "{name: DC2, site: HQ, bridgehead: true}")
                .replace("notification:", "connections: [{from: DC3, to: DC1}]\nnotification:"));
        assertThat(KnowledgeConsistencyChecker.bridgehead(t, "HQ", 42)).isEqualTo("DC2");
        List<Connection> c = KnowledgeConsistencyChecker.connections(t, 42);
        assertThat(c).extracting(Connection::toString).contains("DC1 <- DC3 (MANUAL)", "DC3 <- DC2 (INTER_SITE over HQ-Branch)");
    }

    @Test
    void aLargeSiteKeepsEveryDcWithinThreeHops() {
        Topology.Builder b = Topology.builder().site("HQ");
        for (int i = 1; i <= 12; i++) {
            b.dc("DC" + i, "HQ");
        }
        List<Connection> c = KnowledgeConsistencyChecker.connections(b.build(), 7);
        for (int i = 1; i <= 12; i++) {
            for (int j = 1; j <= 12; j++) {
                if (i != j) {
                    assertThat(KnowledgeConsistencyChecker.hops(c, "DC" + i, "DC" + j)).as("DC%d -> DC%d", i, j).isBetween(1, 3);
                }
            }
        }
        assertThat(KnowledgeConsistencyChecker.connections(b.build(), 7)).as("deterministic for a seed").isEqualTo(c);
    }

    @Test
    void schedulesOpenOnlyInTheirWindowsIncludingPastMidnight() {
        SiteLink link = TopologyYaml.parse(LAB.replace("replInterval: 15m}",
                "replInterval: 15m, schedule: [{days: [Mon], from: \"22:00\", to: \"06:00\"}]}")).siteLinks().get(0);
        assertThat(link.schedule().get(0).days()).containsExactly(DayOfWeek.MONDAY);
        assertThat(link.isOpen(Instant.parse("2026-01-05T23:00:00Z"))).isTrue();   // Monday 23:00
        assertThat(link.isOpen(Instant.parse("2026-01-06T05:59:00Z"))).isTrue();   // Tuesday early
        assertThat(link.isOpen(Instant.parse("2026-01-06T06:00:00Z"))).isFalse();
        assertThat(link.isOpen(Instant.parse("2026-01-05T12:00:00Z"))).isFalse();
    }

    private static void assertError(String yaml, String where, String what) {
        assertThatThrownBy(() -> TopologyYaml.parse(yaml)).isInstanceOf(KeyTrustException.class)
                .hasMessageContaining(where).hasMessageContaining(what)
                .extracting(e -> ((KeyTrustException) e).errorCode()).isEqualTo(ErrorCode.INVALID_TOPOLOGY);
    }
}
