package dev.keytrust.bench;

import dev.keytrust.testbed.TestKey;
import dev.keytrust.testbed.Testbed;
import dev.keytrust.testbed.TestbedConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 7's figures (a benchmark reports, it does not gate CI): {@code keytrust lab --virtual --until-converged}
 * from a cold JVM (3 runs), testbed start in a warm JVM (median of 5 after one warm-up), per-test reset (median of
 * 20), and the resident memory of the default lab once every demo key has arrived.
 * Run: {@code mvn -B -pl test-fixtures -am -DskipTests verify -Dbench=lab}
 */
public final class LabBenchmark {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    private LabBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Long> cold = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long t = System.nanoTime();
            Process p = lab("--virtual", "--until-converged", "--json");
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("keytrust lab failed");
            }
            cold.add((System.nanoTime() - t) / 1_000_000);
        }
        System.out.printf(Locale.ROOT, "keytrust lab --virtual --until-converged, cold JVM: %s ms (target <= 10000)%n", cold);

        List<Long> starts = new ArrayList<>();
        List<Long> resets = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long t = System.nanoTime();
            try (Testbed testbed = Testbed.start(TestbedConfig.builder().build())) {
                if (i > 0) {
                    starts.add((System.nanoTime() - t) / 1_000_000);
                }
                if (i == 5) {
                    for (int r = 0; r < 21; r++) {
                        TestKey key = testbed.registerKey(testbed.users().get(r % 10), "PC" + r);
                        testbed.await().until(key).isVisibleOn("DC2");
                        long s = System.nanoTime();
                        testbed.reset();
                        if (r > 0) {
                            resets.add((System.nanoTime() - s) / 1_000);
                        }
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "testbed start (3 DCs + mock + agent), warm JVM: median %d ms (runs %s; target <= 1500)%n",
                median(starts), starts);
        System.out.printf(Locale.ROOT, "testbed reset (after a key reached DC1 and DC2): median %.1f ms (max %.1f; target <= 50)%n",
                median(resets) / 1000.0, resets.stream().mapToLong(Long::longValue).max().orElseThrow() / 1000.0);

        Process p = lab("--virtual");
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null && !line.contains("every demo key is on every DC"); line = out.readLine()) {
            // wait for convergence
        }
        long rss = Files.readAllLines(Path.of("/proc/" + p.pid() + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1L);
        p.destroy();
        p.waitFor();
        System.out.printf(Locale.ROOT, "resident memory of the default lab after convergence: %d MB (target <= 512)%n", rss / 1024);
        System.exit(0);
    }

    private static Process lab(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("keytrust").toString(), "lab"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("KEYTRUST_NO_BUILD", "1");
        return pb.start();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(Long::compare);
        return sorted.get(sorted.size() / 2);
    }
}
