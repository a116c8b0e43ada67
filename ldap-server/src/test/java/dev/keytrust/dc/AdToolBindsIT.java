package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.GenericSASLBindRequest;
import com.unboundid.ldap.sdk.LDAPBindException;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import dev.keytrust.dc.access.AdBindRequestHandler;
import dev.keytrust.time.VirtualClock;
import java.io.InputStream;
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
 * AD tools' default binds against DCs, over real sockets: impacket's NTLM login, Python ldap3's NTLM (Sicily) bind,
 * Samba's ldbsearch (GSS-SPNEGO with NTLM, signed and sealed); their failures with AD's texts; a key written through
 * impacket on DC1 seen through ldap3 on DC3 only after replication. The DCs listen on port 389 of their own loopback
 * address because impacket 0.10 cannot be given another port. The users' NT hashes are the DCs' own password-derived
 * credentials (set on DC1, replicated to DC3).
 */
class AdToolBindsIT {
    private static final String PASSWORD = "Passw0rd!Passw0rd";
    private static final Map<String, String> PASSWORDS = Map.of("administrator", PASSWORD, "alice", "Alice!Passw0rd1",
            "bob", "Bob!Passw0rd1", "keyadmin", "KeyAdm1n!Passw0rd");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static VirtualClock clock;
    private static DomainController dc1;
    private static DomainController dc3;
    private static String base;
    private static String alice;
    @TempDir
    static Path scripts;

    @BeforeAll
    static void start() throws Exception {
        clock = new VirtualClock(Instant.parse("2026-03-01T10:00:00Z"));
        dc1 = start("DC1", "127.0.0.71");
        dc3 = start("DC3", "127.0.0.73");
        base = dc1.baseDn();
        alice = "CN=alice,CN=Users," + base;
        try (LDAPConnection admin = dc1.connect()) {
            admin.add(alice, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", "alice"),
                    new Attribute("userPrincipalName", "alice@corp.example.com"),
                    new Attribute("userPassword", PASSWORDS.get("alice")),
                    new Attribute("msDS-KeyCredentialLink", KeyCredentialLinkIT.key(alice, 71)));
            admin.add("CN=bob,CN=Users," + base, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", "bob"),
                    new Attribute("userAccountControl", "514"), new Attribute("userPassword", PASSWORDS.get("bob")));
            String keyAdmin = "CN=keyadmin,CN=Users," + base;
            admin.add(keyAdmin, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", "keyadmin"),
                    new Attribute("userPassword", PASSWORDS.get("keyadmin")));
            admin.modify("CN=Key Admins,CN=Users," + base, new Modification(ModificationType.ADD, "member", keyAdmin));
        }
        dc3.pullFrom(dc1);
        for (String name : List.of("impacket_keys.py", "ldap3_keys.py", "openssl-legacy.cnf")) {
            try (InputStream in = AdToolBindsIT.class.getResourceAsStream("/ad-tools/" + name)) {
                Files.copy(in, scripts.resolve(name));
            }
        }
    }

    private static DomainController start(String name, String host) {
        return DomainController.start(DomainControllerConfig.builder(name).host(host).port(389).adminPassword(PASSWORD)
                .clock(clock).seed(9).build());
    }

    @AfterAll
    static void stop() {
        for (DomainController dc : new DomainController[] {dc1, dc3}) {
            if (dc != null) {
                dc.close();
            }
        }
    }

