package dev.keytrust.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfSignedCertificateTest {
    private static final SelfSignedCertificate CERT = SelfSignedCertificate.generate(List.of("agent.example"));

    @Test
    void theKeyAndCertificatePemHoldsThePrivateKeyFirstAndThenTheCertificate() throws Exception {
        String pem = CERT.keyAndCertificatePem();
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith(CERT.pem());

        String body = pem.substring("-----BEGIN PRIVATE KEY-----\n".length(), pem.indexOf("\n-----END PRIVATE KEY-----\n"));
        assertThat(body.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));
        var key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(body)));
        assertThat(key).isEqualTo(CERT.keyPair().getPrivate());
        var read = CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(CERT.pem().getBytes(StandardCharsets.US_ASCII)));
        assertThat(read).isEqualTo(CERT.certificate());
    }
}
