package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import dev.keytrust.dc.kerberos.KdcService;
import dev.keytrust.dc.kerberos.Krb5Files;
import dev.keytrust.dc.kerberos.MitKerberos;
import dev.keytrust.kdc.MitClient;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kerberos LDAP binds with MIT's tools over real sockets: {@code kinit} against the DC's own KDC, then OpenLDAP's
 * {@code ldapsearch -Y GSSAPI} (Cyrus SASL's GSSAPI plug-in: AP-REQ for ldap/<dc host>, mutual authentication, the
 * security-layer negotiation in Wrap tokens, confidentiality chosen); Samba's {@code ldbsearch} and
 * {@code samba-tool} with {@code --use-kerberos=required} (Heimdal's GSS-SPNEGO with Kerberos: every later message
 * sealed by default, signed or plain when asked); impacket's Kerberos login. The DC's DNS name must resolve to its
 * address for the client to ask for the right service ticket: the test adds an /etc/hosts line for a name of its own
 * and removes it after. Samba's tools read a smb.conf of the test's own, not the machine's.
 */
@ExtendWith(MitClient.PkinitInstalled.class)
class KerberosBindIT {
    private static final String PASSWORD = "Passw0rd!Passw0rd";
    private static final Map<String, String> DCS = Map.of("KRBBIND75", "127.0.0.75", "KRBBIND76", "127.0.0.76",
            "KRBBIND77", "127.0.0.77");
    private static final Path HOSTS = Path.of("/etc/hosts");
    private static final String IMPACKET_DC = "KRBBIND77";
    private static final String ALICE = "CN=alice,CN=Users,";
    private static final List<DomainController> dcs = new ArrayList<>();
    private static final List<String> addedHosts = new ArrayList<>();
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        ExternalTool.require("OpenLDAP's ldapsearch with Cyrus SASL GSSAPI (ldap-utils, libsasl2-modules-gssapi-mit)",
                "sh", "-c", "ldapsearch -VV 2>&1; ls /usr/lib/x86_64-linux-gnu/sasl2/libgssapiv2.so");
        KdcCertificates.Credential ca = KdcCertificates.generateCa("KeyTrust Lab CA", Instant.now());
        Krb5Files.writeCa(dir, ca.certificate());
        for (String name : List.of("KRBBIND75", "KRBBIND76", "KRBBIND77")) {
            DomainControllerConfigBuilder config = DomainControllerConfig.builder(name).host(DCS.get(name))
                    .adminPassword(PASSWORD).kdcPort(0).kdcCertificateAuthority(ca);
            if (name.equals(IMPACKET_DC)) {
                config.standardPorts(); // impacket 0.10 dials 389 and 88 only
            }
            DomainController dc = DomainController.start(config.build());
            dcs.add(dc);
            Krb5Files.writeConfig(dir, name, "CORP.EXAMPLE.COM", dc.host(), dc.port(KdcService.NAME));
            String line = dc.host() + " " + dnsName(dc);
            if (!Files.readString(HOSTS).contains(line)) {
                Files.writeString(HOSTS, System.lineSeparator() + line + System.lineSeparator(),
                        java.nio.file.StandardOpenOption.APPEND);
                addedHosts.add(line);
            }
        }
        try (LDAPConnection admin = dcs.get(0).connect()) {
            admin.add(ALICE + dcs.get(0).baseDn(), new Attribute("objectClass", "user"),
                    new Attribute("sAMAccountName", "alice"), new Attribute("userPrincipalName", "alice@corp.example.com"),
                    new Attribute("userAccountControl", "66048"), new Attribute("userPassword", "Secret-Alice-1"),
                    new Attribute("msDS-KeyCredentialLink", KeyCredentialLinkIT.key(ALICE + dcs.get(0).baseDn(), 75)));
        }
        for (DomainController other : dcs.subList(1, dcs.size())) {
            other.pullFrom(dcs.get(0)); // alice, and each DC's own account, on every DC
            dcs.get(0).pullFrom(other);
        }
        for (DomainController other : dcs.subList(1, dcs.size())) {
            other.pullFrom(dcs.get(0));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (!addedHosts.isEmpty()) {
            List<String> kept = new ArrayList<>(Files.readAllLines(HOSTS));
            kept.removeIf(addedHosts::contains);
            Files.write(HOSTS, kept);
        }
        dcs.forEach(DomainController::close);
    }

