package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import dev.keytrust.encoding.Hex;
import dev.keytrust.encoding.WindowsTime;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What AD tools read and write first, with the real clients over sockets: Python ldap3 ({@code get_info=ALL}, a
 * string distinguishedName, AD's matching rules, tokenGroups, nTSecurityDescriptor with the SD flags control, WhoAmI),
 * OpenLDAP's ldapsearch and ldapwhoami for the rootDSE, and msDS-KeyCredentialLink writes as AD grants them.
 */
class AdToolsIT {
    private static final String PASSWORD = "Passw0rd!Passw0rd";
    private static final String BASE = "DC=corp,DC=example,DC=com";
    private static DomainController dc;

    @BeforeAll
    static void start() throws Exception {
        dc = DomainController.start(DomainControllerConfig.builder("DC1").adminPassword(PASSWORD).globalCatalogPort(0).build());
        try (LDAPConnection admin = dc.connect()) {
            user(admin, "alice", 0);
            user(admin, "bob", 0);
            user(admin, "carol", 514); // disabled
            admin.add("CN=Tier1,CN=Users," + BASE, new Attribute("objectClass", "group"), new Attribute("sAMAccountName", "Tier1"),
                    new Attribute("member", "CN=alice,CN=Users," + BASE));
            admin.add("CN=Tier0,CN=Users," + BASE, new Attribute("objectClass", "group"), new Attribute("sAMAccountName", "Tier0"),
                    new Attribute("member", "CN=Tier1,CN=Users," + BASE));
            admin.add("CN=WS01,CN=Computers," + BASE, new Attribute("objectClass", "computer"), new Attribute("sAMAccountName", "WS01$"),
                    new Attribute("userAccountControl", "4096"), new Attribute("dNSHostName", "ws01.corp.example.com"),
                    new Attribute("userPassword", PASSWORD));
        }
    }

    @AfterAll
    static void stop() {
        dc.close();
    }

    private static void user(LDAPConnection admin, String name, int control) throws LDAPException {
        admin.add("CN=" + name + ",CN=Users," + BASE, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", name),
                new Attribute("userPassword", PASSWORD), new Attribute("userAccountControl", String.valueOf(control == 0 ? 66048 : control)));
    }

    @Test
    void pythonLdap3LoadsTheSchemaAndUsesAdsFiltersAndConstructedAttributes(@TempDir Path dir) throws Exception {
        JsonNode out = ExternalTool.ldap3Script(dir, dc, List.of(
                "from ldap3 import Server, Connection, ALL, BASE, SUBTREE",
                "from ldap3.protocol.microsoft import security_descriptor_control",
                "host, port, pw, base = sys.argv[1:5]",
                "server = Server(host, port=int(port), get_info=ALL)",
                "c = Connection(server, 'CORP\\\\Administrator', pw, auto_bind=True)",
                "names = lambda: sorted(str(e.sAMAccountName.value) for e in c.entries)",
                "attrs = ['distinguishedName', 'sAMAccountName', 'objectSid', 'primaryGroupID', 'pwdLastSet', 'lastLogon',",
                "         'lastLogonTimestamp', 'badPwdCount', 'adminCount', 'servicePrincipalName', 'userAccountControl',",
                "         'msDS-SupportedEncryptionTypes', 'msDS-AllowedToActOnBehalfOfOtherIdentity', 'msDS-KeyCredentialLink',",
                "         'sAMAccountType', 'memberOf', 'objectCategory', 'whenCreated', 'dNSHostName', 'operatingSystem',",
                "         'sIDHistory', 'msDS-AllowedToDelegateTo', 'homeDirectory', 'scriptPath', 'managedBy',",
                "         'msDS-GroupMSAMembership', 'accountExpires', 'lockoutTime', 'logonCount', 'isDeleted']",
                "c.search(base, '(&(objectCategory=person)(objectClass=user)(userAccountControl:1.2.840.113556.1.4.803:=2))', attributes=attrs)",
                "out['disabled'] = names()",
                "out['dnType'] = type(c.entries[0].distinguishedName.value).__name__",
                "c.search(base, '(userAccountControl:1.2.840.113556.1.4.804:=4096)', attributes=['sAMAccountName'])",
                "out['workstations'] = names()",
                "c.search(base, '(distinguishedName=CN=alice,CN=Users,' + base + ')', attributes=attrs)",
                "out['byDn'] = names()",
                "out['alicePrimaryGroup'] = c.entries[0].primaryGroupID.value",
                "c.search(base, '(memberOf:1.2.840.113556.1.4.1941:=CN=Tier0,CN=Users,' + base + ')', attributes=['sAMAccountName'])",
                "out['inChain'] = names()",
                "c.search(base, '(&(objectCategory=computer)(servicePrincipalName=HOST/*))', attributes=['sAMAccountName'])",
                "out['computers'] = names()",
                "c.search(base, '(objectClass=domainDNS)', attributes=['ms-DS-MachineAccountQuota'])",
                "out['quota'] = c.entries[0]['ms-DS-MachineAccountQuota'].value",
                "c.search('CN=alice,CN=Users,' + base, '(objectClass=*)', BASE, attributes=['tokenGroups'])",
                "from ldap3.protocol.formatters.formatters import format_sid",
                "out['tokenGroups'] = sorted(format_sid(v) for v in c.entries[0].tokenGroups.raw_values)",
                "c.search(base, '(sAMAccountName=alice)', SUBTREE, attributes=['tokenGroups'])",
                "out['tokenGroupsSubtree'] = c.result['result']",
                "c.search('CN=alice,CN=Users,' + base, '(objectClass=*)', BASE, attributes=['nTSecurityDescriptor'],",
                "         controls=security_descriptor_control(sdflags=0x04))",
                "sd = c.entries[0].nTSecurityDescriptor.raw_values[0]",
                "from impacket.ldap import ldaptypes",
                "parsed = ldaptypes.SR_SECURITY_DESCRIPTOR(data=sd)",
                "out['sdOwnerOffset'] = parsed['OffsetOwner']",
                "out['sdTrustees'] = sorted({a['Ace']['Sid'].formatCanonical() for a in parsed['Dacl'].aces})",
                "c.search(base, '(sAMAccountName=alice)', attributes=['objectSid'])",
                "out['aliceSid'] = str(c.entries[0].objectSid.value)",
                "out['capabilities'] = sorted(str(v[0]) for v in server.info.supported_features)  # ldap3 merges them in",
                "out['functionality'] = str(server.info.other['domainFunctionality'][0])",
                "c.extend.standard.who_am_i()",
                "out['whoami'] = c.result['authzid'] if 'authzid' in c.result else str(c.result.get('responseValue'))"),
                PASSWORD, BASE);
        assertThat(out.get("disabled").toString()).as("carol, and krbtgt: disabled in every AD domain")
                .isEqualTo("[\"carol\",\"krbtgt\"]");
        assertThat(out.get("dnType").asText()).as("distinguishedName is single-valued: ldap3 gives a string").isEqualTo("str");
        assertThat(out.get("workstations").toString()).isEqualTo("[\"WS01$\"]");
        assertThat(out.get("byDn").toString()).isEqualTo("[\"alice\"]");
        assertThat(out.get("alicePrimaryGroup").asInt()).isEqualTo(513);
        assertThat(out.get("inChain").toString()).as("alice is in Tier0 through Tier1").isEqualTo("[\"Tier1\", \"alice\"]"
                .replace(", ", ","));
        assertThat(out.get("computers").toString()).isEqualTo("[\"DC1$\",\"WS01$\"]");
        assertThat(out.get("quota").asInt()).isEqualTo(10);
        String aliceSid = out.get("aliceSid").asText();
        String domain = aliceSid.substring(0, aliceSid.lastIndexOf('-'));
        assertThat(out.get("tokenGroups")).hasSize(4); // Tier1, Tier0, Domain Users, BUILTIN\Users
        assertThat(out.get("tokenGroups").toString()).contains(domain + "-513");
        assertThat(out.get("tokenGroupsSubtree").asInt()).as("tokenGroups is base-scope only: 1, as Samba answers").isEqualTo(1);
        assertThat(out.get("sdOwnerOffset").asInt()).as("SD flags 4 asks for the DACL only").isZero();
        assertThat(out.get("sdTrustees").toString()).contains(domain + "-512", "S-1-5-10", domain + "-526", domain + "-527");
        assertThat(out.get("capabilities").toString()).contains("1.2.840.113556.1.4.800", "1.2.840.113556.1.4.2237");
        assertThat(out.get("functionality").asText()).isEqualTo("7");
        assertThat(out.get("whoami").asText()).isEqualTo("u:CORP\\Administrator");
    }

    @Test
    void ldapsearchReadsTheRootDseAsAdShowsItAndLdapwhoamiAnswersAsAd() throws Exception {
        ExternalTool.require("OpenLDAP ldapsearch (ldap-utils)", "ldapsearch", "-VV");
        ExternalTool.Result root = ExternalTool.run("", List.of("ldapsearch", "-x", "-H", dc.ldapUrl(), "-s", "base", "-b", "",
                "-o", "ldif-wrap=no", "supportedCapabilities", "supportedLDAPPolicies", "supportedControl", "domainFunctionality",
                "forestFunctionality", "domainControllerFunctionality", "isGlobalCatalogReady", "ldapServiceName", "supportedExtension"));
        assertThat(root.exit()).as(root.err()).isZero();
        assertThat(root.out()).contains("supportedCapabilities: 1.2.840.113556.1.4.800", "supportedLDAPPolicies: MaxPageSize",
                "supportedControl: 1.2.840.113556.1.4.801", "supportedControl: 1.2.840.113556.1.4.417",
                "supportedControl: 1.2.840.113556.1.4.319", "domainFunctionality: 7", "forestFunctionality: 7",
                "domainControllerFunctionality: 7", "isGlobalCatalogReady: TRUE",
                "ldapServiceName: corp.example.com:dc1$@CORP.EXAMPLE.COM", "supportedExtension: 1.3.6.1.4.1.4203.1.11.3");
        ExternalTool.Result who = ExternalTool.run("", List.of("ldapwhoami", "-x", "-H", dc.ldapUrl(), "-D", "CORP\\alice",
                "-w", PASSWORD));
        assertThat(who.exit()).as(who.err()).isZero();
        assertThat(who.out().trim()).isEqualTo("u:CORP\\alice");
        ExternalTool.Result disabled = ExternalTool.run("", List.of("ldapwhoami", "-x", "-H", dc.ldapUrl(), "-D", "CORP\\carol",
                "-w", PASSWORD));
        assertThat(disabled.exit()).isEqualTo(49);
        assertThat(disabled.err()).contains("data 533");
        ExternalTool.Result wrong = ExternalTool.run("", List.of("ldapwhoami", "-x", "-H", dc.ldapUrl(), "-D", "CORP\\carol",
                "-w", "wrong"));
        assertThat(wrong.err()).as("a wrong password stays a wrong password").doesNotContain("data 533");
    }

    @Test
    void aComputerWritesItsOwnKeyThroughTheValidatedWriteAUserCannotAndKeyAdminsWriteAny(@TempDir Path dir) throws Exception {
        String computer = "CN=WS01,CN=Computers," + BASE;
        String alice = "CN=alice,CN=Users," + BASE;
        String bob = "CN=bob,CN=Users," + BASE;
        try (LDAPConnection admin = dc.connect()) {
            admin.modify("CN=Key Admins,CN=Users," + BASE, new Modification(ModificationType.ADD, "member", bob));
        }
        JsonNode out = ExternalTool.ldap3Script(dir, dc, List.of(
                "from ldap3 import Server, Connection, MODIFY_ADD, MODIFY_REPLACE, MODIFY_DELETE",
                "host, port, pw, computer, alice, key, second, synced, userKey, anyKey = sys.argv[1:11]",
                "server = Server(host, port=int(port))",
                "ws = Connection(server, 'CORP\\\\WS01$', pw, auto_bind=True)",
                "for name, value in [('computerAddsSynced', synced), ('computerAdds', key), ('computerAddsSecond', second)]:",
                "    ws.modify(computer, {'msDS-KeyCredentialLink': [(MODIFY_ADD, [value])]})",
                "    out[name] = ws.result['result']",
                "ws.modify(computer, {'msDS-KeyCredentialLink': [(MODIFY_REPLACE, [second])]})",
                "out['computerReplaces'] = ws.result['result']",
                "ws.modify(alice, {'msDS-KeyCredentialLink': [(MODIFY_ADD, [anyKey])]})",
                "out['computerWritesAlice'] = ws.result['result']",
                "ws.search(computer, '(objectClass=*)', 'BASE', attributes=['msDS-KeyCredentialLink'])",
                "out['computerReadsOwn'] = len(ws.entries[0]['msDS-KeyCredentialLink'].values)",
                "ws.modify(computer, {'msDS-KeyCredentialLink': [(MODIFY_DELETE, [key])]})",
                "out['computerDeletes'] = ws.result['result']",
                "a = Connection(server, 'CORP\\\\alice', pw, auto_bind=True)",
                "a.modify(alice, {'msDS-KeyCredentialLink': [(MODIFY_ADD, [userKey])]})",
                "out['userWritesOwn'] = a.result['result']",
                "out['userWritesOwnMessage'] = a.result['message']",
                "b = Connection(server, 'CORP\\\\bob', pw, auto_bind=True)",
                "b.modify(alice, {'msDS-KeyCredentialLink': [(MODIFY_ADD, [anyKey])]})",
                "out['keyAdminWritesAlice'] = b.result['result']",
                "b.modify(computer, {'msDS-KeyCredentialLink': [(MODIFY_ADD, [synced])]})",
                "out['keyAdminWritesComputer'] = b.result['result']",
                "a.search(alice, '(objectClass=*)', 'BASE', attributes=['msDS-KeyCredentialLink'])",
                "out['aliceReadsOwn'] = len(a.entries[0]['msDS-KeyCredentialLink'].values)",
                "ws.search(alice, '(objectClass=*)', 'BASE', attributes=['msDS-KeyCredentialLink'])",
                "out['othersReadAlice'] = len(ws.entries[0]['msDS-KeyCredentialLink'].values)",
                "a.search(computer, '(objectClass=*)', 'BASE', attributes=['msDS-KeyCredentialLink'])",
                "out['aliceReadsComputer'] = len(a.entries[0]['msDS-KeyCredentialLink'].values)"),
                PASSWORD, computer, alice, computerKey(computer, 1), computerKey(computer, 2),
                KeyCredentialLinkIT.key(computer, 3), KeyCredentialLinkIT.key(alice, 4), KeyCredentialLinkIT.key(alice, 5));
        assertThat(out.get("computerAddsSynced").asInt()).as("a key with CustomKeyInformation is outside the validated write")
                .isEqualTo(50);
        assertThat(out.get("computerAdds").asInt()).isZero();
        assertThat(out.get("computerAddsSecond").asInt()).as("only when there is no existing value").isEqualTo(50);
        assertThat(out.get("computerReplaces").asInt()).isEqualTo(50);
        assertThat(out.get("computerWritesAlice").asInt()).isEqualTo(50);
        assertThat(out.get("computerReadsOwn").asInt()).isEqualTo(1);
        assertThat(out.get("computerDeletes").asInt()).isZero();
        assertThat(out.get("userWritesOwn").asInt()).isEqualTo(50);
        assertThat(out.get("userWritesOwnMessage").asText()).contains("computer accounts only");
        assertThat(out.get("keyAdminWritesAlice").asInt()).isZero();
        assertThat(out.get("keyAdminWritesComputer").asInt()).isZero();
        assertThat(out.get("aliceReadsOwn").asInt()).isEqualTo(1);
        assertThat(out.get("othersReadAlice").asInt()).as("Authenticated Users read it (Pre-Windows 2000 Compatible Access), "
                + "as in a default AD domain and Samba").isEqualTo(1);
        assertThat(out.get("aliceReadsComputer").asInt()).as("a computer's keys are readable by every bound client").isEqualTo(1);
    }

    @Test
    void aUserAddsComputersUpToTheMachineAccountQuota() throws Exception {
        try (LDAPConnection admin = dc.connect()) {
            admin.modify(BASE, new Modification(ModificationType.REPLACE, "ms-DS-MachineAccountQuota", "2"));
        }
        try (LDAPConnection bob = new LDAPConnection(dc.host(), dc.port(), "CORP\\bob", PASSWORD)) {
            for (int i = 1; i <= 2; i++) {
                bob.add("CN=BOBPC" + i + ",CN=Computers," + BASE, new Attribute("objectClass", "computer"),
                        new Attribute("sAMAccountName", "BOBPC" + i + "$"), new Attribute("dNSHostName", "bobpc" + i + ".corp.example.com"));
            }
            var third = org.assertj.core.api.Assertions.catchThrowableOfType(() -> bob.add("CN=BOBPC3,CN=Computers," + BASE,
                    new Attribute("objectClass", "computer"), new Attribute("sAMAccountName", "BOBPC3$")), LDAPException.class);
            assertThat(third.getResultCode()).isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
            assertThat(third.getDiagnosticMessage()).contains("ms-DS-MachineAccountQuota is 2");
            var user = org.assertj.core.api.Assertions.catchThrowableOfType(() -> bob.add("CN=bobuser,CN=Users," + BASE,
                    new Attribute("objectClass", "user"), new Attribute("sAMAccountName", "bobuser")), LDAPException.class);
            assertThat(user.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
            var entry = bob.getEntry("CN=BOBPC1,CN=Computers," + BASE, "userAccountControl", "mS-DS-CreatorSID", "primaryGroupID",
                    "sAMAccountType");
            assertThat(entry.getAttributeValue("userAccountControl")).isEqualTo("4096");
            assertThat(entry.getAttributeValue("primaryGroupID")).isEqualTo("515");
            assertThat(entry.getAttributeValue("sAMAccountType")).isEqualTo("805306369");
            assertThat(entry.getAttributeValueBytes("mS-DS-CreatorSID"))
                    .isEqualTo(bob.getEntry("CN=bob,CN=Users," + BASE, "objectSid").getAttributeValueBytes("objectSid"));
        } finally {
            try (LDAPConnection admin = dc.connect()) {
                admin.modify(BASE, new Modification(ModificationType.REPLACE, "ms-DS-MachineAccountQuota", "10"));
            }
        }
    }

    @Test
    void theGlobalCatalogPortServesTheSameDataReadOnly() throws Exception {
        try (LDAPConnection gc = new LDAPConnection(dc.host(), dc.port(DcServices.GC_SERVICE), "CORP\\Administrator", PASSWORD)) {
            assertThat(gc.search(BASE, com.unboundid.ldap.sdk.SearchScope.SUB, "(sAMAccountName=alice)").getEntryCount()).isEqualTo(1);
            var write = org.assertj.core.api.Assertions.catchThrowableOfType(() -> gc.modify("CN=alice,CN=Users," + BASE,
                    new Modification(ModificationType.REPLACE, "description", "x")), LDAPException.class);
            assertThat(write.getResultCode()).isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
            assertThat(write.getDiagnosticMessage()).contains("global catalog is read-only");
        }
        assertThat(dc.services()).contains(DcServices.GC_SERVICE);
    }

    /**
     * A computer's key as Windows writes it through the validated write: KeyID, KeyHash, KeyMaterial (DER RSA), usage
     * NGC, source AD, creation time; no CustomKeyInformation and no approximate last logon time.
     */
    static String computerKey(String owner, int seed) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(seed);
        gen.initialize(1024, random);
        byte[] material = gen.generateKeyPair().getPublic().getEncoded();
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        entry(tail, 3, material);
        entry(tail, 4, new byte[] {1});
        entry(tail, 5, new byte[] {0});
        long created = WindowsTime.toFileTime(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(seed));
        byte[] time = new byte[8];
        for (int i = 0; i < 8; i++) {
            time[i] = (byte) (created >>> (8 * i));
        }
        entry(tail, 9, time);
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        blob.writeBytes(new byte[] {0, 2, 0, 0});
        entry(blob, 1, MessageDigest.getInstance("SHA-256").digest(material));
        entry(blob, 2, MessageDigest.getInstance("SHA-256").digest(tail.toByteArray()));
        blob.writeBytes(tail.toByteArray());
        String hex = Hex.encode(blob.toByteArray()).toUpperCase();
        return "B:" + hex.length() + ":" + hex + ":" + owner;
    }

    private static void entry(ByteArrayOutputStream out, int id, byte[] value) {
        out.write(value.length & 0xFF);
        out.write(value.length >>> 8);
        out.write(id);
        out.writeBytes(value);
    }
}
