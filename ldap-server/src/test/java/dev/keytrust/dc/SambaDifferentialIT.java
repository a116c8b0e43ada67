package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same LDAP operations against our DC and against a real Samba AD DC (started with
 * {@code ../shared/tools/samba-oracle.sh} unless one already listens on 127.0.0.1:389): the result codes and the
 * value strings clients see must be the same.
 */
class SambaDifferentialIT {
    private static final String SAMBA_PASSWORD = "Passw0rd!Passw0rd";
    private static final String BASE = "DC=corp,DC=example,DC=com";
    private static DomainController dc;
    private static boolean startedSamba;

    @BeforeAll
    static void start() throws Exception {
        startedSamba = SambaOracle.ensureRunning();
        // With a global catalog port, as Samba's DC is a global catalog (isGlobalCatalogReady TRUE on both).
        dc = DomainController.start(DomainControllerConfig.builder("DC1").adminPassword(SAMBA_PASSWORD).globalCatalogPort(0).build());
    }

    @AfterAll
    static void stop() throws Exception {
        if (dc != null) {
            dc.close();
        }
        if (startedSamba) {
            SambaOracle.stop();
        }
    }

    @Test
    void keyCredentialLinkWritesGiveTheSameResultCodesAndValuesOnSambaAndOnOurDc() throws Exception {
        Map<String, String> ours = sameOnBoth("kt", SambaDifferentialIT::run);
        assertThat(ours.get("add key (lower-case hex)")).isEqualTo("0 success");
    }

    @Test
    void answersAtTheEdgesAreTheSameOnSambaAndOnOurDc() throws Exception {
        sameOnBoth("kh", SambaDifferentialIT::edges);
    }

    @Test
    void accountAndGroupWritesGiveTheSameResultCodesOnSambaAndOnOurDc() throws Exception {
        sameOnBoth("ka", AccountWritesScript::run);
    }

    @Test
    void searchFeaturesToolsUseGiveTheSameAnswersOnSambaAndOnOurDc() throws Exception {
        sameOnBoth("ks", SearchFeaturesScript::run);
    }

    @Test
    void ntlmBindsGiveTheSameOutcomesOnSambaAndOnOurDc() throws Exception {
        ExternalTool.require("Samba's ldbsearch (ldb-tools)", "ldbsearch", "--version");
        Map<String, String> ours = sameOnBoth("kn", SambaDifferentialIT::ntlmBinds);
        assertThat(ours.get("NTLM bind, signed")).isEqualTo("ok");
    }

