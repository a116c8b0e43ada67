package dev.keytrust.kdc.pkinit;

import dev.keytrust.kdc.protocol.KdcRefusal;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import org.apache.kerby.kerberos.kerb.KrbErrorCode;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.DomainParameters;
import org.bouncycastle.crypto.agreement.DHStandardGroups;
import org.bouncycastle.crypto.params.DHParameters;

/**
 * PKINIT's Diffie-Hellman (RFC 4556 3.2.3.1): accepts the RFC 3526 MODP groups of 2048 bits and more (group 14
 * is what MIT kinit sends), refuses any other group with KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED (109) and a
 * TD-DH-PARAMETERS hint naming group 14, and computes the shared secret Z left-padded to the size of p.
 */
public final class DiffieHellman {
    /** dhpublicnumber (ANSI X9.42). */
    public static final ASN1ObjectIdentifier DH_PUBLIC_NUMBER = new ASN1ObjectIdentifier("1.2.840.10046.2.1");
    private static final List<DHParameters> ACCEPTED = List.of(DHStandardGroups.rfc3526_2048,
            DHStandardGroups.rfc3526_3072, DHStandardGroups.rfc3526_4096, DHStandardGroups.rfc3526_6144,
            DHStandardGroups.rfc3526_8192);
    private static final int TD_DH_PARAMETERS = 109;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The result of the KDC's half of the exchange.
     *
     * @param kdcPublicValue the KDC's public value y
     * @param sharedSecret Z, left-padded with zeros to the byte length of p
     */
    public record Agreement(BigInteger kdcPublicValue, byte[] sharedSecret) {
    }

    private DiffieHellman() {
    }

    /** Agrees on Z with the client's {@code clientPublicValue} (SPKI with dhpublicnumber and domain parameters). */
    public static Agreement agree(SubjectPublicKeyInfo clientPublicValue) {
        AlgorithmIdentifier algorithm = clientPublicValue.getAlgorithm();
        if (!DH_PUBLIC_NUMBER.equals(algorithm.getAlgorithm()) || algorithm.getParameters() == null) {
            throw notAccepted("expected a dhpublicnumber client public value with domain parameters");
        }
        DomainParameters domain;
        BigInteger y;
        try {
            domain = DomainParameters.getInstance(algorithm.getParameters());
            y = ASN1Integer.getInstance(ASN1Primitive.fromByteArray(clientPublicValue.getPublicKeyData().getBytes()))
                    .getValue();
        } catch (java.io.IOException | RuntimeException e) {
            throw notAccepted("the client's DH domain parameters or public value could not be decoded");
        }
        DHParameters group = ACCEPTED.stream()
                .filter(g -> g.getP().equals(domain.getP()) && g.getG().equals(domain.getG()))
                .findFirst().orElseThrow(() -> notAccepted("expected an RFC 3526 MODP group of 2048 bits or more, "
                        + "found a " + domain.getP().bitLength() + "-bit group"));
        BigInteger p = group.getP();
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(p.subtract(BigInteger.ONE)) >= 0) {
            throw notAccepted("the client's DH public value is out of range");
        }
        BigInteger x = new BigInteger(Math.max(512, p.bitLength() / 4), RANDOM).setBit(0);
        BigInteger kdcY = group.getG().modPow(x, p);
        BigInteger z = y.modPow(x, p);
        return new Agreement(kdcY, leftPad(z, (p.bitLength() + 7) / 8));
    }

    static byte[] leftPad(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    private static KdcRefusal notAccepted(String text) {
        return new KdcRefusal(KrbErrorCode.KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED, text, hint());
    }

    /** TYPED-DATA with TD-DH-PARAMETERS: the groups the KDC accepts, group 14 first. */
    private static byte[] hint() {
        try {
            ASN1EncodableVector algorithms = new ASN1EncodableVector();
            DHParameters g14 = DHStandardGroups.rfc3526_2048;
            algorithms.add(new AlgorithmIdentifier(DH_PUBLIC_NUMBER,
                    new DomainParameters(g14.getP(), g14.getG(), g14.getQ(), null, null)));
            ASN1EncodableVector entry = new ASN1EncodableVector();
            entry.add(new DERTaggedObject(true, 0, new ASN1Integer(TD_DH_PARAMETERS)));
            ASN1OctetString value = new DEROctetString(new DERSequence(algorithms).getEncoded());
            entry.add(new DERTaggedObject(true, 1, value));
            return new DERSequence(new DERSequence(entry)).getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("encoding TD-DH-PARAMETERS in memory failed", e);
        }
    }
}
