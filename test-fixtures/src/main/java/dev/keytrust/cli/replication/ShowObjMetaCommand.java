package dev.keytrust.cli.replication;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResultEntry;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.cli.options.DcConnectionOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code keytrust showobjmeta}: an object's replication metadata, as {@code repadmin /showobjmeta} prints it. */
@Command(name = "showobjmeta",
        description = {
            "Show an object's replication metadata on one DC (like repadmin /showobjmeta): per attribute and,",
            "for linked attributes such as msDS-KeyCredentialLink, per value (PRESENT or ABSENT).",
            "Reads msDS-ReplAttributeMetaData and msDS-ReplValueMetaData over LDAP, so it works against any AD DC."
        },
        mixinStandardHelpOptions = true,
        footer = {"", "Example:",
            "  KEYTRUST_ADMIN_PASSWORD=... keytrust showobjmeta --dc ldap://127.0.0.1:14389 CN=alice,CN=Users,DC=corp,DC=example,DC=com"})
public final class ShowObjMetaCommand implements Callable<Integer> {
    private static final Pattern ELEMENT = Pattern.compile("<(\\w+)>([^<]*)</\\1>");

    @Spec
    private CommandSpec spec;

    @Option(names = "--dc", required = true, paramLabel = "URL", description = "The DC, ldap://host:port.")
    private String dc;

    @picocli.CommandLine.Mixin
    private DcConnectionOptions connection;

    @Option(names = "--json", description = "Print one JSON object instead of tables.")
    private boolean json;

    @Parameters(index = "0", paramLabel = "DN", description = "The object's DN.")
    private String dn;

    @Override
    public Integer call() throws Exception {
        try (LDAPConnection ldap = connection.connect(dc, "--dc")) {
            // With the show-deleted control, as repadmin: a tombstone's metadata is shown too.
            com.unboundid.ldap.sdk.SearchRequest read = new com.unboundid.ldap.sdk.SearchRequest(dn,
                    com.unboundid.ldap.sdk.SearchScope.BASE, "(objectClass=*)", "msDS-ReplAttributeMetaData", "msDS-ReplValueMetaData");
            read.addControl(new com.unboundid.ldap.sdk.Control(dev.keytrust.dc.schema.AdSchema.SHOW_DELETED_CONTROL, true));
            SearchResultEntry entry;
            try {
                entry = ldap.searchForEntry(read);
            } catch (com.unboundid.ldap.sdk.LDAPSearchException e) {
                if (e.getResultCode() != com.unboundid.ldap.sdk.ResultCode.NO_SUCH_OBJECT) {
                    throw e;
                }
                entry = null;
            }
            if (entry == null) {
                throw new KeyTrustException(ErrorCode.LDAP_OPERATION_FAILED, "no object " + dn + " on " + dc
                        + " (LDAP 32 no such object): check the DN, or ask another DC if it has not arrived here yet");
            }
            List<Map<String, String>> attributes = parse(entry.getAttributeValues("msDS-ReplAttributeMetaData"));
            List<Map<String, String>> values = parse(entry.getAttributeValues("msDS-ReplValueMetaData"));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("dn", dn);
                doc.put("attributes", attributes);
                doc.put("values", values);
                out.println(new ObjectMapper().writeValueAsString(doc));
            } else {
                print(out, attributes, values);
            }
            return 0;
        } catch (LDAPException e) {
            throw dev.keytrust.LdapFailures.of("read the replication metadata of " + dn + " on", dc,
                    e.getResultCode().intValue(), e.getResultCode().getName(), e.getDiagnosticMessage(), e);
        }
    }

    private static void print(PrintWriter out, List<Map<String, String>> attributes, List<Map<String, String>> values) {
        out.println(attributes.size() + " entries.");
        out.printf("%8s  %-20s %8s  %-20s %4s %s%n", "Loc.USN", "Originating DSA", "Org.USN", "Org.Time/Date", "Ver", "Attribute");
        out.printf("%8s  %-20s %8s  %-20s %4s %s%n", "=======", "===============", "=======", "=============", "===", "=========");
        for (Map<String, String> a : attributes) {
            out.printf("%8s  %-20s %8s  %-20s %4s %s%n", a.get("usnLocalChange"), dsa(a.get("pszLastOriginatingDsaDN")),
                    a.get("usnOriginatingChange"), time(a.get("ftimeLastOriginatingChange")), a.get("dwVersion"),
                    a.get("pszAttributeName"));
        }
        out.println();
        out.println(values.size() + " entries.");
        out.printf("%-8s %-24s %-20s %-20s %8s %4s %s%n", "Type", "Attribute", "Last Mod Time", "Originating DSA", "Loc.USN",
                "Ver", "Distinguished Name");
        out.printf("%-8s %-24s %-20s %-20s %8s %4s %s%n", "=======", "=========", "=============", "===============", "=======",
                "===", "==================");
        for (Map<String, String> v : values) {
            boolean absent = !v.getOrDefault("ftimeDeleted", "1601").startsWith("1601");
            out.printf("%-8s %-24s %-20s %-20s %8s %4s %s%n", absent ? "ABSENT" : "PRESENT", v.get("pszAttributeName"),
                    time(v.get("ftimeLastOriginatingChange")), dsa(v.get("pszLastOriginatingDsaDN")), v.get("usnLocalChange"),
                    v.get("dwVersion"), v.get("pszObjectDn"));
        }
    }

    private static List<Map<String, String>> parse(String[] xml) {
        List<Map<String, String>> out = new ArrayList<>();
        if (xml == null) {
            return out;
        }
        for (String element : xml) {
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher m = ELEMENT.matcher(element);
            while (m.find()) {
                fields.put(m.group(1), m.group(2).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
            }
            out.add(fields);
        }
        out.sort((a, b) -> Long.compare(parseLong(a.get("usnLocalChange")), parseLong(b.get("usnLocalChange"))));
        return out;
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException | NullPointerException e) {
            return 0;
        }
    }

    /** {@code CN=NTDS Settings,CN=DC1,CN=Servers,CN=HQ,...} as repadmin shows it: {@code HQ\DC1}. */
    static String dsa(String ntdsSettingsDn) {
        if (ntdsSettingsDn == null) {
            return "";
        }
        String[] rdns = ntdsSettingsDn.split(",");
        if (rdns.length >= 4 && rdns[0].equalsIgnoreCase("CN=NTDS Settings")) {
            return rdns[3].substring(3) + "\\" + rdns[1].substring(3);
        }
        return ntdsSettingsDn;
    }

    private static String time(String iso) {
        return iso == null ? "" : iso.replace('T', ' ').replace("Z", "");
    }
}
