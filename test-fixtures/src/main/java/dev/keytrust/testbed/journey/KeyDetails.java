package dev.keytrust.testbed.journey;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import dev.keytrust.KeyTrustException;
import dev.keytrust.encoding.Hex;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.testbed.Testbed;
import dev.keytrust.testbed.TestbedDc;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What clicking a key shows: its KeyID, device and user, and per DC the replication metadata of its
 * msDS-KeyCredentialLink value (originating DC, version, originating and local USN), read over LDAP from each DC's
 * {@code msDS-ReplValueMetaData} as any AD tool would.
 *
 * <pre>{@code
 * KeyDetails d = KeyDetails.read(testbed, JourneySnapshots.of(testbed).keys().get(0));
 * d.perDc().get(2).state();   // "not-yet" until the key reaches DC3, then "present"
 * }</pre>
 *
 * @param key the key as drawn
 * @param perDc one entry per DC, in topology order
 */
public record KeyDetails(JourneySnapshot.Key key, List<OnDc> perDc) {
    private static final Pattern ELEMENT = Pattern.compile("<(\\w+)>([^<]*)</\\1>");

    /**
     * The value's metadata on one DC, or why there is none ({@code state}: {@code present}, {@code absent} — removed,
     * kept until the tombstone lifetime passes —, {@code not-yet}, {@code down}, {@code unreadable}).
     */
    public record OnDc(String dc, String state, String originatingDc, int version, long originatingUsn, long localUsn,
            String originatingTime) {
        static OnDc without(String dc, String state) {
            return new OnDc(dc, state, "", 0, 0, 0, "");
        }
    }

    /** Reads {@code key}'s value metadata from every DC of {@code testbed}. */
    public static KeyDetails read(Testbed testbed, JourneySnapshot.Key key) {
        List<OnDc> out = new ArrayList<>();
        for (TestbedDc dc : testbed.dcs()) {
            out.add(dc.isServing() ? onDc(dc, key) : OnDc.without(dc.name(), "down"));
        }
        return new KeyDetails(key, out);
    }

    private static OnDc onDc(TestbedDc dc, JourneySnapshot.Key key) {
        try (LDAPConnection ldap = dc.connect()) {
            SearchResultEntry e = ldap.searchForEntry(dc.baseDn(), SearchScope.SUB,
                    Filter.createEqualityFilter("userPrincipalName", key.user()), "msDS-ReplValueMetaData");
            String[] values = e == null ? null : e.getAttributeValues("msDS-ReplValueMetaData");
            if (values != null) {
                for (String xml : values) {
                    Optional<OnDc> m = match(dc.name(), xml, key.keyId());
                    if (m.isPresent()) {
                        return m.get();
                    }
                }
            }
            return OnDc.without(dc.name(), "not-yet");
        } catch (LDAPException | KeyTrustException e) {
            return OnDc.without(dc.name(), "unreadable");
        }
    }

    /** The metadata in one {@code DS_REPL_VALUE_META_DATA} element, if it is the value of {@code keyId}. */
    static Optional<OnDc> match(String dc, String xml, String keyId) {
        java.util.Map<String, String> f = new java.util.HashMap<>();
        Matcher m = ELEMENT.matcher(xml);
        while (m.find()) {
            f.put(m.group(1), m.group(2).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
        }
        String data = f.getOrDefault("pbData", "");
        if (!"msDS-KeyCredentialLink".equalsIgnoreCase(f.get("pszAttributeName")) || data.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (!KeyCredential.fromBlob(Hex.decode(data)).keyIdBase64().equals(keyId)) {
                return Optional.empty();
            }
        } catch (KeyTrustException e) {
            return Optional.empty();
        }
        boolean absent = !f.getOrDefault("ftimeDeleted", "1601").startsWith("1601");
        return Optional.of(new OnDc(dc, absent ? "absent" : "present", dsa(f.getOrDefault("pszLastOriginatingDsaDN", "")),
                number(f.get("dwVersion")), number(f.get("usnOriginatingChange")), number(f.get("usnLocalChange")),
                f.getOrDefault("ftimeLastOriginatingChange", "")));
    }

    /** {@code CN=NTDS Settings,CN=DC1,CN=Servers,CN=HQ,...} → {@code DC1}. */
    static String dsa(String ntdsSettingsDn) {
        String[] rdns = ntdsSettingsDn.split(",");
        return rdns.length >= 2 && rdns[0].equalsIgnoreCase("CN=NTDS Settings") ? rdns[1].substring(3) : ntdsSettingsDn;
    }

    private static int number(String s) {
        try {
            return s == null ? 0 : (int) Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** As an HTML fragment (a definition list and a table), for the page's detail panel and the report. */
    public String html() {
        JourneySnapshot.Key k = key;
        StringBuilder b = new StringBuilder("<div class=\"key-details\" data-key-id=\"").append(JourneySvg.esc(k.keyId())).append("\">");
        b.append("<dl><dt>KeyID</dt><dd class=\"mono\">").append(JourneySvg.esc(k.keyId())).append("</dd>")
                .append("<dt>User</dt><dd>").append(JourneySvg.esc(k.user())).append("</dd>")
                .append("<dt>Device</dt><dd>").append(JourneySvg.esc(k.device())).append(" <span class=\"mono\">")
                .append(JourneySvg.esc(k.deviceId())).append("</span></dd>")
                .append("<dt>Journey</dt><dd>");
        for (JourneyEvent e : k.events()) {
            b.append(JourneySvg.esc(e.description())).append(" at ").append(JourneySvg.clock(e.at())).append("<br>");
        }
        b.append("</dd></dl><table class=\"meta\"><thead><tr><th>DC</th><th>value</th><th>originating DC</th><th>version</th>"
                + "<th>originating USN</th><th>local USN</th><th>originating time</th></tr></thead><tbody>");
        for (OnDc d : perDc) {
            boolean has = d.state().equals("present") || d.state().equals("absent");
            b.append("<tr data-dc=\"").append(JourneySvg.esc(d.dc())).append("\" data-state=\"").append(d.state()).append("\"><td>")
                    .append(JourneySvg.esc(d.dc())).append("</td><td>").append(d.state().replace('-', ' ')).append("</td><td>")
                    .append(has ? JourneySvg.esc(d.originatingDc()) : "").append("</td><td>").append(has ? d.version() : "")
                    .append("</td><td>").append(has ? d.originatingUsn() : "").append("</td><td>").append(has ? d.localUsn() : "")
                    .append("</td><td>").append(has ? JourneySvg.esc(d.originatingTime()) : "").append("</td></tr>");
        }
        return b.append("</tbody></table></div>").toString();
    }
}
