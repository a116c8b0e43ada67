package dev.keytrust.kdc.crypto;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.kdc.KerberosKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.bouncycastle.crypto.digests.MD4Digest;

/**
 * Active Directory's long-term Kerberos keys derived from a password: aes256- and aes128-cts-hmac-sha1-96 by
 * RFC 3962 (PBKDF2-HMAC-SHA1, 4,096 iterations, then the RFC 3961 DK step) with AD's salt, and rc4-hmac, whose
 * key is the NT hash MD4(UTF-16LE(password)).
 *
 * <p>AD's salts: users {@code REALM + sAMAccountName} (the name as stored, case kept; also {@code krbtgt});
 * computers {@code REALM + "host" + lower-case name without "$" + "." + lower-case DNS domain}.
 *
 * <pre>{@code
 * String salt = KerberosKeys.userSalt("CORP.EXAMPLE.COM", "alice");     // CORP.EXAMPLE.COMalice
 * List<KerberosKey> keys = KerberosKeys.fromPassword("Secret-1", salt, 1);
 * }</pre>
 */
public final class KerberosKeys {
    /** The RFC 3962 default iteration count, which AD uses. */
    public static final int DEFAULT_ITERATIONS = 4096;

    private KerberosKeys() {
    }

    /** AD's salt for a user (or krbtgt) account: the realm in upper case, then the sAMAccountName as stored. */
    public static String userSalt(String realm, String samAccountName) {
        return realm.toUpperCase(Locale.ROOT) + samAccountName;
    }

    /**
     * AD's salt for a computer account, e.g. {@code CORP.EXAMPLE.COMhostdc1.corp.example.com} for {@code DC1$}.
     */
    public static String computerSalt(String realm, String samAccountName, String dnsDomain) {
        String name = samAccountName.endsWith("$")
                ? samAccountName.substring(0, samAccountName.length() - 1) : samAccountName;
        return realm.toUpperCase(Locale.ROOT) + "host" + name.toLowerCase(Locale.ROOT) + "."
                + dnsDomain.toLowerCase(Locale.ROOT);
    }

    /** The aes256, aes128 and rc4-hmac keys AD derives when {@code password} is set, with version {@code kvno}. */
    public static List<KerberosKey> fromPassword(String password, String salt, int kvno) {
        return List.of(
                new KerberosKey(KerberosKey.AES256_CTS_HMAC_SHA1_96, kvno,
                        aes(KerberosKey.AES256_CTS_HMAC_SHA1_96, password, salt, DEFAULT_ITERATIONS)),
                new KerberosKey(KerberosKey.AES128_CTS_HMAC_SHA1_96, kvno,
                        aes(KerberosKey.AES128_CTS_HMAC_SHA1_96, password, salt, DEFAULT_ITERATIONS)),
                new KerberosKey(KerberosKey.RC4_HMAC, kvno, ntHash(password)));
    }

    /**
     * The RFC 3962 string-to-key of {@code password} (UTF-8) with {@code salt} (UTF-8) and {@code iterations}.
     *
     * @param etype {@link KerberosKey#AES256_CTS_HMAC_SHA1_96} or {@link KerberosKey#AES128_CTS_HMAC_SHA1_96}
     */
    public static byte[] aes(int etype, String password, String salt, int iterations) {
        if (etype != KerberosKey.AES256_CTS_HMAC_SHA1_96 && etype != KerberosKey.AES128_CTS_HMAC_SHA1_96) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION,
                    "expected an AES enctype (17 or 18), found " + etype + "; use ntHash for rc4-hmac");
        }
        if (iterations < 1) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION,
                    "expected 1 or more PBKDF2 iterations, found " + iterations);
        }
        byte[] params = ByteBuffer.allocate(4).putInt(iterations).array();
        try {
            return EncryptionHandler.getEncHandler(etype).str2key(password, salt, params);
        } catch (KrbException e) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION,
                    "could not derive an AES key from the password: " + e.getMessage(), e);
        }
    }

    /** The NT hash (the rc4-hmac key): MD4 of the password in UTF-16LE. */
    public static byte[] ntHash(String password) {
        byte[] utf16 = password.getBytes(StandardCharsets.UTF_16LE);
        MD4Digest md4 = new MD4Digest();
        md4.update(utf16, 0, utf16.length);
        byte[] out = new byte[md4.getDigestSize()];
        md4.doFinal(out, 0);
        return out;
    }
}
