package dev.keytrust.dc.kerberos;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * MIT's kinit, kvno and klist (Debian krb5-user, krb5-pkinit), run unmodified against one krb5.conf (as
 * {@link Krb5Files} writes them) with their own credential cache and trace. Public for other modules' tests.
 */
public final class MitKerberos {
    private static final Path PKINIT_PLUGIN = Path.of("/usr/lib/x86_64-linux-gnu/krb5/plugins/preauth/pkinit.so");

    /** What a tool printed (stdout and stderr) and its exit code. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final Path config;
    private final Path cache;
    private final Path trace;

    /** A client of the KDC {@code config} names, keeping its tickets in {@code dir}. */
    public MitKerberos(Path config, Path dir) throws IOException {
        this.config = config;
        Files.createDirectories(dir);
        this.cache = dir.resolve("ccache");
        this.trace = dir.resolve("trace.log");
    }

    /** Skips the calling test when MIT's client tools or its PKINIT plugin are missing (.ci/run installs them). */
    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kinit")) && Files.isExecutable(Path.of("/usr/bin/kvno")),
                "MIT Kerberos clients are not installed (Debian package krb5-user); .ci/run installs them");
        assumeTrue(Files.exists(PKINIT_PLUGIN),
                "MIT's PKINIT plugin is not installed (Debian package krb5-pkinit); .ci/run installs it");
    }

    /** {@code kinit principal} with the password on stdin. */
    public Result kinit(String principal, String password) throws IOException, InterruptedException {
        return run(password + "\n", "/usr/bin/kinit", principal);
    }

    /**
     * {@code kinit -X X509_user_identity=FILE:cert,key -X X509_anchors=FILE:ca -X X509_anchors=FILE:cert principal}:
     * PKINIT with a self-signed (WHfB-like) certificate, which MIT must also find among its anchors.
     */
    public Result pkinit(String principal, Path certificate, Path key, Path ca) throws IOException, InterruptedException {
        return run("", "/usr/bin/kinit", "-X", "X509_user_identity=FILE:" + certificate + "," + key,
                "-X", "X509_anchors=FILE:" + ca, "-X", "X509_anchors=FILE:" + certificate, principal);
    }

    public Result kvno(String service) throws IOException, InterruptedException {
        return run("", "/usr/bin/kvno", service);
    }

    public Result klist() throws IOException, InterruptedException {
        return run("", "/usr/bin/klist");
    }

    /** Forgets the tickets. */
    public void kdestroy() throws IOException {
        Files.deleteIfExists(cache);
    }

    /** The KRB5_TRACE output so far (for assertion messages). */
    public String trace() throws IOException {
        return Files.exists(trace) ? Files.readString(trace) : "";
    }

    private Result run(String stdin, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("KRB5_CONFIG", config.toString());
        env.put("KRB5CCNAME", "FILE:" + cache);
        env.put("KRB5_TRACE", trace.toString());
        env.remove("KRB5_KTNAME");
        Process process = builder.start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command[0] + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), output);
    }
}
