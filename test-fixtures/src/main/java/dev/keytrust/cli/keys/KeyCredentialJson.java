package dev.keytrust.cli.keys;

import dev.keytrust.encoding.Hex;
import dev.keytrust.keycredential.CustomKeyInformation;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeyCredentialEntry;
import dev.keytrust.keycredential.KeyMaterial;
import dev.keytrust.keycredential.KeyTime;
import dev.keytrust.keycredential.KeyUsage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of a decoded KeyCredential, as {@code keytrust decode} prints it: {@code version},
 * {@code keyId}, {@code keyIdValid}, {@code keyHash}, {@code keyHashValid}, {@code usage}, {@code source},
 * {@code deviceId}, {@code creationTime}, {@code lastLogonTime}, {@code customKeyInfo}, {@code keyMaterial},
 * {@code ownerDn}, {@code entries}. Binary values are base64 (KeyID, KeyHash) or hex (CustomKeyInformation
 * parts); times are ISO-8601 UTC.
 */
public final class KeyCredentialJson {
    private KeyCredentialJson() {
    }

    static Map<String, Object> toMap(KeyCredential kc) {
        Base64.Encoder b64 = Base64.getEncoder();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", kc.version());
        m.put("keyId", kc.keyIdBase64());
        m.put("keyIdValid", kc.keyIdValid().orElse(null));
        m.put("keyHash", kc.keyHash().map(b64::encodeToString).orElse(null));
        m.put("keyHashValid", kc.keyHashValid());
        m.put("usage", kc.usage().map(KeyUsage::name).orElse(kc.legacyUsage().orElse(null)));
        m.put("source", kc.source().name());
        m.put("deviceId", kc.deviceId().map(Object::toString).orElse(null));
        m.put("creationTime", kc.creationTime().map(KeyCredentialJson::time).orElse(null));
        m.put("lastLogonTime", kc.lastLogonTime().map(KeyCredentialJson::time).orElse(null));
        m.put("customKeyInfo", kc.customKeyInfo().map(KeyCredentialJson::customKeyInfo).orElse(null));
        m.put("keyMaterial", keyMaterial(kc.keyMaterial()));
        m.put("ownerDn", kc.ownerDn().orElse(null));
        List<Map<String, Object>> entries = new ArrayList<>();
        for (KeyCredentialEntry e : kc.entries()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", e.identifier());
            entry.put("name", e.name());
            entry.put("length", e.length());
            entries.add(entry);
        }
        m.put("entries", entries);
        return m;
    }

    private static String time(KeyTime t) {
        return t.instant().toString();
    }

    private static Map<String, Object> customKeyInfo(CustomKeyInformation c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", c.version());
        m.put("flags", c.flags());
        c.volumeType().ifPresent(v -> m.put("volumeType", v));
        c.supportsNotification().ifPresent(v -> m.put("supportsNotification", v != 0));
        c.fekKeyVersion().ifPresent(v -> m.put("fekKeyVersion", v));
        c.keyStrength().ifPresent(v -> m.put("keyStrength", v));
        if (c.reserved().length > 0) {
            m.put("reserved", Hex.encode(c.reserved()));
        }
        if (c.encodedExtendedInfo().length > 0) {
            m.put("encodedExtendedInfo", Hex.encode(c.encodedExtendedInfo()));
        }
        m.put("raw", Hex.encode(c.raw()));
        return m;
    }

    private static Map<String, Object> keyMaterial(KeyMaterial k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", k.format().name());
        m.put("rsaModulusBits", k.rsaModulusBits().isPresent() ? k.rsaModulusBits().getAsInt() : null);
        m.put("rsaExponent", k.rsaExponent().orElse(null));
        m.put("length", k.length());
        k.tpmVersion().ifPresent(v -> m.put("tpmVersion", v));
        return m;
    }
}
