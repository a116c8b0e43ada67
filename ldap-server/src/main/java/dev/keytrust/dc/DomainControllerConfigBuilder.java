package dev.keytrust.dc;

import dev.keytrust.KeyTrustException;
import dev.keytrust.dc.wire.ProtocolLimits;
import java.nio.file.Path;
import java.time.Clock;
import dev.keytrust.dc.service.ProtocolService;
import dev.keytrust.dc.service.SaslMechanism;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.directory.server.core.api.interceptor.Interceptor;

/**
 * Builds a {@link DomainControllerConfig}: each setter takes one setting, {@link #build()} validates them all and
 * names the first bad one. Get one from {@link DomainControllerConfig#builder(String)} or
 * {@link DomainControllerConfig#toBuilder()}.
 *
 * <pre>{@code
 * DomainControllerConfig config = DomainControllerConfig.builder("DC1").standardPorts().host("127.0.0.11")
 *         .kdcPort(0).build();
 * }</pre>
 */
public final class DomainControllerConfigBuilder {
    String name;
    String site = DomainControllerConfig.DEFAULT_SITE;
    String domain = DomainControllerConfig.DEFAULT_DOMAIN;
    String host = DomainControllerConfig.DEFAULT_HOST;
    int port;
    String adminPassword;
    Path dataDirectory;
    Clock clock = Clock.systemUTC();
    long seed;
    Integer ldapsPort;
    boolean startTls;
    Path keystore;
    String keystorePassword;
    java.time.Duration tombstoneLifetime = java.time.Duration.ofDays(DomainControllerConfig.DEFAULT_TOMBSTONE_LIFETIME_DAYS);
    ProtocolLimits protocolLimits = ProtocolLimits.defaults();
    final List<ProtocolService> services = new ArrayList<>();
    final List<SaslMechanism> saslMechanisms = new ArrayList<>(List.of(new dev.keytrust.dc.krb.GssapiMechanism(),
            dev.keytrust.dc.spnego.SpnegoMechanism.standard())); // Kerberos and NTLM binds, as every AD DC
    final List<Supplier<Interceptor>> interceptors = new ArrayList<>();
    Integer kdcPort;
    dev.keytrust.kdc.pkinit.KdcCertificates.Credential kdcCertificateAuthority;
    Integer globalCatalogPort;
    Integer globalCatalogSslPort;
    boolean standardPorts;

    DomainControllerConfigBuilder(String name) {
        this.name = name;
    }

