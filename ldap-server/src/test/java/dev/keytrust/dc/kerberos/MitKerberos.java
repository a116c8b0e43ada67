package dev.keytrust.dc.kerberos;

import dev.keytrust.kdc.MitClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * MIT's kinit, kvno and klist (Debian krb5-user, krb5-pkinit) as the KDC module's {@link MitClient} runs them, against
 * one krb5.conf as {@link Krb5Files} writes them, and key-trust PKINIT with a self-signed certificate. Public for
 * other modules' tests; test classes here skip with {@code @ExtendWith(MitClient.PkinitInstalled.class)}.
 */
public final class MitKerberos extends MitClient {
    /** A client of the KDC {@code config} names, keeping its tickets in {@code dir}. */
    public MitKerberos(Path config, Path dir) throws IOException {
        super(config, dir);
    }

    /** Skips the calling test when MIT's client tools or its PKINIT plugin are missing (.ci/run installs them). */
    public static void assumeInstalled() {
        Optional<String> missing = MitClient.missing(true);
        if (missing.isPresent()) {
            Assumptions.abort(missing.get());
        }
    }

    /**
     * {@code kinit -X X509_user_identity=FILE:cert,key -X X509_anchors=FILE:ca -X X509_anchors=FILE:cert principal}:
     * PKINIT with a self-signed (WHfB-like) certificate, which MIT must also find among its anchors.
     */
    public Result pkinit(String principal, Path certificate, Path key, Path ca) throws IOException, InterruptedException {
        return run("", "/usr/bin/kinit", "-X", "X509_user_identity=FILE:" + certificate + "," + key,
                "-X", "X509_anchors=FILE:" + ca, "-X", "X509_anchors=FILE:" + certificate, principal);
    }
}
