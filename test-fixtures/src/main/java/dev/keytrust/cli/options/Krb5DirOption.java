package dev.keytrust.cli.options;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.dc.DomainController;
import dev.keytrust.dc.kerberos.KdcService;
import dev.keytrust.dc.kerberos.Krb5Files;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --krb5-dir DIR} of {@code keytrust dc}, {@code topology up} and {@code lab}: where the Kerberos client files
 * go, {@code ca.pem} (the lab CA) and one {@code krb5-<DC>.conf} per DC naming that DC's KDC only.
 */
public final class Krb5DirOption {
    @Option(names = "--krb5-dir", paramLabel = "DIR",
            description = "Write Kerberos client files to DIR: ca.pem (the lab CA, for pkinit_anchors) and krb5-<DC>.conf per "
                    + "DC (its KDC only), so KRB5_CONFIG=DIR/krb5-DC3.conf kinit asks DC3.")
    Path dir;

    /**
     * Writes the files for the DCs hosting a KDC into {@code --krb5-dir}, or into a new temporary folder when
     * {@code temporaryByDefault} and none was given; prints where and how to use them. Does nothing without a folder.
     *
     * @return the folder written, or null
     */
    public Path write(List<DomainController> dcs, boolean temporaryByDefault, PrintWriter out) {
        List<DomainController> kdcs = dcs.stream().filter(dc -> dc.services().contains(KdcService.NAME)).toList();
        if (kdcs.isEmpty() || (dir == null && !temporaryByDefault)) {
            return null;
        }
        Path folder = dir;
        if (folder == null) {
            try {
                folder = Files.createTempDirectory("keytrust-krb5-");
            } catch (IOException e) {
                throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "cannot make a temporary folder for the "
                        + "Kerberos client files (" + e.getMessage() + "); give one with --krb5-dir DIR", e);
            }
        }
        folder = folder.toAbsolutePath();
        Krb5Files.writeCa(folder, kdcs.get(0).config().kdcCertificateAuthority().orElseThrow().certificate());
        String realm = kdcs.get(0).config().domain().toUpperCase(Locale.ROOT);
        out.println("Kerberos: realm " + realm + ", client files in " + folder + " (ca.pem, krb5-<DC>.conf)");
        for (DomainController dc : kdcs) {
            Path conf = Krb5Files.writeConfig(folder, dc.name(), realm, dc.host(), dc.port(KdcService.NAME));
            out.println("  " + dc.name() + " KDC " + dc.host() + ":" + dc.port(KdcService.NAME) + "   KRB5_CONFIG=" + conf
                    + " kinit <user>");
        }
        return folder;
    }
}
