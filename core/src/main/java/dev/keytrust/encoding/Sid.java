package dev.keytrust.encoding;

import java.util.Arrays;
import java.util.Objects;

/**
 * A Windows security identifier: revision 1, a 48-bit identifier authority and up to 15 sub-authorities. The
 * string form is {@code S-1-5-21-a-b-c-RID}; the binary form ({@code objectSid}) is revision, count, the
 * authority big-endian, then each sub-authority little-endian.
 *
 * <pre>{@code
 * Sid domain = Sid.parse("S-1-5-21-1004336348-1177238915-682003330");
 * Sid admin = domain.withRid(500);
 * byte[] objectSid = admin.toBytes();
 * }</pre>
 *
 * @param authority the identifier authority (5 for NT AUTHORITY)
 * @param subAuthorities the sub-authorities, each an unsigned 32-bit value
 */
public record Sid(long authority, long[] subAuthorities) {
    public Sid {
        if (authority < 0 || authority > 0xFFFF_FFFF_FFFFL) {
            throw new IllegalArgumentException("expected a 48-bit identifier authority but found " + authority);
        }
        subAuthorities = Objects.requireNonNull(subAuthorities, "subAuthorities").clone();
        if (subAuthorities.length > 15) {
            throw new IllegalArgumentException("a SID has at most 15 sub-authorities but found " + subAuthorities.length);
        }
        for (long s : subAuthorities) {
            if (s < 0 || s > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("expected unsigned 32-bit sub-authorities but found " + s);
            }
        }
    }

    @Override
    public long[] subAuthorities() {
        return subAuthorities.clone();
    }

    /** Parses {@code S-1-...}. */
    public static Sid parse(String text) {
        String[] parts = text.trim().split("-");
        if (parts.length < 3 || !parts[0].equalsIgnoreCase("S") || !parts[1].equals("1")) {
            throw new IllegalArgumentException("expected a SID like S-1-5-21-... but found '" + text + "'");
        }
        try {
            long[] subs = new long[parts.length - 3];
            for (int i = 0; i < subs.length; i++) {
                subs[i] = Long.parseLong(parts[i + 3]);
            }
            return new Sid(Long.parseLong(parts[2]), subs);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a SID like S-1-5-21-... but found '" + text + "'", e);
        }
    }

    /** Reads the binary form. */
    public static Sid fromBytes(byte[] b) {
        if (b.length < 8 || b[0] != 1 || b.length != 8 + 4 * (b[1] & 0xff)) {
            throw new IllegalArgumentException("expected a binary SID (revision 1, 8 + 4n bytes) but found "
                    + b.length + " bytes starting " + Hex.encode(b, 0, Math.min(b.length, 2)));
        }
        long authority = 0;
        for (int i = 2; i < 8; i++) {
            authority = (authority << 8) | (b[i] & 0xff);
        }
        long[] subs = new long[b[1] & 0xff];
        for (int i = 0; i < subs.length; i++) {
            subs[i] = LittleEndian.uint32(b, 8 + 4 * i);
        }
        return new Sid(authority, subs);
    }

    /** The binary form, as stored in {@code objectSid}. */
    public byte[] toBytes() {
        byte[] b = new byte[8 + 4 * subAuthorities.length];
        b[0] = 1;
        b[1] = (byte) subAuthorities.length;
        for (int i = 0; i < 6; i++) {
            b[7 - i] = (byte) (authority >>> (8 * i));
        }
        for (int i = 0; i < subAuthorities.length; i++) {
            LittleEndian.putInt32(b, 8 + 4 * i, (int) subAuthorities[i]);
        }
        return b;
    }

    /** This SID with one more sub-authority: a domain SID plus a relative id. */
    public Sid withRid(long rid) {
        long[] subs = Arrays.copyOf(subAuthorities, subAuthorities.length + 1);
        subs[subs.length - 1] = rid;
        return new Sid(authority, subs);
    }

    /** The last sub-authority (the RID of an account SID). */
    public long rid() {
        if (subAuthorities.length == 0) {
            throw new IllegalStateException("SID " + this + " has no sub-authorities");
        }
        return subAuthorities[subAuthorities.length - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sid other && authority == other.authority && Arrays.equals(subAuthorities, other.subAuthorities);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(authority) * 31 + Arrays.hashCode(subAuthorities);
    }

    /** {@code S-1-<authority>-<sub>-...}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("S-1-").append(authority);
        for (long sub : subAuthorities) {
            s.append('-').append(sub);
        }
        return s.toString();
    }
}
