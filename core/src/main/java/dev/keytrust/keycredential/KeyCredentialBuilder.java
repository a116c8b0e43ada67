package dev.keytrust.keycredential;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.encoding.LittleEndian;
import dev.keytrust.encoding.MsGuid;
import dev.keytrust.encoding.Sha256;
import dev.keytrust.encoding.WindowsTime;
import java.io.ByteArrayOutputStream;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Builds a new msDS-KeyCredentialLink value (the encoder), validated when {@link #build()} is called.
 *
 * <p>Shapes, by {@link #source(KeySource)}:
 * <ul>
 *   <li>{@link KeySource#AD} (default) — as DSInternals and Windows write it: CustomKeyInformation {@code 01 00},
 *       last-logon time equal to the creation time, times as FILETIME.</li>
 *   <li>{@link KeySource#AZURE_AD} — as Entra Connect writes synced WHfB keys: CustomKeyInformation
 *       {@code 01 00 00 01 00 00} (supports notification), Entra's fixed last-logon placeholder, times as
 *       {@code DateTime.ToBinary()} with kind UTC.</li>
 * </ul>
 * Both: version 0x200, KeyID = SHA-256 of the key material, KeyHash over the entries after it, usage NGC
 * (changeable with {@link #usage(KeyUsage)}), DeviceId only when given.
 *
 * <p>Defaults: source AD, usage NGC, no device id. Required: key material, owner DN, creation time.
 *
 * <pre>{@code
 * KeyCredential kc = KeyCredential.builder()
 *         .publicKey(rsaPublicKey)                          // stored as a BCRYPT RSA1 blob
 *         .ownerDn("CN=Alice,CN=Users,DC=corp,DC=example,DC=com")
 *         .deviceId(UUID.fromString("47f577e3-d2d0-4a0a-8aca-e0501098bde4"))
 *         .creationTime(clock.instant())
 *         .source(KeySource.AZURE_AD)
 *         .build();
 * }</pre>
 */
public final class KeyCredentialBuilder {
    /**
     * The last-logon value Entra ID writes into synced keys: {@code DateTime.ToBinary()} of
     * 0001-01-01T08:00:00 with kind UTC (bytes {@code 00 40 23 0E 43 00 00 40}).
     */
    public static final long AZURE_AD_LAST_LOGON_PLACEHOLDER = 0x4000_0043_0E23_4000L;

    private byte[] keyMaterial;
    private String ownerDn;
    private UUID deviceId;
    private Instant creationTime;
    private KeySource source = KeySource.AD;
    private KeyUsage usage = KeyUsage.NGC;

    KeyCredentialBuilder() {
    }

    /** The key as an RSA public key; stored as a BCRYPT_RSAPUBLIC_BLOB ("RSA1"), as WHfB user keys are. */
    public KeyCredentialBuilder publicKey(RSAPublicKey key) {
        this.keyMaterial = KeyMaterial.rsa1Blob(Objects.requireNonNull(key, "key"));
        return this;
    }

    /**
     * The key as encoded bytes: an RSA1 blob (kept byte for byte), or DER SubjectPublicKeyInfo / PKCS#1 /
     * PEM text bytes (converted to an RSA1 blob).
     *
     * @throws KeyTrustException ({@code PUBLIC_KEY_UNREADABLE}) if the bytes are not an RSA public key
     */
    public KeyCredentialBuilder publicKey(byte[] encoded) {
        Objects.requireNonNull(encoded, "encoded");
        KeyMaterial material = KeyMaterial.describe(encoded);
        if (material.format() == KeyMaterial.Format.RSA1 && material.rsaPublicKey().isPresent()) {
            this.keyMaterial = material.bytes();
        } else {
            this.keyMaterial = KeyMaterial.rsa1Blob(PublicKeys.readRsa(encoded));
        }
        return this;
    }

    /** Key material stored exactly as given, in whatever format (no conversion, no check). */
    public KeyCredentialBuilder rawKeyMaterial(byte[] material) {
        this.keyMaterial = Objects.requireNonNull(material, "material").clone();
        return this;
    }

    /** The DN of the object that owns the key (the user's own DN for a user key). Required. */
    public KeyCredentialBuilder ownerDn(String dn) {
        this.ownerDn = dn;
        return this;
    }

    /** The device the key was registered from; {@code null} (the default) omits the entry. */
    public KeyCredentialBuilder deviceId(UUID id) {
        this.deviceId = id;
        return this;
    }

    /** When the key was created (stored to 100 ns). Required: take it from the testbed clock. */
    public KeyCredentialBuilder creationTime(Instant time) {
        this.creationTime = time;
        return this;
    }

    /** {@link KeySource#AD} (default) or {@link KeySource#AZURE_AD}. */
    public KeyCredentialBuilder source(KeySource source) {
        this.source = Objects.requireNonNull(source, "source");
        return this;
    }

    /** Key usage; default {@link KeyUsage#NGC}. */
    public KeyCredentialBuilder usage(KeyUsage usage) {
        this.usage = Objects.requireNonNull(usage, "usage");
        return this;
    }

    /**
     * Validates the settings and encodes the value.
     *
     * @throws KeyTrustException ({@code INVALID_CONFIGURATION} or {@code INVALID_DN}) naming what is missing or wrong
     */
    public KeyCredential build() {
        if (keyMaterial == null) {
            throw invalid("no key material: call publicKey(...) or rawKeyMaterial(...)");
        }
        if (keyMaterial.length == 0 || keyMaterial.length > 0xffff) {
            throw invalid("key material must be 1 to 65535 bytes but is " + keyMaterial.length);
        }
        if (ownerDn == null || ownerDn.isBlank()) {
            throw invalid("no owner DN: call ownerDn(\"CN=...,DC=...\") with the DN of the key's owner");
        }
        DistinguishedNames.check(ownerDn, 0);
        if (creationTime == null) {
            throw invalid("no creation time: call creationTime(clock.instant())");
        }
        if (!KeySource.AD.equals(source) && !KeySource.AZURE_AD.equals(source)) {
            throw invalid("source must be AD or AzureAD but is " + source);
        }
        boolean azure = KeySource.AZURE_AD.equals(source);
        long created = azure ? WindowsTime.toDotNetBinaryUtc(creationTime) : WindowsTime.toFileTime(creationTime);
        long lastLogon = azure ? AZURE_AD_LAST_LOGON_PLACEHOLDER : created;
        CustomKeyInformation info = azure ? CustomKeyInformation.AZURE_AD_NGC : CustomKeyInformation.SHORT_V1;

        ByteArrayOutputStream hashed = new ByteArrayOutputStream(keyMaterial.length + 64);
        entry(hashed, EntryType.KEY_MATERIAL, keyMaterial);
        entry(hashed, EntryType.KEY_USAGE, new byte[] {(byte) usage.code()});
        entry(hashed, EntryType.KEY_SOURCE, new byte[] {(byte) source.code()});
        if (deviceId != null) {
            entry(hashed, EntryType.DEVICE_ID, MsGuid.toBytes(deviceId));
        }
        entry(hashed, EntryType.CUSTOM_KEY_INFORMATION, info.raw());
        entry(hashed, EntryType.KEY_APPROXIMATE_LAST_LOGON_TIMESTAMP, int64(lastLogon));
        entry(hashed, EntryType.KEY_CREATION_TIME, int64(created));
        byte[] tail = hashed.toByteArray();

        ByteArrayOutputStream blob = new ByteArrayOutputStream(tail.length + 80);
        byte[] version = new byte[4];
        LittleEndian.putInt32(version, 0, KeyCredential.VERSION_2);
        blob.writeBytes(version);
        entry(blob, EntryType.KEY_ID, Sha256.hash(keyMaterial, 0, keyMaterial.length));
        entry(blob, EntryType.KEY_HASH, Sha256.hash(tail, 0, tail.length));
        blob.writeBytes(tail);
        return KeyCredentialDecoder.decode(blob.toByteArray(), ownerDn);
    }

    private static void entry(ByteArrayOutputStream out, int id, byte[] value) {
        out.write(value.length & 0xff);
        out.write(value.length >>> 8);
        out.write(id);
        out.writeBytes(value);
    }

    private static byte[] int64(long v) {
        byte[] b = new byte[8];
        LittleEndian.putInt64(b, 0, v);
        return b;
    }

    private static KeyTrustException invalid(String message) {
        return new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "cannot build KeyCredential: " + message);
    }
}
