package dev.keytrust.dc;

import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeySource;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.UUID;

/**
 * msDS-KeyCredentialLink values for tests that need many cheap, distinct values: one fixed 1024-bit RSA public key
 * (nothing generated), told apart by owner and device ID.
 */
public final class TestKeys {
    private static final RSAPublicKey KEY = fixedKey();

    private TestKeys() {
    }

    /** The DN-Binary value of an Azure AD key for {@code ownerDn} from device {@code deviceId}, created 2026-01-01. */
    public static String value(String ownerDn, UUID deviceId) {
        return KeyCredential.builder().publicKey(KEY).ownerDn(ownerDn).deviceId(deviceId)
                .creationTime(Instant.parse("2026-01-01T00:00:00Z")).source(KeySource.AZURE_AD).build().toDnBinary();
    }

    private static RSAPublicKey fixedKey() {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                    BigInteger.ONE.shiftLeft(1023).add(BigInteger.valueOf(99)), BigInteger.valueOf(65537)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's RSA key factory refused a fixed test key", e);
        }
    }
}
