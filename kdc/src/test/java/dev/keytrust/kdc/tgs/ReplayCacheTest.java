package dev.keytrust.kdc.tgs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayCacheTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void anAuthenticatorSeenTwiceIsAReplay() {
        ReplayCache cache = new ReplayCache(Duration.ofMinutes(5), 10);
        assertThat(cache.firstSeen("a", T0, T0)).isTrue();
        assertThat(cache.firstSeen("a", T0, T0.plusSeconds(1))).isFalse();
        assertThat(cache.firstSeen("b", T0, T0.plusSeconds(1))).isTrue();
    }

    @Test
    void whenFullExpiredEntriesMakeRoomAndLiveOnesAreNeverForgotten() {
        ReplayCache cache = new ReplayCache(Duration.ofMinutes(5), 2);
        cache.firstSeen("old", T0, T0);
        cache.firstSeen("live", T0.plusSeconds(600), T0.plusSeconds(600));
        assertThat(cache.firstSeen("new", T0.plusSeconds(900), T0.plusSeconds(900))).isTrue();
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.firstSeen("another", T0.plusSeconds(900), T0.plusSeconds(900)))
                .as("full of live entries: refuse rather than forget").isFalse();
        assertThat(cache.firstSeen("live", T0.plusSeconds(600), T0.plusSeconds(901))).isFalse();
    }
}
