package dev.keytrust.dc.kerberos;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.kdc.pkinit.KdcCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Locale;

/**
 * Client files for people and tests: {@code ca.pem} (the lab CA, MIT's {@code pkinit_anchors}) and one
 * {@code krb5-<DC>.conf} per DC whose realm's only KDC is that DC, so {@code KRB5_CONFIG=DIR/krb5-DC3.conf kinit ...}
 * asks DC3 and nobody else (TCP only, no DNS).
 *
 * <pre>{@code
 * Krb5Files.writeCa(dir, ca.certificate());
 * Path conf = Krb5Files.writeConfig(dir, "DC1", "CORP.EXAMPLE.COM", "127.0.0.1", dc1.port("kdc"));
 * }</pre>
 */
public final class Krb5Files {
    /** The lab CA's file name in the folder. */
    public static final String CA_FILE = "ca.pem";

    private Krb5Files() {
    }

    /** Writes {@code DIR/ca.pem}; returns its path. */
    public static Path writeCa(Path dir, X509Certificate ca) {
        Path file = folder(dir).resolve(CA_FILE);
        KdcCertificates.writeCertificate(ca, file);
        return file;
    }

    /** The config file's path for a DC: {@code DIR/krb5-DC1.conf}. */
    public static Path configFile(Path dir, String dcName) {
        return dir.resolve("krb5-" + dcName + ".conf");
    }

    /** Writes {@code DIR/krb5-<dcName>.conf} naming the KDC at {@code host:port} as the realm's only one. */
    public static Path writeConfig(Path dir, String dcName, String realm, String host, int port) {
        Path file = configFile(folder(dir), dcName);
        String anchors = "FILE:" + dir.toAbsolutePath().resolve(CA_FILE);
        String domain = realm.toLowerCase(Locale.ROOT);
        String text = String.join("\n",
                "# " + dcName + "'s KDC only: KRB5_CONFIG=" + file.toAbsolutePath() + " kinit alice",
                "[libdefaults]",
                "  default_realm = " + realm,
                "  dns_lookup_kdc = false",
                "  dns_lookup_realm = false",
                "  dns_canonicalize_hostname = false",
                "  rdns = false",
                "  udp_preference_limit = 1",
                "  pkinit_anchors = " + anchors,
                "",
                "[realms]",
                "  " + realm + " = {",
                "    kdc = " + host + ":" + port,
                "    pkinit_anchors = " + anchors,
                "  }",
                "",
                "[domain_realm]",
                "  ." + domain + " = " + realm,
                "  " + domain + " = " + realm,
                "");
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
        return file;
    }

    private static Path folder(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw cannotWrite(dir, e);
        }
    }

    private static KeyTrustException cannotWrite(Path path, IOException e) {
        return new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "cannot write Kerberos client files to " + path
                + " (" + e.getMessage() + "); pick a writable folder with --krb5-dir", e);
    }
}
