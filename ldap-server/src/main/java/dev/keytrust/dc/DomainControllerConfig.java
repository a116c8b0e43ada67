package dev.keytrust.dc;

import dev.keytrust.encoding.Sid;
import dev.keytrust.dc.wire.ProtocolLimits;
import dev.keytrust.persona.Personas;
import java.nio.file.Path;
import java.time.Clock;
import dev.keytrust.dc.service.ProtocolService;
import dev.keytrust.dc.service.SaslMechanism;
import java.util.List;
import java.util.Locale;
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
    private final DomainControllerConfigBuilder settings;
    private final List<ProtocolService> services;
    private final List<SaslMechanism> saslMechanisms;
    private final List<Supplier<Interceptor>> interceptors;

    DomainControllerConfig(DomainControllerConfigBuilder b, List<ProtocolService> services) {
        this.settings = b.copy();
        this.services = List.copyOf(services);
        this.saslMechanisms = List.copyOf(b.saslMechanisms);
        this.interceptors = List.copyOf(b.interceptors);
    }

    /** A builder for a DC named {@code name} (like {@code DC1}: letters, digits, '-', at most 15). */
    public static DomainControllerConfigBuilder builder(String name) {
        return new DomainControllerConfigBuilder(name);
    }

    /** A builder holding this config's settings. */
    public DomainControllerConfigBuilder toBuilder() {
        return settings.copy();
    }

    public String name() {
        return settings.name;
    }

    public String site() {
        return settings.site;
    }

    /** The domain's DNS name, lower case. */
    public String domain() {
        return settings.domain;
    }

    /** The domain's DN, {@code DC=corp,DC=example,DC=com}. */
    public String baseDn() {
        StringBuilder dn = new StringBuilder();
        for (String label : settings.domain.split("\\.")) {
            if (dn.length() > 0) {
                dn.append(',');
            }
            dn.append("DC=").append(label);
        }
        return dn.toString();
    }

    /** The NetBIOS-style domain name: the first label, upper case ({@code CORP}). */
    public String netbiosDomain() {
        return settings.domain.substring(0, settings.domain.indexOf('.') < 0 ? settings.domain.length() : settings.domain.indexOf('.')).toUpperCase(Locale.ROOT);
    }

    /** The DC's DNS host name, {@code dc1.corp.example.com}. */
    public String dnsHostName() {
        return settings.name.toLowerCase(Locale.ROOT) + "." + settings.domain;
    }

    public String host() {
        return settings.host;
    }

    /** The configured LDAP port; 0 means a free one is picked at start. */
    public int port() {
        return settings.port;
    }

    /** The administrator password, if one was set (otherwise the DC generates one). */
    public Optional<String> adminPassword() {
        return Optional.ofNullable(settings.adminPassword);
    }

    /** Where data, USN counter and metadata are kept across restarts; empty for an in-memory DC. */
    public Optional<Path> dataDirectory() {
        return Optional.ofNullable(settings.dataDirectory);
    }

    public Clock clock() {
        return settings.clock;
    }

    public long seed() {
        return settings.seed;
    }

    /** The LDAPS port (0 picks one), or empty when LDAPS is off (the default). */
    public Optional<Integer> ldapsPort() {
        return Optional.ofNullable(settings.ldapsPort);
    }

    /** The global catalog port (0 picks one), or empty when the DC serves no global catalog (the default). */
    public Optional<Integer> globalCatalogPort() {
        return Optional.ofNullable(settings.globalCatalogPort);
    }

    /** The global catalog's TLS port (0 picks one), or empty (the default). */
    public Optional<Integer> globalCatalogSslPort() {
        return Optional.ofNullable(settings.globalCatalogSslPort);
    }

    /** Whether {@link DomainControllerConfigBuilder#standardPorts()} was asked for (hosted services then take their standard ports). */
    public boolean standardPorts() {
        return settings.standardPorts;
    }

    /** The port a hosted service starts on: its own, or with standard ports its standard one when its own is 0. */
    public int servicePort(ProtocolService service) {
        return service.port() == 0 && settings.standardPorts ? DcServices.STANDARD_SERVICE_PORTS.getOrDefault(service.name(), 0) : service.port();
    }

    /** Whether StartTLS is offered on the LDAP port (default false). */
    public boolean startTls() {
        return settings.startTls;
    }

    /** Whether the DC needs a server certificate (LDAPS, the global catalog over TLS, or StartTLS). */
    public boolean tls() {
        return settings.ldapsPort != null || settings.startTls || settings.globalCatalogSslPort != null;
    }

    /** A supplied key store (PKCS#12 or JKS) with the server certificate; empty to generate one. */
    public Optional<Path> keystore() {
        return Optional.ofNullable(settings.keystore);
    }

    /** The supplied key store's password. */
    public Optional<String> keystorePassword() {
        return Optional.ofNullable(settings.keystorePassword);
    }

    /**
     * How long a deleted object's tombstone, and a removed linked value's ABSENT record, is kept before garbage
     * collection removes it (AD's tombstoneLifetime; default {@value #DEFAULT_TOMBSTONE_LIFETIME_DAYS} days).
     */
    public java.time.Duration tombstoneLifetime() {
        return settings.tombstoneLifetime;
    }

    /** What one LDAP connection may send and leave unread (default {@link ProtocolLimits#defaults()}). */
    public ProtocolLimits protocolLimits() {
        return settings.protocolLimits;
    }

    /** The protocol services the DC hosts besides LDAP (and LDAPS), in the order they start (the KDC last). */
    public List<ProtocolService> services() {
        return services;
    }

    /** The KDC's port (TCP and UDP; 0 picks one) when the DC hosts a KDC; read the real one with {@code port("kdc")}. */
    public Optional<Integer> kdcPort() {
        return Optional.ofNullable(settings.kdcPort);
    }

    /** The lab CA that issues the DC's KDC certificate, when it hosts a KDC (clients' {@code pkinit_anchors}). */
    public Optional<dev.keytrust.kdc.pkinit.KdcCertificates.Credential> kdcCertificateAuthority() {
        return Optional.ofNullable(settings.kdcCertificateAuthority);
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
        return Personas.domainSid(settings.domain, settings.seed);
    }

    @Override
    public String toString() {
        return "DomainControllerConfig[" + settings.name + ", site=" + settings.site + ", domain=" + settings.domain + ", " + settings.host + ":" + settings.port
                + (settings.dataDirectory != null ? ", data=" + settings.dataDirectory : ", in memory") + ", seed=" + settings.seed + "]";
    }
}
