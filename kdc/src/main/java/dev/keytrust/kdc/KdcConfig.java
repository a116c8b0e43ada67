package dev.keytrust.kdc;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import dev.keytrust.kdc.pkinit.KdcCertificates;
import java.util.regex.Pattern;

/**
 * Immutable settings of one {@link Kdc}, validated when built.
 *
 * <p>Defaults: host {@code 127.0.0.1}; TCP and UDP port 0 (pick a free one; read the real ones back from
 * {@link Kdc#tcpPort()} and {@link Kdc#udpPort()}); the system UTC clock; maximum clock skew 5 minutes (AD's
 * and MIT's default); maximum message size 64 KiB (larger TCP requests are refused, UDP replies above
 * {@link #maxUdpReplySize()} 1,400 bytes get KRB_ERR_RESPONSE_TOO_BIG so the client retries over TCP); ticket
 * lifetime 10 hours and renewable lifetime 7 days (AD's defaults); at most 64 concurrent TCP connections, each
 * closed after 30 seconds without a complete request. Realm and accounts have no default.
 *
 * <pre>{@code
 * KdcConfig config = KdcConfig.builder("CORP.EXAMPLE.COM", accounts)
 *         .tcpPort(0)            // 88 in production; 0 picks a free port
 *         .udpPort(0)
 *         .clock(testbedClock)   // never the wall clock in tests
 *         .build();
 * try (Kdc kdc = Kdc.start(config)) {
 *     int port = kdc.tcpPort();
 * }
 * }</pre>
 */
public final class KdcConfig {
    /** The default host the KDC binds to. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The default maximum clock skew. */
    public static final Duration DEFAULT_MAX_SKEW = Duration.ofMinutes(5);
    /** The default maximum size of a request. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;

    private static final Pattern REALM = Pattern.compile("[A-Z0-9]([A-Z0-9-]*[A-Z0-9])?(\\.[A-Z0-9]([A-Z0-9-]*[A-Z0-9])?)*");

    private final String realm;
    private final KdcAccounts accounts;
    private final String host;
    private final int tcpPort;
    private final int udpPort;
    private final Clock clock;
    private final Duration maxSkew;
    private final int maxMessageSize;
    private final int maxUdpReplySize;
    private final Duration ticketLifetime;
    private final Duration renewLifetime;
    private final int maxConnections;
    private final Duration idleTimeout;
    private final KdcCertificates.Credential pkinitCertificate;

    private KdcConfig(Builder b) {
        this.realm = b.realm;
        this.accounts = b.accounts;
        this.host = b.host;
        this.tcpPort = b.tcpPort;
        this.udpPort = b.udpPort;
        this.clock = b.clock;
        this.maxSkew = b.maxSkew;
        this.maxMessageSize = b.maxMessageSize;
        this.maxUdpReplySize = b.maxUdpReplySize;
        this.ticketLifetime = b.ticketLifetime;
        this.renewLifetime = b.renewLifetime;
        this.maxConnections = b.maxConnections;
        this.idleTimeout = b.idleTimeout;
        this.pkinitCertificate = b.pkinitCertificate;
    }

    /**
     * The KDC certificate and its key that sign PKINIT replies; PKINIT is offered only when the KDC has one
     * (see {@link KdcCertificates#issueKdcCertificate}).
     */
    public Optional<KdcCertificates.Credential> pkinitCertificate() {
        return Optional.ofNullable(pkinitCertificate);
    }

    /** A builder for the realm (upper case, e.g. {@code CORP.EXAMPLE.COM}) served from {@code accounts}. */
    public static Builder builder(String realm, KdcAccounts accounts) {
        return new Builder(realm, accounts);
    }

    /** The realm, upper case. */
    public String realm() {
        return realm;
    }

    /** Where accounts are read from, at every request. */
    public KdcAccounts accounts() {
        return accounts;
    }

    /** The address both listeners bind to. */
    public String host() {
        return host;
    }

    /** The configured TCP port (0 = pick a free one). */
    public int tcpPort() {
        return tcpPort;
    }

    /** The configured UDP port (0 = pick a free one). */
    public int udpPort() {
        return udpPort;
    }

    /** The clock for ticket times and skew checks. */
    public Clock clock() {
        return clock;
    }

    /** The largest accepted difference between a client's time and the KDC's. */
    public Duration maxSkew() {
        return maxSkew;
    }

    /** The largest request accepted, in bytes. */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** The largest reply sent over UDP; larger ones become KRB_ERR_RESPONSE_TOO_BIG. */
    public int maxUdpReplySize() {
        return maxUdpReplySize;
    }

    /** The longest lifetime of a ticket. */
    public Duration ticketLifetime() {
        return ticketLifetime;
    }

    /** The longest renewable lifetime of a ticket. */
    public Duration renewLifetime() {
        return renewLifetime;
    }

    /** The most TCP connections served at once; more are closed on accept. */
    public int maxConnections() {
        return maxConnections;
    }

