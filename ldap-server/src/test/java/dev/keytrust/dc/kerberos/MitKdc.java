package dev.keytrust.dc.kerberos;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keytrust.kdc.pkinit.KdcCertificates;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * MIT's own KDC (Debian krb5-kdc, with kdb5_util and kadmin.local from krb5-admin-server), unmodified, in a folder of
 * its own on a free port: the reference the DC's KDC is compared with, and measured against. PKINIT is set up as the
 * research found MIT needs it for a self-signed WHfB key: the user's certificate among the KDC's anchors and a
 * pkinit_cert_match on the principal.
 *
 * @param dir the folder of its database, kdc.conf, krb5.conf and logs
 * @param realm its realm
 * @param port its TCP and UDP port
 * @param process the running krb5kdc, or null while the database is set up
 */
public record MitKdc(Path dir, String realm, int port, Process process) implements AutoCloseable {
    private static final Path KRB5KDC = Path.of("/usr/sbin/krb5kdc");
    private static final Path KDB5_UTIL = Path.of("/usr/sbin/kdb5_util");
    private static final Path KADMIN_LOCAL = Path.of("/usr/sbin/kadmin.local");

    /** Skips the calling test when MIT's KDC tools are missing (.ci/run installs them). */
    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(KRB5KDC) && Files.isExecutable(KDB5_UTIL) && Files.isExecutable(KADMIN_LOCAL),
                "MIT's KDC is not installed (Debian packages krb5-kdc and krb5-admin-server); .ci/run installs them");
    }

    /**
     * Creates a realm database in {@code dir}, adds the principals {@code setup} adds, and starts krb5kdc.
     *
     * @param pkinit the KDC's certificate and key, with the certificates it trusts (the lab CA and users' own), or null
     */
    public static MitKdc start(Path dir, String realm, Pkinit pkinit, Setup setup) throws Exception {
        Files.createDirectories(dir);
        int port = freePort();
        List<String> realmLines = new ArrayList<>(List.of(
                "    database_name = " + dir.resolve("principal"),
                "    key_stash_file = " + dir.resolve("stash"),
                "    acl_file = " + dir.resolve("kadm5.acl"),
                "    kdc_ports = " + port,
                "    kdc_tcp_ports = " + port,
                "    supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal"));
        if (pkinit != null) {
            KdcCertificates.writeCertificate(pkinit.kdc().certificate(), dir.resolve("kdc.pem"));
            KdcCertificates.writePrivateKey(pkinit.kdc().privateKey(), dir.resolve("kdc.key"));
            StringBuilder anchors = new StringBuilder();
            for (X509Certificate c : pkinit.anchors()) {
                anchors.append(KdcCertificates.certificatePem(c));
            }
            Files.writeString(dir.resolve("anchors.pem"), anchors.toString(), StandardCharsets.US_ASCII);
            realmLines.add("    pkinit_identity = FILE:" + dir.resolve("kdc.pem") + "," + dir.resolve("kdc.key"));
            realmLines.add("    pkinit_anchors = FILE:" + dir.resolve("anchors.pem"));
            realmLines.add("    pkinit_eku_checking = none");
        }
        Files.writeString(dir.resolve("kdc.conf"), String.join("\n", "[kdcdefaults]", "  kdc_ports = " + port,
                "  kdc_tcp_ports = " + port, "[realms]", "  " + realm + " = {", String.join("\n", realmLines), "  }",
                "[logging]", "  kdc = FILE:" + dir.resolve("kdc.log"), ""), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("krb5.conf"), String.join("\n", "[libdefaults]", "  default_realm = " + realm,
                "[realms]", "  " + realm + " = {", "    kdc = 127.0.0.1:" + port, "  }", ""), StandardCharsets.UTF_8);
        MitKdc unstarted = new MitKdc(dir, realm, port, null);
        unstarted.run(KDB5_UTIL.toString(), "create", "-s", "-r", realm, "-P", "mit-master-" + System.nanoTime());
        setup.addTo(unstarted);
        Process process = unstarted.builder(KRB5KDC.toString(), "-n", "-r", realm).redirectErrorStream(true)
                .redirectOutput(dir.resolve("krb5kdc.out").toFile()).start();
        MitKdc kdc = new MitKdc(dir, realm, port, process);
        kdc.awaitListening();
        return kdc;
    }

    /** What to put in the realm's database before the KDC starts. */
    @FunctionalInterface
    public interface Setup {
        void addTo(MitKdc kdc) throws Exception;
    }

    /**
     * PKINIT settings.
     *
     * @param kdc the KDC certificate (id-pkinit-san krbtgt/REALM@REALM) and key
     * @param anchors what the KDC trusts: the lab CA and each user's self-signed certificate
     */
    public record Pkinit(KdcCertificates.Credential kdc, List<X509Certificate> anchors) {
    }

    /** {@code addprinc -pw password +requires_preauth name}. */
    public void addUser(String name, String password) throws Exception {
        kadmin("addprinc -pw " + password + " +requires_preauth " + name);
    }

    /** A principal signing in by PKINIT only: no keys, its certificate's subject matched ({@code CN=cn}). */
    public void addPkinitUser(String name, String cn) throws Exception {
        kadmin("addprinc -nokey +requires_preauth " + name);
        kadmin("set_string " + name + " pkinit_cert_match <SUBJECT>^CN=" + cn + "$");
    }

    /** A service principal with a random key ({@code ldap/dc1.corp.example.com}). */
    public void addService(String name) throws Exception {
        kadmin("addprinc -randkey " + name);
    }

    /** A krb5.conf naming this KDC only. */
    public Path clientConfig() {
        return dir.resolve("krb5.conf");
    }

    private void kadmin(String query) throws Exception {
        run(KADMIN_LOCAL.toString(), "-r", realm, "-q", query);
    }

    private ProcessBuilder builder(String... command) {
        ProcessBuilder b = new ProcessBuilder(command);
        b.environment().put("KRB5_CONFIG", dir.resolve("krb5.conf").toString());
        b.environment().put("KRB5_KDC_PROFILE", dir.resolve("kdc.conf").toString());
        return b;
    }

    private void run(String... command) throws Exception {
        Process p = builder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || out.contains("error") && !out.contains("created")) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("krb5kdc exited: " + Files.readString(dir.resolve("krb5kdc.out")));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.onSpinWait();
                process.waitFor(20, TimeUnit.MILLISECONDS);
            }
        }
        throw new IOException("krb5kdc did not listen on " + port + " within 20 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
