package dev.keytrust.keycredential;

/**
 * Where one KEYCREDENTIALLINK_ENTRY sits in its blob. The value bytes are read with
 * {@link KeyCredential#entryValue(KeyCredentialEntry)}.
 *
 * @param identifier the entry's identifier byte (see {@link EntryType})
 * @param valueOffset the byte offset of the value inside the blob
 * @param length the value's length in bytes
 */
public record KeyCredentialEntry(int identifier, int valueOffset, int length) {
    /** The [MS-ADTS] name of the identifier, or {@code Unknown_0xNN}. */
    public String name() {
        return EntryType.name(identifier);
    }

    /** Whether the identifier is not one of the nine [MS-ADTS] defines (such entries are kept verbatim). */
    public boolean isUnknown() {
        return !EntryType.isKnown(identifier);
    }
}