    /** How long a TCP connection may wait for its next complete request. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Builds a {@link KdcConfig}; see the class documentation for the defaults. */
    public static final class Builder {
        private final String realm;
        private final KdcAccounts accounts;
        private String host = DEFAULT_HOST;
        private int tcpPort;
        private int udpPort;
        private Clock clock = Clock.systemUTC();
        private Duration maxSkew = DEFAULT_MAX_SKEW;
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int maxUdpReplySize = 1400;
        private Duration ticketLifetime = Duration.ofHours(10);
        private Duration renewLifetime = Duration.ofDays(7);
        private int maxConnections = 64;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private KdcCertificates.Credential pkinitCertificate;

        private Builder(String realm, KdcAccounts accounts) {
            this.realm = realm;
            this.accounts = accounts;
        }

        /** The address to bind to (default {@code 127.0.0.1}). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The TCP port, 0 to pick a free one (the default). */
        public Builder tcpPort(int port) {
            this.tcpPort = port;
            return this;
        }

        /** The UDP port, 0 to pick a free one (the default). */
        public Builder udpPort(int port) {
            this.udpPort = port;
            return this;
        }

        /** The clock for ticket times and skew checks (default: the system UTC clock). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The largest accepted clock difference (default 5 minutes). */
        public Builder maxSkew(Duration maxSkew) {
            this.maxSkew = maxSkew;
            return this;
        }

        /** The largest request in bytes (default 64 KiB). */
        public Builder maxMessageSize(int bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        /** The largest UDP reply in bytes (default 1,400). */
        public Builder maxUdpReplySize(int bytes) {
            this.maxUdpReplySize = bytes;
            return this;
        }

        /** The longest ticket lifetime (default 10 hours). */
        public Builder ticketLifetime(Duration lifetime) {
            this.ticketLifetime = lifetime;
            return this;
        }

        /** The longest renewable lifetime (default 7 days). */
        public Builder renewLifetime(Duration lifetime) {
            this.renewLifetime = lifetime;
            return this;
        }

        /** The most concurrent TCP connections (default 64). */
        public Builder maxConnections(int connections) {
            this.maxConnections = connections;
            return this;
        }

        /** How long a TCP connection may idle before it is closed (default 30 seconds). */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /** The KDC certificate (id-pkinit-san krbtgt/REALM@REALM, EKU id-pkinit-KPKdc) enabling PKINIT (default none). */
        public Builder pkinitCertificate(KdcCertificates.Credential credential) {
            this.pkinitCertificate = credential;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws KeyTrustException ({@code INVALID_CONFIGURATION}) naming the bad setting
         */
        public KdcConfig build() {
            if (realm == null || !REALM.matcher(realm).matches()) {
                throw invalid("realm", "an upper-case DNS name such as CORP.EXAMPLE.COM",
                        realm == null ? "none" : "'" + realm + "'",
                        realm == null ? "pass the domain's DNS name in upper case"
                                : "use '" + realm.toUpperCase(Locale.ROOT) + "' if that is the domain");
            }
            require(accounts != null, "accounts", "an account source", "none", "pass the DC's KdcAccounts");
            require(host != null && !host.isBlank(), "host", "an address", "none", "use 127.0.0.1");
            require(tcpPort >= 0 && tcpPort <= 65535, "tcpPort", "0..65535", String.valueOf(tcpPort), "use 0 or 88");
            require(udpPort >= 0 && udpPort <= 65535, "udpPort", "0..65535", String.valueOf(udpPort), "use 0 or 88");
            require(clock != null, "clock", "a clock", "none", "pass the testbed's clock");
            require(positive(maxSkew), "maxSkew", "a positive duration", String.valueOf(maxSkew), "use 5 minutes");
            require(maxMessageSize >= 1024 && maxMessageSize <= 16 * 1024 * 1024, "maxMessageSize",
                    "1 KiB..16 MiB", String.valueOf(maxMessageSize), "use 65536");
            require(maxUdpReplySize >= 256 && maxUdpReplySize <= 65507, "maxUdpReplySize", "256..65507",
                    String.valueOf(maxUdpReplySize), "use 1400");
            require(positive(ticketLifetime), "ticketLifetime", "a positive duration",
                    String.valueOf(ticketLifetime), "use 10 hours");
            require(positive(renewLifetime), "renewLifetime", "a positive duration",
                    String.valueOf(renewLifetime), "use 7 days");
            require(maxConnections >= 1, "maxConnections", "1 or more", String.valueOf(maxConnections), "use 64");
            require(positive(idleTimeout), "idleTimeout", "a positive duration", String.valueOf(idleTimeout),
                    "use 30 seconds");
            return new KdcConfig(this);
        }

        private static boolean positive(Duration d) {
            return d != null && !d.isNegative() && !d.isZero();
        }

        private static void require(boolean ok, String setting, String expected, String found, String todo) {
            if (!ok) {
                throw invalid(setting, expected, found, todo);
            }
        }

        private static KeyTrustException invalid(String setting, String expected, String found, String todo) {
            return new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "invalid KDC setting '" + setting
                    + "': expected " + expected + ", found " + Objects.toString(found, "none") + "; " + todo);
        }
    }
}
