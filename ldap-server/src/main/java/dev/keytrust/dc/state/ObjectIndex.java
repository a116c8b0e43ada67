package dev.keytrust.dc.state;

import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.directory.api.ldap.model.name.Dn;

/**
 * What one DC finds objects by without a search: who holds each sAMAccountName (it must be unique in the domain),
 * and each objectGUID's current DN (replication matches objects by GUID, as AD does).
 */
public final class ObjectIndex {
    private final WellKnownDns dns;
    /** sAMAccountName (lower case) to the normalised DN of the object holding it. */
    public final ConcurrentHashMap<String, String> samOwners = new ConcurrentHashMap<>();
    /** Normalised DN to the sAMAccountName it holds (the reverse of {@link #samOwners}, for committed writes). */
    public final ConcurrentHashMap<String, String> samByOwner = new ConcurrentHashMap<>();
    /** objectGUID to the object's current DN (tombstones included). */
    public final ConcurrentHashMap<UUID, Dn> objectsByGuid = new ConcurrentHashMap<>();

    ObjectIndex(WellKnownDns dns) {
        this.dns = dns;
    }

    /**
     * Records that {@code owner} now holds {@code sam} ({@code null}: none) in the sAMAccountName index. A tombstone
     * keeps its sAMAccountName but no longer holds it: the name may be used again.
     */
    public void samHeld(Dn owner, String sam) {
        String held = dns.isDeletedObject(owner) ? null : sam;
        String norm = owner.getNormName();
        String old = held == null ? samByOwner.remove(norm) : samByOwner.put(norm, held);
        if (old != null && (held == null || !old.equalsIgnoreCase(held))) {
            samOwners.remove(old.toLowerCase(Locale.ROOT), norm);
        }
        if (held != null) {
            samOwners.put(held.toLowerCase(Locale.ROOT), norm);
        }
    }
}
