package dev.keytrust.topology;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * One domain controller of a topology.
 *
 * @param name its name ({@code DC1})
 * @param site the site it is in
 * @param host where it listens (default 127.0.0.1)
 * @param port its LDAP port (0 picks one)
 * @param preferredBridgehead whether it is a preferred bridgehead for its site's inter-site replication
 * @param kdcPort its KDC's port (TCP and UDP; 0 picks one), or {@code null} for the default: a KDC on a free port
 */
public record DcSpec(String name, String site, String host, int port, boolean preferredBridgehead, Integer kdcPort) {
    /** A DC whose KDC gets a free port. */
    public DcSpec(String name, String site, String host, int port, boolean preferredBridgehead) {
        this(name, site, host, port, preferredBridgehead, null);
    }

    /**
     * The objectGUID of this DC's NTDS Settings object, derived from the seed and its name; the KCC orders a
     * site's ring by it, as AD does.
     */
    public UUID ntdsSettingsGuid(long seed) {
        return UUID.nameUUIDFromBytes(("ntds|" + seed + "|" + name.toUpperCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
    }
}
