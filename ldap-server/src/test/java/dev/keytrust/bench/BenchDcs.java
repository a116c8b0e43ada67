package dev.keytrust.bench;

import dev.keytrust.dc.DomainControllerConfig;
import dev.keytrust.dc.ntlm.DirectoryAccounts;
import dev.keytrust.dc.ntlm.NtlmCrypto;
import dev.keytrust.dc.ntlm.NtlmGss;
import dev.keytrust.dc.service.DirectoryEntry;
import dev.keytrust.dc.spnego.SpnegoMechanism;
import java.util.List;
import java.util.Optional;

/** DC configs whose NTLM knows the Administrator's password (the tests and benchmarks that sign in with it). */
public final class BenchDcs {
    private BenchDcs() {
    }

    /** NTLM over the DC's accounts, of which only the Administrator has an NT hash: the password given to the builder. */
    public static DomainControllerConfig.Builder withNtlm(DomainControllerConfig.Builder b) {
        byte[] hash = NtlmCrypto.ntHash(b.build().adminPassword().orElseThrow());
        DirectoryAccounts.NtHashSource administrator = new DirectoryAccounts.NtHashSource() {
            @Override
            public List<String> attributes() {
                return List.of("sAMAccountName");
            }

            @Override
            public Optional<byte[]> ntHash(DirectoryEntry account) {
                return account.string("sAMAccountName").filter("Administrator"::equalsIgnoreCase).map(s -> hash);
            }
        };
        NtlmGss ntlm = new NtlmGss(context -> new DirectoryAccounts(context, administrator));
        return b.saslMechanism(new SpnegoMechanism(List.of(ntlm), ntlm.sicily()));
    }
}
