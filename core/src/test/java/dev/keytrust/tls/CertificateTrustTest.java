package dev.keytrust.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

class CertificateTrustTest {
    private static final SelfSignedCertificate SERVER = SelfSignedCertificate.generate(List.of("server.example"));
    private static final SelfSignedCertificate OTHER = SelfSignedCertificate.generate(List.of("other.example"));

    @Test
    void trustsTheOneCertificateAndNoOther() throws Exception {
        X509TrustManager trust = CertificateTrust.trustManager(SERVER.certificate());
        trust.checkServerTrusted(new X509Certificate[] {SERVER.certificate()}, "RSA");
        assertThat(trust.getAcceptedIssuers()).containsExactly(SERVER.certificate());
        assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {OTHER.certificate()}, "RSA"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void aClientContextServesTls() {
        assertThat(CertificateTrust.sslContext(SERVER.certificate()).getProtocol()).isEqualTo("TLS");
    }
}
