package dev.keytrust.kdc;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.util.Arrays;
import java.util.Objects;

/**
 * One long-term Kerberos key of an account: its encryption type (RFC 3961 number), key version number and key
 * bytes. {@link #toString()} never shows the key.
 *
 * @param etype encryption type number, e.g. {@link #AES256_CTS_HMAC_SHA1_96}
 * @param kvno key version number (AD: msDS-KeyVersionNumber)
 * @param keyBytes the key itself (copied in and out)
 */
public record KerberosKey(int etype, int kvno, byte[] keyBytes) {
    /** aes256-cts-hmac-sha1-96 (RFC 3962). */
    public static final int AES256_CTS_HMAC_SHA1_96 = 18;
    /** aes128-cts-hmac-sha1-96 (RFC 3962). */
    public static final int AES128_CTS_HMAC_SHA1_96 = 17;
    /** rc4-hmac (RFC 4757); its key is the NT hash. */
    public static final int RC4_HMAC = 23;

    /** Validates the key length for the known enctypes and copies the bytes. */
    public KerberosKey {
        Objects.requireNonNull(keyBytes, "keyBytes");
        int expected = switch (etype) {
            case AES256_CTS_HMAC_SHA1_96 -> 32;
            case AES128_CTS_HMAC_SHA1_96, RC4_HMAC -> 16;
            default -> throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "expected enctype 17, 18 or 23, found " + etype);
        };
        if (keyBytes.length != expected) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "expected a " + expected + "-byte key for enctype " + etype
                    + ", found " + keyBytes.length + " bytes");
        }
        if (kvno < 0) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "expected a kvno of 0 or more, found " + kvno);
        }
        keyBytes = keyBytes.clone();
    }

    /** A copy of the key bytes. */
    @Override
    public byte[] keyBytes() {
        return keyBytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerberosKey k && k.etype == etype && k.kvno == kvno
                && Arrays.equals(k.keyBytes, keyBytes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * etype + kvno) + Arrays.hashCode(keyBytes);
    }

    @Override
    public String toString() {
        return "KerberosKey[etype=" + etype + ", kvno=" + kvno + ", key=(hidden)]";
    }
}
