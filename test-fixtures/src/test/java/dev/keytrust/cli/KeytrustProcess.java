package dev.keytrust.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs {@code ./keytrust} as its own process, as a user would (never rebuilding: the tests run on the built jar). */
final class KeytrustProcess {
    /** The repository root, where {@code ./keytrust} lives. */
    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    private KeytrustProcess() {
    }

    /** Starts {@code ./keytrust args...} with {@code env} added; standard error goes to {@code stderr}. */
    static Process start(List<String> args, Map<String, String> env, Path stderr) throws Exception {
        return start(List.of(), args, env, stderr);
    }

    /** Starts {@code launcher... ./keytrust args...}, e.g. with {@code ip netns exec NS} in front. */
    static Process start(List<String> launcher, List<String> args, Map<String, String> env, Path stderr) throws Exception {
        List<String> command = new ArrayList<>(launcher);
        command.add(ROOT.resolve("keytrust").toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectError(stderr.toFile());
        pb.environment().put("KEYTRUST_NO_BUILD", "1");
        pb.environment().putAll(env);
        return pb.start();
    }
}
