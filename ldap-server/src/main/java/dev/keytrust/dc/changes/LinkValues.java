package dev.keytrust.dc.changes;

import java.util.Locale;

/**
 * The parts of a stored linked value, for the DC's hot paths: a DN-Binary value ({@code B:<count>:<hex>:<DN>}, see
 * {@link dev.keytrust.keycredential.DnBinary}) or a plain DN. Stored values were checked with {@code DnBinary.parse}
 * when written (the schema's syntax checker), so here they are only split, never validated again. The one place
 * that splits them.
 */
final class LinkValues {
    private LinkValues() {
    }

    /** The DN a linked value names: a DN-Binary value's DN part, or the value itself. */
    static String dn(String value) {
        int end = binaryEnd(value);
        return end < 0 ? value : value.substring(end + 1);
    }

    /** A DN-Binary value's {@code B:<count>:<HEX>} part (hex upper case), or the empty string for a plain DN. */
    static String binaryPart(String value) {
        int end = binaryEnd(value);
        return end < 0 ? "" : value.substring(0, end).toUpperCase(Locale.ROOT);
    }

    /** The index of the ':' between a DN-Binary value's hex digits and its DN, or -1 for a plain DN. */
    private static int binaryEnd(String value) {
        if (!value.startsWith("B:")) {
            return -1;
        }
        int countEnd = value.indexOf(':', 2);
        return countEnd < 0 ? -1 : value.indexOf(':', countEnd + 1);
    }
}
