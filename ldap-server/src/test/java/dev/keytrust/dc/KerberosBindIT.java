package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import dev.keytrust.dc.kerberos.KdcService;
import dev.keytrust.dc.kerberos.Krb5Files;
import dev.keytrust.dc.kerberos.MitKerberos;
import dev.keytrust.kdc.pkinit.KdcCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kerberos LDAP binds with MIT's tools over real sockets: {@code kinit} against the DC's own KDC, then OpenLDAP's
 * {@code ldapsearch -Y GSSAPI} (Cyrus SASL's GSSAPI plug-in: AP-REQ for ldap/<dc host>, mutual authentication, the
 * security-layer negotiation in Wrap tokens). The DC's DNS name must resolve to its address for the client to ask
 * for the right service ticket: the test adds an /etc/hosts line for a name of its own and removes it after.
 */
class KerberosBindIT {
    private static final String PASSWORD = "Passw0rd!Passw0rd";
    private static final String HOST = "127.0.0.75";
    private static final String NAME = "KRBBIND75";
    private static final Path HOSTS = Path.of("/etc/hosts");
    private static DomainController dc;
    private static boolean addedHost;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        MitKerberos.assumeInstalled();
        ExternalTool.require("OpenLDAP's ldapsearch with Cyrus SASL GSSAPI (ldap-utils, libsasl2-modules-gssapi-mit)",
                "sh", "-c", "ldapsearch -VV 2>&1; ls /usr/lib/x86_64-linux-gnu/sasl2/libgssapiv2.so");
        KdcCertificates.Credential ca = KdcCertificates.generateCa("KeyTrust Lab CA", Instant.now());
        dc = DomainController.start(DomainControllerConfig.builder(NAME).host(HOST).adminPassword(PASSWORD).kdcPort(0)
                .kdcCertificateAuthority(ca).build());
        Krb5Files.writeCa(dir, ca.certificate());
        Krb5Files.writeConfig(dir, NAME, "CORP.EXAMPLE.COM", dc.host(), dc.port(KdcService.NAME));
        try (LDAPConnection admin = dc.connect()) {
            admin.add("CN=alice,CN=Users," + dc.baseDn(), new Attribute("objectClass", "user"),
                    new Attribute("sAMAccountName", "alice"), new Attribute("userPrincipalName", "alice@corp.example.com"),
                    new Attribute("userAccountControl", "66048"), new Attribute("userPassword", "Secret-Alice-1"));
        }
        String line = HOST + " " + dnsName();
        if (!Files.readString(HOSTS).contains(line)) {
            Files.writeString(HOSTS, System.lineSeparator() + line + System.lineSeparator(),
                    java.nio.file.StandardOpenOption.APPEND);
            addedHost = true;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (addedHost) {
            List<String> kept = new ArrayList<>(Files.readAllLines(HOSTS));
            kept.removeIf(l -> l.equals(HOST + " " + dnsName()));
            Files.write(HOSTS, kept);
        }
        if (dc != null) {
            dc.close();
        }
    }

    private static String trace() throws java.io.IOException {
        Path file = dir.resolve("ldapsearch-trace.log");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static String dnsName() {
        return NAME.toLowerCase(java.util.Locale.ROOT) + ".corp.example.com";
    }

    @Test
    void ldapsearchBindsWithGssapiAfterKinit() throws Exception {
        MitKerberos alice = new MitKerberos(Krb5Files.configFile(dir, NAME), dir.resolve("alice"));
        MitKerberos.Result kinit = alice.kinit("alice", "Secret-Alice-1");
        assertThat(kinit.ok()).as(kinit.output() + alice.trace()).isTrue();

        ExternalTool.Result r = ExternalTool.run("", List.of("ldapsearch", "-Y", "GSSAPI", "-N", "-Q", "-LLL", "-H",
                "ldap://" + dnsName() + ":" + dc.port(), "-b", dc.baseDn(), "(sAMAccountName=alice)", "userPrincipalName"),
                Map.of("KRB5_CONFIG", Krb5Files.configFile(dir, NAME).toString(),
                        "KRB5CCNAME", "FILE:" + dir.resolve("alice").resolve("ccache"),
                        "KRB5_TRACE", dir.resolve("ldapsearch-trace.log").toString()));

        assertThat(r.exit()).as(r.out() + r.err() + trace()).isZero();
        assertThat(r.out()).contains("userPrincipalName: alice@corp.example.com");
    }
}
