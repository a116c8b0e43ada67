package dev.keytrust.dc.ntlm;

import java.util.Optional;

/**
 * Finds the account an AUTHENTICATE message names, in the forms clients send: a sAMAccountName with the NetBIOS
 * ({@code CORP}) or DNS domain name, or a user principal name ({@code alice@corp.example.com}) with an empty
 * domain. The DC's implementation reads its own directory ({@link DirectoryAccounts}).
 */
@FunctionalInterface
public interface NtlmAccounts {
    /**
     * The account, if the names identify one of this domain that has an NT hash.
     *
     * @param domain the domain name as the client sent it (may be empty)
     * @param user the user name as the client sent it
     */
    Optional<NtlmAccount> find(String domain, String user);
}
