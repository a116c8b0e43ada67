package dev.keytrust.kdc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * MIT's kinit, klist and kvno (Debian krb5-user), run unmodified against one krb5.conf with their own credential
 * cache and trace. Public, with the {@link Installed} and {@link PkinitInstalled} conditions, for the DC module's
 * tests (through this module's test jar).
 */
public class MitClient {
    private static final Path KINIT = Path.of("/usr/bin/kinit");
    private static final Path KVNO = Path.of("/usr/bin/kvno");
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

    /** A client of the KDC {@code config} names, keeping its tickets and trace in {@code dir}. */
    public MitClient(Path config, Path dir) throws IOException {
        this.config = config;
        Files.createDirectories(dir);
        this.cache = dir.resolve("ccache");
        this.trace = dir.resolve("trace.log");
    }

    MitClient(Path dir, String realm, String kdcAddress, boolean tcp) throws IOException {
        this(dir, realm, kdcAddress, tcp, List.of());
    }

    /** As above, with extra {@code [libdefaults]} lines such as {@code default_tkt_enctypes = rc4-hmac}. */
    MitClient(Path dir, String realm, String kdcAddress, boolean tcp, List<String> libdefaults) throws IOException {
        this(writeConfig(dir, realm, kdcAddress, tcp, libdefaults), dir);
    }

    /** Writes {@code dir/krb5.conf} naming one KDC of {@code realm}, over TCP only when {@code tcp}. */
    private static Path writeConfig(Path dir, String realm, String kdcAddress, boolean tcp, List<String> libdefaults)
            throws IOException {
        Path config = dir.resolve("krb5.conf");
        Files.writeString(config, String.join("\n",
                "[libdefaults]",
                "  default_realm = " + realm,
                "  dns_lookup_kdc = false",
                "  dns_lookup_realm = false",
                "  rdns = false",
                "  udp_preference_limit = " + (tcp ? "1" : "65535"),
                "  default_ccache_name = FILE:" + dir.resolve("ccache"),
                libdefaults.stream().map(l -> "  " + l + "\n").reduce("", String::concat),
                "[realms]",
                "  " + realm + " = {",
                "    kdc = " + kdcAddress,
                "  }",
                "[domain_realm]",
                "  .corp.example.com = " + realm,
                ""), StandardCharsets.UTF_8);
        return config;
    }

    /**
     * Why MIT's client tools (and, with {@code pkinit}, its PKINIT plugin) cannot run here, or empty when they can.
     */
    public static Optional<String> missing(boolean pkinit) {
        if (!Files.isExecutable(KINIT) || !Files.isExecutable(KVNO)) {
            return Optional.of("MIT Kerberos clients are not installed (Debian package krb5-user); .ci/run installs them");
        }
        if (pkinit && !Files.exists(PKINIT_PLUGIN)) {
            return Optional.of("MIT's PKINIT plugin is not installed (Debian package krb5-pkinit); .ci/run installs it");
        }
        return Optional.empty();
    }

    private static ConditionEvaluationResult runsWhen(Optional<String> missing) {
        return missing.map(ConditionEvaluationResult::disabled)
                .orElseGet(() -> ConditionEvaluationResult.enabled("MIT's Kerberos clients are installed"));
    }

    /** JUnit 5: skips a test class (with the reason) when MIT's client tools are not installed. */
    public static final class Installed implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return runsWhen(missing(false));
        }
    }

    /** JUnit 5: skips a test class (with the reason) when MIT's client tools or its PKINIT plugin are not installed. */
    public static final class PkinitInstalled implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return runsWhen(missing(true));
        }
    }

    /** {@code kinit principal} with the password on stdin. */
    public Result kinit(String principal, String password) throws IOException, InterruptedException {
        return run(password + "\n", KINIT.toString(), principal);
    }

    public Result klist() throws IOException, InterruptedException {
        return run("", "/usr/bin/klist");
    }

    public Result kvno(String service) throws IOException, InterruptedException {
        return run("", KVNO.toString(), service);
    }

    /** Forgets the tickets. */
    public void kdestroy() throws IOException {
        Files.deleteIfExists(cache);
    }

    /** Runs {@code command} with this client's krb5.conf, credential cache and trace, {@code stdin} as its input. */
    public Result run(String stdin, String... command) throws IOException, InterruptedException {
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

    /** The KRB5_TRACE output so far (for assertion messages). */
    public String trace() throws IOException {
        return Files.exists(trace) ? Files.readString(trace) : "";
    }
}
