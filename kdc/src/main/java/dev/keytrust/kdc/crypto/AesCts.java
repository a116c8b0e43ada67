package dev.keytrust.kdc.crypto;

import dev.keytrust.kdc.KerberosKey;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kerby.kerberos.kerb.crypto.util.Nfold;

/**
 * aes128- and aes256-cts-hmac-sha1-96 (RFC 3962 over RFC 3961's simplified profile) with the JDK's AES and
 * HMAC-SHA1: encryption {@code AES-CTS(Ke, confounder | plain) | HMAC-SHA1(Ki, confounder | plain)[0..12]} and
 * the keyed checksum {@code HMAC-SHA1(Kc, data)[0..12]}, each derived key {@code DK(key, usage | 0xAA/0x55/0x99)}.
 * Output is byte-for-byte what Kerby's kerb-crypto (and MIT) produce; it exists because the KDC encrypts and
 * checksums several times per exchange and Kerby looks up a new {@link Cipher} for every block of a key
 * derivation. Each thread keeps its own {@link Cipher} and {@link Mac} objects (no keys or data are kept between
 * calls: every call derives its keys afresh).
 *
 * <pre>{@code
 * byte[] sealed = AesCts.encrypt(key, 2, ticketBytes);   // key usage 2: a ticket
 * byte[] plain = AesCts.decrypt(key, 2, sealed);          // GeneralSecurityException if the checksum fails
 * }</pre>
 */
public final class AesCts {
    private static final int BLOCK = 16;
    private static final int MAC_LENGTH = 12;
    private static final byte ENCRYPTION = (byte) 0xAA;
    private static final byte INTEGRITY = 0x55;
    private static final byte CHECKSUM = (byte) 0x99;
    private static final byte[] ZERO_IV = new byte[BLOCK];
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<Cipher> CBC = ThreadLocal.withInitial(() -> cipher("AES/CBC/NoPadding"));
    private static final ThreadLocal<Cipher> ECB = ThreadLocal.withInitial(() -> cipher("AES/ECB/NoPadding"));
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(AesCts::hmac);

    private AesCts() {
    }

    /** Whether {@code etype} is one of the two AES enctypes this class serves. */
    public static boolean serves(int etype) {
        return etype == KerberosKey.AES128_CTS_HMAC_SHA1_96 || etype == KerberosKey.AES256_CTS_HMAC_SHA1_96;
    }

    /** The ciphertext of {@code plain} under the 16- or 32-byte {@code key} for key usage {@code usage}. */
    public static byte[] encrypt(byte[] key, int usage, byte[] plain) throws GeneralSecurityException {
        requireKey(key);
        byte[] message = new byte[BLOCK + plain.length];
        byte[] confounder = new byte[BLOCK];
        RANDOM.nextBytes(confounder);
        System.arraycopy(confounder, 0, message, 0, BLOCK);
        System.arraycopy(plain, 0, message, BLOCK, plain.length);
        byte[] sealed = ctsEncrypt(derive(key, usage, ENCRYPTION), message);
        byte[] mac = mac(derive(key, usage, INTEGRITY), message);
        byte[] out = Arrays.copyOf(sealed, sealed.length + MAC_LENGTH);
        System.arraycopy(mac, 0, out, sealed.length, MAC_LENGTH);
        return out;
    }

