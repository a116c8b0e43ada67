package dev.keytrust.graph.mock;

import dev.keytrust.config.ConfigChecks;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * How a {@link GraphMock} is set up: where it listens, the tenant and its one app registration, time, limits.
 * Immutable; validated when built.
 *
 * <p>Defaults: host {@code 127.0.0.1}, port 0 (pick one; read it back from the mock), seed 1, tenant id and client
 * id derived from the seed, a client secret derived from the seed (none with {@link Builder#noClientSecret()}), no
 * client certificate, app roles {@code User.Read.All} and {@code UserAuthenticationMethod.Read.All}, the wall clock,
 * access tokens valid 1 hour, delta tokens valid 7 days, pages of 100 (at most 999), no rate limit, a certificate generated at
 * start and written as PEM to a temporary file, 16 request threads, and an admin API open to every client that can
 * reach the port (which, on the default host, is only this machine; set {@link Builder#adminToken(String)} to
 * require {@code Authorization: Bearer <token>} on {@code /_admin}).
 *
 * <pre>{@code
 * GraphMockConfig config = GraphMockConfig.builder()
 *         .seed(42)
 *         .clock(scheduler.clock())
 *         .rateLimit(new GraphMockConfig.RateLimit(120, Duration.ofSeconds(10)))
 *         .build();
 * }</pre>
 */
public final class GraphMockConfig {
    /** The Graph permission to read users. */
    public static final String USER_READ_ALL = "User.Read.All";
    /** The Graph permission to read authentication methods (and beta deviceKeys). */
    public static final String METHODS_READ_ALL = "UserAuthenticationMethod.Read.All";
    /** The Graph permission to delete authentication methods. */
    public static final String METHODS_READ_WRITE_ALL = "UserAuthenticationMethod.ReadWrite.All";

    /**
     * Graph-like rate limiting: each client may spend {@code resourceUnits} per {@code window} (GET on the users
     * collection or its delta costs 2, any other request 1); beyond that it gets 429 with Retry-After until the
     * window ends.
     */
    public record RateLimit(int resourceUnits, Duration window) {
        public RateLimit {
            if (resourceUnits < 1 || window == null || window.isNegative() || window.isZero()) {
                throw ConfigChecks.invalid("a rate limit needs at least 1 resource unit "
                        + "per positive window but got " + resourceUnits + " per " + window);
            }
        }
    }

    private final String host;
    private final int port;
    private final long seed;
    private final String tenantId;
    private final String clientId;
    private final Optional<String> clientSecret;
    private final Optional<X509Certificate> clientCertificate;
    private final List<String> roles;
    private final Clock clock;
    private final Duration tokenLifetime;
    private final Duration deltaTokenMaxAge;
    private final int defaultPageSize;
    private final int maxPageSize;
    private final Optional<RateLimit> rateLimit;
    private final Optional<Path> keyStore;
    private final Optional<String> keyStorePassword;
    private final Optional<Path> certificatePemFile;
    private final int threads;
    private final Optional<String> adminToken;
    private final String verifiedDomain;

    private GraphMockConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.seed = b.seed;
        SplittableRandom r = new SplittableRandom(b.seed * 0x9E37_79B9_7F4A_7C15L + 7);
        UUID tenant = new UUID(r.nextLong(), r.nextLong());
        UUID client = new UUID(r.nextLong(), r.nextLong());
        this.tenantId = b.tenantId != null ? b.tenantId : version4(tenant);
        this.clientId = b.clientId != null ? b.clientId : version4(client);
        String derivedSecret = "kt~" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36) + "." + Long.toString(r.nextLong() & Long.MAX_VALUE, 36);
        this.clientSecret = b.noSecret ? Optional.empty() : Optional.of(b.clientSecret != null ? b.clientSecret : derivedSecret);
        this.clientCertificate = Optional.ofNullable(b.clientCertificate);
        this.roles = List.copyOf(b.roles);
        this.clock = b.clock;
        this.tokenLifetime = b.tokenLifetime;
        this.deltaTokenMaxAge = b.deltaTokenMaxAge;
        this.defaultPageSize = b.defaultPageSize;
        this.maxPageSize = b.maxPageSize;
        this.rateLimit = Optional.ofNullable(b.rateLimit);
        this.keyStore = Optional.ofNullable(b.keyStore);
        this.keyStorePassword = Optional.ofNullable(b.keyStorePassword);
        this.certificatePemFile = Optional.ofNullable(b.certificatePemFile);
        this.threads = b.threads;
        this.adminToken = Optional.ofNullable(b.adminToken);
        this.verifiedDomain = b.verifiedDomain;
    }

    /** {@code random} with the version (4) and variant (RFC 4122) bits set, as Entra's random GUIDs have them. */
    private static String version4(UUID random) {
        return new UUID((random.getMostSignificantBits() & ~0xF000L) | 0x4000L,
                (random.getLeastSignificantBits() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L).toString();
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() { return host; }
    public int port() { return port; }
    public long seed() { return seed; }
    public String tenantId() { return tenantId; }
    public String clientId() { return clientId; }
    public Optional<String> clientSecret() { return clientSecret; }
    public Optional<X509Certificate> clientCertificate() { return clientCertificate; }
    public List<String> roles() { return roles; }
    public Clock clock() { return clock; }
    public Duration tokenLifetime() { return tokenLifetime; }
    public Duration deltaTokenMaxAge() { return deltaTokenMaxAge; }
    public int defaultPageSize() { return defaultPageSize; }
    /** The largest page served, whatever {@code $top} or {@code Prefer: odata.maxpagesize} ask for. */
    public int maxPageSize() { return maxPageSize; }
    public Optional<RateLimit> rateLimit() { return rateLimit; }
    public Optional<Path> keyStore() { return keyStore; }
    public Optional<String> keyStorePassword() { return keyStorePassword; }
    public Optional<Path> certificatePemFile() { return certificatePemFile; }
    public int threads() { return threads; }
    /** The bearer token the admin API requires, if one was set; never logged or shown by {@link #toString()}. */
    public Optional<String> adminToken() { return adminToken; }

    /** The tenant's verified domain: the token endpoint and discovery accept it in place of the tenant id. */
    public String verifiedDomain() { return verifiedDomain; }

    /** Whether {@link #host()} is a loopback address (only this machine can connect). */
    public boolean loopbackOnly() {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "GraphMockConfig[" + host + ":" + port + ", tenant " + tenantId + ", client " + clientId + ", secret "
                + (clientSecret.isPresent() ? "set" : "none") + ", certificate " + (clientCertificate.isPresent() ? "set" : "none")
                + ", seed " + seed + ", admin token " + (adminToken.isPresent() ? "set" : "none") + "]";
    }

    /** Builds a {@link GraphMockConfig}; every setter validates its argument. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private long seed = 1;
        private String tenantId;
        private String clientId;
        private String clientSecret;
        private boolean noSecret;
        private X509Certificate clientCertificate;
        private List<String> roles = List.of(USER_READ_ALL, METHODS_READ_ALL);
        private Clock clock = Clock.systemUTC();
        private Duration tokenLifetime = Duration.ofHours(1);
        private Duration deltaTokenMaxAge = Duration.ofDays(7);
        private int defaultPageSize = 100;
        private int maxPageSize = 999;
        private RateLimit rateLimit;
        private Path keyStore;
        private String keyStorePassword;
        private Path certificatePemFile;
        private int threads = 16;
        private String adminToken;
        private String verifiedDomain = "keytrust.onmicrosoft.com";

        private Builder() {
        }

        /**
         * The address to listen on (default {@code 127.0.0.1}, this machine only). Another address (or
         * {@code 0.0.0.0}) lets other hosts reach Graph and the admin API: set {@link #adminToken(String)} then.
         */
        public Builder host(String value) {
            this.host = ConfigChecks.notBlank(value, "host");
            return this;
        }

        /** 0 picks a free port. */
        public Builder port(int value) {
            this.port = ConfigChecks.port(value, "port");
            return this;
        }

        /** The seed for ids, keys, secrets and fault probabilities. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder tenantId(String value) {
            this.tenantId = requireGuid(value, "tenantId");
            return this;
        }

        public Builder clientId(String value) {
            this.clientId = requireGuid(value, "clientId");
            return this;
        }

        public Builder clientSecret(String value) {
            this.clientSecret = ConfigChecks.notBlank(value, "clientSecret");
            this.noSecret = false;
            return this;
        }

        /** The app accepts no secret: only a certificate assertion (then a certificate is required). */
        public Builder noClientSecret() {
            this.noSecret = true;
            return this;
        }

        /** Registers a certificate: client assertions signed with its key are accepted. */
        public Builder clientCertificate(X509Certificate value) {
            this.clientCertificate = Objects.requireNonNull(value, "clientCertificate");
            return this;
        }

        /** The application permissions (app roles) granted to the app; tokens carry them as {@code roles}. */
        public Builder roles(List<String> value) {
            if (value == null || value.stream().anyMatch(v -> v == null || v.isBlank())) {
                throw ConfigChecks.invalid("roles must be a list of permission names but got " + value);
            }
            this.roles = List.copyOf(value);
            return this;
        }

        /** The testbed clock: token lifetimes, delta token ages, Retry-After windows and creation times. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public Builder tokenLifetime(Duration value) {
            this.tokenLifetime = ConfigChecks.positive(value, "tokenLifetime");
            return this;
        }

        /** How long a delta token stays usable; older ones get 400 {@code syncStateNotFound}. */
        public Builder deltaTokenMaxAge(Duration value) {
            this.deltaTokenMaxAge = ConfigChecks.positive(value, "deltaTokenMaxAge");
            return this;
        }

        /** Page size when a request has no {@code $top} (Graph: 100). */
        public Builder defaultPageSize(int value) {
            this.defaultPageSize = ConfigChecks.inRange(value, 1, 999, "defaultPageSize");
            return this;
        }

        /** The largest page the mock serves (1-999, default 999); larger requests get pages of this size and a nextLink. */
        public Builder maxPageSize(int value) {
            this.maxPageSize = ConfigChecks.inRange(value, 1, 999, "maxPageSize");
            return this;
        }

        public Builder rateLimit(RateLimit value) {
            this.rateLimit = value;
            return this;
        }

        /** Serve this PKCS#12 key store's certificate instead of generating one. */
        public Builder keyStore(Path file, String password) {
            this.keyStore = Objects.requireNonNull(file, "keyStore");
            this.keyStorePassword = Objects.requireNonNull(password, "keyStore password");
            return this;
        }

        /** Where to write the served certificate as PEM (default: a temporary file). */
        public Builder certificatePemFile(Path value) {
            this.certificatePemFile = Objects.requireNonNull(value, "certificatePemFile");
            return this;
        }

        public Builder threads(int value) {
            this.threads = ConfigChecks.inRange(value, 1, 512, "threads");
            return this;
        }

        /**
         * Requires {@code Authorization: Bearer <value>} on every {@code /_admin} request (401 otherwise); Graph
         * and the token endpoint are unaffected. At least 16 characters.
         */
        public Builder adminToken(String value) {
            if (value == null || value.length() < 16 || value.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw ConfigChecks.invalid("the admin token must be at least 16 printable ASCII characters without spaces; the one given "
                        + "is " + (value == null ? "missing" : value.length() + " characters long"));
            }
            this.adminToken = value;
            return this;
        }

        /** The tenant's verified domain (default {@code keytrust.onmicrosoft.com}), usable in place of the tenant id. */
        public Builder verifiedDomain(String value) {
            String v = ConfigChecks.notBlank(value, "the verified domain").toLowerCase(java.util.Locale.ROOT);
            if (!v.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
                throw ConfigChecks.invalid("the verified domain must be a DNS name like contoso.onmicrosoft.com but got '" + value + "'");
            }
            this.verifiedDomain = v;
            return this;
        }

        public GraphMockConfig build() {
            if (noSecret && clientCertificate == null) {
                throw ConfigChecks.invalid("the app needs a way to authenticate: a client secret, a client certificate, or both; "
                        + "noClientSecret() was set without clientCertificate(...)");
            }
            if (defaultPageSize > maxPageSize) {
                throw ConfigChecks.invalid("defaultPageSize " + defaultPageSize + " is larger than maxPageSize " + maxPageSize);
            }
            return new GraphMockConfig(this);
        }

        private static String requireGuid(String value, String what) {
            try {
                return UUID.fromString(ConfigChecks.notBlank(value, what)).toString();
            } catch (IllegalArgumentException e) {
                throw ConfigChecks.invalid(what + " must be a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47 but got '" + value + "'");
            }
        }
    }
}
