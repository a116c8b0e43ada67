package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real outside client (ldapsearch, ldapmodify, Python) as a process. A tool that is not installed skips
 * the test on a developer's machine and fails it in CI ({@code CI} set), where .ci/run installs it.
 */
final class ExternalTool {
    record Result(int exit, String out, String err) {
    }

    private ExternalTool() {
    }

    static void require(String description, String... probe) {
        boolean present;
        try {
            Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            present = false;
        }
        String message = description + " is not installed (Debian: see .ci/run)";
        if (System.getenv("CI") != null) {
            assertThat(present).as(message).isTrue();
        }
        assumeTrue(present, message);
    }

    static Result run(String stdin, List<String> command) throws IOException, InterruptedException {
        return run(stdin, command, java.util.Map.of());
    }

    /** As {@link #run(String, List)}, with {@code env} added to the tool's environment. */
    static Result run(String stdin, List<String> command, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("tool-out", ".txt");
        Path err = Files.createTempFile("tool-err", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(env);
            Process p = builder.start();
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(command.get(0) + " finished within 60 s").isTrue();
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
