package dev.keytrust.kdc.pac;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Little-endian NDR (MS-RPCE 2.2.6, NDR 2.0) output for the PAC's logon info: primitive values aligned to their
 * size, conformant(-varying) arrays, and referent ids for embedded pointers.
 */
final class NdrWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int nextReferent = 0x00020000;

    int size() {
        return out.size();
    }

    void align(int boundary) {
        while (out.size() % boundary != 0) {
            out.write(0);
        }
    }

    void u8(int value) {
        out.write(value & 0xff);
    }

    void u16(int value) {
        align(2);
        out.write(value & 0xff);
        out.write((value >>> 8) & 0xff);
    }

    void u32(long value) {
        align(4);
        for (int i = 0; i < 4; i++) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
    }

    /** A FILETIME: two ULONGs, low part first. */
    void fileTime(long value) {
        u32(value & 0xffffffffL);
        u32(value >>> 32);
    }

    void bytes(byte[] value) {
        out.write(value, 0, value.length);
    }

    /** A non-null embedded pointer's referent id, or 0 for a null pointer. */
    void pointer(boolean present) {
        u32(present ? nextReferent() : 0);
    }

    int nextReferent() {
        int id = nextReferent;
        nextReferent += 4;
        return id;
    }

    /** The header of an RPC_UNICODE_STRING; its characters follow later with {@link #stringChars}. */
    void stringHeader(String value) {
        int bytes = value.length() * 2;
        u16(bytes);
        u16(bytes);
        pointer(!value.isEmpty());
    }

    /** The deferred characters of a non-empty RPC_UNICODE_STRING (a conformant varying array). */
    void stringChars(String value) {
        if (value.isEmpty()) {
            return;
        }
        u32(value.length());
        u32(0);
        u32(value.length());
        bytes(value.getBytes(StandardCharsets.UTF_16LE));
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
