package dev.keytrust.dc;

import dev.keytrust.KeyTrustException;
import dev.keytrust.encoding.Sid;
import dev.keytrust.dc.wire.ProtocolLimits;
import dev.keytrust.persona.Personas;
import java.nio.file.Path;
import java.time.Clock;
import dev.keytrust.dc.service.ProtocolService;
import dev.keytrust.dc.service.SaslMechanism;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.directory.server.core.api.interceptor.Interceptor;

/**
 * Immutable settings of one {@link DomainController}, validated when built.
 *
 * <p>Defaults: site {@code Default-First-Site-Name}, domain {@code corp.example.com}
 * ({@code DC=corp,DC=example,DC=com}), host {@code 127.0.0.1}, port 0 (pick a free one; read it back from
 * {@link DomainController#port()}), administrator password generated, storage in memory, the system UTC
 * clock, seed 0 (which fixes the domain SID and server-assigned GUIDs; DCs of one domain share it), tombstone
 * lifetime 180 days, SASL GSSAPI (Kerberos) and GSS-SPNEGO (Kerberos, NTLM) and Sicily (NTLM) binds.
 *
 * <pre>{@code
 * DomainControllerConfig config = DomainControllerConfig.builder("DC1")
 *         .site("HQ")
 *         .domain("corp.example.com")
 *         .adminPassword(System.getenv("KEYTRUST_ADMIN_PASSWORD"))
 *         .dataDirectory(Path.of("dc1-data"))      // survive restarts; omit for in-memory
 *         .clock(testbedClock)
 *         .build();
 * }</pre>
 */
public final class DomainControllerConfig {
    /** AD's default site name. */
    public static final String DEFAULT_SITE = "Default-First-Site-Name";
    /** AD's default tombstone lifetime, in days. */
    public static final int DEFAULT_TOMBSTONE_LIFETIME_DAYS = 180;
    /** The default domain DNS name. */
    public static final String DEFAULT_DOMAIN = "corp.example.com";
    /** The default host the LDAP port binds to. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** A private copy of the builder this config was built from: never handed out, never changed. */
    private final Builder s;
    private final List<ProtocolService> services;
    private final List<SaslMechanism> saslMechanisms;
    private final List<Supplier<Interceptor>> interceptors;

    private DomainControllerConfig(Builder b, List<ProtocolService> services) {
        this.s = b.copy();
        this.services = List.copyOf(services);
        this.saslMechanisms = List.copyOf(b.saslMechanisms);
        this.interceptors = List.copyOf(b.interceptors);
    }

    /** A builder for a DC named {@code name} (like {@code DC1}: letters, digits, '-', at most 15). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding this config's settings. */
    public Builder toBuilder() {
        return s.copy();
    }

    public String name() {
        return s.name;
    }

    public String site() {
        return s.site;
    }

    /** The domain's DNS name, lower case. */
    public String domain() {
        return s.domain;
    }

    /** The domain's DN, {@code DC=corp,DC=example,DC=com}. */
    public String baseDn() {
        StringBuilder dn = new StringBuilder();
        for (String label : s.domain.split("\\.")) {
            if (dn.length() > 0) {
                dn.append(',');
            }
            dn.append("DC=").append(label);
        }
        return dn.toString();
    }

    /** The NetBIOS-style domain name: the first label, upper case ({@code CORP}). */
    public String netbiosDomain() {
        return s.domain.substring(0, s.domain.indexOf('.') < 0 ? s.domain.length() : s.domain.indexOf('.')).toUpperCase(Locale.ROOT);
    }

    /** The DC's DNS host name, {@code dc1.corp.example.com}. */
    public String dnsHostName() {
        return s.name.toLowerCase(Locale.ROOT) + "." + s.domain;
    }

    public String host() {
        return s.host;
    }

    /** The configured LDAP port; 0 means a free one is picked at start. */
    public int port() {
        return s.port;
    }

    /** The administrator password, if one was set (otherwise the DC generates one). */
    public Optional<String> adminPassword() {
        return Optional.ofNullable(s.adminPassword);
    }

