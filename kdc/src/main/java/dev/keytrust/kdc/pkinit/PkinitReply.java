package dev.keytrust.kdc.pkinit;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Builds PA-PK-AS-REP (RFC 4556 3.2.3): {@code dhInfo} whose dhSignedData is a CMS SignedData over KDCDHKeyInfo
 * (eContentType id-pkinit-DHKeyData), signed SHA256withRSA with signed attributes by the KDC certificate, which
 * the SignedData carries.
 */
public final class PkinitReply {
    /** id-pkinit-DHKeyData. */
    public static final ASN1ObjectIdentifier ID_PKINIT_DH_KEY_DATA = new ASN1ObjectIdentifier("1.3.6.1.5.2.3.2");

    private PkinitReply() {
    }

    /** The DER PA-PK-AS-REP for the KDC's public value {@code y} and the AuthPack's {@code nonce}. */
    public static byte[] encode(KdcCertificates.Credential kdc, BigInteger y, long nonce,
                                ASN1ObjectIdentifier kdf) {
        try {
            ASN1EncodableVector keyInfo = new ASN1EncodableVector();
            keyInfo.add(new DERTaggedObject(true, 0, new DERBitString(new ASN1Integer(y).getEncoded())));
            keyInfo.add(new DERTaggedObject(true, 1, new ASN1Integer(nonce)));
            CMSTypedData content = new CMSProcessableByteArray(ID_PKINIT_DH_KEY_DATA,
                    new DERSequence(keyInfo).getEncoded());
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().build())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(kdc.privateKey()), kdc.certificate()));
            generator.addCertificates(new JcaCertStore(java.util.List.of(kdc.certificate())));
            byte[] signedData = generator.generate(content, true).getEncoded("DER");

            ASN1EncodableVector dhRepInfo = new ASN1EncodableVector();
            dhRepInfo.add(new DERTaggedObject(false, 0, new DEROctetString(signedData)));
            if (kdf != null) {
                dhRepInfo.add(new DERTaggedObject(true, 2,
                        new DERSequence(new DERTaggedObject(true, 0, kdf))));
            }
            return new DERTaggedObject(true, 0, new DERSequence(dhRepInfo)).getEncoded("DER");
        } catch (IOException | CMSException | OperatorCreationException | CertificateEncodingException e) {
            throw new IllegalStateException("signing the PKINIT reply failed: " + e.getMessage(), e);
        }
    }
}
