package dev.keytrust.dc.spnego;

import dev.keytrust.dc.ntlm.NtlmAcceptor;
import dev.keytrust.dc.ntlm.NtlmGss;
import dev.keytrust.dc.service.BindStep;
import dev.keytrust.dc.service.DcContext;
import dev.keytrust.dc.service.SaslMechanism;
import java.util.List;
import java.util.Optional;

/**
 * SASL {@code GSS-SPNEGO} as AD takes it: SPNEGO (RFC 4178, [MS-SPNG]) around the GSS mechanisms given, most
 * preferred first. The client may open with a NegTokenInit carrying an optimistic token, with nothing (it then gets
 * the DC's NegTokenInit2 listing the mechanisms), or with a bare mechanism token (raw NTLMSSP, as some clients send):
 * then the answers are bare too. A mechListMIC from the client is checked and answered. When the mechanism
 * negotiated signing or sealing, the bind's {@link BindStep.Done} carries the SASL security layer.
 *
 * <p>Every DC has {@link #standard()} by default.
 *
 * <pre>{@code
 * NtlmGss ntlm = new NtlmGss();
 * DomainControllerConfig.builder("DC1").saslMechanism(new SpnegoMechanism(List.of(ntlm), ntlm.sicily()))
 * }</pre>
 */
public final class SpnegoMechanism implements SaslMechanism {
    private final List<GssMechanism> mechanisms;
    private final SaslMechanism sicily;

    /**
     * @param mechanisms the GSS mechanisms offered, most preferred first
     * @param sicily the Sicily package the same DC offers (NTLM), or null
     */
    public SpnegoMechanism(List<GssMechanism> mechanisms, SaslMechanism sicily) {
        if (mechanisms.isEmpty()) {
            throw new IllegalArgumentException("expected at least one GSS mechanism for GSS-SPNEGO");
        }
        this.mechanisms = List.copyOf(mechanisms);
        this.sicily = sicily;
    }

    /**
     * GSS-SPNEGO with Kerberos (tickets for this DC's services) and NTLM over the DC's own accounts, and Sicily NTLM:
     * what every DC offers by default.
     */
    public static SpnegoMechanism standard() {
        NtlmGss ntlm = new NtlmGss();
        return new SpnegoMechanism(List.of(new dev.keytrust.dc.krb.KerberosGss(), ntlm), ntlm.sicily());
    }

    @Override
    public String name() {
        return "GSS-SPNEGO";
    }

    @Override
    public Optional<SaslMechanism> sicily() {
        return Optional.ofNullable(sicily);
    }

    @Override
    public Conversation start(DcContext context) {
        return new Exchange(context);
    }

    private final class Exchange implements Conversation {
        private final DcContext dc;
        private GssMechanism.Context mech;
        private boolean bare;
        private byte[] mechTypes;

        Exchange(DcContext dc) {
            this.dc = dc;
        }

        @Override
        public BindStep evaluate(byte[] credentials) {
            if (mech == null) {
                return first(credentials);
            }
            if (bare) {
                return mech.accept(credentials);
            }
            SpnegoTokens.Resp resp = SpnegoTokens.readResp(credentials);
            if (resp.responseToken() == null) {
                return new BindStep.Refused(NtlmAcceptor.adDiagnostic("80090308"));
            }
            return answer(mech.accept(resp.responseToken()), null, resp.mechListMic());
        }

        private BindStep first(byte[] credentials) {
            if (credentials.length == 0) {
                return new BindStep.Continue(SpnegoTokens.init2(mechanisms.stream().map(GssMechanism::oid).toList()));
            }
            if (!SpnegoTokens.isInit(credentials)) {
                for (GssMechanism m : mechanisms) {
                    if (m.recognises(credentials)) {
                        bare = true;
                        mech = m.start(dc);
                        return mech.accept(credentials);
                    }
                }
                return new BindStep.Refused(NtlmAcceptor.adDiagnostic("80090308"));
            }
            SpnegoTokens.Init init = SpnegoTokens.readInit(credentials);
            for (String offered : init.mechTypes()) {
                for (GssMechanism m : mechanisms) {
                    if (m.oids().contains(offered)) {
                        mech = m.start(dc);
                        mechTypes = init.mechTypesDer();
                        boolean optimistic = offered.equals(init.mechTypes().get(0)) && init.mechToken() != null;
                        if (!optimistic) { // the client's first choice is not ours: ask for our mechanism's first token
                            return new BindStep.Continue(SpnegoTokens.resp(SpnegoTokens.ACCEPT_INCOMPLETE, offered, null, null));
                        }
                        return answer(mech.accept(init.mechToken()), offered, init.mechListMic());
                    }
                }
            }
            return new BindStep.Refused(NtlmAcceptor.adDiagnostic("80090308")); // no mechanism in common
        }

        /** Wraps a mechanism's step in a NegTokenResp, with the mechListMIC exchange when the context is done. */
        private BindStep answer(BindStep step, String supportedMech, byte[] clientMic) {
            if (step instanceof BindStep.Continue c) {
                return new BindStep.Continue(SpnegoTokens.resp(SpnegoTokens.ACCEPT_INCOMPLETE, supportedMech, c.challenge(), null));
            }
            if (step instanceof BindStep.Done d) {
                byte[] serverMic = null;
                if (clientMic != null) {
                    mech.verifyMic(mechTypes, clientMic);
                    serverMic = mech.getMic(mechTypes);
                    mech.mechListMicExchanged();
                }
                byte[] token = d.serverCredentials().length == 0 ? null : d.serverCredentials();
                return new BindStep.Done(d.accountDn(), SpnegoTokens.resp(SpnegoTokens.ACCEPT_COMPLETED, supportedMech,
                        token, serverMic), d.securityLayer());
            }
            return step;
        }
    }
}
