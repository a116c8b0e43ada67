package dev.keytrust.encoding;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;

/**
 * Just enough DER to read and write RSA public keys (PKCS#1 RSAPublicKey and X.509 SubjectPublicKeyInfo).
 * Readers return {@code null} instead of throwing, so describing unknown key material never fails.
 */
public final class Der {
    public static final int SEQUENCE = 0x30;
    public static final int INTEGER = 0x02;
    public static final int BIT_STRING = 0x03;
    public static final int NULL = 0x05;
    public static final int OID = 0x06;

    /** DER of OID 1.2.840.113549.1.1.1 (rsaEncryption). */
    public static final byte[] RSA_ENCRYPTION_OID = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};

    /** A tag-length-value found at some offset: value spans {@code [valueOffset, end)}. */
    public record Tlv(int tag, int valueOffset, int end) {
        public int length() {
            return end - valueOffset;
        }
    }

    private Der() {
    }

    /** Reads the TLV at {@code offset} that must end at or before {@code limit}; {@code null} if malformed. */
    public static Tlv read(byte[] b, int offset, int limit) {
        if (offset + 2 > limit) {
            return null;
        }
        int tag = b[offset] & 0xff;
        int first = b[offset + 1] & 0xff;
        int pos = offset + 2;
        int length;
        if (first < 0x80) {
            length = first;
        } else {
            int count = first & 0x7f;
            if (count == 0 || count > 3 || pos + count > limit) {
                return null;
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (b[pos++] & 0xff);
            }
        }
        if (length > limit - pos) {
            return null;
        }
        return new Tlv(tag, pos, pos + length);
    }

    /** Reads a TLV with the expected tag, or {@code null}. */
    public static Tlv expect(byte[] b, int offset, int limit, int tag) {
        Tlv tlv = read(b, offset, limit);
        return tlv != null && tlv.tag() == tag ? tlv : null;
    }

    public static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        return tlv(SEQUENCE, body.toByteArray());
    }

    public static byte[] integer(BigInteger value) {
        return tlv(INTEGER, value.toByteArray());
    }

    public static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >>> 16);
            out.write(n >>> 8);
            out.write(n);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
