package dev.keytrust.dc.changes;

import dev.keytrust.dc.ReplicationCursor;
import dev.keytrust.encoding.Hex;
import dev.keytrust.keycredential.DnBinary;
import dev.keytrust.keycredential.KeyCredentialFormatException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Renders replication metadata as AD's constructed attributes do: one {@code DS_REPL_ATTR_META_DATA} XML
 * element per attribute ({@code msDS-ReplAttributeMetaData}) and one {@code DS_REPL_VALUE_META_DATA} per linked
 * value ({@code msDS-ReplValueMetaData}), tab-indented, times in ISO-8601 UTC to the second, a present value's
 * deletion time {@code 1601-01-01T00:00:00Z}.
 */
public final class ReplicationMetadataXml {
    private static final Instant NEVER = Instant.parse("1601-01-01T00:00:00Z");

    private ReplicationMetadataXml() {
    }

    public static String attribute(ReplicationMetadata.AttributeStamp a) {
        return "<DS_REPL_ATTR_META_DATA>\n"
                + element("pszAttributeName", a.attribute())
                + lastChange(a.version(), a.originatingTime(), a.invocationId(), a.originatingUsn(), a.localUsn(), a.dsaDn())
                + "</DS_REPL_ATTR_META_DATA>\n";
    }

    /**
     * One linked value's metadata; {@code currentDn} gives the DN its target has here now (AD shows a value's target
     * as it is now: links are by GUID), or null to show the DN the value was written with.
     */
    public static String value(ReplicationMetadata.ValueStamp v, java.util.function.Function<java.util.UUID, String> currentDn) {
        String now = v.target() == null ? null : currentDn.apply(v.target());
        String dn = v.value();
        byte[] data = new byte[0];
        if (!LinkValues.binaryPart(v.value()).isEmpty()) {
            try {
                DnBinary parsed = DnBinary.parse(v.value());
                dn = parsed.dn();
                data = parsed.binary();
            } catch (KeyCredentialFormatException e) {
                // stored values are checked on write; show the raw text if one is not
            }
        }
        return "<DS_REPL_VALUE_META_DATA>\n"
                + element("pszAttributeName", v.attribute())
                + element("pszObjectDn", now != null ? now : dn)
                + element("cbData", String.valueOf(data.length))
                + element("pbData", Hex.encode(data))
                + element("ftimeDeleted", time(v.deleted() == null ? NEVER : v.deleted()))
                + element("ftimeCreated", time(v.created()))
                + lastChange(v.version(), v.originatingTime(), v.invocationId(), v.originatingUsn(), v.localUsn(), v.dsaDn())
                + "</DS_REPL_VALUE_META_DATA>\n";
    }

    /** The elements both kinds of metadata end with: the version and where and when it was last written. */
    private static String lastChange(int version, Instant originatingTime, java.util.UUID invocationId, long originatingUsn,
            long localUsn, String dsaDn) {
        return element("dwVersion", String.valueOf(version))
                + element("ftimeLastOriginatingChange", time(originatingTime))
                + element("uuidLastOriginatingDsaInvocationID", invocationId.toString())
                + element("usnOriginatingChange", String.valueOf(originatingUsn))
                + element("usnLocalChange", String.valueOf(localUsn))
                + element("pszLastOriginatingDsaDN", dsaDn);
    }

    /** One up-to-dateness vector entry as AD's {@code msDS-NCReplCursors} shows it. */
    public static String cursor(ReplicationCursor c) {
        return "<DS_REPL_CURSOR>\n"
                + element("uuidSourceDsaInvocationID", c.invocationId().toString())
                + element("usnAttributeFilter", String.valueOf(c.usn()))
                + element("ftimeLastSyncSuccess", time(c.lastSyncSuccess()))
                + element("pszSourceDsaDN", c.dsaDn())
                + "</DS_REPL_CURSOR>\n";
    }

    /** Reads a {@code DS_REPL_CURSOR} element back (a partner's vector, read at the start of a pull). */
    public static ReplicationCursor parseCursor(String xml) {
        return new ReplicationCursor(java.util.UUID.fromString(text(xml, "uuidSourceDsaInvocationID")),
                unescape(text(xml, "pszSourceDsaDN")), Long.parseLong(text(xml, "usnAttributeFilter")),
                Instant.parse(text(xml, "ftimeLastSyncSuccess")));
    }

    private static String text(String xml, String element) {
        int start = xml.indexOf("<" + element + ">");
        int end = xml.indexOf("</" + element + ">");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("expected a <" + element + "> element in a DS_REPL_CURSOR but found: " + xml);
        }
        return xml.substring(start + element.length() + 2, end);
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private static String element(String name, String text) {
        return "\t<" + name + ">" + escape(text) + "</" + name + ">\n";
    }

    private static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
