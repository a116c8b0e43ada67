package dev.keytrust.keycredential;

import dev.keytrust.ErrorCode;
import dev.keytrust.encoding.Der;
import dev.keytrust.encoding.LittleEndian;
import dev.keytrust.encoding.Sha256;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The KeyMaterial entry (identifier 0x03) of a KeyCredential, recognised and described. Formats seen in real
 * data: {@link Format#RSA1} (BCRYPT_RSAPUBLIC_BLOB, user NGC keys including Entra-synced ones),
 * {@link Format#PKCS1} (DER RSAPublicKey, computer keys), {@link Format#SPKI} (DER SubjectPublicKeyInfo, from
 * samba-tool), {@link Format#TPM_PCPM} (a TPM key blob), {@link Format#FIDO_JSON} (FIDO2 key JSON). For the RSA
 * forms, and TPM 2.0 RSA keys, the modulus size and exponent are read.
 *
 * <p>Describing never fails: bytes that match no format are {@link Format#UNKNOWN}.
 *
 * <pre>{@code
 * KeyMaterial m = KeyMaterial.describe(bytes);
 * m.format();            // RSA1
 * m.rsaModulusBits();    // OptionalInt[2048]
 * RSAPublicKey k = m.rsaPublicKey().orElseThrow();
 * }</pre>
 */
public final class KeyMaterial {
    /** A recognised key material format. */
    public enum Format {
        /** BCRYPT_RSAPUBLIC_BLOB: "RSA1" magic, little-endian header, big-endian exponent and modulus. */
        RSA1,
        /** DER PKCS#1 RSAPublicKey. */
        PKCS1,
        /** DER X.509 SubjectPublicKeyInfo (rsaEncryption, or another algorithm without RSA details). */
        SPKI,
        /** A Microsoft Platform Crypto Provider TPM key blob ("PCPM" magic). */
        TPM_PCPM,
        /** A FIDO2 key as JSON ({@code {"version":1,"authData":...}}). */
        FIDO_JSON,
        /** Anything else. */
        UNKNOWN
    }

    private static final int RSA1_MAGIC = 0x31415352; // "RSA1"
    private static final int PCPM_MAGIC = 0x4D504350; // "PCPM"
    private static final int RSA1_HEADER = 24;
    private static final int TPM_ALG_RSA = 0x0001;
    private static final int TPM_ALG_NULL = 0x0010;

    private final byte[] bytes;
    private final Format format;
    private final int modulusOffset;
    private final int modulusLength;
    private final BigInteger exponent;
    private final OptionalInt tpmVersion;

    private KeyMaterial(byte[] bytes, Format format, int modulusOffset, int modulusLength, BigInteger exponent,
            OptionalInt tpmVersion) {
        this.bytes = bytes;
        this.format = format;
        this.modulusOffset = modulusOffset;
        this.modulusLength = modulusLength;
        this.exponent = exponent;
        this.tpmVersion = tpmVersion;
    }

    /** Recognises {@code bytes}; never throws for any input. */
    public static KeyMaterial describe(byte[] bytes) {
        byte[] b = bytes.clone();
        KeyMaterial m = tryRsa1(b);
        if (m == null) {
            m = tryDer(b);
        }
        if (m == null) {
            m = tryTpm(b);
        }
        if (m == null) {
            m = tryFidoJson(b);
        }
        return m != null ? m : new KeyMaterial(b, Format.UNKNOWN, -1, 0, null, OptionalInt.empty());
    }

    /** The BCRYPT_RSAPUBLIC_BLOB of an RSA public key, as Windows stores user NGC keys. */
    public static byte[] rsa1Blob(RSAPublicKey key) {
        byte[] modulus = unsigned(key.getModulus());
        byte[] exponent = unsigned(key.getPublicExponent());
        byte[] out = new byte[RSA1_HEADER + exponent.length + modulus.length];
        LittleEndian.putInt32(out, 0, RSA1_MAGIC);
        LittleEndian.putInt32(out, 4, key.getModulus().bitLength());
        LittleEndian.putInt32(out, 8, exponent.length);
        LittleEndian.putInt32(out, 12, modulus.length);
        System.arraycopy(exponent, 0, out, RSA1_HEADER, exponent.length);
        System.arraycopy(modulus, 0, out, RSA1_HEADER + exponent.length, modulus.length);
        return out;
    }

    /**
     * The KeyID of {@code material} as AD tools show it: the base64 of its SHA-256, what a KeyCredential built from
     * it holds in its KeyID entry (also the key's fingerprint in logs and on the command line).
     */
    public static String keyIdBase64(byte[] material) {
        return Base64.getEncoder().encodeToString(Sha256.hash(material, 0, material.length));
    }

    /** The DER SubjectPublicKeyInfo of an RSA public key given as modulus and exponent. */
    static byte[] spki(BigInteger modulus, BigInteger exponent) {
        byte[] pkcs1 = Der.sequence(Der.integer(modulus), Der.integer(exponent));
        byte[] bitString = new byte[pkcs1.length + 1];
        System.arraycopy(pkcs1, 0, bitString, 1, pkcs1.length);
        byte[] algorithm = Der.sequence(Der.tlv(Der.OID, Der.RSA_ENCRYPTION_OID), Der.tlv(Der.NULL, new byte[0]));
        return Der.sequence(algorithm, Der.tlv(Der.BIT_STRING, bitString));
    }

    public Format format() {
        return format;
    }

    /** Length of the key material in bytes. */
    public int length() {
        return bytes.length;
    }

    /** The key material exactly as stored. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Whether an RSA modulus and exponent were read. */
    public boolean isRsa() {
        return modulusOffset >= 0;
    }

    /** The RSA modulus size in bits, if this is an RSA key. */
    public OptionalInt rsaModulusBits() {
        if (!isRsa()) {
            return OptionalInt.empty();
        }
        int i = modulusOffset;
        int end = modulusOffset + modulusLength;
        while (i < end && bytes[i] == 0) {
            i++;
        }
        if (i == end) {
            return OptionalInt.of(0);
        }
        return OptionalInt.of((end - i - 1) * 8 + (32 - Integer.numberOfLeadingZeros(bytes[i] & 0xff)));
    }

    /** The RSA public exponent, if this is an RSA key. */
    public Optional<BigInteger> rsaExponent() {
        return Optional.ofNullable(exponent);
    }

    /** The RSA modulus, if this is an RSA key. */
    public Optional<BigInteger> rsaModulus() {
        return isRsa() ? Optional.of(new BigInteger(1, Arrays.copyOfRange(bytes, modulusOffset, modulusOffset + modulusLength)))
                : Optional.empty();
    }

    /** For {@link Format#TPM_PCPM}: 1 for a TPM 1.2 blob, 2 for TPM 2.0. */
    public OptionalInt tpmVersion() {
        return tpmVersion;
    }

    /**
     * The RSA public key, if this is one and the JDK accepts it (a modulus of zero, say, is not a key).
     */
    public Optional<RSAPublicKey> rsaPublicKey() {
        if (!isRsa() || exponent.signum() <= 0) {
            return Optional.empty();
        }
        BigInteger modulus = rsaModulus().orElseThrow();
        if (modulus.signum() <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of((RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(modulus, exponent)));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * This key as a BCRYPT_RSAPUBLIC_BLOB: the stored bytes when already in that form, otherwise converted.
     *
     * @throws KeyCredentialFormatException ({@code KEY_MATERIAL_UNSUPPORTED}) if this is not an RSA key
     */
    public byte[] toRsa1Blob() {
        if (format == Format.RSA1) {
            return bytes.clone();
        }
        RSAPublicKey key = rsaPublicKey().orElseThrow(() -> new KeyCredentialFormatException(
                ErrorCode.KEY_MATERIAL_UNSUPPORTED, -1,
                "expected RSA key material but found " + format + " (" + bytes.length
                        + " bytes); supply an RSA public key"));
        return rsa1Blob(key);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("KeyMaterial[").append(format).append(", ").append(bytes.length).append(" bytes");
        rsaModulusBits().ifPresent(bits -> s.append(", RSA-").append(bits));
        return s.append(']').toString();
    }

    private static KeyMaterial tryRsa1(byte[] b) {
        if (b.length < RSA1_HEADER || LittleEndian.int32(b, 0) != RSA1_MAGIC) {
            return null;
        }
        long cbExp = LittleEndian.uint32(b, 8);
        long cbMod = LittleEndian.uint32(b, 12);
        if (cbExp == 0 || cbExp > 64 || cbMod == 0 || RSA1_HEADER + cbExp + cbMod > b.length) {
            return null;
        }
        int expOffset = RSA1_HEADER;
        BigInteger e = new BigInteger(1, Arrays.copyOfRange(b, expOffset, expOffset + (int) cbExp));
        return new KeyMaterial(b, Format.RSA1, expOffset + (int) cbExp, (int) cbMod, e, OptionalInt.empty());
    }

    private static KeyMaterial tryDer(byte[] b) {
        Der.Tlv outer = Der.expect(b, 0, b.length, Der.SEQUENCE);
        if (outer == null || outer.end() != b.length) {
            return null;
        }
        Der.Tlv first = Der.read(b, outer.valueOffset(), outer.end());
        if (first == null) {
            return null;
        }
        if (first.tag() == Der.INTEGER) {
            return rsaFromPkcs1(b, outer, Format.PKCS1);
        }
        if (first.tag() != Der.SEQUENCE) {
            return null;
        }
        Der.Tlv oid = Der.expect(b, first.valueOffset(), first.end(), Der.OID);
        Der.Tlv bits = Der.expect(b, first.end(), outer.end(), Der.BIT_STRING);
        if (oid == null || bits == null || bits.length() < 1) {
            return null;
        }
        boolean rsa = Arrays.equals(b, oid.valueOffset(), oid.end(), Der.RSA_ENCRYPTION_OID, 0, Der.RSA_ENCRYPTION_OID.length);
        if (rsa) {
            Der.Tlv inner = Der.expect(b, bits.valueOffset() + 1, bits.end(), Der.SEQUENCE);
            if (inner != null && inner.end() == bits.end()) {
                KeyMaterial m = rsaFromPkcs1(b, inner, Format.SPKI);
                if (m != null) {
                    return m;
                }
            }
        }
        return new KeyMaterial(b, Format.SPKI, -1, 0, null, OptionalInt.empty());
    }

    private static KeyMaterial rsaFromPkcs1(byte[] b, Der.Tlv sequence, Format format) {
        Der.Tlv n = Der.expect(b, sequence.valueOffset(), sequence.end(), Der.INTEGER);
        if (n == null || n.length() == 0) {
            return null;
        }
        Der.Tlv e = Der.expect(b, n.end(), sequence.end(), Der.INTEGER);
        if (e == null || e.length() == 0 || e.end() != sequence.end()) {
            return null;
        }
        BigInteger exponent = new BigInteger(1, Arrays.copyOfRange(b, e.valueOffset(), e.end()));
        return new KeyMaterial(b, format, n.valueOffset(), n.length(), exponent, OptionalInt.empty());
    }

    private static KeyMaterial tryTpm(byte[] b) {
        if (b.length < 24 || LittleEndian.int32(b, 0) != PCPM_MAGIC) {
            return null;
        }
        long header = LittleEndian.uint32(b, 4);
        long pcpType = LittleEndian.uint32(b, 8);
        long cbPublic = LittleEndian.uint32(b, 16);
        OptionalInt version = pcpType == 1 || pcpType == 2 ? OptionalInt.of((int) pcpType) : OptionalInt.empty();
        if (pcpType == 2 && header >= 24 && header + cbPublic <= b.length) {
            KeyMaterial rsa = tpm2Rsa(b, (int) header, (int) (header + cbPublic), version);
            if (rsa != null) {
                return rsa;
            }
        }
        return new KeyMaterial(b, Format.TPM_PCPM, -1, 0, null, version);
    }

    /** Reads the RSA modulus and exponent from a TPM2B_PUBLIC; {@code null} if it is not a plain RSA key. */
    private static KeyMaterial tpm2Rsa(byte[] b, int from, int limit, OptionalInt version) {
        Cursor c = new Cursor(b, from, limit);
        int size = c.u16();
        if (size < 0 || from + 2 + size > limit) {
            return null;
        }
        if (c.u16() != TPM_ALG_RSA) {
            return null;
        }
        c.skip(2 + 4); // nameAlg, objectAttributes
        c.skip(c.u16()); // authPolicy
        if (c.u16() != TPM_ALG_NULL) {
            c.skip(4); // symmetric keyBits and mode
        }
        if (c.u16() != TPM_ALG_NULL) {
            c.skip(2); // scheme's hash algorithm
        }
        c.skip(2); // keyBits
        long exp = c.u32();
        int modulusLength = c.u16();
        if (c.failed() || modulusLength <= 0 || c.position() + modulusLength > limit) {
            return null;
        }
        BigInteger e = BigInteger.valueOf(exp == 0 ? 65537 : exp);
        return new KeyMaterial(b, Format.TPM_PCPM, c.position(), modulusLength, e, version);
    }

    private static KeyMaterial tryFidoJson(byte[] b) {
        int i = 0;
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        if (i >= b.length || b[i] != '{' || b[b.length - 1] != '}') {
            return null;
        }
        return new KeyMaterial(b, Format.FIDO_JSON, -1, 0, null, OptionalInt.empty());
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] b = value.toByteArray();
        return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    /** A big-endian reader that records running past its limit instead of throwing. */
    private static final class Cursor {
        private final byte[] b;
        private final int limit;
        private int pos;
        private boolean failed;

        Cursor(byte[] b, int from, int limit) {
            this.b = b;
            this.pos = from;
            this.limit = limit;
        }

        int u16() {
            if (failed || pos + 2 > limit) {
                failed = true;
                return -1;
            }
            int v = (b[pos] & 0xff) << 8 | (b[pos + 1] & 0xff);
            pos += 2;
            return v;
        }

        long u32() {
            int hi = u16();
            int lo = u16();
            return failed ? -1 : ((long) hi << 16) | lo;
        }

        void skip(int n) {
            if (failed || n < 0 || pos + n > limit) {
                failed = true;
                return;
            }
            pos += n;
        }

        int position() {
            return pos;
        }

        boolean failed() {
            return failed;
        }
    }
}
