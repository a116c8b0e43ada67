package dev.keytrust.graph;

import com.azure.core.credential.TokenCredential;
import static dev.keytrust.config.ConfigChecks.invalid;

import dev.keytrust.config.ConfigChecks;
import dev.keytrust.time.Scheduler;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link GraphKeySource} reaches Graph: endpoints, identity, trust, retries. Immutable; validated when built.
 *
 * <p>Defaults: Graph at {@code https://graph.microsoft.com}, authority {@code https://login.microsoftonline.com},
 * the JVM's trust store, 6 attempts per request, back-off from 1 s doubling to 60 s when no Retry-After is given,
 * WHfB method look-ups in {@code $batch}es of 20. One of a client secret, a client certificate (PEM with key, or
 * PKCS#12) or any {@link TokenCredential} is required; the scheduler (for waits) is required.
 *
 * <pre>{@code
 * GraphConnectorConfig config = GraphConnectorConfig.builder(mock.tenantId(), mock.clientId())
 *         .clientSecret(secret)
 *         .graphUrl(mock.baseUrl()).authorityHost(mock.authorityHost())
 *         .trust(mock.certificate())
 *         .scheduler(time)
 *         .build();
 * }</pre>
 */
public final class GraphConnectorConfig {
    private final String tenantId;
    private final String clientId;
    private final Optional<String> clientSecret;
    private final Optional<Path> clientCertificate;
    private final Optional<String> clientCertificatePassword;
    private final Optional<TokenCredential> credential;
    private final URI graphUrl;
    private final URI authorityHost;
    private final Optional<X509Certificate> trust;
    private final Scheduler scheduler;
    private final int maxAttempts;
    private final Duration maxBackoff;

    private GraphConnectorConfig(Builder b) {
        this.tenantId = b.tenantId;
        this.clientId = b.clientId;
        this.clientSecret = Optional.ofNullable(b.clientSecret);
        this.clientCertificate = Optional.ofNullable(b.clientCertificate);
        this.clientCertificatePassword = Optional.ofNullable(b.clientCertificatePassword);
        this.credential = Optional.ofNullable(b.credential);
        this.graphUrl = b.graphUrl;
        this.authorityHost = b.authorityHost;
        this.trust = Optional.ofNullable(b.trust);
        this.scheduler = b.scheduler;
        this.maxAttempts = b.maxAttempts;
        this.maxBackoff = b.maxBackoff;
    }

    /** A builder for an app registration in a tenant. */
    public static Builder builder(String tenantId, String clientId) {
        return new Builder(tenantId, clientId);
    }

    public String tenantId() { return tenantId; }
    public String clientId() { return clientId; }
    public Optional<String> clientSecret() { return clientSecret; }
    public Optional<Path> clientCertificate() { return clientCertificate; }
    public Optional<String> clientCertificatePassword() { return clientCertificatePassword; }
    public Optional<TokenCredential> credential() { return credential; }
    /** Graph's root ({@code https://graph.microsoft.com}); {@code /v1.0} and {@code /beta} are added. */
    public URI graphUrl() { return graphUrl; }
    public URI authorityHost() { return authorityHost; }
    public Optional<X509Certificate> trust() { return trust; }
    public Scheduler scheduler() { return scheduler; }
    public int maxAttempts() { return maxAttempts; }
    public Duration maxBackoff() { return maxBackoff; }

    @Override
    public String toString() {
        return "GraphConnectorConfig[tenant " + tenantId + ", client " + clientId + ", graph " + graphUrl + ", authority "
                + authorityHost + ", auth " + (credential.isPresent() ? "credential" : clientCertificate.isPresent()
                ? "certificate " + clientCertificate.get() : "secret (hidden)") + "]";
    }

    /** Builds a {@link GraphConnectorConfig}. */
    public static final class Builder {
        private final String tenantId;
        private final String clientId;
        private String clientSecret;
        private Path clientCertificate;
        private String clientCertificatePassword;
        private TokenCredential credential;
        private URI graphUrl = URI.create("https://graph.microsoft.com");
        private URI authorityHost = URI.create("https://login.microsoftonline.com");
        private X509Certificate trust;
        private Scheduler scheduler;
        private int maxAttempts = 6;
        private Duration maxBackoff = Duration.ofSeconds(60);

        private Builder(String tenantId, String clientId) {
            this.tenantId = requireText(tenantId, "tenant id");
            this.clientId = requireText(clientId, "client id");
        }

        public Builder clientSecret(String value) {
            this.clientSecret = requireText(value, "client secret");
            return this;
        }

        /** A PEM file holding the certificate and its private key, or a PKCS#12 file (with {@code password}). */
        public Builder clientCertificate(Path file, String password) {
            this.clientCertificate = Objects.requireNonNull(file, "client certificate file");
            this.clientCertificatePassword = password;
            return this;
        }

        /** Any Azure Identity credential (e.g. {@code DefaultAzureCredential}) instead of a secret or certificate. */
        public Builder credential(TokenCredential value) {
            this.credential = Objects.requireNonNull(value, "credential");
            return this;
        }

        public Builder graphUrl(String value) {
            this.graphUrl = https(value, "Graph URL");
            return this;
        }

        public Builder authorityHost(String value) {
            this.authorityHost = https(value, "authority host");
            return this;
        }

        /** Trust this certificate (the mock's) for both Graph and the authority, instead of the JVM's trust store. */
        public Builder trust(X509Certificate value) {
            this.trust = Objects.requireNonNull(value, "trusted certificate");
            return this;
        }

        /** The testbed scheduler: Retry-After and back-off waits are taken on its time. */
        public Builder scheduler(Scheduler value) {
            this.scheduler = Objects.requireNonNull(value, "scheduler");
            return this;
        }

        public Builder maxAttempts(int value) {
            this.maxAttempts = ConfigChecks.inRange(value, 1, 20, "max attempts");
            return this;
        }

        public Builder maxBackoff(Duration value) {
            this.maxBackoff = ConfigChecks.positive(value, "max back-off");
            return this;
        }

        public GraphConnectorConfig build() {
            int ways = (clientSecret != null ? 1 : 0) + (clientCertificate != null ? 1 : 0) + (credential != null ? 1 : 0);
            if (ways != 1) {
                throw invalid("give exactly one of a client secret, a client certificate or a credential; got " + ways);
            }
            if (scheduler == null) {
                throw invalid("a scheduler is required: Retry-After waits run on the testbed clock");
            }
            return new GraphConnectorConfig(this);
        }

        private static URI https(String value, String what) {
            try {
                URI uri = URI.create(requireText(value, what).replaceAll("/+$", ""));
                if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                    throw invalid("the " + what + " must be an https URL like https://127.0.0.1:8443 but got '" + value + "'");
                }
                return uri;
            } catch (IllegalArgumentException e) {
                throw invalid("the " + what + " is not a URL: '" + value + "' (" + e.getMessage() + ")");
            }
        }

        private static String requireText(String value, String what) {
            return ConfigChecks.notBlank(value, "the " + what);
        }
    }
}
