package dev.keytrust.testbed;

import static dev.keytrust.config.ConfigChecks.invalid;

import dev.keytrust.config.ConfigChecks;
import dev.keytrust.topology.Topology;
import dev.keytrust.topology.TopologyYaml;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link Testbed} is built. Immutable; validated when built.
 *
 * <p>Defaults: the README's topology ({@link #defaultTopology()}: DC1 and DC2 in site HQ, DC3 in site Branch, the
 * HQ–Branch link at AD's 180-minute default; DC1 is the sync target), 10 users, seed 0, the agent on Entra Connect's
 * 30-minute cycle, virtual time starting at 2026-01-01T00:00:00Z, administrator password
 * {@code KeyTrust-Passw0rd!}.
 *
 * <pre>{@code
 * TestbedConfig config = TestbedConfig.builder().users(5).seed(42).agentInterval(Duration.ofMinutes(30)).build();
 * try (Testbed testbed = Testbed.start(config)) { ... }
 * }</pre>
 */
public final class TestbedConfig {
    /** The administrator password of every DC unless set. */
    public static final String DEFAULT_PASSWORD = "KeyTrust-Passw0rd!";

    private final Topology topology;
    private final String syncTarget;
    private final int users;
    private final long seed;
    private final Duration agentInterval;
    private final double timeScale;
    private final Instant start;
    private final String adminPassword;
    private final List<dev.keytrust.graph.mock.FaultRule> graphFaults;

    private TestbedConfig(Builder b) {
        this.topology = b.topology != null ? b.topology : defaultTopology();
        this.syncTarget = b.syncTarget != null ? b.syncTarget : topology.domainControllers().get(0).name();
        this.users = b.users;
        this.seed = b.seed;
        this.agentInterval = b.agentInterval;
        this.timeScale = b.timeScale;
        this.start = b.start;
        this.adminPassword = b.adminPassword;
        this.graphFaults = List.copyOf(b.graphFaults);
    }

    /** DC1 and DC2 in HQ, DC3 in Branch, HQ–Branch at cost 100 and AD's default 180-minute interval. */
    public static Topology defaultTopology() {
        return Topology.builder().domain("corp.example.com").site("HQ").site("Branch")
                .siteLink("HQ-Branch", List.of("HQ", "Branch"), 100, Duration.ofMinutes(180), false, List.of())
                .dc("DC1", "HQ").dc("DC2", "HQ").dc("DC3", "Branch").build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Topology topology() { return topology; }
    /** The DC the agent writes to. */
    public String syncTarget() { return syncTarget; }
    public int users() { return users; }
    public long seed() { return seed; }
    public Duration agentInterval() { return agentInterval; }
    /** 0 for virtual time; otherwise simulated seconds per real second. */
    public double timeScale() { return timeScale; }
    public Instant start() { return start; }
    public String adminPassword() { return adminPassword; }
    /** Graph faults active from the start (and again after each reset). */
    public List<dev.keytrust.graph.mock.FaultRule> graphFaults() { return graphFaults; }

    /** Builds a {@link TestbedConfig}. */
    public static final class Builder {
        private Topology topology;
        private String syncTarget;
        private int users = 10;
        private long seed;
        private Duration agentInterval = Duration.ofMinutes(30);
        private double timeScale;
        private Instant start = Instant.parse("2026-01-01T00:00:00Z");
        private String adminPassword = DEFAULT_PASSWORD;
        private final List<dev.keytrust.graph.mock.FaultRule> graphFaults = new java.util.ArrayList<>();

        private Builder() {
        }

        /** A Graph fault active from the start, e.g. {@code FaultRule.status("/users*", 429).retryAfter(30).probability(0.2)}. */
        public Builder graphFault(dev.keytrust.graph.mock.FaultRule fault) {
            graphFaults.add(Objects.requireNonNull(fault, "fault"));
            return this;
        }

        public Builder topology(Topology value) {
            this.topology = Objects.requireNonNull(value, "topology");
            return this;
        }

        /** A topology YAML file (see the README). */
        public Builder topology(Path file) {
            return topology(TopologyYaml.read(file));
        }

        public Builder syncTarget(String dcName) {
            this.syncTarget = Objects.requireNonNull(dcName, "syncTarget");
            return this;
        }

        public Builder users(int value) {
            this.users = ConfigChecks.inRange(value, 1, 100_000, "users");
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** The agent's cycle; under Entra Connect's 30 minutes is allowed here (a testbed), and said in the log. */
        public Builder agentInterval(Duration value) {
            this.agentInterval = ConfigChecks.positive(value, "agentInterval");
            return this;
        }

        /** Virtual time (the default): tests move it with advance(), await() and runUntilQuiet(). */
        public Builder virtualTime() {
            this.timeScale = 0;
            return this;
        }

        /** Scaled wall time: {@code scale} simulated seconds per real second (1 or more). */
        public Builder timeScale(double scale) {
            if (!(scale >= 1)) {
                throw invalid("timeScale must be 1 or more (simulated seconds per real second) but got " + scale);
            }
            this.timeScale = scale;
            return this;
        }

        /** Where virtual time starts. */
        public Builder start(Instant value) {
            this.start = Objects.requireNonNull(value, "start");
            return this;
        }

        public Builder adminPassword(String value) {
            if (value == null || value.length() < 8) {
                throw invalid("adminPassword must have at least 8 characters");
            }
            this.adminPassword = value;
            return this;
        }

        public TestbedConfig build() {
            TestbedConfig c = new TestbedConfig(this);
            if (c.topology.dc(c.syncTarget).isEmpty()) {
                throw invalid("syncTarget '" + c.syncTarget + "' is not a DC of the topology; DCs: "
                        + c.topology.domainControllers().stream().map(d -> d.name()).toList());
            }
            return c;
        }
    }
}