    DomainControllerConfigBuilder copy() {
        DomainControllerConfigBuilder c = new DomainControllerConfigBuilder(name);
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

    public DomainControllerConfigBuilder name(String name) {
        this.name = name;
        return this;
    }

    public DomainControllerConfigBuilder site(String site) {
        this.site = site;
        return this;
    }

    /** The domain's DNS name, e.g. {@code corp.example.com}. */
    public DomainControllerConfigBuilder domain(String domain) {
        this.domain = domain == null ? null : domain.toLowerCase(Locale.ROOT);
        return this;
    }

    public DomainControllerConfigBuilder host(String host) {
        this.host = host;
        return this;
    }

    /** The LDAP port; 0 (default) picks a free one. */
    public DomainControllerConfigBuilder port(int port) {
        this.port = port;
        return this;
    }

    /** The administrator password; {@code null} (default) generates one at start. */
    public DomainControllerConfigBuilder adminPassword(String password) {
        this.adminPassword = password;
        return this;
    }

    /** A directory for persistent storage; {@code null} (default) keeps everything in memory. */
    public DomainControllerConfigBuilder dataDirectory(Path dir) {
        this.dataDirectory = dir;
        return this;
    }

    /** The clock for whenCreated/whenChanged and currentTime; default the system UTC clock. */
    public DomainControllerConfigBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** The seed for the domain SID and server-assigned GUIDs; default 0. */
    public DomainControllerConfigBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Serve LDAPS on this port (0 picks a free one); {@code null} (default) serves no LDAPS. */
    public DomainControllerConfigBuilder ldapsPort(Integer port) {
        this.ldapsPort = port;
        return this;
    }

    /** Serve the global catalog (the same data, read-only) on this port (0 picks one); {@code null} (default): none. */
    public DomainControllerConfigBuilder globalCatalogPort(Integer port) {
        this.globalCatalogPort = port;
        return this;
    }

    /** Serve the global catalog over TLS on this port (0 picks one); {@code null} (default): none. */
    public DomainControllerConfigBuilder globalCatalogSslPort(Integer port) {
        this.globalCatalogSslPort = port;
        return this;
    }

    /**
     * AD's ports, as a real DC has them at its own address: LDAP 389, LDAPS 636, global catalog 3268 and 3269,
     * and {@link DcServices#STANDARD_SERVICE_PORTS} for hosted services (a KDC named {@code kdc} on 88). Ports below 1024
     * need root or {@code CAP_NET_BIND_SERVICE}; give each DC its own address ({@code host("127.0.0.11")}).
     */
    public DomainControllerConfigBuilder standardPorts() {
        this.standardPorts = true;
        this.port = DcServices.STANDARD_LDAP_PORT;
        this.ldapsPort = DcServices.STANDARD_LDAPS_PORT;
        this.globalCatalogPort = DcServices.STANDARD_GC_PORT;
        this.globalCatalogSslPort = DcServices.STANDARD_GC_SSL_PORT;
        return this;
    }

    /** Offer StartTLS on the LDAP port; default false. */
    public DomainControllerConfigBuilder startTls(boolean startTls) {
        this.startTls = startTls;
        return this;
    }

    /**
     * Use this key store (PKCS#12 or JKS, one key entry) for LDAPS/StartTLS instead of a generated
     * self-signed certificate.
     */
    public DomainControllerConfigBuilder keystore(Path keystore, String password) {
        this.keystore = keystore;
        this.keystorePassword = password;
        return this;
    }

    /** The tombstone lifetime (AD's default, and ours: 180 days); at least one hour. */
    public DomainControllerConfigBuilder tombstoneLifetime(java.time.Duration lifetime) {
        this.tombstoneLifetime = lifetime;
        return this;
    }

    /** What one LDAP connection may send and leave unread; default {@link ProtocolLimits#defaults()}. */
    public DomainControllerConfigBuilder protocolLimits(ProtocolLimits limits) {
        this.protocolLimits = Objects.requireNonNull(limits, "limits");
        return this;
    }

    /** Hosts one more protocol service on its own port (see {@link ProtocolService}). */
    public DomainControllerConfigBuilder service(ProtocolService service) {
        services.add(Objects.requireNonNull(service, "service"));
        return this;
    }

    /**
     * Accepts one more SASL bind mechanism on the LDAP ports (see {@link SaslMechanism}), replacing one of the same
     * name (the default GSS-SPNEGO with NTLM, say).
     */
    public DomainControllerConfigBuilder saslMechanism(SaslMechanism mechanism) {
        Objects.requireNonNull(mechanism, "mechanism");
        saslMechanisms.removeIf(m -> m.name().equalsIgnoreCase(mechanism.name()));
        saslMechanisms.add(mechanism);
        return this;
    }

    /** Adds an ApacheDS interceptor after the AD interceptor (after those added before). */
    public DomainControllerConfigBuilder interceptor(Supplier<Interceptor> interceptor) {
        interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
        return this;
    }

    /**
     * Host a KDC (Kerberos AS/TGS with key-trust PKINIT, TCP and UDP) on this port, 0 picking a free one;
     * {@code null} (the default) hosts none.
     */
    public DomainControllerConfigBuilder kdcPort(Integer port) {
        this.kdcPort = port;
        return this;
    }

    /**
     * The lab CA that issues the KDC certificate (share one among the DCs of a lab: clients trust it once);
     * default: one generated when the config is built with a {@link #kdcPort}.
     */
    public DomainControllerConfigBuilder kdcCertificateAuthority(dev.keytrust.kdc.pkinit.KdcCertificates.Credential ca) {
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
