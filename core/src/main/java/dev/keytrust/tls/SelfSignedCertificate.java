package dev.keytrust.tls;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed TLS server certificate for the testbed's servers (a DC's LDAPS, the Graph mock's HTTPS): subject
 * {@code CN=<first host name>}, subject alternative names for every given host name plus {@code localhost} and
 * {@code 127.0.0.1}, RSA-2048, valid from a day ago for a year of <em>wall</em> time (TLS clients check validity
 * against their own clock, never the testbed's).
 *
 * <pre>{@code
 * SelfSignedCertificate cert = SelfSignedCertificate.generate(List.of("dc1.corp.example.com"));
 * Files.writeString(dir.resolve("ca.pem"), cert.pem());          // for LDAPTLS_CACERT, curl --cacert
 * SSLContext tls = cert.serverContext();                          // for an HTTPS server
 * }</pre>
 *
 * @param keyPair the server's key pair
 * @param certificate the certificate, its own issuer
 */
public record SelfSignedCertificate(KeyPair keyPair, X509Certificate certificate) {
    /** The alias of the entry in {@link #toPkcs12(char[])}. */
    public static final String ALIAS = "server";
    private static final Clock WALL_CLOCK = Clock.systemUTC();

    /** Generates a fresh key pair and certificate for {@code hostNames} (at least one; names or IP addresses). */
    public static SelfSignedCertificate generate(List<String> hostNames) {
        if (hostNames == null || hostNames.isEmpty() || hostNames.stream().anyMatch(h -> h == null || h.isBlank())) {
            throw new IllegalArgumentException("a certificate needs at least one non-blank host name, got " + hostNames);
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Set<String> names = new LinkedHashSet<>(hostNames);
            names.add("localhost");
            names.add("127.0.0.1");
            List<GeneralName> alternatives = new ArrayList<>();
            for (String name : names) {
                alternatives.add(new GeneralName(isAddress(name) ? GeneralName.iPAddress : GeneralName.dNSName, name));
            }
            X500Name subject = new X500Name("CN=" + hostNames.get(0));
            Instant from = WALL_CLOCK.instant().minus(1, ChronoUnit.DAYS);
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                    subject, new BigInteger(64, new SecureRandom()), Date.from(from), Date.from(from.plus(366, ChronoUnit.DAYS)),
                    subject, pair.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(alternatives.toArray(GeneralName[]::new)))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
            return new SelfSignedCertificate(pair, cert);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new KeyTrustException(ErrorCode.INTERNAL_ERROR, "cannot create a self-signed certificate for "
                    + hostNames + ": " + e.getMessage(), e);
        }
    }

    /** The certificate as PEM text, what clients are told to trust. */
    public String pem() {
        return pem(certificate);
    }

    /** One certificate as PEM text. */
    public static String pem(X509Certificate certificate) {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    /**
     * The private key (unencrypted PKCS#8) followed by the certificate, as PEM text: the file a client presents as
     * its certificate credential (Azure Identity's {@code ClientCertificateCredential}, MSAL, curl {@code --cert}).
     * It holds the secret key: write it only where the test or lab owns the directory.
     */
    public String keyAndCertificatePem() {
        return pem("PRIVATE KEY", keyPair.getPrivate().getEncoded()) + pem();
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /** A PKCS#12 key store (bytes) holding the key and certificate under {@link #ALIAS}. */
    public byte[] toPkcs12(char[] password) {
        try {
            KeyStore store = keyStore(password);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write a PKCS#12 key store: " + e.getMessage(), e);
        }
    }

    /** A TLS context that serves this certificate. */
    public SSLContext serverContext() {
        try {
            char[] password = "in-memory".toCharArray();
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore(password), password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
        }
    }

    private KeyStore keyStore(char[] password) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, password);
        store.setKeyEntry(ALIAS, keyPair.getPrivate(), password, new X509Certificate[] {certificate});
        return store;
    }

    private static boolean isAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }
}
