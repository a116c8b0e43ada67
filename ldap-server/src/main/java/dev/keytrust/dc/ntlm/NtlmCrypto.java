package dev.keytrust.dc.ntlm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.MD4Digest;

/**
 * The primitives of [MS-NLMP] 3.3 and 3.4: NT hash (MD4, from BouncyCastle: the JDK has none), NTOWFv2,
 * HMAC-MD5, MD5 and RC4 (the JDK's ARCFOUR).
 */
public final class NtlmCrypto {
    private NtlmCrypto() {
    }

    /** The NT hash of a password: MD4 of its UTF-16LE bytes (what AD keeps as the account's RC4 key). */
    public static byte[] ntHash(String password) {
        byte[] in = password.getBytes(StandardCharsets.UTF_16LE);
        MD4Digest md4 = new MD4Digest();
        md4.update(in, 0, in.length);
        byte[] out = new byte[16];
        md4.doFinal(out, 0);
        return out;
    }

    /** NTOWFv2: HMAC-MD5 keyed with the NT hash over UTF-16LE(UPPER(user) + domain); the domain keeps its case. */
    public static byte[] ntowfv2(byte[] ntHash, String user, String domain) {
        return hmacMd5(ntHash, (user.toUpperCase(Locale.ROOT) + domain).getBytes(StandardCharsets.UTF_16LE));
    }

    public static byte[] hmacMd5(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key, "HmacMD5"));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacMD5", e);
        }
    }

    public static byte[] md5(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks MD5", e);
        }
    }

    /** An RC4 key stream keyed with {@code key}; each {@link Cipher#update} continues the same stream. */
    public static Cipher rc4(byte[] key) {
        try {
            Cipher c = Cipher.getInstance("ARCFOUR");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ARCFOUR"));
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks ARCFOUR (RC4)", e);
        }
    }

    /** RC4 of {@code data} with a fresh key stream. */
    public static byte[] rc4(byte[] key, byte[] data) {
        return rc4(key).update(data);
    }

    /** Whether two MACs are equal, in time independent of where they differ. */
    static boolean same(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