    /**
     * The plaintext of {@code cipherText} (confounder removed).
     *
     * @throws GeneralSecurityException if it is too short or its integrity checksum does not match (wrong key,
     *     wrong usage, altered data)
     */
    public static byte[] decrypt(byte[] key, int usage, byte[] cipherText) throws GeneralSecurityException {
        requireKey(key);
        if (cipherText.length < BLOCK + MAC_LENGTH) {
            throw new GeneralSecurityException("expected at least " + (BLOCK + MAC_LENGTH) + " bytes of ciphertext, found "
                    + cipherText.length);
        }
        int length = cipherText.length - MAC_LENGTH;
        byte[] message = ctsDecrypt(derive(key, usage, ENCRYPTION), Arrays.copyOf(cipherText, length));
        byte[] expected = Arrays.copyOf(mac(derive(key, usage, INTEGRITY), message), MAC_LENGTH);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(cipherText, length, cipherText.length))) {
            throw new GeneralSecurityException("integrity check failed");
        }
        return Arrays.copyOfRange(message, BLOCK, message.length);
    }

    /** hmac-sha1-96-aes128/aes256 (checksum types 15 and 16) of {@code data} for key usage {@code usage}. */
    public static byte[] checksum(byte[] key, int usage, byte[] data) throws GeneralSecurityException {
        requireKey(key);
        return Arrays.copyOf(mac(derive(key, usage, CHECKSUM), data), MAC_LENGTH);
    }

    /**
     * DK(key, usage | kind): DR is the base key's encryption of the constant n-folded to a block, each further block
     * the encryption of the one before (CBC with a zero IV over the folded constant and zero blocks gives exactly
     * that chain), until the key's length is reached; AES's random-to-key is the identity.
     */
    static byte[] derive(byte[] key, int usage, byte kind) throws GeneralSecurityException {
        byte[] constant = ByteBuffer.allocate(5).putInt(usage).put(kind).array();
        byte[] input = Arrays.copyOf(Nfold.nfold(constant, BLOCK), key.length);
        Cipher cbc = CBC.get();
        cbc.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(ZERO_IV));
        return cbc.doFinal(input);
    }

    /** RFC 3962's CBC with ciphertext stealing: the last two blocks swapped, the final one cut to the data's length. */
    static byte[] ctsEncrypt(byte[] key, byte[] message) throws GeneralSecurityException {
        Cipher cbc = CBC.get();
        cbc.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(ZERO_IV));
        int padded = (message.length + BLOCK - 1) / BLOCK * BLOCK;
        byte[] c = cbc.doFinal(Arrays.copyOf(message, padded));
        if (message.length <= BLOCK) {
            return c;
        }
        byte[] out = new byte[message.length];
        int last = padded - BLOCK;
        int tail = message.length - last; // bytes in the last (partial or full) block
        System.arraycopy(c, 0, out, 0, last - BLOCK);
        System.arraycopy(c, last, out, last - BLOCK, BLOCK);
        System.arraycopy(c, last - BLOCK, out, last, tail);
        return out;
    }

    /** The inverse of {@link #ctsEncrypt}: rebuilds the plain CBC ciphertext, then decrypts it. */
    static byte[] ctsDecrypt(byte[] key, byte[] cipherText) throws GeneralSecurityException {
        SecretKeySpec spec = new SecretKeySpec(key, "AES");
        Cipher cbc = CBC.get();
        if (cipherText.length <= BLOCK) {
            cbc.init(Cipher.DECRYPT_MODE, spec, new IvParameterSpec(ZERO_IV));
            return cbc.doFinal(cipherText);
        }
        int padded = (cipherText.length + BLOCK - 1) / BLOCK * BLOCK;
        int last = padded - BLOCK;
        int tail = cipherText.length - last;
        Cipher ecb = ECB.get();
        ecb.init(Cipher.DECRYPT_MODE, spec);
        // The block sent second to last is the real last block Cn; decrypted it is Pn (zero padded) XOR C(n-1),
        // whose bytes past the tail are therefore C(n-1)'s own, which stealing left out.
        byte[] d = ecb.doFinal(cipherText, last - BLOCK, BLOCK);
        byte[] c = new byte[padded];
        System.arraycopy(cipherText, 0, c, 0, last - BLOCK);
        System.arraycopy(cipherText, last, c, last - BLOCK, tail);
        System.arraycopy(d, tail, c, last - BLOCK + tail, BLOCK - tail);
        System.arraycopy(cipherText, last - BLOCK, c, last, BLOCK);
        cbc.init(Cipher.DECRYPT_MODE, spec, new IvParameterSpec(ZERO_IV));
        return Arrays.copyOf(cbc.doFinal(c), cipherText.length);
    }

    private static byte[] mac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = HMAC.get();
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        return mac.doFinal(data);
    }

    private static void requireKey(byte[] key) throws GeneralSecurityException {
        if (key == null || (key.length != 16 && key.length != 32)) {
            throw new GeneralSecurityException("expected a 16- or 32-byte AES key, found "
                    + (key == null ? "none" : key.length + " bytes"));
        }
    }

    private static Cipher cipher(String transformation) {
        try {
            return Cipher.getInstance(transformation);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + transformation, e);
        }
    }

    private static Mac hmac() {
        try {
            return Mac.getInstance("HmacSHA1");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA1", e);
        }
    }
}
