package dev.keytrust.kdc.pkinit;

import dev.keytrust.kdc.KerberosKey;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;

/**
 * The AS reply key from the DH shared secret: RFC 4556 3.2.3.1's octetstring2key (SHA-1 in counter mode over Z,
 * truncated to the enctype's key size; random-to-key is the identity for the AES enctypes and rc4-hmac).
 */
public final class ReplyKeys {

    private ReplyKeys() {
    }

    /** The key size in bytes of the supported {@code etype}. */
    public static int keySize(int etype) {
        return etype == KerberosKey.AES256_CTS_HMAC_SHA1_96 ? 32 : 16;
    }

    /** octetstring2key(Z) for {@code etype} (no DH nonces). */
    public static EncryptionKey octetString2Key(byte[] z, int etype) {
        byte[] key = derive(z, keySize(etype));
        return new EncryptionKey(EncryptionType.fromValue(etype), key);
    }

    static byte[] derive(byte[] x, int length) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] out = new byte[length];
            int filled = 0;
            for (int counter = 0; filled < length; counter++) {
                sha1.update((byte) counter);
                byte[] block = sha1.digest(x);
                int n = Math.min(block.length, length - filled);
                System.arraycopy(block, 0, out, filled, n);
                filled += n;
            }
            return out;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from the JDK", e);
        }
    }

    /** SHA-1 of {@code data}: PKINIT's paChecksum over the req-body. */
    public static boolean sha1Matches(byte[] data, byte[] expected) {
        try {
            return expected != null && MessageDigest.isEqual(MessageDigest.getInstance("SHA-1").digest(data),
                    expected);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from the JDK", e);
        }
    }

    static byte[] copy(byte[] bytes) {
        return Arrays.copyOf(bytes, bytes.length);
    }
}
