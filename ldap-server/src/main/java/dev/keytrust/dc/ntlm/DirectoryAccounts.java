package dev.keytrust.dc.ntlm;

import dev.keytrust.dc.service.AccountCredentials;
import dev.keytrust.dc.service.DcContext;
import java.util.Optional;

/**
 * The accounts of a DC's own directory, as NTLM names them: {@code CORP\alice} or {@code corp.example.com\alice}
 * (sAMAccountName), {@code alice@corp.example.com} with no domain (userPrincipalName), or {@code alice} with no
 * domain. Names of other domains find nothing. The NT hash is the account's password-derived credential
 * ({@link dev.keytrust.dc.service.DirectoryView#credentials}), as this DC holds it: a password set on another DC
 * works here once it has replicated. An account without a password cannot sign in with NTLM.
 */
public final class DirectoryAccounts implements NtlmAccounts {
    private static final long ACCOUNTDISABLE = 0x2;

    private final DcContext context;

    public DirectoryAccounts(DcContext context) {
        this.context = context;
    }

    @Override
    public Optional<NtlmAccount> find(String domain, String user) {
        if (user.isEmpty() || user.indexOf('\\') >= 0) {
            return Optional.empty();
        }
        Optional<AccountCredentials> credentials = context.directory().credentials(domain.isEmpty() ? user
                : domain + "\\" + user);
        return credentials.map(c -> new NtlmAccount(c.accountDn(), c.ntHash(), !disabled(c.accountDn())));
    }

    private boolean disabled(String dn) {
        return context.directory().lookup(dn, "userAccountControl").flatMap(e -> e.string("userAccountControl"))
                .map(v -> {
                    try {
                        return (Long.parseLong(v.trim()) & ACCOUNTDISABLE) != 0;
                    } catch (NumberFormatException e) {
                        return false;
                    }
                }).orElse(false);
    }
}
