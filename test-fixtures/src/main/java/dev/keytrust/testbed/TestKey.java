package dev.keytrust.testbed;

import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.UUID;

/**
 * A WHfB key registered in Entra (the Graph mock) by a test: who owns it, on which device, its KeyID as AD shows
 * it, and both halves of the RSA key (a KDC-like {@linkplain Testbed#probe probe} signs with the private one).
 *
 * @param userPrincipalName the owner's UPN
 * @param userId the owner's Entra object id
 * @param deviceName the device's name
 * @param deviceId the device's id
 * @param methodId the WHfB authentication method id in Graph
 * @param keyId SHA-256 of the key material, base64: the KeyID of its msDS-KeyCredentialLink value
 * @param keyMaterial the RSA1 blob Graph shows as {@code keyMaterial}
 * @param publicKey the public key
 * @param privateKey the private key (null for a key registered elsewhere with its public key only)
 * @param registered when it was registered (testbed clock)
 */
public record TestKey(String userPrincipalName, String userId, String deviceName, UUID deviceId, String methodId, String keyId,
        byte[] keyMaterial, RSAPublicKey publicKey, PrivateKey privateKey, Instant registered) {

    /** A short fingerprint for logs and messages: the first 12 characters of the KeyID. */
    public String fingerprint() {
        return keyId.substring(0, Math.min(12, keyId.length()));
    }

    @Override
    public String toString() {
        return "key " + fingerprint() + " of " + userPrincipalName + " on " + deviceName;
    }
}
