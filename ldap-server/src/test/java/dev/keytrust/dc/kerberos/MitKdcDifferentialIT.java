package dev.keytrust.dc.kerberos;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import dev.keytrust.dc.DomainController;
import dev.keytrust.dc.DomainControllerConfig;
import dev.keytrust.kdc.MitClient;
import dev.keytrust.kdc.pkinit.KdcCertificates;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * MIT's krb5kdc as the reference: the same realm and principals on it and on a DC's KDC, the same MIT kinit and kvno
 * commands against each, the same outcome (success, wrong password, unknown client, unknown service).
 */
@ExtendWith(MitClient.PkinitInstalled.class)
class MitKdcDifferentialIT {
    private static final String REALM = "CORP.EXAMPLE.COM";

    @TempDir
    Path dir;

    @BeforeAll
    static void installed() {
        MitKdc.assumeInstalled();
    }

    @Test
    void theDcsKdcAndMitsKdcAnswerTheSameCommandsTheSameWay() throws Exception {
        KdcCertificates.Credential ca = KdcCertificates.generateCa("KeyTrust Lab CA", Instant.now());
        try (DomainController dc = DomainController.start(DomainControllerConfig.builder("DC1").adminPassword("Passw0rd!Passw0rd")
                     .kdcPort(0).kdcCertificateAuthority(ca).build());
             MitKdc mit = MitKdc.start(dir.resolve("mit"), REALM, null, kdc -> {
                 kdc.addUser("alice", "Secret-Alice-1");
                 kdc.addService("ldap/dc1.corp.example.com");
             });
             LDAPConnection ldap = dc.connect()) {
            ldap.add("CN=Alice,CN=Users," + dc.baseDn(), new Attribute("objectClass", "top", "person", "organizationalPerson",
                    "user"), new Attribute("sAMAccountName", "alice"), new Attribute("userPassword", "Secret-Alice-1"));
            Krb5Files.writeCa(dir, ca.certificate());
            MitKerberos ours = new MitKerberos(Krb5Files.writeConfig(dir, "DC1", REALM, dc.host(), dc.port(KdcService.NAME)),
                    dir.resolve("ours"));
            MitKerberos reference = new MitKerberos(mit.clientConfig(), dir.resolve("reference"));

            List<Check> checks = List.of(
                    new Check("kinit alice (right password)", c -> c.kinit("alice", "Secret-Alice-1")),
                    new Check("kvno ldap/dc1.corp.example.com", c -> c.kvno("ldap/dc1.corp.example.com")),
                    new Check("kvno ldap/nowhere.corp.example.com", c -> c.kvno("ldap/nowhere.corp.example.com")),
                    new Check("kinit alice (wrong password)", c -> c.kinit("alice", "not-her-password")),
                    new Check("kinit nobody", c -> c.kinit("nobody", "whatever")));
            for (Check check : checks) {
                MitKerberos.Result mine = check.run().apply(ours);
                MitKerberos.Result theirs = check.run().apply(reference);
                assertThat(mine.exitCode()).as(check.name() + ": ours said " + mine.output() + ", MIT said " + theirs.output())
                        .isEqualTo(theirs.exitCode());
                assertThat(kind(mine.output())).as(check.name()).isEqualTo(kind(theirs.output()));
            }
        }
    }

    /** The error's kind, as kinit and kvno word it (principal names and realms left out). */
    private static String kind(String output) {
        for (String known : List.of("Password incorrect", "not found in Kerberos database", "Preauthentication failed")) {
            if (output.contains(known)) {
                return known;
            }
        }
        return output.isBlank() || output.contains("kvno = ") || output.startsWith("Password for") ? "ok" : output;
    }

    private record Check(String name, Action run) {
    }

    @FunctionalInterface
    private interface Action {
        MitKerberos.Result apply(MitKerberos client) throws Exception;
    }
}
