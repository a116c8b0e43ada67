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
 */
public record DcSpec(String name, String site, String host, int port, boolean preferredBridgehead) {
    /**
     * The objectGUID of this DC's NTDS Settings object, derived from the seed and its name; the KCC orders a
     * site's ring by it, as AD does.
     */
    public UUID ntdsSettingsGuid(long seed) {
        return UUID.nameUUIDFromBytes(("ntds|" + seed + "|" + name.toUpperCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
    }
}
