package dev.keytrust.agent;

import dev.keytrust.KeyTrustException;
import dev.keytrust.agent.source.SourceKey;
import dev.keytrust.agent.source.SourceUser;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeyMaterial;
import dev.keytrust.keycredential.KeySource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What one joined user needs: the Entra-shaped msDS-KeyCredentialLink values for its Graph NGC keys (KeySource
 * Azure AD, KeyID = SHA-256 of the key material, DeviceId, creation time from Graph), compared by KeyID with what
 * the DC holds. Values with KeySource AD, and values that do not decode, are never touched.
 *
 * @param add values to add
 * @param delete values to delete (Azure AD-sourced, key gone from Entra), exactly as stored
 * @param unchanged keys already present
 * @param untouched values left alone (KeySource AD or undecodable)
 * @param problems keys skipped and values not understood, each with the reason
 */
record KeyPlan(List<String> add, List<String> delete, int unchanged, int untouched, List<String> problems) {

    boolean writes() {
        return !add.isEmpty() || !delete.isEmpty();
    }

    static KeyPlan of(AdUser ad, SourceUser user, Instant now) {
        List<String> problems = new ArrayList<>();
        Map<String, String> desired = new LinkedHashMap<>();
        for (SourceKey k : user.keys()) {
            String device = "device " + k.deviceId();
            if (!"NGC".equalsIgnoreCase(k.keyType())) {
                problems.add(device + ": key type '" + k.keyType() + "' is not NGC; skipped");
                continue;
            }
            byte[] material = k.decodedKeyMaterial().orElse(null);
            if (material == null || material.length == 0) {
                problems.add(device + ": keyMaterial is not valid base64; skipped");
                continue;
            }
            if (KeyMaterial.describe(material).rsaPublicKey().isEmpty()) {
                problems.add(device + ": keyMaterial is not an RSA public key (" + KeyMaterial.describe(material).format()
                        + ", " + material.length + " bytes); skipped");
                continue;
            }
            UUID deviceId = null;
            try {
                deviceId = k.deviceId() == null ? null : UUID.fromString(k.deviceId());
            } catch (IllegalArgumentException e) {
                problems.add(device + ": deviceId is not a GUID; written without a DeviceId");
            }
            try {
                KeyCredential kc = KeyCredential.builder().rawKeyMaterial(material).ownerDn(ad.dn()).deviceId(deviceId)
                        .creationTime(k.createdDateTime().orElse(now)).source(KeySource.AZURE_AD).build();
                desired.putIfAbsent(kc.keyIdBase64(), kc.toDnBinary());
            } catch (KeyTrustException e) {
                problems.add(device + ": cannot encode the key: " + e.getMessage() + "; skipped");
            }
        }
        List<String> delete = new ArrayList<>();
        int unchanged = 0;
        int untouched = 0;
        Map<String, String> missing = new LinkedHashMap<>(desired);
        for (String value : ad.keyCredentialLinks()) {
            KeyCredential present;
            try {
                present = KeyCredential.fromDnBinary(value);
            } catch (KeyTrustException e) {
                untouched++;
                problems.add("a stored value does not decode (" + e.errorCode() + "); left as it is");
                continue;
            }
            if (!KeySource.AZURE_AD.equals(present.source())) {
                untouched++;
                continue;
            }
            if (missing.remove(present.keyIdBase64()) != null) {
                unchanged++;
            } else {
                delete.add(value); // the key is gone from Entra, or this is a second copy of one already counted
            }
        }
        return new KeyPlan(List.copyOf(missing.values()), List.copyOf(delete), unchanged, untouched, List.copyOf(problems));
    }
}
