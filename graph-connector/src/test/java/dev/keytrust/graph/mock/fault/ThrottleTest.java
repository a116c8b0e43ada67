package dev.keytrust.graph.mock.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keytrust.graph.mock.GraphMockConfig;
import dev.keytrust.graph.mock.MockSettings.ThrottleHeaders;
import dev.keytrust.graph.mock.http.GraphError;
import dev.keytrust.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThrottleTest {
    @Test
    void costsFollowGraphsIdentityTable() {
        assertThat(Throttle.cost("GET", true, Map.of())).isEqualTo(2);
        assertThat(Throttle.cost("GET", true, Map.of("$select", "id"))).isEqualTo(1);
        assertThat(Throttle.cost("GET", true, Map.of("$select", "id", "$top", "5"))).as("never below 1").isEqualTo(1);
        assertThat(Throttle.cost("GET", true, Map.of("$top", "20"))).as("$top 20 is not under 20").isEqualTo(2);
        assertThat(Throttle.cost("GET", true, Map.of("expand", "manager"))).as("without the $ too").isEqualTo(3);
        assertThat(Throttle.cost("GET", false, Map.of())).isEqualTo(1);
        assertThat(Throttle.cost("DELETE", true, Map.of())).isEqualTo(1);
    }

    @Test
    void resourcesAreUsersAuthenticationMethodsOrTheFirstSegment() {
        assertThat(Throttle.resource("/v1.0/users")).isEqualTo("users");
        assertThat(Throttle.resource("/beta/users/delta()")).isEqualTo("users");
        assertThat(Throttle.resource("/v1.0/users/x/authentication/windowsHelloForBusinessMethods")).isEqualTo("authenticationMethods");
        assertThat(Throttle.resource("/v1.0/$batch")).isEqualTo("$batch");
    }

    @Test
    void headersFollowTheChosenStyleAndAnEarlyRetryIsThrottledOnItsResourceOnly() {
        VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-03-01T08:00:00Z"));
        AtomicReference<ThrottleHeaders> style = new AtomicReference<>(ThrottleHeaders.GRAPH);
        Throttle t = new Throttle(time.clock(), Optional.of(new GraphMockConfig.RateLimit(4, Duration.ofSeconds(10))), style::get, "tenant");
        Map<String, String> h = new HashMap<>();
        assertThat(t.charge("app", "users", 2, h)).isNull();
        assertThat(h).containsEntry("x-ms-resource-unit", "2").doesNotContainKey("x-ms-throttle-limit-percentage");
        h.clear();
        assertThat(t.charge("app", "users", 2, h)).isNull();
        assertThat(h).containsEntry("x-ms-throttle-limit-percentage", "1.0");
        GraphError over = t.charge("app", "users", 1, new HashMap<>());
        assertThat(over.status()).isEqualTo(429);
        assertThat(over.headers()).containsEntry("Retry-After", "10").containsEntry("x-ms-throttle-scope",
                "Tenant_Application/ReadWrite/app/tenant");
        time.advance(Duration.ofSeconds(10));
        t.told("app", "authenticationMethods", 30);
        assertThat(t.charge("app", "authenticationMethods", 1, new HashMap<>()).headers()).containsEntry("Retry-After", "30");
        style.set(ThrottleHeaders.RATE_LIMIT);
        h.clear();
        assertThat(t.charge("app", "users", 1, h)).isNull();
        assertThat(h).containsEntry("RateLimit-Limit", "4").containsEntry("RateLimit-Remaining", "3")
                .doesNotContainKey("x-ms-resource-unit");
        time.close();
    }
}