    private static JsonNode impacket(DomainController dc, String domain, String user, String password, String value)
            throws Exception {
        ExternalTool.require("impacket (python3-impacket)", "/usr/bin/python3", "-c", "import impacket.ldap.ldap");
        ExternalTool.Result r = ExternalTool.run("", List.of("/usr/bin/python3", scripts.resolve("impacket_keys.py").toString(),
                dc.host(), base, domain, user, password, alice, value));
        assertThat(r.exit()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    private static JsonNode ldap3(DomainController dc, String user, String password, String value) throws Exception {
        ExternalTool.require("Python ldap3 (python3-ldap3)", "/usr/bin/python3", "-c", "import ldap3");
        ExternalTool.Result r = ExternalTool.run("", List.of("/usr/bin/python3", scripts.resolve("ldap3_keys.py").toString(),
                dc.host(), String.valueOf(dc.port()), user, password, base, alice, value),
                Map.of("OPENSSL_CONF", scripts.resolve("openssl-legacy.cnf").toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    private static ExternalTool.Result ldbsearch(DomainController dc, String credentials, String wrapping) throws Exception {
        ExternalTool.require("Samba's ldbsearch (ldb-tools)", "ldbsearch", "--version");
        return ExternalTool.run("", List.of("ldbsearch", "-H", "ldap://" + dc.host() + ":" + dc.port(),
                "--option=client ldap sasl wrapping=" + wrapping, "-U", credentials, "-b", base,
                "(sAMAccountName=alice)", "userPrincipalName"));
    }

    private static List<String> keys(DomainController dc) throws Exception {
        try (LDAPConnection admin = dc.connect()) {
            return List.of(admin.getEntry(alice, "msDS-KeyCredentialLink").getAttributeValues("msDS-KeyCredentialLink"));
        }
    }

    @Test
    void impacketLogsInWithNtlmFindsTheKeysAndAddsOneAsAKeyAdmin() throws Exception {
        String value = KeyCredentialLinkIT.key(alice, 72);

        JsonNode out = impacket(dc1, "CORP", "keyadmin", PASSWORDS.get("keyadmin"), value);

        assertThat(out.get("login").asText()).isEqualTo("ok");
        assertFoundAliceAndAdded(out, value);
    }

    @Test
    void impacketSignsInWithAUserPrincipalNameAndTheDnsDomainName() throws Exception {
        assertThat(impacket(dc1, "", "alice@corp.example.com", PASSWORDS.get("alice"), "-").get("login").asText()).isEqualTo("ok");
        assertThat(impacket(dc1, "corp.example.com", "alice", PASSWORDS.get("alice"), "-").get("login").asText()).isEqualTo("ok");
    }

    @Test
    void ldap3NtlmBindLoadsTheSchemaFindsTheKeysAndAddsOne() throws Exception {
        String value = KeyCredentialLinkIT.key(alice, 73);

        JsonNode out = ldap3(dc1, "CORP\\keyadmin", PASSWORDS.get("keyadmin"), value);

        assertThat(out.get("bind").asBoolean()).as(out.toString()).isTrue();
        assertThat(out.get("schemaKnowsKeyCredentialLink").asBoolean()).isTrue();
        assertThat(out.get("mechanisms").toString()).contains("GSS-SPNEGO");
        assertFoundAliceAndAdded(out, value);
    }

    @Test
    void sambaToolListsTheUsersOverGssSpnegoNtlm() throws Exception {
        ExternalTool.require("Samba's samba-tool (samba)", "samba-tool", "--version");
        ExternalTool.Result r = ExternalTool.run("", List.of("samba-tool", "user", "list", "-H",
                "ldap://" + dc1.host() + ":" + dc1.port(), "-U", "CORP\\Administrator%" + PASSWORD));

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        // samba-tool lists accounts whose userAccountControl has UF_NORMAL_ACCOUNT (a bit-AND filter, rule 803)
        assertThat(r.out().lines().toList()).contains("Administrator", "bob", "krbtgt");
    }

    @Test
    void ldbsearchBindsWithGssSpnegoNtlmSignedSealedAndPlain() throws Exception {
        for (String wrapping : List.of("sign", "seal", "plain")) {
            ExternalTool.Result r = ldbsearch(dc1, "CORP\\alice%" + PASSWORDS.get("alice"), wrapping);

            assertThat(r.exit()).as(wrapping + ": " + r.out() + r.err()).isZero();
            assertThat(r.out()).as(wrapping).contains("dn: " + alice).contains("userPrincipalName: alice@corp.example.com");
        }
    }

    @Test
    void aWrongPasswordGets49WithAdsData52eThroughEachClient() throws Exception {
        String text = "80090308: LdapErr: DSID-0C090569, comment: AcceptSecurityContext error, data 52e, v4563";

        JsonNode viaLdap3 = ldap3(dc1, "CORP\\alice", "not the password", "-");
        assertThat(viaLdap3.get("result").asInt()).isEqualTo(49);
        assertThat(viaLdap3.get("message").asText()).isEqualTo(text);
        assertThat(impacket(dc1, "CORP", "alice", "not the password", "-").get("login").asText())
                .contains("invalidCredentials").contains(text);
        assertThat(impacket(dc1, "CORP", "nobody", "whatever", "-").get("login").asText()).contains(text);
        ExternalTool.Result viaSamba = ldbsearch(dc1, "CORP\\alice%not the password", "sign");
        assertThat(viaSamba.out() + viaSamba.err()).contains("LDAP error 49").contains(text);
    }

    @Test
    void aDisabledAccountGets49WithAdsData533() throws Exception {
        String text = "80090308: LdapErr: DSID-0C090569, comment: AcceptSecurityContext error, data 533, v4563";

        assertThat(ldap3(dc1, "CORP\\bob", PASSWORDS.get("bob"), "-").get("message").asText()).isEqualTo(text);
        assertThat(impacket(dc1, "CORP", "bob", PASSWORDS.get("bob"), "-").get("login").asText()).contains(text);
    }

    @Test
    void anUnknownMechanismGetsAdsAnswerAndTheRootDseListsGssSpnego() throws Exception {
        try (LDAPConnection ldap = new LDAPConnection(dc1.host(), dc1.port())) {
            assertThat(ldap.getRootDSE().getSupportedSASLMechanismNames()).contains("GSS-SPNEGO");
            LDAPBindException e = org.assertj.core.api.Assertions.catchThrowableOfType(() -> ldap.bind(
                    new GenericSASLBindRequest(null, "X-NOT-A-MECHANISM", new ASN1OctetString())), LDAPBindException.class);

            assertThat(e.getResultCode()).isEqualTo(ResultCode.AUTH_METHOD_NOT_SUPPORTED);
            assertThat(e.getDiagnosticMessage()).isEqualTo(AdBindRequestHandler.UNKNOWN_MECHANISM);
        }
    }

    @Test
    void aKeyWrittenThroughImpacketOnDc1ReachesLdap3OnDc3OnlyAfterReplication() throws Exception {
        String value = KeyCredentialLinkIT.key(alice, 74);
        assertThat(impacket(dc1, "CORP", "keyadmin", PASSWORDS.get("keyadmin"), value).get("modify").asInt()).isZero();

        JsonNode before = ldap3(dc3, "CORP\\keyadmin", PASSWORDS.get("keyadmin"), "-");
        assertThat(before.get("bind").asBoolean()).as(before.toString()).isTrue();
        assertThat(values(before)).as("DC3 has not pulled from DC1 yet").doesNotContain(value);

        dc3.pullFrom(dc1);

        assertThat(values(ldap3(dc3, "CORP\\keyadmin", PASSWORDS.get("keyadmin"), "-"))).contains(value);
    }

    /** The tool's search found alice, and its add of {@code value} succeeded and is on DC1. */
    private static void assertFoundAliceAndAdded(JsonNode out, String value) throws Exception {
        assertThat(out.get("found").has(alice)).as(out.toString()).isTrue();
        assertThat(out.get("modify").asInt()).as(out.toString()).isZero();
        assertThat(keys(dc1)).contains(value);
    }

    private static List<String> values(JsonNode ldap3Out) {
        List<String> out = new ArrayList<>();
        JsonNode found = ldap3Out.get("found").get(alice);
        if (found != null) {
            found.forEach(v -> out.add(v.asText()));
        }
        return out;
    }
}
