package dev.keytrust.encoding;

import java.time.Instant;

/**
 * Windows and .NET time encodings, all in 100-nanosecond ticks.
 *
 * <ul>
 *   <li>FILETIME: ticks since 1601-01-01T00:00:00Z (what AD writes into KeyCredentials and {@code whenCreated}
 *       style 64-bit attributes).</li>
 *   <li>.NET ticks: ticks since 0001-01-01T00:00:00 ({@code DateTime.Ticks}).</li>
 *   <li>.NET {@code DateTime.ToBinary()}: ticks in the low 62 bits and the {@code DateTimeKind} in the top two
 *       (0 unspecified, 1 UTC, 2 or 3 local) — what Entra ID writes into KeyCredentials it syncs.</li>
 * </ul>
 *
 * <pre>{@code
 * Instant t = WindowsTime.fromFileTime(131734027581684545L);   // 2018-06-13T22:32:38.1684545Z
 * long raw = WindowsTime.toDotNetBinaryUtc(t);                 // kind UTC
 * }</pre>
 */
public final class WindowsTime {
    /** Seconds from 1601-01-01 to 1970-01-01. */
    private static final long FILETIME_EPOCH_OFFSET_SECONDS = 11_644_473_600L;
    /** Seconds from 0001-01-01 to 1970-01-01. */
    private static final long DOTNET_EPOCH_OFFSET_SECONDS = 62_135_596_800L;
    private static final long TICKS_PER_SECOND = 10_000_000L;
    private static final long TICKS_MASK = 0x3FFF_FFFF_FFFF_FFFFL;
    private static final long KIND_UTC = 0x4000_0000_0000_0000L;
    /** Largest valid .NET tick count (9999-12-31T23:59:59.9999999). */
    private static final long DOTNET_MAX_TICKS = 3_155_378_975_999_999_999L;

    private WindowsTime() {
    }

    /** The instant of a FILETIME. Any 64-bit value maps to an instant (years -27627 to 30828). */
    public static Instant fromFileTime(long fileTime) {
        return fromTicks(fileTime, FILETIME_EPOCH_OFFSET_SECONDS);
    }

    /** The FILETIME of {@code instant}, truncated to 100 ns. */
    public static long toFileTime(Instant instant) {
        return toTicks(instant, FILETIME_EPOCH_OFFSET_SECONDS);
    }

    /** The instant of .NET ticks ({@code DateTime.Ticks}), read as UTC. */
    public static Instant fromDotNetTicks(long ticks) {
        return fromTicks(ticks, DOTNET_EPOCH_OFFSET_SECONDS);
    }

    /** .NET ticks of {@code instant}, truncated to 100 ns. */
    public static long toDotNetTicks(Instant instant) {
        return toTicks(instant, DOTNET_EPOCH_OFFSET_SECONDS);
    }

    /**
     * The instant of a {@code DateTime.ToBinary()} value. The kind bits are dropped and the ticks read as UTC
     * (a local-kind value carries no offset; reading it as UTC is the only deterministic choice).
     */
    public static Instant fromDotNetBinary(long binary) {
        long ticks = binary & TICKS_MASK;
        if (ticks > DOTNET_MAX_TICKS) {
            // .NET stores negative local ticks this way; fold them back as DateTime.FromBinary does.
            ticks -= 0x4000_0000_0000_0000L;
        }
        return fromDotNetTicks(ticks);
    }

    /** The {@code DateTimeKind} bits (0 unspecified, 1 UTC, 2 or 3 local) of a {@code ToBinary()} value. */
    public static int dotNetBinaryKind(long binary) {
        return (int) (binary >>> 62);
    }

    /** {@code DateTime.ToBinary()} of {@code instant} with kind UTC, truncated to 100 ns. */
    public static long toDotNetBinaryUtc(Instant instant) {
        return toDotNetTicks(instant) | KIND_UTC;
    }

    private static Instant fromTicks(long ticks, long epochOffsetSeconds) {
        long seconds = Math.floorDiv(ticks, TICKS_PER_SECOND);
        long nanos = Math.floorMod(ticks, TICKS_PER_SECOND) * 100;
        return Instant.ofEpochSecond(seconds - epochOffsetSeconds, nanos);
    }

    private static long toTicks(Instant instant, long epochOffsetSeconds) {
        long seconds = Math.addExact(instant.getEpochSecond(), epochOffsetSeconds);
        return Math.addExact(Math.multiplyExact(seconds, TICKS_PER_SECOND), instant.getNano() / 100);
    }
}
