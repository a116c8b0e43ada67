package dev.keytrust.dc.krb;

import dev.keytrust.dc.ntlm.NtlmException;
import dev.keytrust.dc.service.BindStep;
import dev.keytrust.dc.service.DcContext;
import dev.keytrust.dc.service.SaslMechanism;

/**
 * SASL {@code GSSAPI} (RFC 4752) with Kerberos: the AP-REQ (answered by an AP-REP when mutual authentication is
 * asked), then the security-layer negotiation in Wrap tokens. The DC offers only "no security layer" (bit 1, maximum
 * size 0), which clients such as {@code ldapsearch -Y GSSAPI} accept with their default minimum strength 0.
 */
public final class GssapiMechanism implements SaslMechanism {
    private static final int NO_SECURITY_LAYER = 0x01;

    @Override
    public String name() {
        return "GSSAPI";
    }

    @Override
    public Conversation start(DcContext context) {
        KerberosGss.KerberosContext kerberos = new KerberosGss.KerberosContext(context);
        return new Conversation() {
            private int round;

            @Override
            public BindStep evaluate(byte[] credentials) {
                round++;
                if (round == 1) {
                    BindStep step = kerberos.accept(credentials);
                    if (!(step instanceof BindStep.Done d)) {
                        return step;
                    }
                    if (d.serverCredentials().length > 0) {
                        return new BindStep.Continue(d.serverCredentials());
                    }
                    round++;
                    return offer();
                }
                if (round == 2) {
                    return offer();
                }
                byte[] choice = kerberos.tokens().unwrap(credentials);
                if (choice.length < 4 || (choice[0] & NO_SECURITY_LAYER) == 0) {
                    throw new NtlmException("expected the client to choose no security layer (the only one offered)");
                }
                return new BindStep.Done(kerberos.accountDn(), new byte[0]);
            }

            private BindStep offer() {
                return new BindStep.Continue(kerberos.tokens().wrap(new byte[] {NO_SECURITY_LAYER, 0, 0, 0}));
            }
        };
    }
}
