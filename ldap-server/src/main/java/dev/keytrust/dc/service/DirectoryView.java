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

    /**
     * The secrets this DC derived when the account's password was last set here or on a partner (NT hash, Kerberos
     * keys, salt, kvno): what a KDC or an NTLM bind mechanism checks a sign-in with. Never readable over LDAP.
     *
     * @param name a sAMAccountName ({@code alice}, {@code DC1$}), a UPN ({@code alice@corp.example.com}) or a
     *     down-level name ({@code CORP\alice}), case-insensitive; or the account's DN
     * @return empty if there is no such account, or it has no password
     */
    Optional<AccountCredentials> credentials(String name);

    /**
     * The secrets of an account entry this view returned with {@code unicodePwd}, {@code supplementalCredentials}
     * and {@code sAMAccountName} among the attributes asked for (the view returns them to hosted services, never a
     * client): the same as {@link #credentials(String)} gives, without reading the entry again.
     *
     * @return empty if the entry holds no password (or was read without those attributes)
     */
    Optional<AccountCredentials> credentials(DirectoryEntry account);
}
