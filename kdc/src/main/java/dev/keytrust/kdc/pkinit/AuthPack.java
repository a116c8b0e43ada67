package dev.keytrust.kdc.pkinit;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The parts of a PKINIT AuthPack (RFC 4556 3.2.1, RFC 8636) the KDC uses. Fields this KDC does not know (MIT's
 * freshnessToken [4] and paChecksum2 [5] in the PKAuthenticator, later AuthPack extensions) are skipped.
 *
 * @param cusec the client's microseconds
 * @param ctimeMillis the client's time
 * @param nonce the PKAuthenticator nonce (must equal the req-body nonce)
 * @param paChecksum SHA-1 of the req-body, or {@code null}
 * @param clientPublicValue the client's DH public value, or {@code null} (RSA key transport: not supported)
 * @param supportedKdfs the KDF OIDs the client offers (RFC 8636), empty if none
 */
public record AuthPack(int cusec, long ctimeMillis, long nonce, byte[] paChecksum,
                       SubjectPublicKeyInfo clientPublicValue, List<ASN1ObjectIdentifier> supportedKdfs) {

    /** Copies the list. */
    public AuthPack {
        supportedKdfs = List.copyOf(supportedKdfs);
    }

    /**
     * Decodes a DER AuthPack.
     *
     * @throws IllegalArgumentException if it is not one
     */
    public static AuthPack decode(byte[] der) {
        try {
            ASN1Sequence pack = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
            ASN1Sequence authenticator = null;
            SubjectPublicKeyInfo dh = null;
            List<ASN1ObjectIdentifier> kdfs = new ArrayList<>();
            for (ASN1Encodable element : pack) {
                ASN1TaggedObject tagged = ASN1TaggedObject.getInstance(element);
                switch (tagged.getTagNo()) {
                    case 0 -> authenticator = ASN1Sequence.getInstance(tagged.getExplicitBaseObject());
                    case 1 -> dh = SubjectPublicKeyInfo.getInstance(tagged.getExplicitBaseObject());
                    case 4 -> {
                        for (ASN1Encodable kdf : ASN1Sequence.getInstance(tagged.getExplicitBaseObject())) {
                            ASN1TaggedObject id = ASN1TaggedObject.getInstance(
                                    ASN1Sequence.getInstance(kdf).getObjectAt(0));
                            kdfs.add(ASN1ObjectIdentifier.getInstance(id.getExplicitBaseObject()));
                        }
                    }
                    default -> {
                        // supportedCMSTypes [2], clientDHNonce [3] and unknown extensions are not used
                    }
                }
            }
            if (authenticator == null) {
                throw new IllegalArgumentException("the AuthPack has no pkAuthenticator");
            }
            Integer cusec = null;
            Long ctime = null;
            Long nonce = null;
            byte[] checksum = null;
            for (ASN1Encodable element : authenticator) {
                ASN1TaggedObject tagged = ASN1TaggedObject.getInstance(element);
                ASN1Encodable value = tagged.getExplicitBaseObject();
                switch (tagged.getTagNo()) {
                    case 0 -> cusec = ASN1Integer.getInstance(value).intValueExact();
                    case 1 -> ctime = ASN1GeneralizedTime.getInstance(value).getDate().getTime();
                    case 2 -> nonce = unsigned32(ASN1Integer.getInstance(value).getValue());
                    case 3 -> checksum = ASN1OctetString.getInstance(value).getOctets();
                    default -> {
                        // freshnessToken [4], paChecksum2 [5]: tolerated, not checked
                    }
                }
            }
            if (cusec == null || ctime == null || nonce == null) {
                throw new IllegalArgumentException("the PKAuthenticator lacks cusec, ctime or nonce");
            }
            return new AuthPack(cusec, ctime, nonce, checksum, dh, kdfs);
        } catch (java.io.IOException | java.text.ParseException | RuntimeException e) {
            throw new IllegalArgumentException("not a PKINIT AuthPack: " + e.getMessage(), e);
        }
    }

    private static long unsigned32(BigInteger value) {
        return value.signum() < 0 ? value.intValue() & 0xFFFFFFFFL : value.longValueExact() & 0xFFFFFFFFL;
    }
}
