package dev.keytrust.agent.source;

import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * One WHfB key of a user as Graph shows it: beta {@code deviceKeys} (device id, key material, key type) joined with
 * the v1.0 WHfB authentication method of the same device (creation time, device name, key strength; empty when no
 * method matched).
 *
 * @param deviceId the device id as Graph sent it
 * @param keyMaterial the key material, base64 as Graph sent it (not checked here: see {@link #decodedKeyMaterial()})
 * @param keyType the key type ({@code NGC} for WHfB)
 * @param createdDateTime when the key was registered, if a method matched
 * @param deviceName the device's name, if a method matched
 * @param keyStrength {@code normal}, {@code weak} or {@code unknown}, if a method matched
 * @param methodId the WHfB method id, if a method matched
 */
public record SourceKey(String deviceId, String keyMaterial, String keyType, Optional<Instant> createdDateTime,
        Optional<String> deviceName, Optional<String> keyStrength, Optional<String> methodId) {

    /** The key material's bytes, or empty if it is not valid base64. */
    public Optional<byte[]> decodedKeyMaterial() {
        try {
            return keyMaterial == null ? Optional.empty() : Optional.of(Base64.getDecoder().decode(keyMaterial));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
