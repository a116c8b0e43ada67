package dev.keytrust.bench;

import dev.keytrust.dc.DomainControllerConfig;
import dev.keytrust.dc.ntlm.NtlmAccount;
import dev.keytrust.dc.ntlm.NtlmCrypto;
import dev.keytrust.dc.ntlm.NtlmGss;
import dev.keytrust.dc.spnego.SpnegoMechanism;
import java.util.List;
import java.util.Optional;

/** DC configs for the bind benchmark. */
final class BenchDcs {
    private BenchDcs() {
    }

    /** NTLM for the Administrator, whose password the benchmark knows. */
    static DomainControllerConfig.Builder withNtlm(DomainControllerConfig.Builder b) {
        String password = b.build().adminPassword().orElseThrow();
        NtlmGss ntlm = new NtlmGss(context -> (domain, user) -> user.equalsIgnoreCase("Administrator")
                ? context.directory().accountDn("Administrator").map(dn -> new NtlmAccount(dn, NtlmCrypto.ntHash(password), true))
                : Optional.empty());
        return b.saslMechanism(new SpnegoMechanism(List.of(ntlm), ntlm.sicily()));
    }
}