    /** Where data, USN counter and metadata are kept across restarts; empty for an in-memory DC. */
    public Optional<Path> dataDirectory() {
        return Optional.ofNullable(s.dataDirectory);
    }

    public Clock clock() {
        return s.clock;
    }

    public long seed() {
        return s.seed;
    }

    /** The LDAPS port (0 picks one), or empty when LDAPS is off (the default). */
    public Optional<Integer> ldapsPort() {
        return Optional.ofNullable(s.ldapsPort);
    }

    /** The global catalog port (0 picks one), or empty when the DC serves no global catalog (the default). */
    public Optional<Integer> globalCatalogPort() {
        return Optional.ofNullable(s.globalCatalogPort);
    }

    /** The global catalog's TLS port (0 picks one), or empty (the default). */
    public Optional<Integer> globalCatalogSslPort() {
        return Optional.ofNullable(s.globalCatalogSslPort);
    }

    /** Whether {@link Builder#standardPorts()} was asked for (hosted services then take their standard ports). */
    public boolean standardPorts() {
        return s.standardPorts;
    }

    /** The port a hosted service starts on: its own, or with standard ports its standard one when its own is 0. */
    public int servicePort(ProtocolService service) {
        return service.port() == 0 && s.standardPorts ? DcServices.STANDARD_SERVICE_PORTS.getOrDefault(service.name(), 0) : service.port();
    }

    /** Whether StartTLS is offered on the LDAP port (default false). */
    public boolean startTls() {
        return s.startTls;
    }

    /** Whether the DC needs a server certificate (LDAPS, the global catalog over TLS, or StartTLS). */
    public boolean tls() {
        return s.ldapsPort != null || s.startTls || s.globalCatalogSslPort != null;
    }

    /** A supplied key store (PKCS#12 or JKS) with the server certificate; empty to generate one. */
    public Optional<Path> keystore() {
        return Optional.ofNullable(s.keystore);
    }

    /** The supplied key store's password. */
    public Optional<String> keystorePassword() {
        return Optional.ofNullable(s.keystorePassword);
    }

    /**
     * How long a deleted object's tombstone, and a removed linked value's ABSENT record, is kept before garbage
     * collection removes it (AD's tombstoneLifetime; default {@value #DEFAULT_TOMBSTONE_LIFETIME_DAYS} days).
     */
    public java.time.Duration tombstoneLifetime() {
        return s.tombstoneLifetime;
    }

    /** What one LDAP connection may send and leave unread (default {@link ProtocolLimits#defaults()}). */
    public ProtocolLimits protocolLimits() {
        return s.protocolLimits;
    }

    /** The protocol services the DC hosts besides LDAP (and LDAPS), in the order they start (the KDC last). */
    public List<ProtocolService> services() {
        return services;
    }

    /** The KDC's port (TCP and UDP; 0 picks one) when the DC hosts a KDC; read the real one with {@code port("kdc")}. */
    public Optional<Integer> kdcPort() {
        return Optional.ofNullable(s.kdcPort);
    }

    /** The lab CA that issues the DC's KDC certificate, when it hosts a KDC (clients' {@code pkinit_anchors}). */
    public Optional<dev.keytrust.kdc.pkinit.KdcCertificates.Credential> kdcCertificateAuthority() {
        return Optional.ofNullable(s.kdcCertificateAuthority);
    }

    /** The SASL bind mechanisms the DC accepts on its LDAP ports, besides simple binds. */
    public List<SaslMechanism> saslMechanisms() {
        return saslMechanisms;
    }

    /**
     * ApacheDS interceptors added to the DC's chain right after the AD interceptor, in this order (each supplier is
     * called once per DC start: an interceptor belongs to one directory).
     */
    public List<Supplier<Interceptor>> interceptors() {
        return interceptors;
    }

    /** The domain SID, derived from the domain name and seed. */
    public Sid domainSid() {
        return Personas.domainSid(s.domain, s.seed);
    }

