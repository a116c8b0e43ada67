package dev.keytrust.tls;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Trust in exactly one certificate, such as a testbed server's self-signed one, instead of the JVM's trust store;
 * and that certificate read from the file a user names ({@code --ca graph-ca.pem}).
 *
 * <pre>{@code
 * HttpClient http = HttpClient.newBuilder().sslContext(CertificateTrust.sslContext(mock.certificate())).build();
 * X509Certificate ca = CertificateTrust.read(Path.of("graph-ca.pem"), "--ca");
 * }</pre>
 */
public final class CertificateTrust {
    private CertificateTrust() {
    }

    /**
     * The X.509 certificate in {@code file}: DER, or PEM, where the first {@code CERTIFICATE} block is read and
     * what else the file holds (a private key before it, say) is passed over.
     *
     * @param what what the file is for, to start the message with: an option ({@code --ca}) or a description
     * @throws KeyTrustException ({@code INVALID_CONFIGURATION}) naming {@code what} and the file, when the file
     *         cannot be read or holds no certificate
     */
    public static X509Certificate read(Path file, String what) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw unreadable(file, what, "there is no such file", e);
        } catch (IOException e) {
            throw unreadable(file, what, "could not read it: " + e.getMessage(), e);
        }
        // US-ASCII decodes one char per byte, so an index in the text is one in the bytes
        String text = new String(bytes, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN CERTIFICATE-----");
        if (begin < 0 && text.contains("-----BEGIN ")) {
            throw unreadable(file, what, "found a PEM file without a '-----BEGIN CERTIFICATE-----' block", null);
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(begin < 0 ? bytes : Arrays.copyOfRange(bytes, begin, bytes.length)));
        } catch (CertificateException e) {
            throw unreadable(file, what, "could not read one: " + e.getMessage(), e);
        }
    }

    private static KeyTrustException unreadable(Path file, String what, String found, Exception cause) {
        return new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, what + ": expected an X.509 certificate (PEM or DER) in '"
                + file + "' but " + found, cause);
    }

    /** A trust manager that trusts {@code certificate} (and what it issued) and nothing else. */
    public static X509TrustManager trustManager(X509Certificate certificate) {
        return (X509TrustManager) factory(certificate).getTrustManagers()[0];
    }

    /** A TLS context for clients that trusts {@code certificate} (and what it issued) and nothing else. */
    public static SSLContext sslContext(X509Certificate certificate) {
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, factory(certificate).getTrustManagers(), null);
            return tls;
        } catch (GeneralSecurityException e) {
            throw cannotTrust(certificate, e);
        }
    }

    private static TrustManagerFactory factory(X509Certificate certificate) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("trusted", certificate);
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(store);
            return f;
        } catch (GeneralSecurityException | IOException e) {
            throw cannotTrust(certificate, e);
        }
    }

    private static KeyTrustException cannotTrust(X509Certificate certificate, Exception e) {
        return new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "cannot trust " + certificate.getSubjectX500Principal()
                + ": " + e.getMessage(), e);
    }
}
