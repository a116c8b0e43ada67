package dev.keytrust.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keytrust.cli.KeyTrustCommand;
import dev.keytrust.testbed.TestKey;
import dev.keytrust.testbed.Testbed;
import dev.keytrust.testbed.TestbedConfig;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code keytrust lab} prints when its output is not a terminal (issue 17, frictions 5 and 9), and its report.
 */
class LabOutputIT {
    private static final Pattern EVENT = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z)  (.*)$");

    private static String lab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> a = new java.util.ArrayList<>(List.of("lab", "--virtual", "--until-converged"));
        a.addAll(List.of(args));
        int exit = KeyTrustCommand.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
                a.toArray(String[]::new));
        assertThat(exit).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void eventsComeInTimeOrderNeverBeforeTheStartAndAQuietStretchSaysWhatIsDueNext() {
        String out = lab("--no-web", "--users", "4", "--keys", "3");
        Matcher start = Pattern.compile("simulated start (\\S+)").matcher(out);
        assertThat(start.find()).as(out).isTrue();
        Instant started = Instant.parse(start.group(1));
        List<String> lines = out.lines().toList();
        Instant previous = started;
        int firstDc3 = -1;
        int lastDc1 = -1;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = EVENT.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            Instant at = Instant.parse(m.group(1));
            assertThat(at).as("line %d not before the printed start or the line before it:%n%s", i, out).isAfterOrEqualTo(previous);
            previous = at;
            if (m.group(2).contains("visible on DC3") && firstDc3 < 0) {
                firstDc3 = i;
            }
            if (m.group(2).contains("visible on DC1")) {
                lastDc1 = i;
            }
        }
        assertThat(lastDc1).as("every key's DC1 arrival printed before any DC3 arrival (time order, not grouped by key):%n%s", out)
                .isPositive().isLessThan(firstDc3);
        assertThat(out).contains("2026-01-01T00:00:30Z  quiet; next: next agent cycle at 2026-01-01T00:30:00Z, "
                + "next pull over HQ-Branch at 2026-01-01T03:00:00Z", "2026-01-01T00:30:30Z  quiet; next: next pull over "
                + "HQ-Branch at 2026-01-01T03:00:00Z").doesNotContain("quiet; next: next agent cycle at 2026-01-01T01:00:00Z");
    }

    @Test
    void theTableShowsWholeUserNames() {
        try (Testbed testbed = Testbed.start(TestbedConfig.builder().users(2).seed(3).build())) {
            String upn = testbed.users().get(0);
            assertThat(upn.length()).isGreaterThan(17);
            TestKey key = testbed.registerKey(upn, "PC");
            StringWriter out = new StringWriter();
            LabView view = new LabView(new PrintWriter(out), testbed, List.of(key), true);
            view.header("virtual time", testbed.now());
            view.update(false);
            assertThat(out.toString()).contains(upn + " " + key.fingerprint()).contains("next: ", "agent cycle 00:30:00 · pull HQ-Branch 03:00:00");
            assertThat(out.toString().lines().filter(l -> l.contains("next: ")).findFirst().orElseThrow())
                    .as("short enough not to wrap on an 80-column terminal").hasSizeLessThan(80);
        }
    }

    @Test
    void theReportIsWrittenAndOpensWithoutTheNetwork(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("journey.html");
        String out = lab("--report", report.toString(), "--users", "3", "--keys", "2");
        assertThat(out).contains("journey report: " + report.toAbsolutePath(), "journey page: http://127.0.0.1:");
        String html = Files.readString(report);
        assertThat(html).contains("<svg", "data-dc=\"DC3\"", "every key is on every DC", "originating DC")
                .doesNotContain("src=\"http", "href=\"http", "@import", "<link");
    }

    @Test
    void aWebPortInUseIsRefusedWithAWayOut() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            StringWriter err = new StringWriter();
            int exit = KeyTrustCommand.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(new StringWriter()),
                    new PrintWriter(err), "lab", "--virtual", "--until-converged", "--users", "2", "--keys", "1",
                    "--web-port", String.valueOf(taken.getLocalPort()));
            assertThat(exit).isEqualTo(KeyTrustCommand.EXIT_INVALID);
            assertThat(err.toString()).contains("cannot serve the journey page on 127.0.0.1:" + taken.getLocalPort(),
                    "--web-port", "--no-web");
        }
    }
}
