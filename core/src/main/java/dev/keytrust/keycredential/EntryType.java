package dev.keytrust.keycredential;

/** KEYCREDENTIALLINK_ENTRY identifiers ([MS-ADTS] 2.2.20.3) and their names. */
public final class EntryType {
    public static final int KEY_ID = 0x01;
    public static final int KEY_HASH = 0x02;
    public static final int KEY_MATERIAL = 0x03;
    public static final int KEY_USAGE = 0x04;
    public static final int KEY_SOURCE = 0x05;
    public static final int DEVICE_ID = 0x06;
    public static final int CUSTOM_KEY_INFORMATION = 0x07;
    public static final int KEY_APPROXIMATE_LAST_LOGON_TIMESTAMP = 0x08;
    public static final int KEY_CREATION_TIME = 0x09;

    private static final String[] NAMES = {
        null, "KeyID", "KeyHash", "KeyMaterial", "KeyUsage", "KeySource", "DeviceId", "CustomKeyInformation",
        "KeyApproximateLastLogonTimeStamp", "KeyCreationTime"
    };

    private EntryType() {
    }

    /** The [MS-ADTS] name of an identifier, or {@code Unknown_0xNN}. */
    public static String name(int identifier) {
        String name = identifier > 0 && identifier < NAMES.length ? NAMES[identifier] : null;
        return name != null ? name : String.format("Unknown_0x%02X", identifier);
    }

    /** Whether the identifier is one of the nine defined by [MS-ADTS]. */
    public static boolean isKnown(int identifier) {
        return identifier > 0 && identifier < NAMES.length;
    }
}
