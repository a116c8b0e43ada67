package dev.keytrust.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import dev.keytrust.dc.DomainController;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Asserts DCs converged: the same objects (tombstones too), values, back links and replication metadata on each. */
final class Converged {
    private Converged() {
    }

    /** Every DC holds what the first holds for the objects {@code filter} selects; at least {@code minimum} of them. */
    static void assertConverged(List<DomainController> dcs, String filter, int minimum) throws LDAPException {
        Map<String, String> reference;
        try (LDAPConnection ldap = dcs.get(0).connect()) {
            reference = snapshot(ldap, dcs.get(0).baseDn(), filter);
        }
        assertThat(reference).as("objects on %s", dcs.get(0).name()).hasSizeGreaterThanOrEqualTo(minimum);
        for (DomainController dc : dcs.subList(1, dcs.size())) {
            try (LDAPConnection ldap = dc.connect()) {
                assertThat(snapshot(ldap, dc.baseDn(), filter)).as("%s against %s", dc.name(), dcs.get(0).name())
                        .isEqualTo(reference);
            }
        }
    }

    /** Per DN: objectGUID, description, deletion, key values, back links and metadata, without DC-local USNs. */
    private static Map<String, String> snapshot(LDAPConnection ldap, String baseDn, String filter) throws LDAPException {
        Map<String, String> out = new TreeMap<>();
        SearchRequest request = new SearchRequest(baseDn, SearchScope.SUB, filter, "objectGUID", "description",
                "msDS-KeyCredentialLink", "msDS-KeyCredentialLink-BL", "isDeleted", "msDS-ReplValueMetaData",
                "msDS-ReplAttributeMetaData");
        request.addControl(new Control("1.2.840.113556.1.4.417", true)); // tombstones too
        for (SearchResultEntry e : ldap.search(request).getSearchEntries()) {
            String s = Base64.getEncoder().encodeToString(e.getAttributeValueBytes("objectGUID"))
                    + '|' + e.getAttributeValue("description") + '|' + e.getAttributeValue("isDeleted")
                    + '|' + sorted(e.getAttributeValues("msDS-KeyCredentialLink"))
                    + '|' + sorted(e.getAttributeValues("msDS-KeyCredentialLink-BL"))
                    + '|' + sorted(e.getAttributeValues("msDS-ReplValueMetaData"))
                    + '|' + sorted(e.getAttributeValues("msDS-ReplAttributeMetaData"));
            out.put(e.getDN(), s.replaceAll("<usnLocalChange>\\d+</usnLocalChange>", ""));
        }
        return out;
    }

    private static List<String> sorted(String[] values) {
        List<String> list = values == null ? new ArrayList<>() : new ArrayList<>(List.of(values));
        list.sort(null);
        return list;
    }
}
