package dev.keytrust.dc.ntlm;

import dev.keytrust.dc.service.BindStep;
import dev.keytrust.dc.service.DcContext;
import dev.keytrust.dc.service.SaslMechanism;
import dev.keytrust.dc.spnego.GssMechanism;
import java.util.Objects;
import java.util.function.Function;

/**
 * NTLMSSP as a GSS mechanism of the DC's SPNEGO, and as the DC's Sicily package ({@link #sicily()}): each bind gets
 * an {@link NtlmAcceptor} over the accounts of the DC it runs on.
 *
 * <p>Default accounts: {@link DirectoryAccounts}, the DC's own, with their password-derived NT hashes.
 */
public final class NtlmGss implements GssMechanism {
    /** NTLMSSP's OID. */
    public static final String OID = "1.3.6.1.4.1.311.2.2.10";

    private final Function<DcContext, NtlmAccounts> accounts;

    /** NTLM over the DC's own accounts. */
    public NtlmGss() {
        this(DirectoryAccounts::new);
    }

    /** NTLM over the accounts {@code accounts} finds for a DC (a test may give its own). */
    public NtlmGss(Function<DcContext, NtlmAccounts> accounts) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
    }

    @Override
    public String oid() {
        return OID;
    }

    @Override
    public boolean recognises(byte[] token) {
        return NtlmMessages.isNtlm(token);
    }

    @Override
    public Context start(DcContext context) {
        return new NtlmContext(new NtlmAcceptor(ServerNames.of(context), accounts.apply(context), context.clock()), true);
    }

    /** Sicily's NTLM package: the same exchange with bare NTLMSSP messages and no security layer. */
    public SaslMechanism sicily() {
        return new SaslMechanism() {
            @Override
            public String name() {
                return "NTLM";
            }

            @Override
            public Conversation start(DcContext context) {
                NtlmContext c = new NtlmContext(new NtlmAcceptor(ServerNames.of(context), accounts.apply(context),
                        context.clock()), false);
                return c::accept;
            }
        };
    }

    private static final class NtlmContext implements Context {
        private final NtlmAcceptor acceptor;
        private final boolean securityLayer;
        private boolean challenged;
        private NtlmSecurity security;

        NtlmContext(NtlmAcceptor acceptor, boolean securityLayer) {
            this.acceptor = acceptor;
            this.securityLayer = securityLayer;
        }

        @Override
        public BindStep accept(byte[] token) {
            if (!challenged) {
                challenged = true;
                return new BindStep.Continue(acceptor.challenge(token));
            }
            NtlmAcceptor.Outcome outcome = acceptor.authenticate(token);
            if (outcome instanceof NtlmAcceptor.Refused r) {
                return new BindStep.Refused(r.diagnostic());
            }
            NtlmAcceptor.Accepted a = (NtlmAcceptor.Accepted) outcome;
            security = a.security();
            return new BindStep.Done(a.account().dn(), new byte[0],
                    securityLayer && security.signing() ? security : null);
        }

        @Override
        public byte[] getMic(byte[] message) {
            return established().sign(message);
        }

        @Override
        public void verifyMic(byte[] message, byte[] mic) {
            established().verify(message, mic);
        }

        @Override
        public void mechListMicExchanged() {
            established().resetHandles(); // as Windows and Samba do after the mechListMIC (sequence numbers go on)
        }

        private NtlmSecurity established() {
            if (security == null) {
                throw new NtlmException("the NTLM exchange is not complete: no MIC can be made or checked yet");
            }
            return security;
        }
    }
}
