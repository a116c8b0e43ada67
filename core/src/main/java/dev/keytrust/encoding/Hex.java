package dev.keytrust.encoding;

import java.util.Arrays;

/**
 * Fast hexadecimal conversion. Output is upper-case, as Active Directory returns DN-Binary values; input
 * accepts either case.
 *
 * <pre>{@code
 * String s = Hex.encode(new byte[] {0x0a, (byte) 0xff});   // "0AFF"
 * byte[] b = Hex.decode("0aff");                           // {0x0a, 0xff}
 * }</pre>
 */
public final class Hex {
    private static final char[] DIGITS = "0123456789ABCDEF".toCharArray();
    private static final byte[] VALUES = new byte[128];

    static {
        Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < 10; i++) {
            VALUES['0' + i] = (byte) i;
        }
        for (int i = 0; i < 6; i++) {
            VALUES['a' + i] = (byte) (10 + i);
            VALUES['A' + i] = (byte) (10 + i);
        }
    }

    private Hex() {
    }

    /** Upper-case hex of all of {@code bytes}. */
    public static String encode(byte[] bytes) {
        return encode(bytes, 0, bytes.length);
    }

    /** Upper-case hex of {@code length} bytes from {@code offset}. */
    public static String encode(byte[] bytes, int offset, int length) {
        char[] out = new char[length * 2];
        for (int i = 0; i < length; i++) {
            int b = bytes[offset + i] & 0xff;
            out[2 * i] = DIGITS[b >>> 4];
            out[2 * i + 1] = DIGITS[b & 0x0f];
        }
        return new String(out);
    }

    /** The value (0–15) of a hex digit, or -1 if {@code c} is not one. */
    public static int digit(char c) {
        return c < 128 ? VALUES[c] : -1;
    }

    /** Whether every character of {@code s} is a hex digit and the length is even and non-zero. */
    public static boolean isHex(CharSequence s) {
        if (s.length() == 0 || (s.length() & 1) != 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (digit(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes hex digits.
     *
     * @throws IllegalArgumentException naming the offending position if the length is odd or a character is
     *     not a hex digit
     */
    public static byte[] decode(CharSequence s) {
        int index = firstInvalidIndex(s, 0, s.length());
        if (index >= 0) {
            throw new IllegalArgumentException(
                    "expected a hex digit at position " + index + " but found '" + s.charAt(index) + "'");
        }
        if ((s.length() & 1) != 0) {
            throw new IllegalArgumentException("expected an even number of hex digits but found " + s.length());
        }
        return decodeUnchecked(s, 0, s.length());
    }

    /** The index of the first non-hex character in {@code s[from, to)}, or -1 if there is none. */
    public static int firstInvalidIndex(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (digit(s.charAt(i)) < 0) {
                return i;
            }
        }
        return -1;
    }

    /** Decodes {@code s[from, to)}, which the caller has checked holds an even number of hex digits. */
    public static byte[] decodeUnchecked(CharSequence s, int from, int to) {
        byte[] out = new byte[(to - from) / 2];
        for (int i = 0, j = from; i < out.length; i++, j += 2) {
            out[i] = (byte) ((VALUES[s.charAt(j)] << 4) | VALUES[s.charAt(j + 1)]);
        }
        return out;
    }
}
