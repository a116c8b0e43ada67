package dev.keytrust.encoding;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 with one reusable digest per thread (creating a {@code MessageDigest} costs more than hashing a key).
 *
 * <pre>{@code
 * byte[] keyId = Sha256.hash(material, 0, material.length);
 * }</pre>
 */
public final class Sha256 {
    public static final int LENGTH = 32;

    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    });

    private Sha256() {
    }

    public static byte[] hash(byte[] data, int offset, int length) {
        MessageDigest md = DIGEST.get();
        md.reset();
        md.update(data, offset, length);
        return md.digest();
    }

    public static boolean matches(byte[] expected, byte[] data, int offset, int length) {
        return MessageDigest.isEqual(expected, hash(data, offset, length));
    }
}
