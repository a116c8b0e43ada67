package dev.keytrust.kdc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs MIT's kinit, klist and kvno against one KDC, with their own krb5.conf and credential cache. */
final class MitClient {
    record Result(int exitCode, String output) {
    }

    private final Path dir;
    private final Path config;

    /** Skips the calling test (with the reason) when MIT's client tools are not installed. */
    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kinit")) && Files.isExecutable(Path.of("/usr/bin/kvno")),
                "MIT Kerberos clients are not installed (Debian package krb5-user); .ci/run installs them");
    }

    MitClient(Path dir, String realm, String kdcAddress, boolean tcp) throws IOException {
        this(dir, realm, kdcAddress, tcp, List.of());
    }

    /** As above, with extra {@code [libdefaults]} lines such as {@code default_tkt_enctypes = rc4-hmac}. */
    MitClient(Path dir, String realm, String kdcAddress, boolean tcp, List<String> libdefaults) throws IOException {
        this.dir = dir;
        this.config = dir.resolve("krb5.conf");
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
    }

    Result kinit(String principal, String password) throws IOException, InterruptedException {
        return run(password + "\n", "/usr/bin/kinit", principal);
    }

    Result klist() throws IOException, InterruptedException {
        return run("", "/usr/bin/klist");
    }

    Result kvno(String service) throws IOException, InterruptedException {
        return run("", "/usr/bin/kvno", service);
    }

    Result run(String stdin, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("KRB5_CONFIG", config.toString());
        env.put("KRB5CCNAME", "FILE:" + dir.resolve("ccache"));
        env.put("KRB5_TRACE", dir.resolve("trace.log").toString());
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

    String trace() throws IOException {
        Path trace = dir.resolve("trace.log");
        return Files.exists(trace) ? Files.readString(trace) : "";
    }
}
