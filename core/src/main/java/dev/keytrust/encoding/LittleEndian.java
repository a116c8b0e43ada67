package dev.keytrust.encoding;

/** Little-endian reads and writes on byte arrays; the caller checks bounds. */
public final class LittleEndian {
    private LittleEndian() {
    }

    public static int uint16(byte[] b, int offset) {
        return (b[offset] & 0xff) | (b[offset + 1] & 0xff) << 8;
    }

    public static int int32(byte[] b, int offset) {
        return (b[offset] & 0xff) | (b[offset + 1] & 0xff) << 8 | (b[offset + 2] & 0xff) << 16
                | (b[offset + 3] & 0xff) << 24;
    }

    public static long uint32(byte[] b, int offset) {
        return int32(b, offset) & 0xffffffffL;
    }

    public static long int64(byte[] b, int offset) {
        return (uint32(b, offset)) | (uint32(b, offset + 4) << 32);
    }

    public static void putUint16(byte[] b, int offset, int value) {
        b[offset] = (byte) value;
        b[offset + 1] = (byte) (value >>> 8);
    }

    public static void putInt32(byte[] b, int offset, int value) {
        for (int i = 0; i < 4; i++) {
            b[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    public static void putInt64(byte[] b, int offset, long value) {
        for (int i = 0; i < 8; i++) {
            b[offset + i] = (byte) (value >>> (8 * i));
        }
    }
}
