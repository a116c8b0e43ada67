package dev.keytrust.kdc;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link KdcAccounts} held in memory, for tests and for tools without a directory. Thread-safe; changes are
 * seen by the next request.
 *
 * <pre>{@code
 * InMemoryKdcAccounts accounts = new InMemoryKdcAccounts();
 * accounts.put(KerberosKeys.userAccount("CORP.EXAMPLE.COM", "alice", "Secret-1", 1, sid));
 * }</pre>
 */
public final class InMemoryKdcAccounts implements KdcAccounts {
    private final Map<String, KdcAccount> bySamAccountName = new ConcurrentHashMap<>();

    /** Adds the account, or replaces the one with the same sAMAccountName (case-insensitive). */
    public void put(KdcAccount account) {
        bySamAccountName.put(account.samAccountName().toLowerCase(Locale.ROOT), account);
    }

    /** Removes the account with this sAMAccountName, if there is one. */
    public void remove(String samAccountName) {
        bySamAccountName.remove(samAccountName.toLowerCase(Locale.ROOT));
    }

    @Override
    public Optional<KdcAccount> find(String principalName, Role role) {
        KdcAccount bySam = principalName.contains("/") ? null
                : bySamAccountName.get(principalName.toLowerCase(Locale.ROOT));
        if (bySam != null) {
            return Optional.of(bySam);
        }
        return bySamAccountName.values().stream()
                .filter(a -> role == Role.CLIENT
                        ? a.userPrincipalName().filter(principalName::equalsIgnoreCase).isPresent()
                        : a.servicePrincipalNames().stream().anyMatch(principalName::equalsIgnoreCase))
                .findFirst();
    }
}
