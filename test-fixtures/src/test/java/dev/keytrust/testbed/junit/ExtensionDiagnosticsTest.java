package dev.keytrust.testbed.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.keytrust.testbed.TestKey;
import dev.keytrust.testbed.TestbedConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * What a failed test that uses the extension carries: the testbed's diagnostics (pending work, each DC's partners,
 * Graph requests, the keys' journeys); and a testbed driven through the extension object itself.
 */
class ExtensionDiagnosticsTest {

    /** Run only by the test kit below (its name does not end in Test, so Surefire does not pick it up). */
    static class FailingLab {
        @RegisterExtension
        static KeyTrustTestbedExtension lab = KeyTrustTestbedExtension.with(TestbedConfig.builder().users(2).seed(9).build());

        @Test
        void aKeyThatIsNotOnDc3Yet() {
            TestKey key = lab.registerKey(lab.testbed().users().get(0), "laptop");
            lab.advance(Duration.ofMinutes(31)); // one agent cycle: DC1 has it, DC3 (other site) not yet
            assertThat(lab.dc("DC3").hasKey(key)).as("the key on DC3").isTrue();
        }

        @Test
        void aPassingTest() {
            TestKey key = lab.registerKey(lab.testbed().users().get(1), "phone");
            lab.await().until(key).isVisibleOn("DC3");
            assertThat(lab.timeline(key).visibleOn("DC3")).isPresent();
        }
    }

    /** Run only by the test kit below: a scaled-time task fails while the test itself passes. */
    static class TaskFailureLab {
        @RegisterExtension
        static KeyTrustTestbedExtension lab = KeyTrustTestbedExtension.with(TestbedConfig.builder().users(1).seed(9)
                .timeScale(60).build()).failOnTaskFailures(true);

        @Test
        void aTestDuringWhichABackgroundTaskFails() {
            lab.testbed().scheduler().schedule(Duration.ZERO, "a task that fails", () -> {
                throw new IllegalStateException("boom");
            });
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (lab.testbed().taskFailures().isEmpty() && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000); // the scheduler's own thread runs it
            }
        }
    }

    @Test
    void withFailOnTaskFailuresATestDuringWhichAScaledTimeTaskFailedFails() {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(TaskFailureLab.class)).execute()
                .testEvents();
        List<Event> failed = tests.failed().list();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow()).hasMessageContaining("1 scheduled task(s) failed", "a task that fails");
    }

    @Test
    void aFailedTestCarriesTheTestbedsDiagnosticsAndAPassingOneNone() {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailingLab.class)).execute().testEvents();
        assertThat(tests.succeeded().count()).isEqualTo(1);
        List<Event> failed = tests.failed().list();
        assertThat(failed).hasSize(1);
        Throwable failure = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        assertThat(failure.getSuppressed()).singleElement().satisfies(s -> assertThat(s.getMessage())
                .contains("KeyTrust testbed diagnostics", "pending work", "replication partners", "DC3", "from ",
                        "Graph requests", "/users", "keys:", "laptop"));
    }

    @Test
    void aFailedTestLeavesItsJourneyReportNextToTheDiagnostics() throws Exception {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailingLab.class)).execute().testEvents();
        Throwable failure = tests.failed().list().get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .orElseThrow().getThrowable().orElseThrow();
        String diagnostics = failure.getSuppressed()[0].getMessage();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("journey report: (\\S+)").matcher(diagnostics);
        assertThat(m.find()).as(diagnostics).isTrue();
        java.nio.file.Path report = java.nio.file.Path.of(m.group(1));
        assertThat(report).exists().hasFileName(FailingLab.class.getName().replace("$", "_") + ".aKeyThatIsNotOnDc3Yet.html");
        String html = java.nio.file.Files.readString(report);
        assertThat(html).contains("<svg", "data-dc=\"DC3\"", "laptop", "class=\"pending\" data-dc=\"DC3\"")
                .doesNotContain("src=\"http", "href=\"http", "@import");
    }
}
