package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenLDAP's ldapsearch/ldapmodify and Python's ldap3 against a running DC. */
class OutsideClientsIT {
    private static final String PASSWORD = "Passw0rd!Passw0rd";
    private static DomainController dc;
    private static String url;
    private static String base;

    @BeforeAll
    static void start() {
        dc = DomainController.start(DomainControllerConfig.builder("DC1").adminPassword(PASSWORD).build());
        url = dc.ldapUrl();
        base = dc.baseDn();
    }

    @AfterAll
    static void stop() {
        dc.close();
    }

    private static List<String> ldap(String tool, String... args) {
        List<String> command = new ArrayList<>(List.of(tool, "-x", "-H", url, "-D", dc.administratorDn(), "-w", PASSWORD));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * {@code ldapsearch} asking for no attributes ({@code 1.1}, as scripts listing DNs do) with paging and with a size
     * limit: every page arrives (ApacheDS alone stopped after the first and said success) and the limit answers 4.
     */
    @Test
    void ldapsearchForNoAttributesPagesThroughEverythingAndHonoursASizeLimit() throws Exception {
        ExternalTool.require("OpenLDAP ldapsearch (ldap-utils)", "ldapsearch", "-VV");
        String users = "CN=Users," + base;
        ExternalTool.Result all = ExternalTool.run("", ldap("ldapsearch", "-LLL", "-b", users, "-s", "one",
                "(objectClass=*)", "dn"));
        long expected = all.out().lines().filter(l -> l.startsWith("dn: ")).count();
        assertThat(expected).isGreaterThan(4);

        ExternalTool.Result paged = ExternalTool.run("", ldap("ldapsearch", "-LLL", "-E", "pr=2/noprompt", "-b", users,
                "-s", "one", "(objectClass=*)", "1.1"));
        assertThat(paged.exit()).as(paged.err()).isZero();
        assertThat(paged.out().lines().filter(l -> l.startsWith("dn: ")).count()).isEqualTo(expected);
        assertThat(paged.out().lines().filter(l -> !l.isBlank() && !l.startsWith("dn: ") && !l.startsWith("#")))
                .as("no attributes, only names").isEmpty();

        ExternalTool.Result limited = ExternalTool.run("", ldap("ldapsearch", "-LLL", "-z", "2", "-b", users, "-s", "one",
                "(objectClass=*)", "1.1"));
        assertThat(limited.exit()).as("4 sizeLimitExceeded: " + limited.err()).isEqualTo(4);
        assertThat(limited.out().lines().filter(l -> l.startsWith("dn: ")).count()).isEqualTo(2);
    }

    @Test
    void openLdapClientsReadTheRootDseAddUsersAndWriteAndRemoveKeys() throws Exception {
        ExternalTool.require("OpenLDAP ldapsearch (ldap-utils)", "ldapsearch", "-VV");
        ExternalTool.Result root = ExternalTool.run("", List.of("ldapsearch", "-x", "-H", url, "-s", "base", "-b", "",
                "-o", "ldif-wrap=no", "defaultNamingContext", "highestCommittedUSN", "dsServiceName"));
        assertThat(root.exit()).as(root.err()).isZero();
        assertThat(root.out()).contains("defaultNamingContext: " + base, "highestCommittedUSN: ", "dsServiceName: CN=NTDS Settings,CN=DC1");

        String user = "CN=ldapmodify user,CN=Users," + base;
        ExternalTool.Result add = ExternalTool.run("dn: " + user + "\nchangetype: add\nobjectClass: user\nsAMAccountName: lmuser\n\n",
                ldap("ldapmodify"));
        assertThat(add.exit()).as(add.err()).isZero();

        String value = KeyCredentialLinkIT.key(user, 21);
        ExternalTool.Result addKey = ExternalTool.run(modify(user, "add", KeyCredentialLinkIT.lowerHex(value)), ldap("ldapmodify"));
        assertThat(addKey.exit()).as(addKey.err()).isZero();
        ExternalTool.Result read = ExternalTool.run("", ldap("ldapsearch", "-b", user, "-s", "base", "-o", "ldif-wrap=no",
                "msDS-KeyCredentialLink", "msDS-KeyCredentialLink-BL"));
        assertThat(read.out()).contains("msDS-KeyCredentialLink: " + value, "msDS-KeyCredentialLink-BL: " + user);

        ExternalTool.Result duplicate = ExternalTool.run(modify(user, "add", value), ldap("ldapmodify"));
        assertThat(duplicate.exit()).as("ldapmodify exits with the LDAP result code").isEqualTo(20);
        ExternalTool.Result malformed = ExternalTool.run(modify(user, "add", "B:5:ABCD:" + user), ldap("ldapmodify"));
        assertThat(malformed.exit()).isEqualTo(34);
        assertThat(malformed.err()).contains("as a 1.2.840.113556.1.4.903 DN");

        ExternalTool.Result remove = ExternalTool.run(modify(user, "delete", value), ldap("ldapmodify"));
        assertThat(remove.exit()).as(remove.err()).isZero();
        ExternalTool.Result after = ExternalTool.run("", ldap("ldapsearch", "-b", user, "-s", "base", "msDS-KeyCredentialLink"));
        assertThat(after.out()).doesNotContain("msDS-KeyCredentialLink:");

        ExternalTool.Result renamed = ExternalTool.run("", ldap("ldapmodrdn", "-r", user, "CN=renamed user"));
        assertThat(renamed.exit()).as(renamed.err()).isZero();
        String now = "CN=renamed user,CN=Users," + base;
        ExternalTool.Result delete = ExternalTool.run("", ldap("ldapdelete", now));
        assertThat(delete.exit()).as(delete.err()).isZero();
        ExternalTool.Result hidden = ExternalTool.run("", ldap("ldapsearch", "-b", base, "-o", "ldif-wrap=no", "(sAMAccountName=lmuser)", "dn"));
        assertThat(hidden.out()).as("a tombstone is hidden").doesNotContain("dn:");
        ExternalTool.Result shown = ExternalTool.run("", ldap("ldapsearch", "-b", base, "-o", "ldif-wrap=no",
                "-E", "!1.2.840.113556.1.4.417", "(sAMAccountName=lmuser)", "isDeleted", "lastKnownParent"));
        assertThat(shown.exit()).as("the show-deleted control, marked critical, is supported: " + shown.err()).isZero();
        assertThat(shown.out()).contains("dn: CN=renamed user\\0ADEL:", ",CN=Deleted Objects," + base, "isDeleted: TRUE",
                "lastKnownParent: CN=Users," + base);

        ExternalTool.Result anonymous = ExternalTool.run("", List.of("ldapsearch", "-x", "-H", url, "-b", base, "(objectClass=user)"));
        assertThat(anonymous.exit()).isEqualTo(1);
        ExternalTool.Result wrong = ExternalTool.run("", List.of("ldapsearch", "-x", "-H", url, "-D", dc.administratorDn(), "-w", "nope",
                "-b", base));
        assertThat(wrong.exit()).isEqualTo(49);
    }

    @Test
    void pythonLdap3ReadsTheSchemaAndWritesAndRemovesKeys(@TempDir Path dir) throws Exception {
        String user = "CN=ldap3 user,CN=Users," + base;
        String value = KeyCredentialLinkIT.key(user, 22);
        JsonNode out = ExternalTool.ldap3Script(dir, dc, List.of(
                "from ldap3 import Server, Connection, ALL, MODIFY_ADD, MODIFY_DELETE",
                "host, port, bind, pw, user, value = sys.argv[1:7]",
                "text = lambda v: v.decode() if isinstance(v, bytes) else str(v)  # ldap3 gives DN-Binary as bytes, as with AD",
                "server = Server(host, port=int(port), get_info=ALL)",
                "c = Connection(server, bind, pw, auto_bind=True)",
                "out['defaultNamingContext'] = str(server.info.other['defaultNamingContext'][0])",
                "out['kclSyntax'] = str(server.schema.attribute_types['msDS-KeyCredentialLink'].syntax)",
                "c.add(user, ['top', 'person', 'organizationalPerson', 'user'], {'sAMAccountName': 'ldap3user'})",
                "out['add'] = c.result['result']",
                "c.modify(user, {'msDS-KeyCredentialLink': [(MODIFY_ADD, [value])]})",
                "out['addKey'] = c.result['result']",
                "c.search(user, '(objectClass=*)', search_scope='BASE', attributes=['msDS-KeyCredentialLink', 'msDS-KeyCredentialLink-BL', 'objectGUID'])",
                "e = c.entries[0]",
                "out['values'] = [text(v) for v in e['msDS-KeyCredentialLink'].values]",
                "out['backLink'] = [str(v) for v in e['msDS-KeyCredentialLink-BL'].values]",
                "out['guid'] = str(e['objectGUID'].value)",
                "c.modify(user, {'msDS-KeyCredentialLink': [(MODIFY_ADD, [value])]})",
                "out['duplicate'] = c.result['result']",
                "c.modify(user, {'msDS-KeyCredentialLink': [(MODIFY_ADD, ['B:2:0:' + user])]})",
                "out['malformed'] = c.result['result']",
                "c.modify(user, {'msDS-KeyCredentialLink': [(MODIFY_DELETE, [value])]})",
                "out['remove'] = c.result['result']",
                "c.search(user, '(objectClass=*)', search_scope='BASE', attributes=['msDS-KeyCredentialLink'])",
                "out['after'] = [text(v) for v in c.entries[0]['msDS-KeyCredentialLink'].values]"),
                dc.administratorDn(), PASSWORD, user, KeyCredentialLinkIT.lowerHex(value));
        assertThat(out.get("defaultNamingContext").asText()).isEqualTo(base);
        assertThat(out.get("kclSyntax").asText()).isEqualTo("1.2.840.113556.1.4.903");
        assertThat(out.get("add").asInt()).isZero();
        assertThat(out.get("addKey").asInt()).isZero();
        assertThat(out.get("values").get(0).asText()).isEqualTo(value);
        assertThat(out.get("backLink").get(0).asText()).isEqualTo(user);
        assertThat(out.get("guid").asText()).matches("\\{?[0-9a-f-]{36}\\}?");
        assertThat(out.get("duplicate").asInt()).isEqualTo(20);
        assertThat(out.get("malformed").asInt()).isEqualTo(34);
        assertThat(out.get("remove").asInt()).isZero();
        assertThat(out.get("after")).isEmpty();
    }

    private static String modify(String dn, String op, String value) {
        return "dn: " + dn + "\nchangetype: modify\n" + op + ": msDS-KeyCredentialLink\nmsDS-KeyCredentialLink: " + value + "\n-\n\n";
    }
}
