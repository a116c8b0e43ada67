package dev.keytrust.dc;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed server certificate for a DC's LDAPS and StartTLS: subject {@code CN=<dns host name>}, subject
 * alternative names for the DC's DNS name, {@code localhost}, its host and 127.0.0.1, valid for a year. Written
 * as a PKCS#12 key store for ApacheDS and as PEM for clients ({@code LDAPTLS_CACERT}, ldap3's {@code ca_certs_file}).
 */
final class DcCertificate {
    static final String ALIAS = "dc";
    /** Real time, not the testbed's: TLS clients check a certificate's validity against their own wall clock. */
    private static final java.time.Clock WALL_CLOCK = java.time.Clock.systemUTC();

    private DcCertificate() {
    }

    /** Creates the key store and PEM in {@code dir}; returns the PEM path. */
    static Path generate(DomainControllerConfig config, Path dir, char[] password) throws GeneralSecurityException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=" + config.dnsHostName());
        Instant now = WALL_CLOCK.instant().minus(1, ChronoUnit.DAYS);
        GeneralNames names = new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, config.dnsHostName()),
            new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(isAddress(config.host()) ? GeneralName.iPAddress : GeneralName.dNSName, config.host()),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
        try {
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                    subject, new BigInteger(64, new SecureRandom()), Date.from(now), Date.from(now.plus(366, ChronoUnit.DAYS)),
                    subject, pair.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false, names)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, password);
            store.setKeyEntry(ALIAS, pair.getPrivate(), password, new X509Certificate[] {cert});
            try (OutputStream out = Files.newOutputStream(dir.resolve("dc-keystore.p12"))) {
                store.store(out, password);
            }
            Path pem = dir.resolve("dc-certificate.pem");
            Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
            return pem;
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the DC certificate: " + e.getMessage(), e);
        }
    }

    static Path keyStore(Path dir) {
        return dir.resolve("dc-keystore.p12");
    }

    private static boolean isAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }
}
