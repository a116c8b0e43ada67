package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /**
     * Runs a Python ldap3 script against {@code dc}: {@code import json, sys} and an empty dict {@code out}, then
     * {@code body}, which finds the DC's host and port in {@code sys.argv[1:3]}, {@code arguments} after them, and
     * fills {@code out}, which is printed as JSON. Asserts the script succeeded; its {@code out}.
     */
    static JsonNode ldap3Script(Path dir, DomainController dc, List<String> body, String... arguments)
            throws IOException, InterruptedException {
        require("Python ldap3 (python3-ldap3)", "/usr/bin/python3", "-c", "import ldap3");
        List<String> script = new ArrayList<>(List.of("import json, sys", "out = {}"));
        script.addAll(body);
        script.add("print(json.dumps(out))");
        Path file = Files.writeString(dir.resolve("ldap3_script.py"), String.join("\n", script) + "\n");
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", file.toString(), dc.host(),
                String.valueOf(dc.port())));
        command.addAll(List.of(arguments));
        Result r = run("", command);
        assertThat(r.exit()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
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
