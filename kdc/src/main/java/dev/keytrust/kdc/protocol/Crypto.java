package dev.keytrust.kdc.protocol;

import dev.keytrust.kdc.KerberosKey;
import dev.keytrust.kdc.crypto.AesCts;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import org.apache.kerby.kerberos.kerb.KrbErrorCode;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.type.base.EncryptedData;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;

/**
 * Encryption with the KDC's enctypes and enctype choice: the AES enctypes by {@link AesCts} (the JDK's AES), rc4-hmac
 * by Kerby's kerb-crypto.
 */
public final class Crypto {
    /** The enctypes this KDC issues and accepts, strongest first. */
    public static final List<Integer> SUPPORTED = List.of(
            KerberosKey.AES256_CTS_HMAC_SHA1_96, KerberosKey.AES128_CTS_HMAC_SHA1_96, KerberosKey.RC4_HMAC);

    private Crypto() {
    }

    /** The Kerby form of a long-term key. */
    public static EncryptionKey toKerby(KerberosKey key) {
        return new EncryptionKey(key.etype(), key.keyBytes(), key.kvno());
    }

    /** Encrypts {@code plain} with {@code key} for {@code usage}; the kvno goes into the result. */
    public static EncryptedData encrypt(byte[] plain, EncryptionKey key, KeyUsage usage) {
        try {
            EncryptedData data;
            if (AesCts.serves(key.getKeyType().getValue())) {
                data = new EncryptedData();
                data.setEType(key.getKeyType());
                data.setCipher(AesCts.encrypt(key.getKeyData(), usage.getValue(), plain));
            } else {
                data = EncryptionHandler.encrypt(plain, key, usage);
            }
            if (key.getKvno() > 0) {
                data.setKvno(key.getKvno());
            }
            return data;
        } catch (KrbException | GeneralSecurityException e) {
            throw new KdcRefusal(KrbErrorCode.KRB_ERR_GENERIC, "could not encrypt the reply");
        }
    }

    /** Decrypts, or refuses with {@code onFailure} (integrity or key mismatch). */
    public static byte[] decrypt(EncryptedData data, EncryptionKey key, KeyUsage usage, KrbErrorCode onFailure,
                                 String text) {
        try {
            int etype = key.getKeyType().getValue();
            if (AesCts.serves(etype) && data.getEType() != null && data.getEType().getValue() == etype
                    && data.getCipher() != null) {
                return AesCts.decrypt(key.getKeyData(), usage.getValue(), data.getCipher());
            }
            return EncryptionHandler.decrypt(data, key, usage);
        } catch (KrbException | GeneralSecurityException | RuntimeException e) {
            throw new KdcRefusal(onFailure, text);
        }
    }

    /** A new random session key of enctype {@code etype}. */
    public static EncryptionKey sessionKey(int etype) {
        try {
            return EncryptionHandler.random2Key(EncryptionType.fromValue(etype));
        } catch (KrbException e) {
            throw new KdcRefusal(KrbErrorCode.KRB_ERR_GENERIC, "could not make a session key");
        }
    }

    /** The supported enctype numbers the client asked for, in its order of preference. */
    public static List<Integer> requested(List<EncryptionType> etypes) {
        return etypes == null ? List.of() : etypes.stream()
                .filter(e -> e != null)
                .map(EncryptionType::getValue)
                .filter(SUPPORTED::contains)
                .distinct()
                .toList();
    }

    /**
     * The session key's enctype: the client's most preferred supported enctype that the service also has a key
     * of, else the client's most preferred supported one.
     */
    public static int sessionEtype(List<EncryptionType> requested, dev.keytrust.kdc.KdcAccount service) {
        List<Integer> client = requested(requested);
        if (client.isEmpty()) {
            throw new KdcRefusal(KrbErrorCode.KDC_ERR_ETYPE_NOSUPP,
                    "none of the requested enctypes is supported (aes256, aes128 or rc4-hmac)");
        }
        return client.stream().filter(e -> service.key(e).isPresent()).findFirst().orElse(client.get(0));
    }

    /** The strongest key of a service account among the supported enctypes. */
    public static Optional<KerberosKey> strongest(List<KerberosKey> keys) {
        for (int etype : SUPPORTED) {
            for (KerberosKey k : keys) {
                if (k.etype() == etype) {
                    return Optional.of(k);
                }
            }
        }
        return Optional.empty();
    }
}
