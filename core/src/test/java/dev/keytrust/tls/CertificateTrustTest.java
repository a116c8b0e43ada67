package dev.keytrust.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateTrustTest {
    private static final SelfSignedCertificate SERVER = SelfSignedCertificate.generate(List.of("server.example"));
    private static final SelfSignedCertificate OTHER = SelfSignedCertificate.generate(List.of("other.example"));

    @TempDir
    Path dir;

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

    @Test
    void readsACertificateFromPemFromDerAndFromAPemWhereAPrivateKeyComesFirst() throws Exception {
        Path pem = Files.writeString(dir.resolve("server.pem"), SERVER.pem());
        Path der = Files.write(dir.resolve("server.der"), SERVER.certificate().getEncoded());
        Path keyFirst = Files.writeString(dir.resolve("client.pem"), "a comment line\n" + SERVER.keyAndCertificatePem());
        for (Path file : List.of(pem, der, keyFirst)) {
            assertThat(CertificateTrust.read(file, "--ca")).as(file.toString()).isEqualTo(SERVER.certificate());
        }
    }

    @Test
    void aFileWithoutACertificateIsAnInvalidConfigurationNamingWhatAndWhere() throws Exception {
        String key = SERVER.keyAndCertificatePem();
        Path keyOnly = Files.writeString(dir.resolve("key.pem"), key.substring(0, key.indexOf("-----BEGIN CERTIFICATE-----")));
        Path words = Files.write(dir.resolve("words.txt"), "not a certificate".getBytes(StandardCharsets.US_ASCII));
        assertUnreadable(keyOnly, "without a '-----BEGIN CERTIFICATE-----' block");
        assertUnreadable(words, "could not read one");
        assertUnreadable(dir.resolve("missing.pem"), "there is no such file");
    }

    private static void assertUnreadable(Path file, String found) {
        assertThatThrownBy(() -> CertificateTrust.read(file, "--ca"))
                .isInstanceOfSatisfying(KeyTrustException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageStartingWith("--ca: expected an X.509 certificate (PEM or DER) in '" + file + "' but ")
                .hasMessageContaining(found);
    }
}
