package dev.keytrust.keycredential;

/**
 * The KeyUsage entry (identifier 0x04) of a KeyCredential: what the key is for. Known codes have names
 * (ADMIN 0, NGC 1, STK 2, BITLOCKER_RECOVERY 3, OTHER 4, FIDO 7, FEK 8, DPAPI 9); any other code is kept and
 * named {@code UNKNOWN_0xNN}.
 *
 * <pre>{@code
 * KeyUsage.of(1).name();      // "NGC" — Windows Hello for Business
 * KeyUsage.of(0x42).name();   // "UNKNOWN_0x42"
 * }</pre>
 *
 * @param code the byte value, 0–255
 */
public record KeyUsage(int code) {
    public static final KeyUsage ADMIN = new KeyUsage(0);
    /** Next Generation Credential: a Windows Hello for Business key. */
    public static final KeyUsage NGC = new KeyUsage(1);
    /** Session transport key of a device. */
    public static final KeyUsage STK = new KeyUsage(2);
    public static final KeyUsage BITLOCKER_RECOVERY = new KeyUsage(3);
    public static final KeyUsage OTHER = new KeyUsage(4);
    public static final KeyUsage FIDO = new KeyUsage(7);
    /** File encryption key. */
    public static final KeyUsage FEK = new KeyUsage(8);
    public static final KeyUsage DPAPI = new KeyUsage(9);

    private static final String[] NAMES = {
        "ADMIN", "NGC", "STK", "BITLOCKER_RECOVERY", "OTHER", null, null, "FIDO", "FEK", "DPAPI"
    };

    public KeyUsage {
        if (code < 0 || code > 0xff) {
            throw new IllegalArgumentException("expected a key usage byte 0-255 but found " + code);
        }
    }

    /** The usage with this byte value. */
    public static KeyUsage of(int code) {
        return new KeyUsage(code);
    }

    /** The usage's name, or {@code UNKNOWN_0xNN} for an unassigned code. */
    public String name() {
        String name = code < NAMES.length ? NAMES[code] : null;
        return name != null ? name : String.format("UNKNOWN_0x%02X", code);
    }

    @Override
    public String toString() {
        return name();
    }
}
