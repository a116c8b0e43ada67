package dev.keytrust.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import dev.keytrust.dc.DomainController;
import dev.keytrust.dc.DomainControllerConfig;
import dev.keytrust.dc.PartnerStatus;
import dev.keytrust.dc.TestKeys;
import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.time.VirtualScheduler;
import dev.keytrust.topology.Connection;
import dev.keytrust.topology.DcSpec;
import dev.keytrust.topology.KnowledgeConsistencyChecker;
import dev.keytrust.topology.Topology;
import dev.keytrust.topology.TopologyYaml;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each documented fault and its documented undo ({@code partition}/{@code isolate} and {@code heal},
 * {@code disableInbound}/{@code enableInbound}, {@code disableOutbound}/{@code enableOutbound}), asked for as rootDSE
 * modifies: afterwards every DC holds the same values, back links and metadata — with the DCs in one process
 * ({@link ReplicationNetwork}) and each with its own replication as DCs in their own processes
 * ({@link RemoteReplication}, partners reached over LDAP at their topology addresses). Writes go to every DC while
 * the fault holds, and "syncall" (every connection asked to pull) runs during it and after the undo.
 */
class FaultUndoIT {
    private static final String PASSWORD = "Passw0rd!Passw0rd";
    private static final String BASE = "DC=corp,DC=example,DC=com";
    private static final String SHARED = "CN=shared,CN=Users," + BASE;
    private static final List<String> NAMES = List.of("DC1", "DC2", "DC3");

    /** How the DCs run. */
    enum Mode { ONE_PROCESS, OWN_REPLICATION_PER_DC }

    private final List<AutoCloseable> running = new ArrayList<>();
    private final VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-06-01T08:00:00Z"));
    private List<DomainController> dcs;
    private List<Connection> connections;