    private static String trace() throws java.io.IOException {
        Path file = dir.resolve("ldapsearch-trace.log");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static String dnsName(DomainController dc) {
        return dc.name().toLowerCase(java.util.Locale.ROOT) + ".corp.example.com";
    }

    @Test
    void ldapsearchBindsWithGssapiAfterKinitOnEveryDc() throws Exception {
        for (DomainController dc : dcs) {
            assertThat(ldapsearch(dc, kinitAlice(dc, "alice-" + dc.name()), List.of()))
                    .contains("userPrincipalName: alice@corp.example.com");
        }
    }

    @Test
    void ldapsearchGetsIntegrityOnlyOrNoLayerWhenItsMaximumStrengthSaysSo() throws Exception {
        DomainController dc = dcs.get(0);
        Path ccache = kinitAlice(dc, "alice-maxssf");
        for (String maxssf : List.of("maxssf=1", "maxssf=0")) {
            assertThat(ldapsearch(dc, ccache, List.of("-O", maxssf))).as(maxssf)
                    .contains("userPrincipalName: alice@corp.example.com");
        }
    }

    /**
     * A client's receive buffer is a limit: Cyrus SASL refuses a wrapped buffer larger than the one it announced
     * ({@code -O maxbufsize=N}), so the schema (tens of KB in one entry) must reach it split into tokens that fit, sealed
     * and integrity-only alike.
     */
    @Test
    void ldapsearchWithASmallReceiveBufferGetsALargeEntryInTokensThatFit() throws Exception {
        DomainController dc = dcs.get(0);
        Path ccache = kinitAlice(dc, "alice-maxbuf");
        String schema;
        try (LDAPConnection simple = new LDAPConnection(dc.host(), dc.port(), ALICE + dc.baseDn(), "Secret-Alice-1")) {
            schema = simple.getRootDSE().getAttributeValue("subschemaSubentry");
        }
        for (String props : List.of("maxbufsize=2048", "maxssf=1,maxbufsize=2048")) {
            List<String> command = List.of("ldapsearch", "-Y", "GSSAPI", "-N", "-Q", "-LLL", "-o", "ldif-wrap=no", "-O",
                    props, "-H", "ldap://" + dnsName(dc) + ":" + dc.port(), "-s", "base", "-b", schema, "(objectClass=*)",
                    "attributeTypes");
            ExternalTool.Result r = ExternalTool.run("", command, Map.of("KRB5_CONFIG",
                    Krb5Files.configFile(dir, dc.name()).toString(), "KRB5CCNAME", "FILE:" + ccache));
            assertThat(r.exit()).as(props + ": " + r.err()).isZero();
            assertThat(r.out().length()).as(props + ": the entry is larger than the buffer").isGreaterThan(20_000);
            assertThat(r.out()).as(props).contains("NAME 'msDS-KeyCredentialLink'");
        }
    }

    @Test
    void ldapsearchBindsWithGssSpnegoKerberosAndTheLayerItsFlagsAsk() throws Exception {
        DomainController dc = dcs.get(1);
        Path ccache = kinitAlice(dc, "alice-spnego");
        for (String maxssf : List.of("maxssf=256", "maxssf=1", "maxssf=0")) {
            List<String> command = new ArrayList<>(List.of("ldapsearch", "-Y", "GSS-SPNEGO", "-N", "-Q", "-LLL", "-O",
                    maxssf, "-H", "ldap://" + dnsName(dc) + ":" + dc.port(), "-b", dc.baseDn(), "(sAMAccountName=alice)",
                    "userPrincipalName"));
            ExternalTool.Result r = ExternalTool.run("", command, Map.of("KRB5_CONFIG",
                    Krb5Files.configFile(dir, dc.name()).toString(), "KRB5CCNAME", "FILE:" + ccache));
            assertThat(r.exit()).as(maxssf + ": " + r.out() + r.err()).isZero();
            assertThat(r.out()).as(maxssf).contains("userPrincipalName: alice@corp.example.com");
        }
    }

    /** {@code ldapsearch -Y GSSAPI} for alice's UPN on {@code dc}; its output after asserting that it succeeded. */
    private static String ldapsearch(DomainController dc, Path ccache, List<String> options) throws Exception {
        List<String> command = new ArrayList<>(List.of("ldapsearch", "-Y", "GSSAPI", "-N", "-Q", "-LLL"));
        command.addAll(options);
        command.addAll(List.of("-H", "ldap://" + dnsName(dc) + ":" + dc.port(), "-b", dc.baseDn(),
                "(sAMAccountName=alice)", "userPrincipalName"));
        ExternalTool.Result r = ExternalTool.run("", command, Map.of("KRB5_CONFIG",
                Krb5Files.configFile(dir, dc.name()).toString(), "KRB5CCNAME", "FILE:" + ccache,
                "KRB5_TRACE", dir.resolve("ldapsearch-trace.log").toString()));
        assertThat(r.exit()).as(dc.name() + " " + options + ": " + r.out() + r.err() + trace()).isZero();
        return r.out();
    }

    @Test
    void impacketsKerberosLoginBindsWithGssSpnegoAndSearches() throws Exception {
        ExternalTool.require("impacket (python3-impacket)", "/usr/bin/python3", "-c", "import impacket.ldap.ldap");
        DomainController dc = dcs.stream().filter(d -> d.name().equals(IMPACKET_DC)).findFirst().orElseThrow();
        Path script = Files.writeString(dir.resolve("impacket_kerberos.py"), String.join("\n",
                "import sys",
                "from impacket.ldap import ldap, ldapasn1",
                "host, ip, base, password = sys.argv[1:5]",
                "c = ldap.LDAPConnection('ldap://' + host, base, ip)",
                "c.kerberosLogin('alice', password, 'corp.example.com', kdcHost=ip)",
                "for e in c.search(searchFilter='(sAMAccountName=alice)', attributes=['userPrincipalName']):",
                "    if isinstance(e, ldapasn1.SearchResultEntry):",
                "        for a in e['attributes']:",
                "            print('%s: %s' % (a['type'], a['vals'][0]))", ""));
        ExternalTool.Result r = ExternalTool.run("", List.of("/usr/bin/python3", script.toString(), dnsName(dc), dc.host(),
                dc.baseDn(), "Secret-Alice-1"));
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("userPrincipalName: alice@corp.example.com");
    }

    /** Alice's tickets from {@code dc}'s KDC, in a ccache of their own. */
    private static Path kinitAlice(DomainController dc, String name) throws Exception {
        Path cache = dir.resolve(name);
        MitKerberos alice = new MitKerberos(Krb5Files.configFile(dir, dc.name()), cache);
        MitKerberos.Result kinit = alice.kinit("alice", "Secret-Alice-1");
        assertThat(kinit.ok()).as(dc.name() + ": " + kinit.output() + alice.trace()).isTrue();
        return cache.resolve("ccache");
    }

    /** A Samba tool run with Kerberos only, the ccache given and {@code dc}'s krb5.conf, on a smb.conf of its own. */
    private static ExternalTool.Result samba(DomainController dc, Path ccache, List<String> command) throws Exception {
        Path smbConf = dir.resolve("smb.conf");
        Files.writeString(smbConf, "[global]\n  workgroup = CORP\n  realm = CORP.EXAMPLE.COM\n");
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("--configfile=" + smbConf, "--use-kerberos=required"));
        return ExternalTool.run("", full, Map.of("KRB5_CONFIG", Krb5Files.configFile(dir, dc.name()).toString(),
                "KRB5CCNAME", "FILE:" + ccache));
    }

