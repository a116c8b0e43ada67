package dev.keytrust.kdc.pkinit;

import dev.keytrust.kdc.KerberosKey;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;

/**
 * The AS reply key from the DH shared secret: RFC 4556 3.2.3.1's octetstring2key (SHA-1 in counter mode over Z,
 * truncated to the enctype's key size; random-to-key is the identity for the AES enctypes and rc4-hmac).
 */
public final class ReplyKeys {

    private ReplyKeys() {
    }

    /** The key size in bytes of the supported {@code etype}. */
    public static int keySize(int etype) {
        return etype == KerberosKey.AES256_CTS_HMAC_SHA1_96 ? 32 : 16;
    }

    /** octetstring2key(Z) for {@code etype} (no DH nonces). */
    public static EncryptionKey octetString2Key(byte[] z, int etype) {
        byte[] key = derive(z, keySize(etype));
        return new EncryptionKey(EncryptionType.fromValue(etype), key);
    }

    static byte[] derive(byte[] x, int length) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] out = new byte[length];
            int filled = 0;
            for (int counter = 0; filled < length; counter++) {
                sha1.update((byte) counter);
                byte[] block = sha1.digest(x);
                int n = Math.min(block.length, length - filled);
                System.arraycopy(block, 0, out, filled, n);
                filled += n;
            }
            return out;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from the JDK", e);
        }
    }

    /** SHA-1 of {@code data}: PKINIT's paChecksum over the req-body. */
    public static boolean sha1Matches(byte[] data, byte[] expected) {
        try {
            return expected != null && MessageDigest.isEqual(MessageDigest.getInstance("SHA-1").digest(data),
                    expected);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from the JDK", e);
        }
    }

    /** id-pkinit-kdf-sha256 (RFC 8636). */
    public static final org.bouncycastle.asn1.ASN1ObjectIdentifier KDF_SHA256 =
            new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.5.2.3.6.2");

    /**
     * RFC 8636's KDF (SP 800-56A one-step, SHA-256) for {@code etype}: counter || Z || OtherInfo, where OtherInfo
     * names the KDF, the client and server principals (KRB5PrincipalName), and PkinitSuppPubInfo {enctype, the
     * raw AS-REQ, the PA-PK-AS-REP}.
     */
    public static EncryptionKey kdfSha256(byte[] z, int etype, byte[] clientName, byte[] serverName,
                                          byte[] asReq, byte[] paPkAsRep) {
        try {
            org.bouncycastle.asn1.ASN1EncodableVector supp = new org.bouncycastle.asn1.ASN1EncodableVector();
            supp.add(new org.bouncycastle.asn1.DERTaggedObject(true, 0, new org.bouncycastle.asn1.ASN1Integer(etype)));
            supp.add(new org.bouncycastle.asn1.DERTaggedObject(true, 1, new org.bouncycastle.asn1.DEROctetString(asReq)));
            supp.add(new org.bouncycastle.asn1.DERTaggedObject(true, 2,
                    new org.bouncycastle.asn1.DEROctetString(paPkAsRep)));
            org.bouncycastle.asn1.ASN1EncodableVector other = new org.bouncycastle.asn1.ASN1EncodableVector();
            other.add(new org.bouncycastle.asn1.x509.AlgorithmIdentifier(KDF_SHA256));
            other.add(new org.bouncycastle.asn1.DERTaggedObject(true, 0,
                    new org.bouncycastle.asn1.DEROctetString(clientName)));
            other.add(new org.bouncycastle.asn1.DERTaggedObject(true, 1,
                    new org.bouncycastle.asn1.DEROctetString(serverName)));
            other.add(new org.bouncycastle.asn1.DERTaggedObject(true, 2, new org.bouncycastle.asn1.DEROctetString(
                    new org.bouncycastle.asn1.DERSequence(supp).getEncoded("DER"))));
            byte[] otherInfo = new org.bouncycastle.asn1.DERSequence(other).getEncoded("DER");
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            int length = keySize(etype);
            byte[] out = new byte[length];
            int filled = 0;
            for (int counter = 1; filled < length; counter++) {
                sha256.update(new byte[] {(byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8),
                    (byte) counter});
                sha256.update(z);
                byte[] block = sha256.digest(otherInfo);
                int n = Math.min(block.length, length - filled);
                System.arraycopy(block, 0, out, filled, n);
                filled += n;
            }
            return new EncryptionKey(EncryptionType.fromValue(etype), out);
        } catch (NoSuchAlgorithmException | java.io.IOException e) {
            throw new IllegalStateException("SHA-256 or DER encoding failed in memory", e);
        }
    }

    /** The DER KRB5PrincipalName (RFC 4556 3.2.2) of {@code nameType}/{@code names}@{@code realm}. */
    public static byte[] principalName(String realm, int nameType, java.util.List<String> names) {
        try {
            org.bouncycastle.asn1.ASN1EncodableVector strings = new org.bouncycastle.asn1.ASN1EncodableVector();
            names.forEach(n -> strings.add(new org.bouncycastle.asn1.DERGeneralString(n)));
            org.bouncycastle.asn1.ASN1EncodableVector principal = new org.bouncycastle.asn1.ASN1EncodableVector();
            principal.add(new org.bouncycastle.asn1.DERTaggedObject(true, 0,
                    new org.bouncycastle.asn1.ASN1Integer(nameType)));
            principal.add(new org.bouncycastle.asn1.DERTaggedObject(true, 1,
                    new org.bouncycastle.asn1.DERSequence(strings)));
            org.bouncycastle.asn1.ASN1EncodableVector name = new org.bouncycastle.asn1.ASN1EncodableVector();
            name.add(new org.bouncycastle.asn1.DERTaggedObject(true, 0, new org.bouncycastle.asn1.DERGeneralString(realm)));
            name.add(new org.bouncycastle.asn1.DERTaggedObject(true, 1, new org.bouncycastle.asn1.DERSequence(principal)));
            return new org.bouncycastle.asn1.DERSequence(name).getEncoded("DER");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("DER encoding failed in memory", e);
        }
    }

    static byte[] copy(byte[] bytes) {
        return Arrays.copyOf(bytes, bytes.length);
    }
}
