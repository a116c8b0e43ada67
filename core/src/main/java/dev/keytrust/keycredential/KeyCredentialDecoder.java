package dev.keytrust.keycredential;

import dev.keytrust.ErrorCode;
import dev.keytrust.encoding.LittleEndian;
import dev.keytrust.encoding.MsGuid;
import dev.keytrust.encoding.Sha256;
import dev.keytrust.encoding.WindowsTime;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Reads KEYCREDENTIALLINK_BLOBs. Bounded work (one pass plus two SHA-256), and only
 * {@link KeyCredentialFormatException} for bad input.
 */
final class KeyCredentialDecoder {
    private static final int ENTRY_HEADER = 3;
    private static final int V0_PACK = 4;

    private KeyCredentialDecoder() {
    }

    static KeyCredential decode(byte[] blob, String ownerDn) {
        if (blob.length == 0) {
            throw error(ErrorCode.KEYCREDENTIAL_EMPTY, 0, "expected a KEYCREDENTIALLINK_BLOB but it is empty");
        }
        if (blob.length < 4) {
            throw error(ErrorCode.KEYCREDENTIAL_TRUNCATED, 0, "expected a 4-byte version at byte 0 but the blob has only "
                    + blob.length + " byte(s)");
        }
        int version = LittleEndian.int32(blob, 0);
        if (version != KeyCredential.VERSION_0 && version != KeyCredential.VERSION_1 && version != KeyCredential.VERSION_2) {
            throw error(ErrorCode.KEYCREDENTIAL_UNSUPPORTED_VERSION, 0, String.format(
                    "expected version 0x0, 0x100 or 0x200 at byte 0 but found 0x%X; this is not a KEYCREDENTIALLINK_BLOB",
                    version & 0xffffffffL));
        }
        List<KeyCredentialEntry> entries = new ArrayList<>();
        byte[] keyHash = null;
        KeyUsage usage = null;
        String legacyUsage = null;
        KeySource source = KeySource.AD;
        boolean sourcePresent = false;
        UUID deviceId = null;
        CustomKeyInformation customKeyInfo = null;
        long lastLogonRaw = 0;
        long creationRaw = 0;
        boolean hasLastLogon = false;
        boolean hasCreation = false;
        int keyIdOffset = -1;
        int keyIdLength = 0;
        int keyHashEnd = -1;
        int materialOffset = -1;
        int materialLength = 0;
        boolean[] seen = new boolean[256];
        int pos = 4;
        while (pos < blob.length) {
            int remaining = blob.length - pos;
            if (remaining < ENTRY_HEADER) {
                throw error(ErrorCode.KEYCREDENTIAL_TRUNCATED, pos, "expected a 3-byte entry header at byte " + pos
                        + " but only " + remaining + " byte(s) remain");
            }
            int length = LittleEndian.uint16(blob, pos);
            int id = blob[pos + 2] & 0xff;
            int value = pos + ENTRY_HEADER;
            if (length > blob.length - value) {
                throw error(ErrorCode.KEYCREDENTIAL_ENTRY_PAST_END, pos, "entry " + EntryType.name(id) + " at byte " + pos
                        + " declares " + length + " value bytes but only " + (blob.length - value) + " remain");
            }
            if (seen[id]) {
                throw error(ErrorCode.KEYCREDENTIAL_DUPLICATE_ENTRY, pos, "entry " + EntryType.name(id)
                        + " occurs a second time at byte " + pos + "; each identifier may occur once");
            }
            seen[id] = true;
            entries.add(new KeyCredentialEntry(id, value, length));
            switch (id) {
                case EntryType.KEY_ID -> {
                    if (length == 0) {
                        throw badLength(id, pos, "at least 1", length);
                    }
                    keyIdOffset = value;
                    keyIdLength = length;
                }
                case EntryType.KEY_HASH -> {
                    keyHash = Arrays.copyOfRange(blob, value, value + length);
                    keyHashEnd = value + length;
                }
                case EntryType.KEY_MATERIAL -> {
                    materialOffset = value;
                    materialLength = length;
                }
                case EntryType.KEY_USAGE -> {
                    if (length == 1) {
                        usage = KeyUsage.of(blob[value] & 0xff);
                    } else {
                        legacyUsage = new String(blob, value, length, StandardCharsets.UTF_8);
                    }
                }
                case EntryType.KEY_SOURCE -> {
                    if (length != 1) {
                        throw badLength(id, pos, "1", length);
                    }
                    source = KeySource.of(blob[value] & 0xff);
                    sourcePresent = true;
                }
                case EntryType.DEVICE_ID -> {
                    if (length != MsGuid.LENGTH) {
                        throw badLength(id, pos, "16", length);
                    }
                    deviceId = MsGuid.fromBytes(blob, value);
                }
                case EntryType.CUSTOM_KEY_INFORMATION -> {
                    if (length == 0) {
                        throw badLength(id, pos, "at least 1", length);
                    }
                    customKeyInfo = CustomKeyInformation.of(Arrays.copyOfRange(blob, value, value + length));
                }
                case EntryType.KEY_APPROXIMATE_LAST_LOGON_TIMESTAMP -> {
                    if (length != 8) {
                        throw badLength(id, pos, "8", length);
                    }
                    lastLogonRaw = LittleEndian.int64(blob, value);
                    hasLastLogon = true;
                }
                case EntryType.KEY_CREATION_TIME -> {
                    if (length != 8) {
                        throw badLength(id, pos, "8", length);
                    }
                    creationRaw = LittleEndian.int64(blob, value);
                    hasCreation = true;
                }
                default -> {
                    // Unknown entries are kept verbatim (they stay in the blob and in entries()).
                }
            }
            pos = value + length;
            if (version == KeyCredential.VERSION_0) {
                // Legacy version 0 aligned each entry to 4 bytes; padding may be cut short at the very end.
                pos = Math.min(blob.length, pos + (V0_PACK - length % V0_PACK) % V0_PACK);
            }
        }
        if (keyIdOffset < 0) {
            throw error(ErrorCode.KEYCREDENTIAL_MISSING_ENTRY, blob.length,
                    "expected a KeyID entry (0x01) but the blob has none; a KeyCredential is identified by it");
        }
        if (materialOffset < 0) {
            throw error(ErrorCode.KEYCREDENTIAL_MISSING_ENTRY, blob.length,
                    "expected a KeyMaterial entry (0x03) but the blob has none; a KeyCredential must carry a public key");
        }
        byte[] keyId = Arrays.copyOfRange(blob, keyIdOffset, keyIdOffset + keyIdLength);
        KeyMaterial keyMaterial = KeyMaterial.describe(Arrays.copyOfRange(blob, materialOffset, materialOffset + materialLength));
        KeyTime.Encoding encoding = timeEncoding(version, source);
        KeyTime lastLogonTime = hasLastLogon ? time(lastLogonRaw, encoding) : null;
        KeyTime creationTime = hasCreation ? time(creationRaw, encoding) : null;
        boolean keyHashValid = keyHash != null && keyHash.length == Sha256.LENGTH
                && Sha256.matches(keyHash, blob, keyHashEnd, blob.length - keyHashEnd);
        Boolean keyIdValid = KeyUsage.FIDO.equals(usage) ? null
                : keyIdLength == Sha256.LENGTH && Sha256.matches(keyId, blob, materialOffset, materialLength);
        return new KeyCredential(new KeyCredential.Decoded(blob, ownerDn, version, entries, keyId, keyHash, keyMaterial, usage,
                legacyUsage, source, sourcePresent, deviceId, customKeyInfo, lastLogonTime, creationTime, keyHashValid, keyIdValid));
    }

