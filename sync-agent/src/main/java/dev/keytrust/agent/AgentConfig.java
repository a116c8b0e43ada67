package dev.keytrust.agent;

import static dev.keytrust.config.ConfigChecks.invalid;

import dev.keytrust.agent.source.KeySource;
import dev.keytrust.config.ConfigChecks;
import dev.keytrust.time.Scheduler;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How a {@link SyncAgent} runs: where keys come from, which DCs it writes to (the sync target first, then
 * fallbacks in order), how it binds, how often it runs, where it keeps its state. Immutable; validated when built.
 *
 * <p>Defaults: a cycle every 30 minutes (Entra Connect's default and floor; shorter needs
 * {@link Builder#allowShortInterval()}), state kept in memory only, LDAP connect timeout 5 s. Required: a key
 * source, at least one DC URL ({@code ldap://host:port}), a bind DN and password, a scheduler.
 *
 * <pre>{@code
 * AgentConfig config = AgentConfig.builder(source, scheduler)
 *         .dc("ldap://127.0.0.1:14389").dc("ldap://127.0.0.1:14390")      // sync target, then fallback
 *         .bind("CN=Administrator,CN=Users,DC=corp,DC=example,DC=com", password)
 *         .stateFile(Path.of("agent-state.json"))
 *         .build();
 * }</pre>
 */
public final class AgentConfig {
    /** Entra Connect's default sync cycle, which is also its floor. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(30);

    private final KeySource source;
    private final Scheduler scheduler;
    private final List<URI> domainControllers;
    private final String bindDn;
    private final String bindPassword;
    private final Duration interval;
    private final Optional<Path> stateFile;
    private final Duration connectTimeout;
    private final Consumer<String> afterWrite;

    private AgentConfig(Builder b) {
        this.source = b.source;
        this.scheduler = b.scheduler;
        this.domainControllers = List.copyOf(b.domainControllers);
        this.bindDn = b.bindDn;
        this.bindPassword = b.bindPassword;
        this.interval = b.interval;
        this.stateFile = Optional.ofNullable(b.stateFile);
        this.connectTimeout = b.connectTimeout;
        this.afterWrite = b.afterWrite;
    }

    public static Builder builder(KeySource source, Scheduler scheduler) {
        return new Builder(source, scheduler);
    }

    public KeySource source() { return source; }
    public Scheduler scheduler() { return scheduler; }
    /** The sync target first, then the fallbacks in the order they are tried. */
    public List<URI> domainControllers() { return domainControllers; }
    public String bindDn() { return bindDn; }
    String bindPassword() { return bindPassword; }
    public Duration interval() { return interval; }
    public Optional<Path> stateFile() { return stateFile; }
    public Duration connectTimeout() { return connectTimeout; }
    Consumer<String> afterWrite() { return afterWrite; }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "AgentConfig[dcs " + domainControllers + ", bind " + bindDn + ", every " + interval + ", state "
                + stateFile.map(Path::toString).orElse("in memory") + "]";
    }

    /** Builds an {@link AgentConfig}. */
    public static final class Builder {
        private final KeySource source;
        private final Scheduler scheduler;
        private final List<URI> domainControllers = new ArrayList<>();
        private String bindDn;
        private String bindPassword;
        private Duration interval = DEFAULT_INTERVAL;
        private boolean allowShortInterval;
        private Path stateFile;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Consumer<String> afterWrite = dn -> { };

        private Builder(KeySource source, Scheduler scheduler) {
            this.source = Objects.requireNonNull(source, "key source");
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        }

        /** Adds a DC: the first is the sync target, later ones are fallbacks. {@code ldap://host:port} or {@code ldaps://...}. */
        public Builder dc(String url) {
            URI uri;
            try {
                uri = URI.create(url == null ? "" : url.trim());
            } catch (IllegalArgumentException e) {
                throw invalid("--dc: expected a URL like ldap://127.0.0.1:389 but got '" + url + "'");
            }
            if (!("ldap".equalsIgnoreCase(uri.getScheme()) || "ldaps".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
                throw invalid("--dc: expected a URL like ldap://127.0.0.1:389 but got '" + url + "'");
            }
            domainControllers.add(uri);
            return this;
        }

        public Builder bind(String dn, String password) {
            if (dn == null || dn.isBlank()) {
                throw invalid("a bind DN is required (the agent's account, e.g. a member of Key Admins)");
            }
            if (password == null || password.isEmpty()) {
                throw invalid("a bind password is required (from a file or an environment variable)");
            }
            this.bindDn = dn;
            this.bindPassword = password;
            return this;
        }

        /** Time between cycle starts; at least 30 minutes unless {@link #allowShortInterval()}. */
        public Builder interval(Duration value) {
            this.interval = ConfigChecks.positive(value, "--interval");
            return this;
        }

        /** Allows intervals under 30 minutes (labs and tests; Entra Connect does not). */
        public Builder allowShortInterval() {
            this.allowShortInterval = true;
            return this;
        }

        /** Keep the delta token, last successful cycle, target in use and joins here (written atomically). */
        public Builder stateFile(Path value) {
            this.stateFile = Objects.requireNonNull(value, "state file");
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = ConfigChecks.positive(value, "connect timeout");
            return this;
        }

        /** Called after each successful LDAP modify with the user's DN (observability; tests inject crashes here). */
        public Builder afterWrite(Consumer<String> value) {
            this.afterWrite = Objects.requireNonNull(value, "afterWrite");
            return this;
        }

        public AgentConfig build() {
            if (domainControllers.isEmpty()) {
                throw invalid("at least one DC is required: the sync target (--dc ldap://host:port)");
            }
            if (bindDn == null) {
                throw invalid("a bind DN and password are required (--bind-dn, --bind-password-env or --bind-password-file)");
            }
            if (interval.compareTo(DEFAULT_INTERVAL) < 0 && !allowShortInterval) {
                throw invalid("--interval " + interval.toMinutes() + "m is shorter than Entra Connect's 30-minute floor; "
                        + "add --allow-short-interval for a lab or test");
            }
            return new AgentConfig(this);
        }
    }
}