    private static List<String> ldbsearch(DomainController dc, String filter, String... attributes) {
        List<String> command = new ArrayList<>(List.of("ldbsearch", "-H", "ldap://" + dnsName(dc) + ":" + dc.port(),
                "-b", dc.baseDn(), filter));
        command.addAll(List.of(attributes));
        return command;
    }

    @Test
    void sambasLdbsearchBindsWithKerberosSealedByDefaultAndSignedSealedOrPlainWhenAsked() throws Exception {
        ExternalTool.require("Samba's ldbsearch (ldb-tools)", "ldbsearch", "--version");
        DomainController dc = dcs.get(0);
        Path ccache = kinitAlice(dc, "alice-ldbsearch");
        String alice = ALICE + dc.baseDn();

        for (String wrapping : List.of("default", "sign", "seal", "plain")) {
            List<String> command = ldbsearch(dc, "(msDS-KeyCredentialLink=*)", "userPrincipalName",
                    "msDS-KeyCredentialLink");
            if (!wrapping.equals("default")) {
                command.add("--option=client ldap sasl wrapping=" + wrapping);
            }
            ExternalTool.Result r = samba(dc, ccache, command);

            assertThat(r.exit()).as(wrapping + ": " + r.out() + r.err()).isZero();
            assertThat(r.out()).as(wrapping).contains("dn: " + alice).contains("userPrincipalName: alice@corp.example.com")
                    .contains("msDS-KeyCredentialLink: B:");
        }
        ExternalTool.Result admin = samba(dc, ccache, ldbsearch(dc, "(sAMAccountName=Administrator)", "objectSid"));
        assertThat(admin.out()).as(admin.err()).contains("dn: CN=Administrator,CN=Users," + dc.baseDn());
    }

