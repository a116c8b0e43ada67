package dev.keytrust.kdc.pkinit;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERGeneralString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The lab PKI for PKINIT: a lab CA (generated, or read from PEM) that issues each KDC its certificate, with the
 * id-pkinit-san otherName {@code krbtgt/REALM@REALM} (1.3.6.1.5.2.2) and the EKU id-pkinit-KPKdc
 * (1.3.6.1.5.2.3.5) that MIT kinit requires of a KDC certificate. The CA certificate is what clients put in
 * {@code pkinit_anchors}.
 */
public final class KdcCertificates {
    /** id-pkinit-san: the otherName type of a Kerberos principal name in a certificate. */
    public static final ASN1ObjectIdentifier ID_PKINIT_SAN = new ASN1ObjectIdentifier("1.3.6.1.5.2.2");
    /** id-pkinit-KPKdc: the extended key usage of a KDC certificate. */
    public static final ASN1ObjectIdentifier ID_PKINIT_KPKDC = new ASN1ObjectIdentifier("1.3.6.1.5.2.3.5");
    private static final Duration VALIDITY = Duration.ofDays(3650);
    private static final SecureRandom RANDOM = new SecureRandom();

    private KdcCertificates() {
    }

    /**
     * A certificate and its private key.
     *
     * @param certificate the X.509 certificate
     * @param privateKey its private key
     */
    public record Credential(X509Certificate certificate, PrivateKey privateKey) {
    }

    /** A new self-signed lab CA named {@code CN=commonName}, valid from an hour before {@code now}. */
    public static Credential generateCa(String commonName, Instant now) {
        KeyPair keys = rsaKeyPair();
        X500Name name = new X500Name("CN=" + commonName);
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), name,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            return new Credential(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (IOException e) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "could not build the lab CA certificate", e);
        }
    }

    /** A KDC certificate for {@code realm} (CN = {@code kdcHost}) issued by {@code ca}. */
    public static Credential issueKdcCertificate(Credential ca, String realm, String kdcHost, Instant now) {
        KeyPair keys = rsaKeyPair();
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)),
                    new X500Name("CN=" + kdcHost), keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.getInstance(ID_PKINIT_KPKDC)));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.otherName, new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                    ID_PKINIT_SAN, new DERTaggedObject(true, 0, krbtgtPrincipal(realm))})),
                new GeneralName(GeneralName.dNSName, kdcHost)}));
            return new Credential(sign(builder, ca.privateKey()), keys.getPrivate());
        } catch (IOException e) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "could not build the KDC certificate", e);
        }
    }

    /** KRB5PrincipalName for {@code krbtgt/REALM@REALM} (RFC 4556 3.2.2). */
    private static DERSequence krbtgtPrincipal(String realm) {
        ASN1EncodableVector names = new ASN1EncodableVector();
        names.add(new DERGeneralString("krbtgt"));
        names.add(new DERGeneralString(realm));
        ASN1EncodableVector principal = new ASN1EncodableVector();
        principal.add(new DERTaggedObject(true, 0, new ASN1Integer(2)));
        principal.add(new DERTaggedObject(true, 1, new DERSequence(names)));
        ASN1EncodableVector krb5Name = new ASN1EncodableVector();
        krb5Name.add(new DERTaggedObject(true, 0, new DERGeneralString(realm)));
        krb5Name.add(new DERTaggedObject(true, 1, new DERSequence(principal)));
        return new DERSequence(krb5Name);
    }

    /** The PEM text of {@code certificate}. */
    public static String certificatePem(X509Certificate certificate) {
        return pem(certificate);
    }

    /** Writes {@code certificate} as PEM to {@code file} (e.g. the lab CA as {@code ca.pem} for pkinit_anchors). */
    public static void writeCertificate(X509Certificate certificate, Path file) {
        writePem(certificate, file);
    }

    /** Writes {@code key} as PEM to {@code file}. */
    public static void writePrivateKey(PrivateKey key, Path file) {
        writePem(key, file);
    }

    private static void writePem(Object object, Path file) {
        try {
            Files.writeString(file, pem(object), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "could not write " + file
                    + ": " + e.getMessage() + "; check that the folder exists and is writable", e);
        }
    }

    /** Reads a CA given as PEM: its certificate and its private key (PKCS#8 or PKCS#1). */
    public static Credential readCa(String certificatePem, String privateKeyPem) {
        try (PEMParser certs = new PEMParser(new StringReader(certificatePem));
             PEMParser keys = new PEMParser(new StringReader(privateKeyPem))) {
            Object cert = certs.readObject();
            Object key = keys.readObject();
            if (!(cert instanceof X509CertificateHolder holder)) {
                throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION,
                        "expected a PEM CERTIFICATE for the lab CA, found something else; give the CA's certificate");
            }
            PrivateKey privateKey;
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (key instanceof PEMKeyPair pair) {
                privateKey = converter.getKeyPair(pair).getPrivate();
            } else if (key instanceof PrivateKeyInfo info) {
                privateKey = converter.getPrivateKey(info);
            } else {
                throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION,
                        "expected a PEM PRIVATE KEY for the lab CA, found something else; give an unencrypted key");
            }
            return new Credential(new JcaX509CertificateConverter().getCertificate(holder), privateKey);
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "could not read the lab CA PEM: "
                    + e.getMessage(), e);
        }
    }

    private static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException("writing PEM to memory failed", e);
        }
        return out.toString();
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey issuerKey) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "could not sign a certificate", e);
        }
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is missing from the JDK", e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }
}
