package dev.keytrust.dc.service;

import java.util.List;
import java.util.Optional;

/**
 * A read-only view of the hosting DC's own directory, as the DC itself reads it (no client bind, no access checks,
 * tombstones hidden). Services use it to find accounts and their attributes; they never write through it.
 */
public interface DirectoryView {
    /** The entry at {@code dn} with the attributes named, or empty if there is none (or the DN is malformed). */
    Optional<DirectoryEntry> lookup(String dn, String... attributes);

    /**
     * The entries of the domain (its whole subtree, configuration included) matching an LDAP filter, with the
     * attributes named.
     *
     * @throws dev.keytrust.KeyTrustException ({@code INVALID_CONFIGURATION}) for a malformed filter
     */
    List<DirectoryEntry> search(String filter, String... attributes);

    /** The DN of the account holding {@code samAccountName} (case-insensitive), if any. */
    Optional<String> accountDn(String samAccountName);
}
