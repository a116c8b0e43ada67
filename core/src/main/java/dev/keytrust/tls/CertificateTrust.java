package dev.keytrust.tls;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Trust in exactly one certificate, such as a testbed server's self-signed one, instead of the JVM's trust store.
 *
 * <pre>{@code
 * HttpClient http = HttpClient.newBuilder().sslContext(CertificateTrust.sslContext(mock.certificate())).build();
 * }</pre>
 */
public final class CertificateTrust {
    private CertificateTrust() {
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
