package dev.keytrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the real {@code ./keytrust} launcher as a separate process against the jar this build packaged
 * ({@code KEYTRUST_NO_BUILD=1}, so the test never starts a nested Maven build).
 */
class LauncherIT {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    record Run(int exit, String out, String err) {
    }

    static Run launcher(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("keytrust").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
        pb.environment().put("KEYTRUST_NO_BUILD", "1");
        Path out = Files.createTempFile("keytrust-out", ".txt");
        Path err = Files.createTempFile("keytrust-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("keytrust finished within 60 s").isTrue();
        Run run = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    @Test
    void theCommandLinesClassPathHoldsNoTestLibraries() throws Exception {
        String classpath = Files.readString(ROOT.resolve("test-fixtures/target/launcher.classpath"));
        assertThat(classpath).contains("picocli", "unboundid").doesNotContain("junit", "assertj", "opentest4j");
    }

    @Test
    void theLauncherRunsThePackagedCommandLine() throws Exception {
        Run help = launcher("", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Commands:", "decode", "encode");

        Run version = launcher("", "--version");
        assertThat(version.out()).startsWith("keytrust 0.1.0");
    }

    /**
     * The launcher builds when a source is newer than the jar; Maven leaves an unchanged jar as it was (a change in
     * another module does not rewrite it), so the launcher must not keep building on every later run. Checked in a
     * copy of the tree with a stand-in {@code mvn} on the PATH that only counts its calls.
     */
    @Test
    void aBuildThatLeavesTheJarAsItWasIsNotRepeated(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path target = dir.resolve("test-fixtures/target");
        Files.createDirectories(target);
        Files.copy(ROOT.resolve("keytrust"), dir.resolve("keytrust"));
        dir.resolve("keytrust").toFile().setExecutable(true);
        Files.copy(ROOT.resolve("test-fixtures/target/keytrust.jar"), target.resolve("keytrust.jar"));
        Files.copy(ROOT.resolve("test-fixtures/target/launcher.classpath"), target.resolve("launcher.classpath"));
        Files.writeString(dir.resolve("pom.xml"), "<project/>");
        Path source = dir.resolve("ldap-server/src/main/java/Changed.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class Changed {}");
        target.resolve("keytrust.jar").toFile().setLastModified(System.currentTimeMillis() - 60_000);
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path calls = dir.resolve("mvn-calls");
        Files.writeString(bin.resolve("mvn"), "#!/bin/sh\necho \"$@\" >> '" + calls + "'\n");
        bin.resolve("mvn").toFile().setExecutable(true);

        for (int run = 0; run < 2; run++) {
            ProcessBuilder pb = new ProcessBuilder(dir.resolve("keytrust").toString(), "--version").directory(dir.toFile());
            pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(out).as("run " + run).startsWith("keytrust 0.1.0");
        }
        assertThat(Files.readAllLines(calls)).as("built once, for the changed source; not again").hasSize(1);
    }

    /**
     * The README's first command on a fresh checkout: no module built yet, so the launcher runs its own Maven build
     * (tests skipped entirely, as a user's first run does) and then the command. Checked in a copy of the sources with
     * every {@code target} folder left out; the nested build uses the same local Maven repository as this one.
     */
    @Test
    void theLauncherBuildsEverythingItNeedsOnAFreshCheckout(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        try (var files = Files.walk(ROOT)) {
            for (Path source : (Iterable<Path>) files.filter(p -> !p.equals(ROOT))::iterator) {
                Path relative = ROOT.relativize(source);
                if (relative.toString().isEmpty() || excluded(relative)) {
                    continue;
                }
                Path copy = dir.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(source, copy, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        ProcessBuilder pb = new ProcessBuilder(dir.resolve("keytrust").toString(), "--version").directory(dir.toFile());
        pb.environment().remove("KEYTRUST_NO_BUILD");
        Path log = Files.createTempFile("keytrust-first-run", ".txt");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        boolean finished = p.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        Files.delete(log);
        assertThat(finished).as("first run (build and command) finished within 10 minutes; output so far:%n%s", out).isTrue();
        assertThat(p.exitValue()).as("exit code of the first run; its output:%n%s", out).isZero();
        assertThat(out).contains("keytrust 0.1.0");
        assertThat(dir.resolve("test-fixtures/target/keytrust.jar")).exists();
    }

    /** Build output and version control, which a fresh checkout does not have. */
    private static boolean excluded(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.equals("target") || name.equals(".git") || name.equals("node_modules")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theLauncherPassesStandardInputAndExitCodesThrough() throws Exception {
        String sample = new String(getClass().getResourceAsStream("/decode-sample.txt").readAllBytes(), StandardCharsets.UTF_8);
        Run ok = launcher(sample, "decode", "-");
        assertThat(ok.exit()).isZero();
        assertThat(ok.out().lines()).hasSize(3).allMatch(l -> l.startsWith("{\"version\":512"));

        Run bad = launcher("", "decode", "B:827:00:CN=x");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().lines()).hasSize(1);
        assertThat(bad.out()).isEmpty();
    }
}
