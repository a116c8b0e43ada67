package dev.keytrust.graph.mock;

import dev.keytrust.keycredential.KeyMaterial;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * A Windows Hello for Business key registered for a user on one device. Graph shows it twice: as a beta
 * {@code deviceKeys} item ({@code deviceId}, {@code keyMaterial} as a base64 RSA1 blob, {@code keyType} NGC) and
 * as a v1.0 {@code windowsHelloForBusinessAuthenticationMethod} ({@code id}, {@code displayName} = device name,
 * {@code createdDateTime}, {@code keyStrength}).
 *
 * @param id the WHfB authentication method id
 * @param deviceId the device's id
 * @param displayName the device name
 * @param keyMaterial the public key as a BCRYPT_RSAPUBLIC_BLOB ("RSA1")
 * @param createdDateTime registration time on the testbed clock
 * @param keyStrength {@code normal}, {@code weak} or {@code unknown}
 * @param privateKey the private key when the mock generated the pair (tests sign with it); empty when supplied
 * @param keyType the key type Graph shows ({@code NGC})
 * @param rawKeyMaterial for bad-data tests: the {@code keyMaterial} text Graph shows instead of base64 of the bytes
 */
public record DeviceKey(String id, UUID deviceId, String displayName, byte[] keyMaterial, Instant createdDateTime,
        String keyStrength, Optional<PrivateKey> privateKey, String keyType, String rawKeyMaterial) {

    /** The key's KeyID as AD stores it for Entra-synced keys: SHA-256 of the key material, base64. */
    public String keyId() {
        return KeyMaterial.keyIdBase64(keyMaterial);
    }

    /** The key material, base64, as Graph's {@code deviceKeys.keyMaterial}. */
    public String keyMaterialBase64() {
        return rawKeyMaterial != null ? rawKeyMaterial : Base64.getEncoder().encodeToString(keyMaterial);
    }

    @Override
    public byte[] keyMaterial() {
        return keyMaterial.clone();
    }

    @Override
    public String toString() {
        return "DeviceKey[" + displayName + " " + deviceId + " keyId " + keyId() + "]";
    }
}