    @Test
    void aWholeDomainSearchThroughTheSealedLayerFindsWhatASimpleBindFinds() throws Exception {
        ExternalTool.require("Samba's ldbsearch (ldb-tools)", "ldbsearch", "--version");
        DomainController dc = dcs.get(0);
        List<String> expected = new ArrayList<>();
        try (LDAPConnection simple = new LDAPConnection(dc.host(), dc.port(), ALICE + dc.baseDn(), "Secret-Alice-1")) {
            simple.search(dc.baseDn(), com.unboundid.ldap.sdk.SearchScope.SUB, "(objectClass=*)", "objectClass")
                    .getSearchEntries().forEach(e -> expected.add("dn: " + e.getDN()));
        }

        ExternalTool.Result r = samba(dc, kinitAlice(dc, "alice-whole"), ldbsearch(dc, "(objectClass=*)", "objectClass"));

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(expected).hasSizeGreaterThan(10);
        assertThat(r.out().lines().filter(l -> l.startsWith("dn: ")).toList()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void sambaToolListsTheUsersWithKerberos() throws Exception {
        ExternalTool.require("Samba's samba-tool (samba)", "samba-tool", "--version");
        DomainController dc = dcs.get(1);
        Path ccache = kinitAlice(dc, "alice-samba-tool");

        ExternalTool.Result r = samba(dc, ccache, new ArrayList<>(List.of("samba-tool", "user", "list", "-H",
                "ldap://" + dnsName(dc) + ":" + dc.port())));

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out().lines().toList()).contains("Administrator", "alice");
    }

    @Test
    void withoutATicketSambasKerberosOnlyBindFailsBeforeReachingTheDc() throws Exception {
        ExternalTool.require("Samba's ldbsearch (ldb-tools)", "ldbsearch", "--version");
        DomainController dc = dcs.get(0);

        ExternalTool.Result r = samba(dc, dir.resolve("no-such-ccache"), ldbsearch(dc, "(sAMAccountName=alice)", "cn"));

        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).doesNotContain("dn: ");
        assertThat(r.err()).contains("Failed to bind").contains("NT_STATUS_UNSUCCESSFUL");
    }
}