    static KeyTime.Encoding timeEncoding(int version, KeySource source) {
        if (version == KeyCredential.VERSION_0) {
            return KeyTime.Encoding.DOTNET_TICKS;
        }
        if (version == KeyCredential.VERSION_1) {
            return KeyTime.Encoding.DOTNET_BINARY;
        }
        return KeySource.AD.equals(source) ? KeyTime.Encoding.FILETIME : KeyTime.Encoding.DOTNET_BINARY;
    }

    static KeyTime time(long raw, KeyTime.Encoding encoding) {
        return new KeyTime(raw, encoding, switch (encoding) {
            case FILETIME -> WindowsTime.fromFileTime(raw);
            case DOTNET_BINARY -> WindowsTime.fromDotNetBinary(raw);
            case DOTNET_TICKS -> WindowsTime.fromDotNetTicks(raw);
        });
    }

    private static KeyCredentialFormatException badLength(int id, int pos, String expected, int found) {
        return error(ErrorCode.KEYCREDENTIAL_BAD_ENTRY_LENGTH, pos, "entry " + EntryType.name(id) + " at byte " + pos
                + " must have " + expected + " value byte(s) but has " + found);
    }

    private static KeyCredentialFormatException error(ErrorCode code, int offset, String message) {
        return new KeyCredentialFormatException(code, offset, "cannot decode KeyCredential: " + message);
    }
}
