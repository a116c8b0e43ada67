package dev.keytrust.keycredential;

import dev.keytrust.ErrorCode;
import dev.keytrust.encoding.Hex;

/**
 * Syntax check for distinguished names in string form: RFC 4514, with the spaces around {@code =}, {@code ,}
 * and {@code +} that RFC 1779 and Active Directory accept ({@code CN = Admin,CN = Users,...}). Multi-valued RDNs
 * ({@code +}), escapes ({@code \,} and {@code \2C}) and hex values ({@code #04...}) are accepted. Nothing is
 * normalised: callers keep the string exactly as written.
 *
 * <pre>{@code
 * DistinguishedNames.check("CN=Smith\\, John+UID=42,CN=Users,DC=corp,DC=example,DC=com", 0);   // passes
 * DistinguishedNames.check("CN=a,,DC=b", 0);   // throws INVALID_DN at offset 5
 * }</pre>
 */
public final class DistinguishedNames {
    private DistinguishedNames() {
    }

    /** Whether {@code dn} is a syntactically valid DN (the empty string is: it names the root). */
    public static boolean isValid(String dn) {
        return findError(dn) == null;
    }

    /**
     * Checks {@code dn}.
     *
     * @param baseOffset added to reported offsets, for a DN embedded in a larger string
     * @throws KeyCredentialFormatException ({@code INVALID_DN}) naming the position and the problem
     */
    public static void check(String dn, int baseOffset) {
        String error = findError(dn);
        if (error != null) {
            int at = Integer.parseInt(error.substring(0, error.indexOf(':')));
            throw new KeyCredentialFormatException(ErrorCode.INVALID_DN, baseOffset + at,
                    "invalid DN '" + abbreviate(dn) + "' at character " + (baseOffset + at) + ": "
                            + error.substring(error.indexOf(':') + 1)
                            + "; expected an RFC 4514 DN such as CN=User,CN=Users,DC=corp,DC=example,DC=com");
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    /** {@code null}, or "offset:reason". */
    private static String findError(String dn) {
        int n = dn.length();
        int i = skipSpaces(dn, 0);
        if (i == n) {
            return null;
        }
        while (true) {
            // attribute type
            int typeStart = i;
            if (i < n && isAlpha(dn.charAt(i))) {
                while (i < n && (isAlpha(dn.charAt(i)) || isDigit(dn.charAt(i)) || dn.charAt(i) == '-')) {
                    i++;
                }
            } else if (i < n && isDigit(dn.charAt(i))) {
                while (i < n && (isDigit(dn.charAt(i)) || dn.charAt(i) == '.')) {
                    i++;
                }
                if (dn.charAt(i - 1) == '.') {
                    return (i - 1) + ":numeric OID attribute type ends with '.'";
                }
            } else {
                return typeStart + ":expected an attribute type (such as CN) but found "
                        + (i < n ? "'" + dn.charAt(i) + "'" : "the end");
            }
            i = skipSpaces(dn, i);
            if (i >= n || dn.charAt(i) != '=') {
                return i + ":expected '=' after attribute type '" + dn.substring(typeStart, Math.min(i, n)).trim()
                        + "' but found " + (i < n ? "'" + dn.charAt(i) + "'" : "the end");
            }
            i = skipSpaces(dn, i + 1);
            // attribute value
            if (i < n && dn.charAt(i) == '#') {
                int start = ++i;
                while (i < n && Hex.digit(dn.charAt(i)) >= 0) {
                    i++;
                }
                if (i == start || (i - start) % 2 != 0) {
                    return i + ":expected an even number of hex digits after '#'";
                }
            } else {
                while (i < n) {
                    char c = dn.charAt(i);
                    if (c == ',' || c == '+') {
                        break;
                    }
                    if (c == '\\') {
                        if (i + 1 >= n) {
                            return i + ":escape '\\' at the end of the DN";
                        }
                        char next = dn.charAt(i + 1);
                        if (Hex.digit(next) >= 0) {
                            if (i + 2 >= n || Hex.digit(dn.charAt(i + 2)) < 0) {
                                return i + ":expected two hex digits after '\\'";
                            }
                            i += 3;
                        } else if ("\"+,;<>\\=# ".indexOf(next) >= 0) {
                            i += 2;
                        } else {
                            return i + ":'\\" + next + "' is not a valid escape";
                        }
                        continue;
                    }
                    if (c == '"' || c == ';' || c == '<' || c == '>' || c == '\0') {
                        return i + ":character '" + (c == '\0' ? "\\0" : String.valueOf(c)) + "' must be escaped in a value";
                    }
                    i++;
                }
            }
            i = skipSpaces(dn, i);
            if (i == n) {
                return null;
            }
            char sep = dn.charAt(i);
            if (sep != ',' && sep != '+') {
                return i + ":expected ',' or '+' but found '" + sep + "'";
            }
            i = skipSpaces(dn, i + 1);
            if (i == n) {
                return i + ":expected another RDN after '" + sep + "' but found the end";
            }
        }
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
