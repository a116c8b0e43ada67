package dev.keytrust.kdc.pkinit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keytrust.KeyTrustException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERGeneralString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KdcCertificatesTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void theKdcCertificateIsIssuedByTheCaWithThePkinitSanAndKdcEku() throws Exception {
        KdcCertificates.Credential ca = KdcCertificates.generateCa("Lab CA", NOW);
        KdcCertificates.Credential kdc = KdcCertificates.issueKdcCertificate(ca, "CORP.EXAMPLE.COM",
                "dc1.corp.example.com", NOW);
        X509Certificate certificate = kdc.certificate();
        certificate.verify(ca.certificate().getPublicKey());
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.2.3.5");
        GeneralNames names = GeneralNames.fromExtensions(
                new JcaX509CertificateHolder(certificate).getExtensions(), Extension.subjectAlternativeName);
        GeneralName otherName = names.getNames()[0];
        assertThat(otherName.getTagNo()).isEqualTo(GeneralName.otherName);
        ASN1Sequence other = ASN1Sequence.getInstance(otherName.getName());
        assertThat(other.getObjectAt(0)).isEqualTo(KdcCertificates.ID_PKINIT_SAN);
        ASN1Sequence krb5Name = ASN1Sequence.getInstance(
                ASN1TaggedObject.getInstance(other.getObjectAt(1)).getExplicitBaseObject());
        assertThat(DERGeneralString.getInstance(ASN1TaggedObject.getInstance(krb5Name.getObjectAt(0))
                .getExplicitBaseObject()).getString()).isEqualTo("CORP.EXAMPLE.COM");
        ASN1Sequence principal = ASN1Sequence.getInstance(
                ASN1TaggedObject.getInstance(krb5Name.getObjectAt(1)).getExplicitBaseObject());
        ASN1Sequence strings = ASN1Sequence.getInstance(
                ASN1TaggedObject.getInstance(principal.getObjectAt(1)).getExplicitBaseObject());
        assertThat(List.of(strings.toArray())).extracting(s -> DERGeneralString.getInstance(s).getString())
                .containsExactly("krbtgt", "CORP.EXAMPLE.COM");
    }

    @Test
    void aCaWrittenAsPemIsReadBackAndIssuesCertificates() throws Exception {
        KdcCertificates.Credential ca = KdcCertificates.generateCa("Lab CA", NOW);
        KdcCertificates.writeCertificate(ca.certificate(), dir.resolve("ca.pem"));
        KdcCertificates.writePrivateKey(ca.privateKey(), dir.resolve("ca.key"));
        KdcCertificates.Credential read = KdcCertificates.readCa(Files.readString(dir.resolve("ca.pem")),
                Files.readString(dir.resolve("ca.key")));
        assertThat(read.certificate()).isEqualTo(ca.certificate());
        KdcCertificates.issueKdcCertificate(read, "CORP.EXAMPLE.COM", "dc1", NOW).certificate()
                .verify(ca.certificate().getPublicKey());
    }

    @Test
    void aPemThatIsNotACertificateIsRefusedSayingWhatWasExpected() {
        assertThatThrownBy(() -> KdcCertificates.readCa("garbage", "garbage"))
                .isInstanceOf(KeyTrustException.class).hasMessageContaining("expected a PEM CERTIFICATE");
    }
}
