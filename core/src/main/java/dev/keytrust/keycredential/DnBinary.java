package dev.keytrust.keycredential;

import dev.keytrust.ErrorCode;
import dev.keytrust.encoding.Hex;
import java.util.Arrays;
import java.util.Objects;

/**
 * A value of LDAP syntax Object(DN-Binary) (OID 1.2.840.113556.1.4.903): {@code B:<count>:<hex>:<DN>}, where
 * count is the number of hex digits (twice the byte count; read as AD reads it: leading blanks and a '+' are
 * allowed, a sign '-' is not). This is the string form of
 * {@code msDS-KeyCredentialLink}. Hex is accepted in either case and written upper-case, as AD returns it; the
 * DN is kept exactly as written.
 *
 * <pre>{@code
 * DnBinary v = DnBinary.parse("B:4:0aff:CN=Account,DC=contoso,DC=com");
 * v.toString();   // "B:4:0AFF:CN=Account,DC=contoso,DC=com"
 * }</pre>
 *
 * @param binary the binary part
 * @param dn the DN part, exactly as written
 */
public record DnBinary(byte[] binary, String dn) {
    /** The LDAP syntax OID of DN-Binary. */
    public static final String SYNTAX_OID = "1.2.840.113556.1.4.903";

    public DnBinary {
        binary = Objects.requireNonNull(binary, "binary").clone();
        Objects.requireNonNull(dn, "dn");
    }

    @Override
    public byte[] binary() {
        return binary.clone();
    }

    /**
     * Parses a DN-Binary string.
     *
     * @throws KeyCredentialFormatException with the character offset: {@code DN_BINARY_SYNTAX} (no
     *     {@code B:<count>:} prefix or no ':' before the DN), {@code DN_BINARY_COUNT_MISMATCH},
     *     {@code DN_BINARY_BAD_HEX} (odd count or non-hex digit), {@code INVALID_DN}
     */
    public static DnBinary parse(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new KeyCredentialFormatException(ErrorCode.KEYCREDENTIAL_EMPTY, 0,
                    "expected a DN-Binary value B:<count>:<hex>:<DN> but the value is empty");
        }
        if (value.length() < 2 || value.charAt(0) != 'B' || value.charAt(1) != ':') {
            throw syntax(0, "expected a DN-Binary value to start with 'B:' (an upper-case B, as AD requires) but found '"
                    + DistinguishedNames.abbreviate(value.substring(0, Math.min(8, value.length()))) + "'");
        }
        int i = 2;
        while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
            i++; // AD and Samba read the count as C's strtoul does: leading blanks, an optional '+'
        }
        if (i < value.length() && value.charAt(i) == '+') {
            i++;
        }
        int digitsStart = i;
        long count = 0;
        while (i < value.length() && value.charAt(i) >= '0' && value.charAt(i) <= '9') {
            count = count * 10 + (value.charAt(i) - '0');
            if (count > Integer.MAX_VALUE) {
                throw syntax(i, "DN-Binary count is too large at character " + i);
            }
            i++;
        }
        if (i == digitsStart) {
            throw syntax(i, "expected the decimal count of hex digits after 'B:' at character " + i + " but found "
                    + describe(value, i));
        }
        if (i >= value.length() || value.charAt(i) != ':') {
            throw syntax(i, "expected ':' after the DN-Binary count at character " + i + " but found " + describe(value, i));
        }
        int hexStart = i + 1;
        int hexEnd = value.indexOf(':', hexStart);
        if (hexEnd < 0) {
            throw syntax(value.length(), "expected ':' between the hex digits and the DN but found none");
        }
        int digits = hexEnd - hexStart;
        int bad = Hex.firstInvalidIndex(value, hexStart, hexEnd);
        if (bad >= 0) {
            throw new KeyCredentialFormatException(ErrorCode.DN_BINARY_BAD_HEX, bad,
                    "expected a hex digit at character " + bad + " of the DN-Binary value but found '" + value.charAt(bad) + "'");
        }
        if (digits != count) {
            throw new KeyCredentialFormatException(ErrorCode.DN_BINARY_COUNT_MISMATCH, 2,
                    "DN-Binary count says " + count + " hex digits but " + digits
                            + " follow; the count must equal the number of hex digits (twice the byte count)");
        }
        if ((digits & 1) != 0) {
            throw new KeyCredentialFormatException(ErrorCode.DN_BINARY_BAD_HEX, hexEnd,
                    "expected an even number of hex digits (whole bytes) but found " + digits);
        }
        String dn = value.substring(hexEnd + 1);
        DistinguishedNames.check(dn, hexEnd + 1);
        return new DnBinary(Hex.decodeUnchecked(value, hexStart, hexEnd), dn);
    }

    /** {@code B:<count>:<HEX>:<DN>} with upper-case hex. */
    @Override
    public String toString() {
        return "B:" + (binary.length * 2) + ":" + Hex.encode(binary) + ":" + dn;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DnBinary other && Arrays.equals(binary, other.binary) && dn.equals(other.dn);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(binary) + dn.hashCode();
    }

    private static KeyCredentialFormatException syntax(int offset, String message) {
        return new KeyCredentialFormatException(ErrorCode.DN_BINARY_SYNTAX, offset, message);
    }

    private static String describe(String value, int i) {
        return i < value.length() ? "'" + value.charAt(i) + "'" : "the end";
    }
}
