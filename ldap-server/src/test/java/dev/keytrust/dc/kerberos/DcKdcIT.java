package dev.keytrust.dc.kerberos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import dev.keytrust.dc.DomainController;
import dev.keytrust.dc.DomainControllerConfig;
import dev.keytrust.kdc.MitClient;
import dev.keytrust.kdc.client.PkinitClient;
import dev.keytrust.kdc.client.UserKeyPair;
import dev.keytrust.kdc.pkinit.KdcCertificates;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeySource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each DC hosts a KDC that answers from its own directory: MIT kinit (password and key-trust PKINIT) and kvno over
 * real sockets, DC1 and DC3 differing until replication.
 */
@ExtendWith(MitClient.PkinitInstalled.class)
class DcKdcIT {
    private static final String ADMIN = "Passw0rd!Passw0rd";
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path dir;

    @Test
    void eachDcsKdcServesWhatItsOwnDirectoryHolds() throws Exception {
        Instant now = Instant.now();
        KdcCertificates.Credential ca = KdcCertificates.generateCa("KeyTrust Lab CA", now);
        try (DomainController dc1 = start("DC1", ca); DomainController dc3 = start("DC3", ca);
             LDAPConnection one = dc1.connect()) {
            Krb5Files.writeCa(dir, ca.certificate());
            MitKerberos onDc1 = new MitKerberos(Krb5Files.writeConfig(dir, "DC1", "CORP.EXAMPLE.COM", dc1.host(),
                    dc1.port(KdcService.NAME)), dir.resolve("c1"));
            MitKerberos onDc3 = new MitKerberos(Krb5Files.writeConfig(dir, "DC3", "CORP.EXAMPLE.COM", dc3.host(),
                    dc3.port(KdcService.NAME)), dir.resolve("c3"));

            // Password: set on DC1; DC3 knows nobody of that name until it replicates.
            String alice = "CN=Alice,CN=Users," + dc1.baseDn();
            one.add(alice, new Attribute("objectClass", "top", "person", "organizationalPerson", "user"),
                    new Attribute("sAMAccountName", "alice"), new Attribute("userPrincipalName", "alice@corp.example.com"),
                    new Attribute("userAccountControl", "66048"), new Attribute("userPassword", "Secret-Alice-1"));
            MitKerberos.Result kinit1 = onDc1.kinit("alice", "Secret-Alice-1");
            assertThat(kinit1.ok()).as(kinit1.output() + onDc1.trace()).isTrue();
            MitKerberos.Result wrong = onDc1.kinit("alice", "not-her-password");
            assertThat(wrong.output()).contains("Password incorrect");
            MitKerberos.Result before = onDc3.kinit("alice", "Secret-Alice-1");
            assertThat(before.output()).as("not replicated yet").contains("not found in Kerberos database");
            // A second client no one here wrote: impacket's getKerberosTGT.
            if (impacketInstalled()) {
                assertThat(impacketTgt(dc1.port(KdcService.NAME), "alice", "Secret-Alice-1")).contains("TGT 18");
                assertThat(impacketTgt(dc1.port(KdcService.NAME), "alice", "wrong")).contains("KRB-ERROR 24");
                assertThat(impacketTgt(dc3.port(KdcService.NAME), "alice", "Secret-Alice-1")).contains("KRB-ERROR 6");
            }

            // Key trust: alice's key written on DC1 only: DC1 gives a TGT, DC3 answers 62 (Client not trusted).
            UserKeyPair key = UserKeyPair.generate("alice", now);
            key.write(dir);
            String link = KeyCredential.builder().publicKey(key.publicKey()).ownerDn(alice)
                    .deviceId(UUID.randomUUID()).creationTime(now).source(KeySource.AZURE_AD).build().toDnBinary();
            dc3.pullFrom(dc1);
            one.modify(alice, new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", link));
            onDc1.kdestroy();
            MitKerberos.Result pk1 = onDc1.pkinit("alice", key.certificateFile(dir), key.keyFile(dir), dir.resolve("ca.pem"));
            assertThat(pk1.ok()).as(pk1.output() + onDc1.trace()).isTrue();
            MitKerberos.Result pk3 = onDc3.pkinit("alice", key.certificateFile(dir), key.keyFile(dir), dir.resolve("ca.pem"));
            assertThat(pk3.ok()).isFalse();
            assertThat(pk3.output() + onDc3.trace()).contains("Client not trusted");
            // The testbed's own client, on the same sockets: the same answers.
            PkinitClient.Outcome java1 = PkinitClient.signIn(dc1.host(), dc1.port(KdcService.NAME), "CORP.EXAMPLE.COM",
                    "alice", key.privateKey(), key.certificate(), java.time.Clock.systemUTC());
            assertThat(java1).as(java1.toString()).isInstanceOf(PkinitClient.Ticket.class);
            assertThat(((PkinitClient.Ticket) java1).client()).isEqualTo("alice@CORP.EXAMPLE.COM");
            PkinitClient.Outcome java3 = PkinitClient.signIn(dc3.host(), dc3.port(KdcService.NAME), "CORP.EXAMPLE.COM",
                    "alice", key.privateKey(), key.certificate(), java.time.Clock.systemUTC());
            assertThat(java3).isInstanceOfSatisfying(PkinitClient.Refused.class, r -> assertThat(r.code()).isEqualTo(62));
            dc3.pullFrom(dc1);
            MitKerberos.Result pk3after = onDc3.pkinit("alice", key.certificateFile(dir), key.keyFile(dir), dir.resolve("ca.pem"));
            assertThat(pk3after.ok()).as(pk3after.output() + onDc3.trace()).isTrue();

            // Service tickets for each DC's own SPNs; the DC's computer account reaches the other DC by replication.
            for (String host : new String[] {"dc1", "dc3"}) {
                MitKerberos.Result kvno = onDc3.kvno("ldap/" + host + ".corp.example.com");
                assertThat(kvno.ok()).as(kvno.output() + onDc3.trace()).isTrue();
            }
            MitKerberos.Result kvno1 = onDc1.kvno("ldap/dc1.corp.example.com");
            assertThat(kvno1.ok()).as(kvno1.output() + onDc1.trace()).isTrue();

            // The domain's krbtgt: once replication has settled it, DC1's TGT is honoured by DC3's TGS.
            dc1.pullFrom(dc3);
            dc3.pullFrom(dc1);
            onDc1.kdestroy();
            assertThat(onDc1.kinit("alice", "Secret-Alice-1").ok()).isTrue();
            MitKerberos crossing = new MitKerberos(Krb5Files.configFile(dir, "DC3"), dir.resolve("c1"));
            MitKerberos.Result tgs = crossing.kvno("host/dc3.corp.example.com");
            assertThat(tgs.ok()).as("a TGT from DC1 used at DC3: " + tgs.output() + crossing.trace()).isTrue();
        }
    }

    private static boolean impacketInstalled() throws Exception {
        boolean installed = Files.isExecutable(PYTHON)
                && new ProcessBuilder(PYTHON.toString(), "-c", "import impacket").start().waitFor() == 0;
        assumeTrue(installed, "impacket is not installed (Debian package python3-impacket); .ci/run installs it");
        return installed;
    }

    /** impacket's getKerberosTGT against the KDC on {@code port} (the kdc module's script). */
    private String impacketTgt(int port, String user, String password) throws Exception {
        Path script = dir.resolve("impacket_tgt.py");
        try (var in = Thread.currentThread().getContextClassLoader().getResourceAsStream("dev/keytrust/kdc/impacket_tgt.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process process = new ProcessBuilder(PYTHON.toString(), script.toString(), String.valueOf(port),
                "CORP.EXAMPLE.COM", user, password).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    private static DomainController start(String name, KdcCertificates.Credential ca) {
        return DomainController.start(DomainControllerConfig.builder(name).adminPassword(ADMIN).kdcPort(0)
                .kdcCertificateAuthority(ca).build());
    }
}