    @Override
    public String toString() {
        return "DomainControllerConfig[" + s.name + ", site=" + s.site + ", domain=" + s.domain + ", " + s.host + ":" + s.port
                + (s.dataDirectory != null ? ", data=" + s.dataDirectory : ", in memory") + ", seed=" + s.seed + "]";
    }

    /** Builds a {@link DomainControllerConfig}; {@link #build()} validates every setting. */
    public static final class Builder {
        private String name;
        private String site = DEFAULT_SITE;
        private String domain = DEFAULT_DOMAIN;
        private String host = DEFAULT_HOST;
        private int port;
        private String adminPassword;
        private Path dataDirectory;
        private Clock clock = Clock.systemUTC();
        private long seed;
        private Integer ldapsPort;
        private boolean startTls;
        private Path keystore;
        private String keystorePassword;
        private java.time.Duration tombstoneLifetime = java.time.Duration.ofDays(DEFAULT_TOMBSTONE_LIFETIME_DAYS);
        private ProtocolLimits protocolLimits = ProtocolLimits.defaults();
        private final List<ProtocolService> services = new ArrayList<>();
        private final List<SaslMechanism> saslMechanisms = new ArrayList<>(List.of(new dev.keytrust.dc.krb.GssapiMechanism(),
                dev.keytrust.dc.spnego.SpnegoMechanism.standard())); // Kerberos and NTLM binds, as every AD DC
        private final List<Supplier<Interceptor>> interceptors = new ArrayList<>();
        private Integer kdcPort;
        private dev.keytrust.kdc.pkinit.KdcCertificates.Credential kdcCertificateAuthority;
        private Integer globalCatalogPort;
        private Integer globalCatalogSslPort;
        private boolean standardPorts;

        private Builder(String name) {
            this.name = name;
        }

