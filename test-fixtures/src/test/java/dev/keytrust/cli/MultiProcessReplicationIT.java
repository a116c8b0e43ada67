package dev.keytrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeySource;
import dev.keytrust.persona.Personas;
import dev.keytrust.topology.KnowledgeConsistencyChecker;
import dev.keytrust.topology.TopologyYaml;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three DCs of one topology, each in its own JVM ({@code keytrust dc --topology FILE --name DCn}): a change on DC1 is
 * notified to DC2 in the same site, which pulls it over LDAP; DC3 across the site link gets it when asked to
 * replicate ({@code keytrust replicate}); {@code keytrust showrepl} shows the partners.
 */
class MultiProcessReplicationIT {
    private static final String PASSWORD = "Passw0rd!Multi";
    private static final String ADMIN = "CN=Administrator,CN=Users,DC=corp,DC=example,DC=com";

    @Test
    void dcsInSeparateProcessesReplicateOverLdap(@TempDir Path dir) throws Exception {
        int[] ports = {freePort(), freePort(), freePort()};
        Path topology = dir.resolve("lab.yaml");
        Files.writeString(topology, "domain: corp.example.com\n"
                + "sites: [{name: HQ}, {name: Branch}]\n"
                + "siteLinks:\n  - {name: HQ-Branch, sites: [HQ, Branch], cost: 100, replInterval: 180m}\n"
                + "domainControllers:\n"
                + "  - {name: DC1, site: HQ, port: " + ports[0] + "}\n"
                + "  - {name: DC2, site: HQ, port: " + ports[1] + "}\n"
                + "  - {name: DC3, site: Branch, port: " + ports[2] + "}\n");
        List<Process> dcs = new ArrayList<>();
        try {
            dcs.add(start(List.of("dc", "--topology", topology.toString(), "--name", "DC1", "--users", "3", "--seed", "5",
                    "--time-scale", "60"), dir.resolve("dc1.err")));
            dcs.add(start(List.of("dc", "--topology", topology.toString(), "--name", "DC2", "--seed", "5", "--time-scale", "60"), dir.resolve("dc2.err")));
            dcs.add(start(List.of("dc", "--topology", topology.toString(), "--name", "DC3", "--seed", "5", "--time-scale", "60"), dir.resolve("dc3.err")));
            for (Process p : dcs) {
                awaitReady(p);
            }
            String dn = Personas.generate(5, 3).get(0).distinguishedName("DC=corp,DC=example,DC=com");
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            String value = KeyCredential.builder().publicKey((RSAPublicKey) rsa.generateKeyPair().getPublic()).ownerDn(dn)
                    .creationTime(Instant.now()).source(KeySource.AZURE_AD).build().toDnBinary();
            try (LDAPConnection dc1 = new LDAPConnection("127.0.0.1", ports[0], ADMIN, PASSWORD)) {
                dc1.modify(dn, new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", value));
            }
            assertThat(waitForValue(ports[1], dn, value, 30_000)).as("DC2 pulled after DC1's change notification").isTrue();
            assertThat(waitForValue(ports[2], dn, value, 1_000)).as("DC3 is across a 180-minute site link").isFalse();

            Run replicate = run(List.of("replicate", "--topology", topology.toString(), "--from", "DC2", "--to", "DC3"), dir.resolve("r.err"));
            assertThat(replicate.exit()).as(replicate.err()).isZero();
            assertThat(waitForValue(ports[2], dn, value, 20_000)).as("DC3 pulled when asked to").isTrue();

            Run show = run(List.of("showrepl", "--dc", "ldap://127.0.0.1:" + ports[2]), dir.resolve("s.err"));
            assertThat(show.exit()).as(show.err()).isZero();
            assertThat(show.out()).contains("Branch\\DC3", "==== INBOUND NEIGHBORS", "HQ\\DC2 via LDAP (127.0.0.1:" + ports[1] + ")",
                    "was successful", "(up to date with the partner)");
            Run vector = run(List.of("showutdvec", "--dc", "ldap://127.0.0.1:" + ports[2]), dir.resolve("v.err"));
            assertThat(vector.exit()).as(vector.err()).isZero();
            assertThat(vector.out()).as("DC1's change reached DC3 through DC2, and so did DC2's knowledge of DC1")
                    .contains("Branch\\DC3", "HQ\\DC2", "HQ\\DC1", "@ USN");

            String gone = Personas.generate(5, 3).get(2).distinguishedName("DC=corp,DC=example,DC=com");
            try (LDAPConnection dc1 = new LDAPConnection("127.0.0.1", ports[0], ADMIN, PASSWORD)) {
                dc1.delete(gone);
            }
            assertThat(waitForAbsent(ports[1], gone, 30_000)).as("the deletion (a tombstone) replicated to DC2").isTrue();

            Run disable = run(List.of("fault", "--topology", topology.toString(), "--on", "DC2", "disableInbound"), dir.resolve("f.err"));
            assertThat(disable.exit()).as(disable.err()).isZero();
            String second = KeyCredential.builder().publicKey((RSAPublicKey) rsa.generateKeyPair().getPublic()).ownerDn(dn)
                    .creationTime(Instant.now()).source(KeySource.AZURE_AD).build().toDnBinary();
            try (LDAPConnection dc1 = new LDAPConnection("127.0.0.1", ports[0], ADMIN, PASSWORD)) {
                dc1.modify(dn, new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", second));
            }
            assertThat(waitForValue(ports[1], dn, second, 3_000)).as("DC2's inbound replication is disabled").isFalse();
            Run refused = run(List.of("replicate", "--topology", topology.toString(), "--from", "DC1", "--to", "DC2"), dir.resolve("x.err"));
            assertThat(refused.exit()).as("a refusal by the DC is a failure while running, not bad usage").isEqualTo(1);
            assertThat(refused.err()).contains("DISABLE_INBOUND_REPL");
            assertThat(run(List.of("fault", "--topology", topology.toString(), "--on", "DC2", "enableInbound"), dir.resolve("g.err")).exit()).isZero();
            assertThat(run(List.of("replicate", "--topology", topology.toString(), "--from", "DC1", "--to", "DC2"), dir.resolve("y.err")).exit()).isZero();
            assertThat(waitForValue(ports[1], dn, second, 20_000)).as("after enableInbound and a replicate").isTrue();

            Run unknown = run(List.of("replicate", "--from", "DC9", "--to", "ldap://127.0.0.1:" + ports[2]), dir.resolve("u.err"));
            assertThat(unknown.exit()).as("the DC refuses: it has no such partner (as with no such object, exit 1)")
                    .isEqualTo(1);
            assertThat(unknown.err()).contains("no DC named 'DC9'");
        } finally {
            dcs.forEach(Process::destroy);
        }
        for (Process p : dcs) {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aPartitionAndOneHealConvergeAcrossProcessesAndShowreplShowsTheRefusedPull(@TempDir Path dir) throws Exception {
        int[] ports = {freePort(), freePort(), freePort()};
        Path topology = dir.resolve("lab.yaml");
        String yaml = "domain: corp.example.com\n"
                + "sites: [{name: HQ}, {name: Branch}]\n"
                + "siteLinks:\n  - {name: HQ-Branch, sites: [HQ, Branch], cost: 100, replInterval: 180m}\n"
                + "domainControllers:\n"
                + "  - {name: DC1, site: HQ, port: " + ports[0] + "}\n"
                + "  - {name: DC2, site: HQ, port: " + ports[1] + "}\n"
                + "  - {name: DC3, site: Branch, port: " + ports[2] + "}\n";
        Files.writeString(topology, yaml);
        // a seed that makes DC1 HQ's bridgehead: DC1 and DC3 replicate with each other directly
        String seed = String.valueOf(java.util.stream.LongStream.range(1, 1000).filter(s -> KnowledgeConsistencyChecker
                .bridgehead(TopologyYaml.parse(yaml), "HQ", s).equals("DC1")).findFirst().orElseThrow());
        String t = topology.toString();
        List<Process> dcs = new ArrayList<>();
        try {
            for (String name : List.of("DC1", "DC2", "DC3")) {
                List<String> args = new ArrayList<>(List.of("dc", "--topology", t, "--name", name, "--seed", seed, "--time-scale", "60"));
                if (name.equals("DC1")) {
                    args.addAll(List.of("--users", "3"));
                }
                dcs.add(start(args, dir.resolve(name + ".err")));
            }
            for (Process p : dcs) {
                awaitReady(p);
            }
            String dn = Personas.generate(Long.parseLong(seed), 3).get(0).distinguishedName("DC=corp,DC=example,DC=com");
            assertThat(run(List.of("syncall", "--topology", t, "--seed", seed), dir.resolve("s0.err")).exit()).isZero();
            assertThat(waitFor(ports[2], 20_000, ldap -> ldap.getEntry(dn) != null)).as("DC3 has DC1's users").isTrue();

            Run partition = run(List.of("fault", "--topology", t, "--on", "DC1", "partition", "DC3"), dir.resolve("p.err"));
            assertThat(partition.exit()).as(partition.err()).isZero();
            assertThat(partition.out()).startsWith("DC1: partition DC3; cut: ").contains("DC1 -> DC3", "DC3 -> DC1");
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            List<String> values = new ArrayList<>();
            for (int i : new int[] {0, 2}) { // a key written on each side of the partition
                String value = KeyCredential.builder().publicKey((RSAPublicKey) rsa.generateKeyPair().getPublic()).ownerDn(dn)
                        .creationTime(Instant.now()).source(KeySource.AZURE_AD).build().toDnBinary();
                try (LDAPConnection ldap = new LDAPConnection("127.0.0.1", ports[i], ADMIN, PASSWORD)) {
                    ldap.modify(dn, new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", value));
                }
                values.add(value);
            }
            Run refused = run(List.of("replicate", "--topology", t, "--from", "DC1", "--to", "DC3"), dir.resolve("x.err"));
            assertThat(refused.exit()).as("a refusal by the DC is a failure while running").isEqualTo(1);
            assertThat(refused.err()).contains("DC3 is partitioned from DC1");
            Run show = run(List.of("showrepl", "--dc", "ldap://127.0.0.1:" + ports[2]), dir.resolve("sr.err"));
            assertThat(show.exit()).as(show.err()).isZero();
            assertThat(show.out()).as("the refused pull is the last attempt").contains("HQ\\DC1 via LDAP",
                    "failed, result: 53 (unwilling to perform) DC3 is partitioned from DC1", "1 consecutive failure(s).",
                    "Last success @ 20").doesNotContain("was successful");

            Run heal = run(List.of("fault", "--topology", t, "--on", "DC1", "heal"), dir.resolve("h.err"));
            assertThat(heal.exit()).as(heal.err()).isZero();
            assertThat(heal.out()).startsWith("DC1: heal; restored: ").contains("DC1 -> DC3", "DC3 -> DC1");
            for (int round = 0; round < 3; round++) {
                assertThat(run(List.of("syncall", "--topology", t, "--seed", seed), dir.resolve("s" + round + ".err")).exit()).isZero();
            }
            for (int port : ports) {
                for (String value : values) {
                    assertThat(waitForValue(port, dn, value, 20_000)).as("both sides' keys on every DC after one heal").isTrue();
                }
            }
            Run after = run(List.of("showrepl", "--dc", "ldap://127.0.0.1:" + ports[2]), dir.resolve("sa.err"));
            assertThat(after.out()).contains("was successful").doesNotContain("consecutive failure");
        } finally {
            dcs.forEach(Process::destroy);
        }
        for (Process p : dcs) {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Process start(List<String> args, Path stderr) throws Exception {
        return KeytrustProcess.start(args, Map.of("KEYTRUST_ADMIN_PASSWORD", PASSWORD), stderr);
    }

    private static Run run(List<String> args, Path err) throws Exception {
        Process p = start(args, err);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, Files.readString(err));
    }

    private static boolean waitForValue(int port, String dn, String value, long millis) throws Exception {
        return waitFor(port, millis, ldap -> {
            SearchResultEntry e = ldap.getEntry(dn, "msDS-KeyCredentialLink");
            return e != null && e.hasAttributeValue("msDS-KeyCredentialLink", value);
        });
    }

    private static boolean waitForAbsent(int port, String dn, long millis) throws Exception {
        return waitFor(port, millis, ldap -> ldap.getEntry(dn) == null);
    }

    private interface Check {
        boolean holds(LDAPConnection ldap) throws Exception;
    }

    private static boolean waitFor(int port, long millis, Check check) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        do {
            try (LDAPConnection ldap = new LDAPConnection("127.0.0.1", port, ADMIN, PASSWORD)) {
                if (check.holds(ldap)) {
                    return true;
                }
            }
            Object monitor = new Object();
            synchronized (monitor) {
                monitor.wait(200); // polling another process's state in wall time
            }
        } while (System.currentTimeMillis() < deadline);
        return false;
    }

    private static void awaitReady(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("ready")) {
                return;
            }
        }
        throw new AssertionError("a DC process ended before it was ready");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
