package dev.keytrust.kdc;

import java.util.Optional;

/**
 * The port through which the KDC reads accounts from the directory of the domain controller hosting it. The DC
 * implements it over its own directory copy; tests use {@link InMemoryKdcAccounts}.
 *
 * <p>The KDC calls it for every request and keeps nothing beyond that request, so a change the DC applies
 * (locally or by replication) is seen by the next request. Implementations must be thread-safe.
 */
public interface KdcAccounts {

    /** How a name is being looked up. */
    enum Role {
        /**
         * A client name from an AS-REQ or a ticket: match the sAMAccountName (case-insensitive; {@code DC1$} also
         * as {@code DC1$}) or the userPrincipalName.
         */
        CLIENT,
        /**
         * A service name ({@code ldap/dc1.corp.example.com}, {@code host/dc1}, {@code krbtgt}): match a
         * servicePrincipalName (case-insensitive) or, for a one-part name, the sAMAccountName. The KDC asks for
         * its own ticket-granting account as {@code krbtgt}.
         */
        SERVICE
    }

    /**
     * The account named {@code principalName} in this realm, as the directory holds it now.
     *
     * @param principalName the principal's name components joined by {@code /}, without the realm
     *                      ({@code alice}, {@code ldap/dc1.corp.example.com}, {@code krbtgt})
     * @param role whether the name is a client or a service name
     * @return the account, or empty if there is none
     */
    Optional<KdcAccount> find(String principalName, Role role);
}
