package dev.keytrust.keycredential;

import java.time.Instant;
import java.util.Objects;

/**
 * A time entry of a KeyCredential (creation time 0x09, approximate last logon 0x08): the raw 64-bit value as
 * stored, how it was read, and the instant it stands for.
 *
 * @param raw the little-endian 64-bit value exactly as stored
 * @param encoding how {@code raw} was interpreted
 * @param instant the instant it stands for
 */
public record KeyTime(long raw, Encoding encoding, Instant instant) {
    /** How a KeyCredential time is encoded. */
    public enum Encoding {
        /** Ticks since 1601 (KeySource AD, version 0x200). */
        FILETIME,
        /** {@code DateTime.ToBinary()} (KeySource Azure AD, and version 0x100). */
        DOTNET_BINARY,
        /** {@code DateTime.Ticks} (version 0x0). */
        DOTNET_TICKS
    }

    public KeyTime {
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(instant, "instant");
    }
}
