package dev.keytrust.dc;

import dev.keytrust.KeyTrustException;
import dev.keytrust.dc.service.ProtocolService;
import dev.keytrust.dc.service.SaslMechanism;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The checks {@link DomainControllerConfigBuilder#build()} makes, each naming the bad setting and what it expects. */
final class ConfigChecks {
    private static final Pattern SERVICE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,30}");
    private static final Pattern DC_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,14}");
    private static final Pattern SITE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private ConfigChecks() {
    }

    static void check(String name, String site, String domain, String host, Path keystore,
            String adminPassword, Duration tombstoneLifetime, List<ProtocolService> services,
            List<SaslMechanism> saslMechanisms) {
        if (name == null || !DC_NAME.matcher(name).matches()) {
            throw invalid("name", "a DC name of letters, digits and '-', at most 15 characters (like DC1)", name);
        }
        if (site == null || !SITE_NAME.matcher(site).matches()) {
            throw invalid("site", "a site name of letters, digits, space, '.', '_' or '-' (like HQ)", site);
        }
        if (domain == null || !domain.contains(".")) {
            throw invalid("domain", "a DNS domain name with at least two labels (like corp.example.com)", domain);
        }
        for (String label : domain.split("\\.", -1)) {
            if (!DNS_LABEL.matcher(label).matches()) {
                throw invalid("domain", "DNS labels of letters, digits and inner '-' (like corp.example.com)", domain);
            }
        }
        if (host == null || host.isBlank()) {
            throw invalid("host", "a host name or address to bind to (like 127.0.0.1)", host);
        }
        if (keystore != null && !java.nio.file.Files.isReadable(keystore)) {
            throw invalid("keystore", "a readable PKCS#12 or JKS key store file", keystore.toString());
        }
        if (adminPassword != null && adminPassword.isEmpty()) {
            throw invalid("adminPassword", "a non-empty password, or none to have one generated", "an empty string");
        }
        if (tombstoneLifetime == null || tombstoneLifetime.compareTo(Duration.ofHours(1)) < 0) {
            throw invalid("tombstoneLifetime", "a duration of at least one hour (AD's default is 180 days)",
                    String.valueOf(tombstoneLifetime));
        }
        java.util.Set<String> names = new java.util.HashSet<>(List.of(DcServices.LDAP_SERVICE, DcServices.LDAPS_SERVICE,
                DcServices.GC_SERVICE, DcServices.GC_SSL_SERVICE));
        for (ProtocolService service : services) {
            String n = service.name();
            if (n == null || !SERVICE_NAME.matcher(n).matches() || !names.add(n)) {
                throw invalid("service", "a service name of lower-case letters, digits and '-', unique in the DC and "
                        + "other than ldap and ldaps", n);
            }
        }
        java.util.Set<String> mechanisms = new java.util.HashSet<>();
        for (SaslMechanism m : saslMechanisms) {
            if (m.name() == null || m.name().isBlank() || !mechanisms.add(m.name().toUpperCase(Locale.ROOT))) {
                throw invalid("saslMechanism", "a SASL mechanism name, each once", m.name());
            }
        }
    }

    /**
     * The DC's own ports (LDAP, LDAPS, global catalog in clear and over TLS, KDC; {@code null}: not served): each a TCP
     * port 0-65535, and no two the same unless 0 (which picks a free one).
     */
    static void checkPorts(int port, Integer ldapsPort, Integer gcPort, Integer gcSslPort, Integer kdcPort) {
        java.util.Map<Integer, String> taken = new java.util.HashMap<>();
        Object[][] ports = {{"port", port}, {"ldapsPort", ldapsPort}, {"globalCatalogPort", gcPort},
            {"globalCatalogSslPort", gcSslPort}, {"kdcPort", kdcPort}};
        for (Object[] p : ports) {
            Integer value = (Integer) p[1];
            if (value == null) {
                continue;
            }
            String other = value == 0 ? null : taken.putIfAbsent(value, (String) p[0]);
            if (value < 0 || value > 65535 || other != null) {
                throw invalid((String) p[0], "a TCP port 0-65535 (0 picks a free one)"
                        + (other == null ? "" : " other than the DC's " + other), String.valueOf(value));
            }
        }
    }

    private static KeyTrustException invalid(String setting, String expected, String found) {
        return dev.keytrust.config.ConfigChecks.invalid("invalid DC setting '" + setting + "': expected " + expected
                + " but found " + (found == null ? "nothing" : "'" + found + "'"));
    }
}