    @AfterEach
    void stop() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        time.close();
    }

    /** A documented fault sequence, the DCs it is asked on, and its documented undo. */
    enum Sequence {
        PARTITION_ON_BOTH_SIDES_THEN_HEAL_ON_ONE(new String[][] {{"DC1", "partition DC3"}, {"DC3", "partition DC1"}},
                new String[][] {{"DC1", "heal"}}),
        PARTITION_THEN_HEAL_THE_OTHER_SIDE(new String[][] {{"DC1", "partition DC3"}}, new String[][] {{"DC3", "heal DC1"}}),
        PARTITION_IN_A_SITE_THEN_HEAL(new String[][] {{"DC2", "partition DC1"}}, new String[][] {{"DC2", "heal"}}),
        ISOLATE_THEN_HEAL(new String[][] {{"DC1", "isolate"}}, new String[][] {{"DC1", "heal"}}),
        ISOLATE_THE_BRANCH_AND_PARTITION_HQ_THEN_HEAL_BOTH(new String[][] {{"DC3", "isolate"}, {"DC1", "partition DC2"}},
                new String[][] {{"DC3", "heal"}, {"DC2", "heal"}}),
        DISABLE_INBOUND_THEN_ENABLE(new String[][] {{"DC2", "disableInbound"}}, new String[][] {{"DC2", "enableInbound"}}),
        DISABLE_OUTBOUND_THEN_ENABLE(new String[][] {{"DC1", "disableOutbound"}}, new String[][] {{"DC1", "enableOutbound"}});

        final String[][] fault;
        final String[][] undo;

        Sequence(String[][] fault, String[][] undo) {
            this.fault = fault;
            this.undo = undo;
        }
    }

    @ParameterizedTest
    @EnumSource(Sequence.class)
    void afterEachFaultAndItsUndoEveryDcHoldsTheSameValuesBackLinksAndMetadataInOneProcess(Sequence sequence) throws Exception {
        faultThenUndoConverges(Mode.ONE_PROCESS, sequence);
    }

    @ParameterizedTest
    @EnumSource(Sequence.class)
    void afterEachFaultAndItsUndoEveryDcHoldsTheSameValuesBackLinksAndMetadataWithReplicationPerDc(Sequence sequence)
            throws Exception {
        faultThenUndoConverges(Mode.OWN_REPLICATION_PER_DC, sequence);
    }

    private void faultThenUndoConverges(Mode mode, Sequence sequence) throws Exception {
        start(mode, seedWithHqBridgehead("DC1"));
        try (LDAPConnection dc1 = dcs.get(0).connect()) {
            dc1.add(SHARED, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", "shared"));
        }
        syncAll(3);
        for (String[] f : sequence.fault) {
            fault(f[0], f[1]);
        }
        for (int i = 0; i < dcs.size(); i++) {
            try (LDAPConnection ldap = dcs.get(i).connect()) {
                String name = dcs.get(i).name();
                ldap.modify(SHARED, new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", value(i)),
                        new Modification(ModificationType.REPLACE, "description", "written on " + name));
                ldap.add("CN=new on " + name + ",CN=Users," + BASE, new Attribute("objectClass", "user"),
                        new Attribute("sAMAccountName", "new" + name));
            }
            time.advance(Duration.ofSeconds(1));
        }
        syncAll(6); // the fault holds: some pulls are refused
        for (String[] u : sequence.undo) {
            fault(u[0], u[1]);
        }
        syncAll(3);
        Converged.assertConverged(dcs, "(|(sAMAccountName=shared)(sAMAccountName=new*))", 4);
        for (DomainController dc : dcs) {
            try (LDAPConnection ldap = dc.connect()) {
                assertThat(ldap.getEntry(SHARED, "msDS-KeyCredentialLink").getAttributeValues("msDS-KeyCredentialLink"))
                        .as("every DC's key on %s", dc.name()).hasSize(3);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aFaultSaysWhichReplicationConnectionsItCutAndAHealWhichItRestored(Mode mode) throws Exception {
        start(mode, seedWithHqBridgehead("DC1"));
        assertThat(fault("DC1", "partition DC3")).startsWith("cut: ").contains("DC1 -> DC3", "DC3 -> DC1").doesNotContain("DC2");
        assertThat(fault("DC1", "heal")).startsWith("restored: ").contains("DC1 -> DC3", "DC3 -> DC1").doesNotContain("DC2");
        assertThat(fault("DC1", "heal")).startsWith("nothing to heal");
        assertThat(fault("DC2", "disableInbound")).contains("inbound replication disabled on DC2", "DC1 -> DC2");
        assertThat(fault("DC2", "enableInbound")).contains("inbound replication enabled on DC2");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aPartitionOfTwoDcsWithNoConnectionBetweenThemSaysItCutNothingAndWhoPullsFromWhom(Mode mode) throws Exception {
        start(mode, seedWithHqBridgehead("DC2"));
        assertThat(fault("DC1", "partition DC3")).isEqualTo("no replication connection between DC1 and DC3; nothing cut "
                + "(DC1 pulls from DC2; DC3 pulls from DC2); a forced replicate between them is refused until heal");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aPullRefusedByAPartitionIsTheLastAttemptFailedWithTheLdapErrorAndTheLastSuccessStays(Mode mode) throws Exception {
        start(mode, seedWithHqBridgehead("DC1"));
        replicate("DC3", "DC1");
        Instant success = time.now();
        PartnerStatus before = partner("DC3");
        assertThat(before.result()).isEqualTo("successful");
        time.advance(Duration.ofMinutes(5));
        fault("DC1", "partition DC3");
        assertThat(catchRefusal(() -> replicate("DC3", "DC1"))).contains("partitioned");
        PartnerStatus refused = partner("DC3");
        assertThat(refused.result()).isEqualTo("failed: 53 (unwilling to perform) DC3 is partitioned from DC1");
        assertThat(refused.lastAttempt()).isEqualTo(time.now());
        assertThat(refused.lastSuccess()).isEqualTo(success);
        assertThat(refused.failures()).isEqualTo(1);
        assertThat(refused.source()).as("the same partner, one line of showrepl").isEqualTo(before.source());
        time.advance(Duration.ofMinutes(5));
        assertThat(catchRefusal(() -> replicate("DC3", "DC1"))).contains("partitioned");
        assertThat(partner("DC3").failures()).isEqualTo(2);
        fault("DC3", "heal");
        replicate("DC3", "DC1");
        assertThat(partner("DC3").result()).isEqualTo("successful");
        assertThat(partner("DC3").failures()).isZero();
        assertThat(dc("DC3").partners()).hasSize(1);
    }

    private PartnerStatus partner(String destination) {
        return dc(destination).partners().stream().filter(p -> p.source().contains("CN=DC1,")).findFirst().orElseThrow();
    }

    private void start(Mode mode, long seed) throws Exception {
        StringBuilder yaml = new StringBuilder("sites: [{name: HQ}, {name: Branch}]\n"
                + "siteLinks: [{name: HQ-Branch, sites: [HQ, Branch], replInterval: 180m}]\ndomainControllers:\n");
        for (String name : NAMES) {
            yaml.append("  - {name: ").append(name).append(", site: ").append(name.equals("DC3") ? "Branch" : "HQ")
                    .append(", port: ").append(freePort()).append("}\n");
        }
        Topology topology = TopologyYaml.parse(yaml.toString());
        connections = KnowledgeConsistencyChecker.connections(topology, seed);
        if (mode == Mode.ONE_PROCESS) {
            ReplicationNetwork network = ReplicationNetwork.start(topology, time, seed, PASSWORD);
            running.add(network);
            dcs = NAMES.stream().map(network::dc).toList();
            return;
        }
        dcs = new ArrayList<>();
        for (DcSpec spec : topology.domainControllers()) {
            DomainController dc = DomainController.start(DomainControllerConfig.builder(spec.name()).site(spec.site())
                    .domain(topology.domain()).host(spec.host()).port(spec.port()).adminPassword(PASSWORD)
                    .clock(time.clock()).seed(seed).build());
            running.add(dc);
            dcs.add(dc);
        }
        for (DomainController dc : dcs) {
            running.add(RemoteReplication.start(topology, dc.name(), dc, time, PASSWORD, seed));
        }
    }

    /** A KCC seed that makes {@code dc} HQ's bridgehead, so whether DC1 and DC3 share a connection is known. */
    private static long seedWithHqBridgehead(String dc) {
        Topology shape = TopologyYaml.parse("sites: [{name: HQ}, {name: Branch}]\n"
                + "siteLinks: [{name: HQ-Branch, sites: [HQ, Branch]}]\ndomainControllers:\n"
                + "  - {name: DC1, site: HQ}\n  - {name: DC2, site: HQ}\n  - {name: DC3, site: Branch}\n");
        return LongStream.range(1, 1000).filter(s -> KnowledgeConsistencyChecker.bridgehead(shape, "HQ", s).equals(dc))
                .findFirst().orElseThrow();
    }

    private DomainController dc(String name) {
        return dcs.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    /** A rootDSE keytrustReplicationFault modify, as keytrust fault sends it; returns what the DC says it did. */
    private String fault(String on, String fault) throws LDAPException {
        try (LDAPConnection ldap = dc(on).connect()) {
            return ldap.modify("", new Modification(ModificationType.REPLACE, AdSchema.REPLICATION_FAULT, fault))
                    .getDiagnosticMessage();
        }
    }

    /** keytrust replicate: {@code destination} pulls from {@code source} now. */
    private void replicate(String destination, String source) throws LDAPException {
        try (LDAPConnection ldap = dc(destination).connect()) {
            ldap.modify("", new Modification(ModificationType.REPLACE, AdSchema.REPLICATE_NOW, source));
        }
        time.advance(Duration.ZERO);
    }

    /** keytrust syncall, {@code rounds} times: every connection asked to pull; refusals (a fault holds) are expected. */
    private void syncAll(int rounds) {
        for (int round = 0; round < rounds; round++) {
            for (Connection c : connections) {
                catchRefusal(() -> replicate(c.destination(), c.source()));
            }
        }
    }

    private interface Ldap {
        void run() throws LDAPException;
    }

    /** The refusal's message, or "" if it was not refused. */
    private static String catchRefusal(Ldap operation) {
        try {
            operation.run();
            return "";
        } catch (LDAPException e) {
            return e.getDiagnosticMessage();
        }
    }

    private static String value(int device) {
        return TestKeys.value(SHARED, new UUID(device, 7));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