        private Builder copy() {
            Builder c = new Builder(name);
            c.site = site;
            c.domain = domain;
            c.host = host;
            c.port = port;
            c.adminPassword = adminPassword;
            c.dataDirectory = dataDirectory;
            c.clock = clock;
            c.seed = seed;
            c.ldapsPort = ldapsPort;
            c.startTls = startTls;
            c.keystore = keystore;
            c.keystorePassword = keystorePassword;
            c.tombstoneLifetime = tombstoneLifetime;
            c.protocolLimits = protocolLimits;
            c.services.addAll(services);
            c.saslMechanisms.clear();
            c.saslMechanisms.addAll(saslMechanisms);
            c.interceptors.addAll(interceptors);
            c.kdcPort = kdcPort;
            c.kdcCertificateAuthority = kdcCertificateAuthority;
            c.globalCatalogPort = globalCatalogPort;
            c.globalCatalogSslPort = globalCatalogSslPort;
            c.standardPorts = standardPorts;
            return c;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder site(String site) {
            this.site = site;
            return this;
        }

        /** The domain's DNS name, e.g. {@code corp.example.com}. */
        public Builder domain(String domain) {
            this.domain = domain == null ? null : domain.toLowerCase(Locale.ROOT);
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The LDAP port; 0 (default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The administrator password; {@code null} (default) generates one at start. */
        public Builder adminPassword(String password) {
            this.adminPassword = password;
            return this;
        }

        /** A directory for persistent storage; {@code null} (default) keeps everything in memory. */
        public Builder dataDirectory(Path dir) {
            this.dataDirectory = dir;
            return this;
        }

        /** The clock for whenCreated/whenChanged and currentTime; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The seed for the domain SID and server-assigned GUIDs; default 0. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Serve LDAPS on this port (0 picks a free one); {@code null} (default) serves no LDAPS. */
        public Builder ldapsPort(Integer port) {
            this.ldapsPort = port;
            return this;
        }

        /** Serve the global catalog (the same data, read-only) on this port (0 picks one); {@code null} (default): none. */
        public Builder globalCatalogPort(Integer port) {
            this.globalCatalogPort = port;
            return this;
        }

        /** Serve the global catalog over TLS on this port (0 picks one); {@code null} (default): none. */
        public Builder globalCatalogSslPort(Integer port) {
            this.globalCatalogSslPort = port;
            return this;
        }

        /**
         * AD's ports, as a real DC has them at its own address: LDAP 389, LDAPS 636, global catalog 3268 and 3269,
         * and {@link DcServices#STANDARD_SERVICE_PORTS} for hosted services (a KDC named {@code kdc} on 88). Ports below 1024
         * need root or {@code CAP_NET_BIND_SERVICE}; give each DC its own address ({@code host("127.0.0.11")}).
         */
        public Builder standardPorts() {
            this.standardPorts = true;
            this.port = DcServices.STANDARD_LDAP_PORT;
            this.ldapsPort = DcServices.STANDARD_LDAPS_PORT;
            this.globalCatalogPort = DcServices.STANDARD_GC_PORT;
            this.globalCatalogSslPort = DcServices.STANDARD_GC_SSL_PORT;
            return this;
        }

        /** Offer StartTLS on the LDAP port; default false. */
        public Builder startTls(boolean startTls) {
            this.startTls = startTls;
            return this;
        }

        /**
         * Use this key store (PKCS#12 or JKS, one key entry) for LDAPS/StartTLS instead of a generated
         * self-signed certificate.
         */
        public Builder keystore(Path keystore, String password) {
            this.keystore = keystore;
            this.keystorePassword = password;
            return this;
        }

        /** The tombstone lifetime (AD's default, and ours: 180 days); at least one hour. */
        public Builder tombstoneLifetime(java.time.Duration lifetime) {
            this.tombstoneLifetime = lifetime;
            return this;
        }

        /** What one LDAP connection may send and leave unread; default {@link ProtocolLimits#defaults()}. */
        public Builder protocolLimits(ProtocolLimits limits) {
            this.protocolLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Hosts one more protocol service on its own port (see {@link ProtocolService}). */
        public Builder service(ProtocolService service) {
            services.add(Objects.requireNonNull(service, "service"));
            return this;
        }

        /**
         * Accepts one more SASL bind mechanism on the LDAP ports (see {@link SaslMechanism}), replacing one of the same
         * name (the default GSS-SPNEGO with NTLM, say).
         */
        public Builder saslMechanism(SaslMechanism mechanism) {
            Objects.requireNonNull(mechanism, "mechanism");
            saslMechanisms.removeIf(m -> m.name().equalsIgnoreCase(mechanism.name()));
            saslMechanisms.add(mechanism);
            return this;
        }

        /** Adds an ApacheDS interceptor after the AD interceptor (after those added before). */
        public Builder interceptor(Supplier<Interceptor> interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Host a KDC (Kerberos AS/TGS with key-trust PKINIT, TCP and UDP) on this port, 0 picking a free one;
         * {@code null} (the default) hosts none.
         */
        public Builder kdcPort(Integer port) {
            this.kdcPort = port;
            return this;
        }

        /**
         * The lab CA that issues the KDC certificate (share one among the DCs of a lab: clients trust it once);
         * default: one generated when the config is built with a {@link #kdcPort}.
         */
        public Builder kdcCertificateAuthority(dev.keytrust.kdc.pkinit.KdcCertificates.Credential ca) {
            this.kdcCertificateAuthority = ca;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws KeyTrustException ({@code INVALID_CONFIGURATION}) naming the bad setting
         */
        public DomainControllerConfig build() {
            ConfigChecks.checkPorts(port, ldapsPort, globalCatalogPort, globalCatalogSslPort, kdcPort);
            if (kdcPort != null && kdcCertificateAuthority == null) {
                kdcCertificateAuthority = dev.keytrust.kdc.pkinit.KdcCertificates.generateCa(
                        "KeyTrust Lab CA (" + name + ")", clock.instant());
            }
            List<ProtocolService> all = new ArrayList<>(services);
            if (kdcPort != null) {
                all.add(new dev.keytrust.dc.kerberos.KdcService(kdcPort, kdcCertificateAuthority));
            }
            ConfigChecks.check(name, site, domain, host, keystore, adminPassword, tombstoneLifetime, all, saslMechanisms);
            return new DomainControllerConfig(this, all);
        }
    }
}
