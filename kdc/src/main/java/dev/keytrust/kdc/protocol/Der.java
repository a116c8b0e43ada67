package dev.keytrust.kdc.protocol;

import java.util.Arrays;
import java.util.Optional;

/**
 * A small DER reader used before Kerby's decoder sees a request: it checks that the message is one well-formed
 * DER element (definite lengths, bounded nesting, nothing after it), and it finds the raw bytes of a KDC-REQ's
 * req-body, over which checksums are computed (re-encoding a decoded body may not give the same bytes).
 */
public final class Der {
    /** Deeper nesting than any Kerberos message needs; deeper input is refused before decoding. */
    public static final int MAX_DEPTH = 32;

    private Der() {
    }

    /** Whether {@code message} is exactly one well-formed DER element nested at most {@link #MAX_DEPTH} deep. */
    public static boolean isWellFormed(byte[] message) {
        return message.length > 0 && check(message, 0, message.length, 0) == message.length;
    }

    /** Returns the end of the element at {@code from}, or -1; checks constructed contents recursively. */
    private static int check(byte[] b, int from, int limit, int depth) {
        if (depth > MAX_DEPTH) {
            return -1;
        }
        int[] h = header(b, from, limit);
        if (h == null) {
            return -1;
        }
        int contentStart = h[0];
        int end = h[1];
        if ((b[from] & 0x20) != 0) {
            int p = contentStart;
            while (p < end) {
                p = check(b, p, end, depth + 1);
                if (p < 0) {
                    return -1;
                }
            }
        }
        return end;
    }

    /** {contentStart, end} of the element at {@code from}, or null if its header is malformed. */
    private static int[] header(byte[] b, int from, int limit) {
        int p = from;
        if (p >= limit) {
            return null;
        }
        if ((b[p++] & 0x1f) == 0x1f) { // high tag number form
            int n = 0;
            while (true) {
                if (p >= limit || ++n > 4) {
                    return null;
                }
                if ((b[p++] & 0x80) == 0) {
                    break;
                }
            }
        }
        if (p >= limit) {
            return null;
        }
        int first = b[p++] & 0xff;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int n = first & 0x7f;
            if (n == 0 || n > 4) { // indefinite length is not DER; more than 4 length bytes is absurd here
                return null;
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                if (p >= limit) {
                    return null;
                }
                length = (length << 8) | (b[p++] & 0xff);
            }
        }
        if (length > limit - p) {
            return null;
        }
        return new int[] {p, (int) (p + length)};
    }

    /**
     * The raw bytes of the req-body ({@code [4]} inside the SEQUENCE inside the APPLICATION tag) of a KDC-REQ
     * that {@link #isWellFormed(byte[])} accepted.
     */
    public static Optional<byte[]> reqBody(byte[] kdcReq) {
        int[] app = header(kdcReq, 0, kdcReq.length);
        if (app == null) {
            return Optional.empty();
        }
        int[] seq = header(kdcReq, app[0], app[1]);
        if (seq == null || kdcReq[app[0]] != 0x30) {
            return Optional.empty();
        }
        int p = seq[0];
        while (p < seq[1]) {
            int[] field = header(kdcReq, p, seq[1]);
            if (field == null) {
                return Optional.empty();
            }
            if ((kdcReq[p] & 0xff) == 0xa4) {
                int[] body = header(kdcReq, field[0], field[1]);
                return body == null ? Optional.empty()
                        : Optional.of(Arrays.copyOfRange(kdcReq, field[0], body[1]));
            }
            p = field[1];
        }
        return Optional.empty();
    }
}