    /**
     * NTLM binds through Samba's ldbsearch (GSS-SPNEGO): signed, sealed and plain with the right password, a wrong
     * password, an unknown user, a UPN; each recorded as ok or the LDAP error and AD's data code.
     */
    private static Map<String, String> ntlmBinds(String host, int port, String tag) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        String right = "CORP\\Administrator%" + SAMBA_PASSWORD;
        out.put("NTLM bind, signed", ldbsearch(host, port, right, "sign"));
        out.put("NTLM bind, sealed", ldbsearch(host, port, right, "seal"));
        out.put("NTLM bind, plain", ldbsearch(host, port, right, "plain"));
        out.put("NTLM bind, wrong password", ldbsearch(host, port, "CORP\\Administrator%wrong", "sign"));
        out.put("NTLM bind, unknown user", ldbsearch(host, port, "CORP\\nobody" + tag + "%" + SAMBA_PASSWORD, "sign"));
        out.put("NTLM bind, user principal name", ldbsearch(host, port, "Administrator@corp.example.com%" + SAMBA_PASSWORD,
                "sign"));
        return out;
    }

    private static String ldbsearch(String host, int port, String credentials, String wrapping) throws Exception {
        ExternalTool.Result r = ExternalTool.run("", List.of("ldbsearch", "-H", "ldap://" + host + ":" + port,
                "--option=client ldap sasl wrapping=" + wrapping, "-U", credentials, "-b", BASE, "-s", "base",
                "(objectClass=*)", "distinguishedName"));
        if (r.exit() == 0 && r.out().contains("dn: " + BASE)) {
            return "ok";
        }
        java.util.regex.Matcher error = java.util.regex.Pattern.compile("LDAP error (\\d+)").matcher(r.out() + r.err());
        java.util.regex.Matcher data = java.util.regex.Pattern.compile("data (\\w+),").matcher(r.out() + r.err());
        return (error.find() ? "LDAP error " + error.group(1) : "failed") + (data.find() ? " data " + data.group(1) : "");
    }

    @Test
    void whatAdToolsReadFirstIsTheSameOnSambaAndOnOurDc() throws Exception {
        Map<String, String> ours = sameOnBoth("ad", SambaDifferentialIT::adTools);
        assertThat(ours.get("in chain of the outer group")).isEqualTo("inner|u1");
    }

    /**
     * The rootDSE attributes tools read, a distinguishedName filter, tokenGroups and the matching rules 803, 804 and
     * 1941. Samba claims functional level 4 (2008 R2) where we claim 7 (2016): those rows compare what both claim.
     */
    private static Map<String, String> adTools(String host, int port, String tag) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (LDAPConnection anonymous = new LDAPConnection(host, port)) {
            com.unboundid.ldap.sdk.SearchResultEntry root = anonymous.getEntry("", "supportedCapabilities", "supportedControl",
                    "domainFunctionality", "forestFunctionality", "domainControllerFunctionality", "isGlobalCatalogReady",
                    "ldapServiceName");
            List<String> capabilities = List.of(root.getAttributeValues("supportedCapabilities"));
            for (String oid : List.of("1.2.840.113556.1.4.800", "1.2.840.113556.1.4.1670", "1.2.840.113556.1.4.1791",
                    "1.2.840.113556.1.4.1935", "1.2.840.113556.1.4.2080")) {
                out.put("supportedCapabilities has " + oid, String.valueOf(capabilities.contains(oid)));
            }
            List<String> controls = List.of(root.getAttributeValues("supportedControl"));
            for (String oid : List.of("1.2.840.113556.1.4.319", "1.2.840.113556.1.4.473", "1.2.840.113556.1.4.417",
                    "1.2.840.113556.1.4.801")) {
                out.put("supportedControl has " + oid, String.valueOf(controls.contains(oid)));
            }
            for (String level : List.of("domainFunctionality", "forestFunctionality", "domainControllerFunctionality")) {
                out.put(level + " is 2008 R2 (4) or later", String.valueOf(Integer.parseInt(root.getAttributeValue(level)) >= 4));
            }
            out.put("isGlobalCatalogReady", root.getAttributeValue("isGlobalCatalogReady"));
            out.put("ldapServiceName", root.getAttributeValue("ldapServiceName"));
        }
        String users = "CN=Users," + BASE;
        try (LDAPConnection ldap = new LDAPConnection(host, port, "CN=Administrator,CN=Users," + BASE, SAMBA_PASSWORD)) {
            String u1 = "CN=" + tag + "u1," + users;
            String u2 = "CN=" + tag + "u2," + users;
            ldap.add(u1, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", tag + "u1"),
                    new Attribute("userAccountControl", "514"));
            ldap.add(u2, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", tag + "u2"),
                    new Attribute("userAccountControl", "66048"));
            String inner = "CN=" + tag + "inner," + users;
            String outer = "CN=" + tag + "outer," + users;
            ldap.add(inner, new Attribute("objectClass", "group"), new Attribute("sAMAccountName", tag + "inner"),
                    new Attribute("member", u1));
            ldap.add(outer, new Attribute("objectClass", "group"), new Attribute("sAMAccountName", tag + "outer"),
                    new Attribute("member", inner));
            String mine = "(sAMAccountName=" + tag + "*)";
            out.put("distinguishedName filter", names(ldap, "(distinguishedName=" + u1 + ")", tag));
            out.put("distinguishedName filter in another case", names(ldap, "(distinguishedName=" + u1.toLowerCase() + ")", tag));
            out.put("distinguishedName filter of no object", names(ldap, "(distinguishedName=CN=nobody," + users + ")", tag));
            out.put("not distinguishedName", names(ldap, "(&" + mine + "(!(distinguishedName=" + u1 + ")))", tag));
            out.put("bit and: disabled", names(ldap, "(&" + mine + "(userAccountControl:1.2.840.113556.1.4.803:=2))", tag));
            out.put("bit and: normal and disabled", names(ldap, "(&" + mine + "(userAccountControl:1.2.840.113556.1.4.803:=514))", tag));
            out.put("bit or: disabled or no-expiry", names(ldap, "(&" + mine + "(userAccountControl:1.2.840.113556.1.4.804:=65538))", tag));
            out.put("not bit and: enabled", names(ldap, "(&" + mine + "(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))", tag));
            out.put("in chain of the outer group", names(ldap, "(&" + mine + "(memberOf:1.2.840.113556.1.4.1941:=" + outer + "))", tag));
            out.put("member only of the outer group", names(ldap, "(&" + mine + "(memberOf=" + outer + "))", tag));
            out.put("groups u1 is in, in chain", names(ldap, "(&" + mine + "(member:1.2.840.113556.1.4.1941:=" + u1 + "))", tag));
            com.unboundid.ldap.sdk.SearchResultEntry tokens = ldap.getEntry(u1, "tokenGroups", "objectSid");
            String domain = sid(ldap.getEntry(BASE, "objectSid").getAttributeValueBytes("objectSid"));
            List<String> sids = new ArrayList<>();
            for (byte[] v : tokens.getAttributeValueByteArrays("tokenGroups")) {
                sids.add(sid(v).replace(domain, "DOMAIN"));
            }
            String innerSid = sid(ldap.getEntry(inner, "objectSid").getAttributeValueBytes("objectSid")).replace(domain, "DOMAIN");
            String outerSid = sid(ldap.getEntry(outer, "objectSid").getAttributeValueBytes("objectSid")).replace(domain, "DOMAIN");
            sids.replaceAll(v -> v.equals(innerSid) ? "inner" : v.equals(outerSid) ? "outer" : v);
            java.util.Collections.sort(sids);
            out.put("tokenGroups of u1", String.join("|", sids));
            step(out, "tokenGroups in a subtree search", () -> ldap.search(users, SearchScope.SUB, "(sAMAccountName=" + tag + "u1)",
                    "tokenGroups"));
            // primaryGroupToken: a group's RID, computed for groups asked for it by name (what a user's primaryGroupID names).
            out.put("primaryGroupToken of Domain Users", String.valueOf(ldap.getEntry("CN=Domain Users,CN=Users," + BASE,
                    "primaryGroupToken").getAttributeValue("primaryGroupToken")));
            String innerRid = innerSid.substring(innerSid.lastIndexOf('-') + 1);
            out.put("primaryGroupToken of a new group is its RID", String.valueOf(innerRid.equals(
                    ldap.getEntry(inner, "primaryGroupToken").getAttributeValue("primaryGroupToken"))));
            out.put("primaryGroupToken of a user", String.valueOf(ldap.getEntry(u1, "primaryGroupToken")
                    .getAttributeValue("primaryGroupToken")));
            out.put("primaryGroupToken with *", String.valueOf(ldap.getEntry(inner, "*").getAttributeValue("primaryGroupToken")));
            out.put("groups by primaryGroupToken", names(ldap, "(&" + mine + "(primaryGroupToken=*))", tag));
            step(out, "primaryGroupToken written", () -> ldap.modify(inner, new Modification(ModificationType.REPLACE,
                    "primaryGroupToken", "4242")));
            for (String dn : List.of(outer, inner, u1, u2)) {
                ldap.delete(dn);
            }
        }
        return out;
    }

    /** A password as AD's unicodePwd takes it: in double quotes, UTF-16LE. */
    private static byte[] quoted(String password) {
        return ("\"" + password + "\"").getBytes(StandardCharsets.UTF_16LE);
    }

    /** The sAMAccountNames (without the tag) of the entries a filter matches under the domain, sorted, joined by '|'. */
    private static String names(LDAPConnection ldap, String filter, String tag) throws LDAPException {
        List<String> names = new ArrayList<>();
        for (com.unboundid.ldap.sdk.SearchResultEntry e : ldap.search(BASE, SearchScope.SUB, filter, "sAMAccountName").getSearchEntries()) {
            names.add(e.getAttributeValue("sAMAccountName").replaceFirst("^" + tag, ""));
        }
        java.util.Collections.sort(names);
        return String.join("|", names);
    }

    private static String sid(byte[] sid) {
        return dev.keytrust.encoding.Sid.fromBytes(sid).toString();
    }

    /** A script that records each step's result against one server. */
    private interface Script {
        Map<String, String> run(String host, int port, String tag) throws Exception;
    }

    /** Runs {@code script} against our DC and Samba with the same fresh tag; both must record the same; ours. */
    private static Map<String, String> sameOnBoth(String prefix, Script script) throws Exception {
        String tag = prefix + Long.toHexString(System.nanoTime() & 0xFFFFFFL);
        Map<String, String> ours = script.run(dc.host(), dc.port(), tag);
        Map<String, String> samba = script.run("127.0.0.1", 389, tag);
        samba.forEach((step, result) -> System.out.printf("%-40s samba: %-40.40s ours: %.40s%n", step, result, ours.get(step)));
        assertThat(ours).containsExactlyEntriesOf(samba);
        return ours;
    }

    /**
     * Schema ranges, DN-Binary edge cases, binds that are no sign-in, rootDSE writes, and every kind of operation on
     * DNs outside the naming contexts (ApacheDS's own ou=system and ou=schema), anonymous and as the Administrator.
     */
    private static Map<String, String> edges(String host, int port, String tag) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        String user = "CN=" + tag + ",CN=Users," + BASE;
        String admin = "CN=Administrator,CN=Users," + BASE;
        Attribute[] system = {new Attribute("objectClass", "top", "person"), new Attribute("cn", "x"),
                new Attribute("sn", "x"), new Attribute("userPassword", "secret")};
        Modification describe = new Modification(ModificationType.REPLACE, "description", "x");
        try (LDAPConnection anonymous = new LDAPConnection(host, port)) {
            step(out, "anonymous add under ou=system", () -> anonymous.add("cn=x,ou=system", system));
            step(out, "anonymous modify of ou=schema", () -> anonymous.modify("ou=schemaModifications,ou=schema", describe));
            step(out, "anonymous delete under ou=system", () -> anonymous.delete("ou=users,ou=system"));
            step(out, "anonymous rootDSE modify", () -> anonymous.modify("", new Modification(ModificationType.REPLACE,
                    "highestCommittedUSN", "5")));
        }
        step(out, "bind as cn=x,ou=system", () -> new LDAPConnection(host, port, "cn=x,ou=system", "secret").close());
        step(out, "bind as a container", () -> new LDAPConnection(host, port, "CN=Users," + BASE, "secret").close());
        step(out, "bind with a DN and an empty password", () -> {
            com.unboundid.ldap.sdk.LDAPConnectionOptions options = new com.unboundid.ldap.sdk.LDAPConnectionOptions();
            options.setBindWithDNRequiresPassword(false); // send it: the SDK refuses it locally by default
            try (LDAPConnection c = new LDAPConnection(options, host, port)) {
                c.bind(admin, "");
            }
        });
        try (LDAPConnection ldap = new LDAPConnection(host, port, admin, SAMBA_PASSWORD)) {
            step(out, "add under ou=system", () -> ldap.add("cn=x,ou=system", system));
            step(out, "modify of ou=schema", () -> ldap.modify("ou=schemaModifications,ou=schema", describe));
            step(out, "delete under ou=system", () -> ldap.delete("ou=users,ou=system"));
            step(out, "search based at ou=system", () -> ldap.search("ou=system", SearchScope.BASE, "(objectClass=*)"));
            step(out, "subtree search from the empty DN", () -> ldap.search("", SearchScope.SUB, "(objectClass=user)"));
            step(out, "rootDSE modify of highestCommittedUSN", () -> ldap.modify("", new Modification(ModificationType.REPLACE,
                    "highestCommittedUSN", "5")));
            step(out, "add user", () -> ldap.add(user, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", tag)));
            step(out, "description of 1,024 characters", () -> ldap.modify(user, new Modification(ModificationType.REPLACE,
                    "description", "d".repeat(1024))));
            step(out, "description of 1,100 characters", () -> ldap.modify(user, new Modification(ModificationType.REPLACE,
                    "description", "d".repeat(1100))));
            step(out, "description of 1 MB", () -> ldap.modify(user, new Modification(ModificationType.REPLACE,
                    "description", "d".repeat(1 << 20))));
            step(out, "givenName of 65 characters", () -> ldap.modify(user, new Modification(ModificationType.REPLACE,
                    "givenName", "g".repeat(65))));
            step(out, "add with a description of 1,025 characters", () -> ldap.add("CN=" + tag + "d,CN=Users," + BASE,
                    new Attribute("objectClass", "user"), new Attribute("sAMAccountName", tag + "d"),
                    new Attribute("description", "d".repeat(1025))));
            step(out, "key with a lower-case b", () -> mod(ldap, user, ModificationType.ADD, "b:4:0A00:" + user));
            step(out, "key with a count of +4", () -> mod(ldap, user, ModificationType.ADD, "B:+4:0A01:" + user));
            step(out, "key with a count of -4", () -> mod(ldap, user, ModificationType.ADD, "B:-4:0A02:" + user));
            step(out, "key with a count of 04", () -> mod(ldap, user, ModificationType.ADD, "B:04:0A03:" + user));
            step(out, "empty key value", () -> mod(ldap, user, ModificationType.ADD, ""));
            out.put("keys read", String.join("|", values(ldap, user)));
            // Samba takes a password over a plain connection as our DC does (Windows AD asks for an encrypted one), and
            // deleting an account that has one strips its secrets with the rest.
            step(out, "unicodePwd set over a plain connection", () -> ldap.modify(user, new Modification(
                    ModificationType.REPLACE, "unicodePwd", "\"Secret-Plain-1\"".getBytes(StandardCharsets.UTF_16LE))));
            out.put("pwdLastSet stamped by the reset", String.valueOf(!"0".equals(
                    ldap.getEntry(user, "pwdLastSet").getAttributeValue("pwdLastSet"))));
            step(out, "add with a unicodePwd over a plain connection", () -> ldap.add("CN=" + tag + "p,CN=Users," + BASE,
                    new Attribute("objectClass", "user"), new Attribute("sAMAccountName", tag + "p"),
                    new Attribute("unicodePwd", "\"Secret-Plain-1\"".getBytes(StandardCharsets.UTF_16LE))));
            // A password change (AD's user-initiated form: delete the old value, add the new, in one modify).
            step(out, "password change with the right old password", () -> ldap.modify(user,
                    new Modification(ModificationType.DELETE, "unicodePwd", quoted("Secret-Plain-1")),
                    new Modification(ModificationType.ADD, "unicodePwd", quoted("Secret-Plain-2"))));
            step(out, "password change with a wrong old password", () -> ldap.modify(user,
                    new Modification(ModificationType.DELETE, "unicodePwd", quoted("Not-The-Password-9")),
                    new Modification(ModificationType.ADD, "unicodePwd", quoted("Secret-Plain-3"))));
            step(out, "password change with only the new password added", () -> ldap.modify(user,
                    new Modification(ModificationType.ADD, "unicodePwd", quoted("Secret-Plain-4"))));
            step(out, "password change with the old password deleted twice", () -> ldap.modify(user,
                    new Modification(ModificationType.DELETE, "unicodePwd", quoted("Secret-Plain-2")),
                    new Modification(ModificationType.DELETE, "unicodePwd", quoted("Secret-Plain-2")),
                    new Modification(ModificationType.ADD, "unicodePwd", quoted("Secret-Plain-5"))));
            step(out, "delete user", () -> ldap.delete(user));
            step(out, "delete a user added with a password", () -> ldap.delete("CN=" + tag + "p,CN=Users," + BASE));
        }
        return out;
    }

    /** One script of operations; each step records its result code (and values read). */
    private static Map<String, String> run(String host, int port, String tag) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        String user = "CN=" + tag + ",CN=Users," + BASE;
        String other = "CN=" + tag + "b,CN=Users," + BASE;
        try (LDAPConnection ldap = new LDAPConnection(host, port, "CN=Administrator,CN=Users," + BASE, SAMBA_PASSWORD)) {
            step(out, "add user", () -> ldap.add(user, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", tag)));
            step(out, "add second user", () -> ldap.add(other, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", tag + "b")));
            step(out, "duplicate sAMAccountName on add", () -> ldap.add("CN=" + tag + "c,CN=Users," + BASE,
                    new Attribute("objectClass", "user"), new Attribute("sAMAccountName", tag)));
            step(out, "duplicate sAMAccountName on modify", () -> ldap.modify(other,
                    new Modification(ModificationType.REPLACE, "sAMAccountName", tag)));
            step(out, "modify objectGUID", () -> ldap.modify(other, new Modification(ModificationType.REPLACE, "objectGUID", new byte[16])));
            String value = KeyCredentialLinkIT.key(user, 31);
            String hex = value.split(":")[2];
            step(out, "add key (lower-case hex)", () -> mod(ldap, user, ModificationType.ADD, KeyCredentialLinkIT.lowerHex(value)));
            out.put("values read", String.join("|", ldap.getEntry(user, "msDS-KeyCredentialLink").getAttributeValues("msDS-KeyCredentialLink")));
            out.put("back link read", String.valueOf(ldap.getEntry(user, "msDS-KeyCredentialLink-BL").getAttributeValue("msDS-KeyCredentialLink-BL")));
            step(out, "exact duplicate", () -> mod(ldap, user, ModificationType.ADD, value));
            step(out, "duplicate with DN in another case", () -> mod(ldap, user, ModificationType.ADD,
                    value.replace(":CN=" + tag + ",", ":cn=" + tag.toUpperCase() + ",")));
            step(out, "count mismatch", () -> mod(ldap, user, ModificationType.ADD, "B:" + (hex.length() + 2) + ":" + hex + ":" + user));
            step(out, "odd hex", () -> mod(ldap, user, ModificationType.ADD, "B:3:ABC:" + user));
            step(out, "non-hex", () -> mod(ldap, user, ModificationType.ADD, "B:4:0G00:" + user));
            step(out, "bad DN", () -> mod(ldap, user, ModificationType.ADD, "B:4:0A00:not a dn"));
            step(out, "DN of no object", () -> mod(ldap, user, ModificationType.ADD, "B:4:0A00:CN=nobody" + tag + ",CN=Users," + BASE));
            step(out, "key naming another user", () -> mod(ldap, user, ModificationType.ADD, KeyCredentialLinkIT.key(other, 32)));
            out.put("other's back link", String.valueOf(ldap.getEntry(other, "msDS-KeyCredentialLink-BL").getAttributeValue("msDS-KeyCredentialLink-BL")));
            step(out, "remove (lower-case hex)", () -> mod(ldap, user, ModificationType.DELETE, KeyCredentialLinkIT.lowerHex(value)));
            step(out, "remove again", () -> mod(ldap, user, ModificationType.DELETE, value));
            String renamed = "CN=" + tag + "r,CN=Users," + BASE;
            step(out, "rename second user", () -> ldap.modifyDN(other, "CN=" + tag + "r", true));
            out.put("key naming the renamed user", String.valueOf(values(ldap, user).stream().filter(v -> v.endsWith(":" + renamed)).count()));
            step(out, "rename onto an existing name", () -> ldap.modifyDN(renamed, "CN=" + tag, true));
            step(out, "delete CN=Users", () -> ldap.delete("CN=Users," + BASE));
            String ou = "OU=" + tag + "," + BASE;
            step(out, "add an OU with a user in it", () -> {
                ldap.add(ou, new Attribute("objectClass", "organizationalUnit"), new Attribute("ou", tag));
                ldap.add("CN=inner," + ou, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", tag + "i"));
            });
            step(out, "delete a container with children", () -> ldap.delete(ou));
            step(out, "delete the OU once empty", () -> {
                ldap.delete("CN=inner," + ou);
                ldap.delete(ou);
            });
            step(out, "delete users", () -> {
                ldap.delete(user);
                ldap.delete(renamed);
            });
            step(out, "delete again", () -> ldap.delete(user));
            step(out, "search for the deleted user", () -> out.put("deleted user found without show-deleted",
                    String.valueOf(ldap.search(BASE, SearchScope.SUB, "(sAMAccountName=" + tag + ")").getEntryCount())));
            com.unboundid.ldap.sdk.SearchRequest showDeleted = new com.unboundid.ldap.sdk.SearchRequest(BASE, SearchScope.SUB,
                    "(sAMAccountName=" + tag + ")", "isDeleted", "lastKnownParent", "sAMAccountName", "description");
            showDeleted.addControl(new com.unboundid.ldap.sdk.Control("1.2.840.113556.1.4.417", true));
            for (com.unboundid.ldap.sdk.SearchResultEntry t : ldap.search(showDeleted).getSearchEntries()) {
                out.put("tombstone", t.getDN().replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<guid>")
                        + " isDeleted=" + t.getAttributeValue("isDeleted") + " lastKnownParent=" + t.getAttributeValue("lastKnownParent")
                        + " sAMAccountName=" + t.getAttributeValue("sAMAccountName") + " description=" + t.getAttributeValue("description"));
            }
        }
        try (LDAPConnection anonymous = new LDAPConnection(host, port)) {
            step(out, "anonymous search", () -> anonymous.search(BASE, SearchScope.SUB, "(sAMAccountName=" + tag + ")"));
            out.put("anonymous rootDSE defaultNamingContext", anonymous.getRootDSE().getAttributeValue("defaultNamingContext"));
        }
        step(out, "wrong password", () -> new LDAPConnection(host, port, "CN=Administrator,CN=Users," + BASE, "wrong").close());
        step(out, "bind by user principal name", () -> new LDAPConnection(host, port, "Administrator@corp.example.com", SAMBA_PASSWORD).close());
        step(out, "bind by down-level name", () -> new LDAPConnection(host, port, "CORP\\Administrator", SAMBA_PASSWORD).close());
        step(out, "bind by unknown down-level name", () -> new LDAPConnection(host, port, "CORP\\nobody" + tag, SAMBA_PASSWORD).close());
        return out;
    }

    private static void step(Map<String, String> out, String name, DifferentialSteps.Step step) throws Exception {
        DifferentialSteps.step(out, name, step);
    }

    private static List<String> values(LDAPConnection ldap, String dn) throws LDAPException {
        String[] v = ldap.getEntry(dn, "msDS-KeyCredentialLink").getAttributeValues("msDS-KeyCredentialLink");
        return v == null ? List.of() : List.of(v);
    }

    private static void mod(LDAPConnection ldap, String dn, ModificationType type, String value) throws LDAPException {
        ldap.modify(dn, new Modification(type, "msDS-KeyCredentialLink", value));
    }
}
