package dev.keytrust.encoding;

import java.util.UUID;

/**
 * Microsoft's GUID byte order ("mixed-endian"): the first three fields little-endian, the last eight bytes as
 * they are. This is how {@code objectGUID}, the DeviceId of a KeyCredential and {@code System.Guid.ToByteArray()}
 * lay a GUID out in memory.
 *
 * <pre>{@code
 * UUID id = MsGuid.fromBytes(Hex.decode("E377F547D0D20A4A8ACAE0501098BDE4"));
 * // 47f577e3-d2d0-4a0a-8aca-e0501098bde4
 * }</pre>
 */
public final class MsGuid {
    /** Length of a GUID in bytes. */
    public static final int LENGTH = 16;

    private MsGuid() {
    }

    /** Reads 16 bytes at {@code offset} in Microsoft order. */
    public static UUID fromBytes(byte[] bytes, int offset) {
        if (offset < 0 || bytes.length - offset < LENGTH) {
            throw new IllegalArgumentException(
                    "expected 16 GUID bytes at offset " + offset + " but only " + Math.max(0, bytes.length - offset)
                            + " remain");
        }
        long msb = 0;
        msb |= (long) LittleEndian.int32(bytes, offset) << 32;
        msb |= (long) LittleEndian.uint16(bytes, offset + 4) << 16;
        msb |= LittleEndian.uint16(bytes, offset + 6);
        long lsb = 0;
        for (int i = 8; i < 16; i++) {
            lsb = (lsb << 8) | (bytes[offset + i] & 0xff);
        }
        return new UUID(msb, lsb);
    }

    /** Reads a 16-byte array in Microsoft order. */
    public static UUID fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("expected 16 GUID bytes but found " + bytes.length);
        }
        return fromBytes(bytes, 0);
    }

    /** The 16 bytes of {@code uuid} in Microsoft order. */
    public static byte[] toBytes(UUID uuid) {
        byte[] out = new byte[LENGTH];
        long msb = uuid.getMostSignificantBits();
        long lsb = uuid.getLeastSignificantBits();
        LittleEndian.putInt32(out, 0, (int) (msb >>> 32));
        LittleEndian.putUint16(out, 4, (int) (msb >>> 16) & 0xffff);
        LittleEndian.putUint16(out, 6, (int) msb & 0xffff);
        for (int i = 15; i >= 8; i--) {
            out[i] = (byte) lsb;
            lsb >>>= 8;
        }
        return out;
    }
}
