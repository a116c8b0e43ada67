package dev.keytrust.testbed;

import static dev.keytrust.testbed.KeyTrustAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keytrust.testbed.junit.KeyTrustTestbed;
import java.time.Duration;
import org.junit.jupiter.api.Test;

// README example: keep in step with the "JUnit usage" section.
@KeyTrustTestbed(users = 5, seed = 42)
class ReadmeExampleTest {
    @Test
    void aNewKeyCannotLogOnAtTheBranchUntilTheSiteLinkHasReplicated(Testbed testbed) {
        TestKey key = testbed.registerKey(testbed.users().get(0), "ALICE-LAPTOP");

        testbed.await().until(key).isVisibleOn("DC1");                 // the agent's next 30-minute cycle
        assertThat(testbed.probe("DC3", key).wouldAuthenticate()).isFalse();

        KeyTimeline journey = testbed.await().until(key).isVisibleOn("DC3");   // the HQ-Branch link, every 180 min
        assertThat(testbed.dc("DC3")).hasKey(key);
        assertThat(testbed.probe("DC3", key).wouldAuthenticate()).isTrue();
        assertThat(journey.delayTo("DC3").orElseThrow()).isLessThanOrEqualTo(Duration.ofMinutes(30 + 180));
    }

    @Test
    void eachTestStartsFromACleanSlate(Testbed testbed) {
        assertThat(testbed.timelines()).isEmpty();
        assertThat(testbed.users()).hasSize(5);
    }
}
