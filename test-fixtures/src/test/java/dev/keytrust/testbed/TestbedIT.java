package dev.keytrust.testbed;

import static dev.keytrust.testbed.KeyTrustAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A key's journey through the default testbed on virtual time, with AD's exact delays. */
class TestbedIT {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static Testbed testbed;

    @BeforeAll
    static void start() {
        long t = System.nanoTime();
        testbed = Testbed.start(TestbedConfig.builder().users(6).seed(7).build());
        System.out.printf("testbed start: %d ms%n", (System.nanoTime() - t) / 1_000_000);
    }

    @AfterAll
    static void stop() {
        testbed.close();
    }

    @Test
    void aKeyReachesDc1AtTheNextAgentCycleDc2FifteenSecondsLaterAndTheBranchAtTheSiteLinkInterval() {
        try (Testbed fresh = Testbed.start(TestbedConfig.builder().users(6).seed(7).build())) {
            journey(fresh);
        }
    }

    private static void journey(Testbed testbed) {
        String alice = testbed.users().get(0);
        TestKey key = testbed.registerKey(alice, "ALICE-PC");
        assertThat(key.registered()).isEqualTo(testbed.now());
        assertThat(testbed.probe("DC3", key).wouldAuthenticate()).isFalse();
        assertThat(testbed.probe("DC3", key).conclusion()).contains("not yet replicated here");

        KeyTimeline timeline = testbed.await().until(key).isVisibleOn("DC3");
        Instant cycle = T0.plus(Duration.ofMinutes(30));
        assertThat(timeline.readByAgent()).contains(cycle);
        assertThat(timeline.visibleOn("DC1")).contains(cycle);
        assertThat(timeline.visibleOn("DC2")).contains(cycle.plusSeconds(15));
        assertThat(timeline.visibleOn("DC3")).contains(T0.plus(Duration.ofMinutes(180)));
        assertThat(timeline.toString()).contains("visible on DC3", "(+3h00m00s)");

        assertThat(testbed.dc("DC3")).hasKey(key);
        ProbeResult probe = testbed.probe("DC3", key);
        assertThat(probe.wouldAuthenticate()).isTrue();
        assertThat(probe.userDn()).get().asString().startsWith("CN=");

        testbed.removeKey(key);
        testbed.await().until(key).isGoneFrom("DC3");
        assertThat(testbed.dc("DC1")).doesNotHaveKey(key);
    }

    @Test
    void aStoppedBranchDcGetsTheKeyAfterItIsBackAndAFailedWaitShowsTheTimeline() {
        testbed.reset();
        TestKey key = testbed.registerKey(testbed.users().get(1), "BOB-PC");
        testbed.network().stopDc("DC3");
        assertThatThrownBy(() -> testbed.await().atMost(Duration.ofHours(5)).until(key).isVisibleOn("DC3"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("visible on DC3 within PT5H")
                .hasMessageContaining("visible on DC1");
        testbed.network().startDc("DC3");
        KeyTimeline t = testbed.await().until(key).isVisibleEverywhere();
        assertThat(t.visibleOn("DC3")).isPresent();
    }

    @Test
    void resetClearsKeysEverywhereQuicklyAndTheAgentStartsOverWithAFullSync() {
        testbed.reset();
        TestKey key = testbed.registerKey(testbed.users().get(2), "CAROL-PC");
        testbed.await().until(key).isVisibleOn("DC2");
        long t = System.nanoTime();
        testbed.reset();
        long millis = (System.nanoTime() - t) / 1_000_000;
        System.out.printf("testbed reset: %d ms%n", millis);
        assertThat(testbed.dc("DC1")).doesNotHaveKey(key);
        assertThat(testbed.dc("DC2")).doesNotHaveKey(key);
        assertThatThrownBy(() -> testbed.timeline(key)).hasMessageContaining("was not registered through this testbed");
        TestKey again = testbed.registerKey(testbed.users().get(2), "CAROL-PC");
        testbed.await().until(again).isVisibleOn("DC1");
        assertThat(testbed.agent().lastReport().orElseThrow().mode()).isEqualTo("full");
    }

    @Test
    void twoTestbedsWithThrottledGraphRunSideBySideOnTheirOwnClocks() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.List<java.util.concurrent.Future<KeyTimeline>> runs = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                long seed = 100 + i;
                runs.add(pool.submit(() -> {
                    try (Testbed own = Testbed.start(TestbedConfig.builder().users(3).seed(seed)
                            .graphFault(dev.keytrust.graph.mock.FaultRule.status("/beta/users/delta*", 429).retryAfter(60).times(2))
                            .build())) {
                        TestKey key = own.registerKey(own.users().get(0), "PC");
                        return own.await().until(key).isVisibleEverywhere();
                    }
                }));
            }
            for (java.util.concurrent.Future<KeyTimeline> run : runs) {
                KeyTimeline t = run.get(120, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(t.visibleOn("DC3")).isPresent();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unknownUsersAndDcsAreRefusedWithTheChoices() {
        assertThatThrownBy(() -> testbed.registerKey("nobody", "PC")).hasMessageContaining("no user 'nobody'");
        assertThatThrownBy(() -> testbed.dc("DC9")).hasMessageContaining("DC9");
    }
}
