package dev.keytrust.keycredential;

import dev.keytrust.encoding.Hex;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * The CustomKeyInformation entry (identifier 0x07, [MS-ADTS] 2.2.20.2.1). Two shapes occur: the short one
 * (version and flags, 2 bytes, as Windows and DSInternals write it) and a longer one whose optional fields
 * are present as far as the value reaches: volume type, supports-notification, FEK key version, key strength
 * (one byte each), up to 10 reserved bytes, then extended information. Entra ID writes 4 to 6 bytes (and 15
 * for FIDO keys, with 9 reserved bytes) — this class reads what is there and keeps the bytes verbatim.
 *
 * <pre>{@code
 * CustomKeyInformation info = CustomKeyInformation.AZURE_AD_NGC;   // 01 00 00 01 00 00
 * info.supportsNotification();                                      // OptionalInt[1]
 * }</pre>
 */
public final class CustomKeyInformation {
    /** Flag 0x01: the key has attestation. */
    public static final int FLAG_ATTESTATION = 0x01;
    /** Flag 0x02: the key was created without multi-factor authentication. */
    public static final int FLAG_MFA_NOT_USED = 0x02;

    /** What DSInternals and Windows write for on-premises keys: version 1, no flags. */
    public static final CustomKeyInformation SHORT_V1 = new CustomKeyInformation(new byte[] {1, 0});
    /**
     * What Entra Connect writes for synced NGC keys today: version 1, no flags, volume type none,
     * supports notification, FEK key version 0, key strength unknown.
     */
    public static final CustomKeyInformation AZURE_AD_NGC = new CustomKeyInformation(new byte[] {1, 0, 0, 1, 0, 0});

    private static final int RESERVED_MAX = 10;

    private final byte[] raw;

    private CustomKeyInformation(byte[] raw) {
        this.raw = raw;
    }

    /**
     * Reads the entry value.
     *
     * @throws IllegalArgumentException if it is empty (a version byte is the least there can be)
     */
    public static CustomKeyInformation of(byte[] value) {
        if (value.length == 0) {
            throw new IllegalArgumentException("expected at least the version byte of CustomKeyInformation but the value is empty");
        }
        return new CustomKeyInformation(value.clone());
    }

    /** The value exactly as stored. */
    public byte[] raw() {
        return raw.clone();
    }

    public int version() {
        return raw[0] & 0xff;
    }

    /** The flags byte (0 if the value holds only a version). */
    public int flags() {
        return raw.length > 1 ? raw[1] & 0xff : 0;
    }

    public boolean hasFlag(int flag) {
        return (flags() & flag) != 0;
    }

    public OptionalInt volumeType() {
        return optionalByte(2);
    }

    public OptionalInt supportsNotification() {
        return optionalByte(3);
    }

    public OptionalInt fekKeyVersion() {
        return optionalByte(4);
    }

    public OptionalInt keyStrength() {
        return optionalByte(5);
    }

    /** The reserved bytes present (0 to 10). */
    public byte[] reserved() {
        if (raw.length <= 6) {
            return new byte[0];
        }
        return Arrays.copyOfRange(raw, 6, Math.min(raw.length, 6 + RESERVED_MAX));
    }

    /** Bytes after the reserved field (empty if none). */
    public byte[] encodedExtendedInfo() {
        int from = 6 + RESERVED_MAX;
        return raw.length <= from ? new byte[0] : Arrays.copyOfRange(raw, from, raw.length);
    }

    private OptionalInt optionalByte(int index) {
        return raw.length > index ? OptionalInt.of(raw[index] & 0xff) : OptionalInt.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CustomKeyInformation other && Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "CustomKeyInformation[" + Hex.encode(raw) + "]";
    }
}
