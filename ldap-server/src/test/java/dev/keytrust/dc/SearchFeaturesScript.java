package dev.keytrust.dc;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.ServerSideSortRequestControl;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import com.unboundid.ldap.sdk.controls.SortKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Search features AD tools lean on (paging, also with no attributes asked for; server-side sorting; objectCategory
 * filters; the classes and category of a new user), as the Administrator: {@link SambaDifferentialIT} runs it against
 * our DC and a real Samba AD DC, which must record the same. (Not compared: a client's size limit, to which Samba
 * answered success where RFC 4511 and our DC answer 4; ranged retrieval and the extended DN control, which our DC
 * does not serve.)
 */
final class SearchFeaturesScript {
    private SearchFeaturesScript() {
    }

    static Map<String, String> run(String host, int port, String tag) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        String group = "CN=" + tag + "g," + DifferentialSteps.USERS;
        List<String> members = new ArrayList<>();
        String mine = "(sAMAccountName=" + tag + "*)";
        try (LDAPConnection ldap = DifferentialSteps.administrator(host, port)) {
            for (int i = 0; i < 5; i++) {
                String dn = "CN=" + tag + "u" + i + "," + DifferentialSteps.USERS;
                ldap.add(dn, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", tag + "u" + i));
                members.add(dn);
            }
            ldap.add(group, new Attribute("objectClass", "group"), new Attribute("sAMAccountName", tag + "g"),
                    new Attribute("member", members));
            out.put("paged, 2 a page, no attributes: entries over all pages", String.valueOf(pagedEntries(ldap, DifferentialSteps.USERS, mine)));
            SearchRequest sorted = new SearchRequest(DifferentialSteps.USERS, SearchScope.ONE, "(&" + mine + "(objectClass=user))", "cn");
            sorted.addControl(new ServerSideSortRequestControl(new SortKey("cn", true)));
            out.put("sorted by cn, descending", String.join("|", names(ldap.search(sorted), tag)));
            out.put("objectCategory=group finds", String.join("|", names(ldap.search(DifferentialSteps.USERS, SearchScope.ONE,
                    "(&" + mine + "(objectCategory=group))", "cn"), tag)));
            out.put("objectClass values of a user", String.join("|", ldap.getEntry(members.get(0), "objectClass")
                    .getAttributeValues("objectClass")));
            out.put("objectCategory of a user", ldap.getEntry(members.get(0), "objectCategory")
                    .getAttributeValue("objectCategory").replace(DifferentialSteps.BASE, "BASE"));
            ldap.delete(group);
            for (String dn : members) {
                ldap.delete(dn);
            }
        }
        return out;
    }

    /** Entries over every page (servers may or may not end with an empty page: RFC 2696 allows both). */
    private static int pagedEntries(LDAPConnection ldap, String base, String filter) throws Exception {
        int entries = 0;
        int pages = 0;
        com.unboundid.asn1.ASN1OctetString cookie = null;
        do {
            SearchRequest r = new SearchRequest(base, SearchScope.ONE, filter, "1.1");
            r.addControl(new SimplePagedResultsControl(2, cookie));
            SearchResult result = ldap.search(r);
            entries += result.getEntryCount();
            pages++;
            SimplePagedResultsControl c = SimplePagedResultsControl.get(result);
            cookie = c == null ? null : c.getCookie();
        } while (cookie != null && cookie.getValueLength() > 0 && pages < 20);
        return entries;
    }

    private static List<String> names(SearchResult result, String tag) {
        return result.getSearchEntries().stream().map(e -> e.getAttributeValue("cn").replace(tag, "")).toList();
    }
}
