package dev.keytrust.keycredential;

import dev.keytrust.ErrorCode;
import dev.keytrust.encoding.Hex;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One value of {@code msDS-KeyCredentialLink}: a KEYCREDENTIALLINK_BLOB ([MS-ADTS] 2.2.20) and, when it came
 * from a DN-Binary string, its owner DN. Immutable. The blob is kept byte for byte, so
 * {@link #toBlob()} of a decoded value returns exactly what was read, whatever the writer did (Entra ID's
 * values break several of the spec's MUSTs); typed views of each entry are read from it.
 *
 * <p>Validation is reported, not thrown: {@link #keyIdValid()} and {@link #keyHashValid()}.
 *
 * <pre>{@code
 * KeyCredential kc = KeyCredential.fromDnBinary(ldapValue);
 * kc.usage();            // NGC
 * kc.source();           // AzureAD
 * kc.keyHashValid();     // true
 * kc.keyMaterial().rsaModulusBits();   // OptionalInt[2048]
 *
 * KeyCredential built = KeyCredential.builder()
 *         .publicKey(rsaPublicKey)
 *         .ownerDn("CN=Alice,CN=Users,DC=corp,DC=example,DC=com")
 *         .deviceId(deviceId).creationTime(created).source(KeySource.AZURE_AD)
 *         .build();
 * String ldapValue = built.toDnBinary();
 * }</pre>
 */
public final class KeyCredential {
    /** Version 0x0 (legacy, entries padded to 4 bytes, times in .NET ticks). */
    public static final int VERSION_0 = 0x0;
    /** Version 0x100 (legacy, times in {@code DateTime.ToBinary()}). */
    public static final int VERSION_1 = 0x100;
    /** Version 0x200, the one Windows and Entra write. */
    public static final int VERSION_2 = 0x200;

    private final Decoded decoded;

    KeyCredential(Decoded decoded) {
        this.decoded = decoded;
    }

    /** What the decoder reads from a blob (a built value is decoded too), frozen into a {@link KeyCredential}. */
    record Decoded(byte[] blob, String ownerDn, int version, List<KeyCredentialEntry> entries, byte[] keyId, byte[] keyHash,
            KeyMaterial keyMaterial, KeyUsage usage, String legacyUsage, KeySource source, boolean sourcePresent,
            UUID deviceId, CustomKeyInformation customKeyInfo, KeyTime lastLogonTime, KeyTime creationTime,
            boolean keyHashValid, Boolean keyIdValid) {
        Decoded {
            entries = List.copyOf(entries);
        }
    }

    /**
     * Decodes a KEYCREDENTIALLINK_BLOB (versions 0x0, 0x100, 0x200) with no owner DN.
     *
     * @throws KeyCredentialFormatException naming the reason and byte offset if the blob cannot be read
     */
    public static KeyCredential fromBlob(byte[] blob) {
        return KeyCredentialDecoder.decode(Objects.requireNonNull(blob, "blob").clone(), null);
    }

    /**
     * Decodes a blob and records {@code ownerDn} (checked for DN syntax) as its owner.
     *
     * @throws KeyCredentialFormatException if the blob or the DN cannot be read
     */
    public static KeyCredential fromBlob(byte[] blob, String ownerDn) {
        DistinguishedNames.check(Objects.requireNonNull(ownerDn, "ownerDn"), 0);
        return KeyCredentialDecoder.decode(Objects.requireNonNull(blob, "blob").clone(), ownerDn);
    }

    /**
     * Decodes a DN-Binary string {@code B:<count>:<hex>:<DN>} as stored in {@code msDS-KeyCredentialLink}.
     *
     * @throws KeyCredentialFormatException naming the reason and offset (characters for the string's syntax,
     *     bytes for the blob inside it)
     */
    public static KeyCredential fromDnBinary(String value) {
        DnBinary parsed = DnBinary.parse(value);
        return KeyCredentialDecoder.decode(parsed.binary(), parsed.dn());
    }

    /**
     * Decodes whatever a user pasted: a DN-Binary string, a hex blob, or a base64 blob (standard or URL-safe
     * alphabet), with surrounding white space ignored.
     *
     * @throws KeyCredentialFormatException ({@code KEYCREDENTIAL_UNRECOGNISED_INPUT} if it is none of these)
     */
    public static KeyCredential parse(String input) {
        String s = Objects.requireNonNull(input, "input").strip();
        if (s.isEmpty()) {
            throw new KeyCredentialFormatException(ErrorCode.KEYCREDENTIAL_EMPTY, 0,
                    "expected a KeyCredential (DN-Binary B:<count>:<hex>:<DN>, hex or base64) but the input is empty");
        }
        if (s.length() > 1 && (s.charAt(0) == 'B' || s.charAt(0) == 'b') && s.charAt(1) == ':') {
            return fromDnBinary(s);
        }
        if (Hex.isHex(s)) {
            return fromBlobReadAs("hex", Hex.decodeUnchecked(s, 0, s.length()));
        }
        byte[] decoded;
        try {
            decoded = (s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(s);
        } catch (IllegalArgumentException e) {
            throw new KeyCredentialFormatException(ErrorCode.KEYCREDENTIAL_UNRECOGNISED_INPUT, -1,
                    "expected a DN-Binary string (B:<count>:<hex>:<DN>), hex digits or base64 but found '"
                            + DistinguishedNames.abbreviate(s) + "' (" + e.getMessage() + ")");
        }
        return fromBlobReadAs("base64", decoded);
    }

    /** Decodes a blob that was pasted as text; errors say how the text was read. */
    private static KeyCredential fromBlobReadAs(String how, byte[] blob) {
        try {
            return fromBlob(blob);
        } catch (KeyCredentialFormatException e) {
            throw new KeyCredentialFormatException(e.errorCode(), e.offset(),
                    e.getMessage() + " (input read as " + how + ", " + blob.length + " bytes)");
        }
    }

    /** A builder for a new value (the encoder). */
    public static KeyCredentialBuilder builder() {
        return new KeyCredentialBuilder();
    }

    /** The blob exactly as read, or as built. */
    public byte[] toBlob() {
        return decoded.blob().clone();
    }

    /** Length of the blob in bytes. */
    public int blobLength() {
        return decoded.blob().length;
    }

    /**
     * The DN-Binary string {@code B:<count>:<HEX>:<ownerDn>}.
     *
     * @throws IllegalStateException if this value has no owner DN (decoded from a bare blob)
     */
    public String toDnBinary() {
        if (decoded.ownerDn() == null) {
            throw new IllegalStateException("this KeyCredential has no owner DN; use withOwnerDn(dn) first");
        }
        return new DnBinary(decoded.blob(), decoded.ownerDn()).toString();
    }

    /** The same blob with another owner DN (checked for syntax). */
    public KeyCredential withOwnerDn(String dn) {
        return fromBlob(decoded.blob(), dn);
    }

    public int version() {
        return decoded.version();
    }

    /** Every entry in blob order, unknown ones included. */
    public List<KeyCredentialEntry> entries() {
        return decoded.entries();
    }

    /** Entries whose identifier [MS-ADTS] does not define; their bytes are kept verbatim in the blob. */
    public List<KeyCredentialEntry> unknownEntries() {
        return decoded.entries().stream().filter(KeyCredentialEntry::isUnknown).toList();
    }

    /** A copy of an entry's value bytes. */
    public byte[] entryValue(KeyCredentialEntry entry) {
        if (!decoded.entries().contains(entry)) {
            throw new IllegalArgumentException("entry " + entry + " does not belong to this KeyCredential");
        }
        return Arrays.copyOfRange(decoded.blob(), entry.valueOffset(), entry.valueOffset() + entry.length());
    }

    /** The KeyID entry: SHA-256 of the key material (or the credential id for FIDO keys). */
    public byte[] keyId() {
        return decoded.keyId().clone();
    }

    /** The KeyID in base64, how AD tools show it; also the key's fingerprint in logs. */
    public String keyIdBase64() {
        return Base64.getEncoder().encodeToString(decoded.keyId());
    }

    /** The KeyHash entry, if present (version 0x200 writers always include it). */
    public Optional<byte[]> keyHash() {
        return Optional.ofNullable(decoded.keyHash()).map(byte[]::clone);
    }

    public KeyMaterial keyMaterial() {
        return decoded.keyMaterial();
    }

    /** The KeyUsage entry, if it holds a one-byte usage. */
    public Optional<KeyUsage> usage() {
        return Optional.ofNullable(decoded.usage());
    }

    /** A legacy string usage (KeyUsage entry longer than one byte), if present. */
    public Optional<String> legacyUsage() {
        return Optional.ofNullable(decoded.legacyUsage());
    }

    /** The KeySource; {@link KeySource#AD} when the entry is absent, as Windows reads it. */
    public KeySource source() {
        return decoded.source();
    }

    /** Whether a KeySource entry is present (samba-tool, for one, omits it). */
    public boolean hasSourceEntry() {
        return decoded.sourcePresent();
    }

    public Optional<UUID> deviceId() {
        return Optional.ofNullable(decoded.deviceId());
    }

    public Optional<CustomKeyInformation> customKeyInfo() {
        return Optional.ofNullable(decoded.customKeyInfo());
    }

    public Optional<KeyTime> lastLogonTime() {
        return Optional.ofNullable(decoded.lastLogonTime());
    }

    public Optional<KeyTime> creationTime() {
        return Optional.ofNullable(decoded.creationTime());
    }

    /** The owner DN, or empty for a value decoded from a bare blob. */
    public Optional<String> ownerDn() {
        return Optional.ofNullable(decoded.ownerDn());
    }

    /** Whether KeyHash is present and equals SHA-256 of every byte after the KeyHash entry. */
    public boolean keyHashValid() {
        return decoded.keyHashValid();
    }

    /**
     * Whether KeyID equals SHA-256 of the key material; empty for FIDO keys, whose KeyID is the credential id.
     */
    public Optional<Boolean> keyIdValid() {
        return Optional.ofNullable(decoded.keyIdValid());
    }

    /** Whether this is a Windows Hello for Business key (usage NGC). */
    public boolean isNgc() {
        return KeyUsage.NGC.equals(decoded.usage());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyCredential other && Arrays.equals(decoded.blob(), other.decoded.blob())
                && Objects.equals(decoded.ownerDn(), other.decoded.ownerDn());
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(decoded.blob()) + Objects.hashCode(decoded.ownerDn());
    }

    /** A one-line summary that shows the key only by its KeyID. */
    @Override
    public String toString() {
        return "KeyCredential[keyId=" + keyIdBase64() + ", usage=" + (decoded.usage() != null ? decoded.usage() : decoded.legacyUsage())
                + ", source=" + decoded.source() + (decoded.deviceId() != null ? ", deviceId=" + decoded.deviceId() : "")
                + (decoded.creationTime() != null ? ", created=" + decoded.creationTime().instant() : "")
                + (decoded.ownerDn() != null ? ", owner=" + decoded.ownerDn() : "") + "]";
    }
}
