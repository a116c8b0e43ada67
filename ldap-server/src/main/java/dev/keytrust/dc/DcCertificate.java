package dev.keytrust.dc;

import dev.keytrust.tls.SelfSignedCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A DC's LDAPS and StartTLS certificate: a {@link SelfSignedCertificate} for the DC's DNS name, {@code localhost},
 * its host and 127.0.0.1, written as a PKCS#12 key store for ApacheDS and as PEM for clients
 * ({@code LDAPTLS_CACERT}, ldap3's {@code ca_certs_file}).
 */
final class DcCertificate {
    private DcCertificate() {
    }

    /** Creates the key store and PEM in {@code dir}; returns the PEM path. */
    static Path generate(DomainControllerConfig config, Path dir, char[] password) throws IOException {
        SelfSignedCertificate cert = SelfSignedCertificate.generate(List.of(config.dnsHostName(), config.host()));
        Files.write(keyStore(dir), cert.toPkcs12(password));
        Path pem = dir.resolve("dc-certificate.pem");
        Files.writeString(pem, cert.pem());
        return pem;
    }

    static Path keyStore(Path dir) {
        return dir.resolve("dc-keystore.p12");
    }
}
