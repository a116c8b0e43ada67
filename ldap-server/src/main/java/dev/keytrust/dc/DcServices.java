package dev.keytrust.dc;

import dev.keytrust.dc.service.ProtocolService;
import java.util.Map;

/**
 * The names of the services every DC hosts on its own (LDAP, LDAPS, the global catalog in clear and over TLS), and
 * AD's standard port for each, used by {@link DomainControllerConfigBuilder#standardPorts()}.
 *
 * <pre>{@code
 * int gc = dc.port(DcServices.GC_SERVICE);   // 3268 with standard ports
 * }</pre>
 */
public final class DcServices {
    /** The built-in LDAP service's name (its port: {@link DomainController#port(String)}). */
    public static final String LDAP_SERVICE = "ldap";
    /** The built-in LDAPS service's name. */
    public static final String LDAPS_SERVICE = "ldaps";
    /** The built-in global catalog service's name (LDAP on AD's port 3268: the same data, read-only). */
    public static final String GC_SERVICE = "gc";
    /** The built-in global catalog over TLS (AD's port 3269). */
    public static final String GC_SSL_SERVICE = "gc-ssl";
    /** AD's ports: LDAP 389, LDAPS 636, global catalog 3268 and 3269, Kerberos 88, kpasswd 464. */
    public static final int STANDARD_LDAP_PORT = 389;
    public static final int STANDARD_LDAPS_PORT = 636;
    public static final int STANDARD_GC_PORT = 3268;
    public static final int STANDARD_GC_SSL_PORT = 3269;
    /**
     * The standard port of each hosted {@link ProtocolService} by name, used with {@link DomainControllerConfigBuilder#standardPorts()} for
     * a service whose own {@link ProtocolService#port()} is 0: the hook a KDC service named {@code kdc} takes 88 by.
     */
    public static final Map<String, Integer> STANDARD_SERVICE_PORTS = Map.of("kdc", 88, "kpasswd", 464);

    private DcServices() {
    }
}
