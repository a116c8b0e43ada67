package dev.keytrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchScope;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keytrust dc} as a real process: prints its URL, serves LDAP, loads users and LDIF, stops on SIGTERM. */
class DcCommandIT {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final String PASSWORD = "Passw0rd!Passw0rd";

    @Test
    void aDcServesDeterministicUsersAndLdifEntriesUntilSigterm(@TempDir Path dir) throws Exception {
        Path ldif = dir.resolve("extra.ldif");
        Files.writeString(ldif, "dn: CN=From Ldif,CN=Users,DC=corp,DC=example,DC=com\nobjectClass: user\nsAMAccountName: fromldif\n\n");
        Path errFile = dir.resolve("stderr.txt");
        Process p = start(List.of("dc", "--name", "DC7", "--site", "Lab", "--users", "4", "--seed", "42", "--ldif", ldif.toString(),
                "--ldaps-port", "0"), errFile);
        try {
            List<String> lines = awaitReady(p);
            assertThat(lines.get(0)).matches("DC7 Lab ldap://127\\.0\\.0\\.1:\\d+");
            assertThat(lines).contains("bind DN:  CN=Administrator,CN=Users,DC=corp,DC=example,DC=com");
            assertThat(lines).anyMatch(l -> l.matches("LDAPS: +ldaps://127\\.0\\.0\\.1:\\d+"));
            assertThat(lines).anyMatch(l -> l.startsWith("CA cert:  ") && l.contains("dc-certificate.pem"));
            assertThat(lines).noneMatch(l -> l.startsWith("password:")).as("a password given is never printed");
            int port = Integer.parseInt(lines.get(0).substring(lines.get(0).lastIndexOf(':') + 1));
            try (LDAPConnection ldap = new LDAPConnection("127.0.0.1", port, "CN=Administrator,CN=Users,DC=corp,DC=example,DC=com", PASSWORD)) {
                assertThat(ldap.search("CN=Users,DC=corp,DC=example,DC=com", SearchScope.ONE, "(sAMAccountName=*.*)").getEntryCount()).isEqualTo(4);
                assertThat(ldap.getEntry("CN=From Ldif,CN=Users,DC=corp,DC=example,DC=com")).isNotNull();
            }
        } finally {
            p.destroy(); // SIGTERM
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the DC stops on SIGTERM").isTrue();
        assertThat(Files.readString(errFile)).doesNotContain("Exception");
    }

    @Test
    void aDcAtAnAddressOfItsOwnTakesAdsPortsAndPrintsItsHostsLine(@TempDir Path dir) throws Exception {
        Path errFile = dir.resolve("stderr.txt");
        Process p = start(List.of("dc", "--name", "DC8", "--host", "127.0.0.28"), errFile);
        try {
            List<String> lines = awaitReady(p);
            if (!"root".equals(System.getProperty("user.name"))) {
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(Files.readString(errFile)).contains("below 1024", "CAP_NET_BIND_SERVICE");
                return;
            }
            assertThat(lines).contains("DC8 " + "Default-First-Site-Name ldap://127.0.0.28:389",
                    "LDAPS:    ldaps://127.0.0.28:636", "GC:       ldap://127.0.0.28:3268 (read-only), ldaps://127.0.0.28:3269");
            assertThat(lines).anyMatch(l -> l.startsWith("hosts:    127.0.0.28 dc8.corp.example.com dc8"));
            try (LDAPConnection ldap = new LDAPConnection("127.0.0.28", 389)) {
                assertThat(ldap.getRootDSE().getAttributeValue("dnsHostName")).isEqualTo("dc8.corp.example.com");
            }
        } finally {
            p.destroy();
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void thePersistentDcRestartsWithTheSameCommandAfterSigtermAndAfterKillMinusNineWithItsDataAndNothingDuplicated(
            @TempDir Path dir) throws Exception {
        Path ldif = dir.resolve("extra.ldif");
        Files.writeString(ldif, "dn: CN=From Ldif,CN=Users,DC=corp,DC=example,DC=com\nobjectClass: user\nsAMAccountName: fromldif\n\n");
        List<String> command = List.of("dc", "--name", "DC1", "--users", "10", "--seed", "42", "--data", dir.resolve("dc1").toString(),
                "--ldif", ldif.toString());
        String user = dev.keytrust.persona.Personas.generate(42, 10).get(0).distinguishedName("DC=corp,DC=example,DC=com");

        Process first = start(command, dir.resolve("first.err"));
        List<String> started = awaitReady(first);
        assertThat(started).anyMatch(l -> l.startsWith("ready with 10 users (seed 42)"));
        try (LDAPConnection ldap = connect(started)) {
            ldap.modify(user, new Modification(ModificationType.REPLACE, "description", "written before SIGTERM"));
        }
        first.destroy(); // SIGTERM
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Process second = start(command, dir.resolve("second.err"));
        List<String> restarted = awaitReady(second);
        try {
            assertThat(restarted).anyMatch(l -> l.startsWith("data:     restarted from ") && l.contains("skipped"));
            assertThat(restarted).noneMatch(l -> l.startsWith("ready with"));
            try (LDAPConnection ldap = connect(restarted)) {
                assertUsersOnce(ldap);
                assertThat(ldap.getEntry(user, "description").getAttributeValue("description")).isEqualTo("written before SIGTERM");
                ldap.modify(user, new Modification(ModificationType.REPLACE, "description", "written before kill -9"));
            }
        } finally {
            second.destroyForcibly(); // kill -9: no shutdown hook runs
        }
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Process third = start(command, dir.resolve("third.err"));
        try {
            List<String> again = awaitReady(third);
            try (LDAPConnection ldap = connect(again)) {
                assertUsersOnce(ldap);
                assertThat(ldap.getEntry(user, "description").getAttributeValue("description")).isEqualTo("written before kill -9");
            }
        } finally {
            third.destroy();
        }
        assertThat(third.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(dir.resolve("second.err")) + Files.readString(dir.resolve("third.err")))
                .doesNotContain("ENTRY_ALREADY_EXISTS", "Exception");
    }

    private static void assertUsersOnce(LDAPConnection ldap) throws Exception {
        assertThat(ldap.search("CN=Users,DC=corp,DC=example,DC=com", SearchScope.ONE, "(sAMAccountName=*.*)").getEntryCount())
                .as("the ten seeded users, each once").isEqualTo(10);
        assertThat(ldap.search("DC=corp,DC=example,DC=com", SearchScope.SUB, "(sAMAccountName=fromldif)").getEntryCount())
                .as("the LDIF entry, once").isEqualTo(1);
    }

    /** Reads the DC's output up to its "ready" line; fails with its standard output if it ends before. */
    private static List<String> awaitReady(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.add(line);
            if (line.startsWith("ready")) {
                return lines;
            }
        }
        p.waitFor(30, TimeUnit.SECONDS);
        throw new AssertionError("the DC ended before it was ready (exit " + p.exitValue() + "): " + lines);
    }

    private static LDAPConnection connect(List<String> lines) throws Exception {
        int port = Integer.parseInt(lines.get(0).substring(lines.get(0).lastIndexOf(':') + 1));
        return new LDAPConnection("127.0.0.1", port, "CN=Administrator,CN=Users,DC=corp,DC=example,DC=com", PASSWORD);
    }

    @Test
    void aBadLdifFileIsRefusedWithOneLineNamingTheRecord(@TempDir Path dir) throws Exception {
        Path ldif = dir.resolve("bad.ldif");
        Files.writeString(ldif, "dn: CN=Orphan,CN=Nowhere,DC=corp,DC=example,DC=com\nobjectClass: user\n\n");
        Path errFile = dir.resolve("stderr.txt");
        Process p = start(List.of("dc", "--ldif", ldif.toString()), errFile);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(errFile);
        assertThat(p.exitValue()).as(err).isEqualTo(2);
        assertThat(err.lines().toList()).hasSize(1);
        assertThat(err).contains("--ldif", "CN=Orphan,CN=Nowhere", "was refused");
    }

    @Test
    void anUnusableDataFolderIsRefusedSayingWhy(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        Path errFile = dir.resolve("stderr.txt");
        Process p = start(List.of("dc", "--data", file.toString()), errFile);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(errFile);
        assertThat(p.exitValue()).as(err).isEqualTo(1);
        assertThat(err).contains("DC_START_FAILED", file + " cannot be used: it exists and is not a folder");
    }

    private static Process start(List<String> args, Path stderr) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("keytrust").toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
        pb.environment().put("KEYTRUST_NO_BUILD", "1");
        pb.environment().put("KEYTRUST_ADMIN_PASSWORD", PASSWORD);
        pb.redirectError(stderr.toFile());
        return pb.start();
    }
}
