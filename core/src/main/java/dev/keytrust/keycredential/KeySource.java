package dev.keytrust.keycredential;

/**
 * The KeySource entry (identifier 0x05): who wrote the key. {@code AD} (0) for keys written on-premises
 * (Windows, DSInternals, samba-tool); {@code AzureAD} (1) for keys Entra Connect synced from Entra ID. The
 * source also decides how times are encoded: FILETIME for AD, {@code DateTime.ToBinary()} otherwise.
 *
 * <pre>{@code
 * KeySource.AZURE_AD.name();   // "AzureAD"
 * }</pre>
 *
 * @param code the byte value, 0–255
 */
public record KeySource(int code) {
    public static final KeySource AD = new KeySource(0);
    public static final KeySource AZURE_AD = new KeySource(1);

    public KeySource {
        if (code < 0 || code > 0xff) {
            throw new IllegalArgumentException("expected a key source byte 0-255 but found " + code);
        }
    }

    /** The source with this byte value. */
    public static KeySource of(int code) {
        return new KeySource(code);
    }

    /**
     * Parses {@code AD} or {@code AzureAD} (case-insensitive; {@code Azure_AD} and {@code AAD} also accepted).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static KeySource parse(String text) {
        String t = text.trim().replace("_", "").replace("-", "");
        if (t.equalsIgnoreCase("AD")) {
            return AD;
        }
        if (t.equalsIgnoreCase("AzureAD") || t.equalsIgnoreCase("AAD") || t.equalsIgnoreCase("Entra")) {
            return AZURE_AD;
        }
        throw new IllegalArgumentException("expected a key source AD or AzureAD but found '" + text + "'");
    }

    /** {@code AD}, {@code AzureAD}, or {@code UNKNOWN_0xNN}. */
    public String name() {
        return switch (code) {
            case 0 -> "AD";
            case 1 -> "AzureAD";
            default -> String.format("UNKNOWN_0x%02X", code);
        };
    }

    @Override
    public String toString() {
        return name();
    }
}
