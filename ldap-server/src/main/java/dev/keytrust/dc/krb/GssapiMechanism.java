package dev.keytrust.dc.krb;

import dev.keytrust.dc.ntlm.NtlmException;
import dev.keytrust.dc.service.BindStep;
import dev.keytrust.dc.service.DcContext;
import dev.keytrust.dc.service.SaslMechanism;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SASL {@code GSSAPI} (RFC 4752) with Kerberos: the AP-REQ (answered by an AP-REP when mutual authentication is
 * asked), then the security-layer negotiation in Wrap tokens: the DC offers no layer, integrity and confidentiality
 * (bits 1, 2 and 4, as AD does) with AD's 10 MiB receive buffer, and the client's choice decides whether every later
 * message is signed or sealed ({@code ldapsearch -Y GSSAPI} picks confidentiality by default). The client's own
 * receive buffer, sent with its choice, bounds every token the DC wraps for it (longer replies are split). With an
 * rc4-hmac key only "no security layer" is offered.
 */
public final class GssapiMechanism implements SaslMechanism {
    private static final Logger LOG = LoggerFactory.getLogger(GssapiMechanism.class);
    private static final int NO_SECURITY_LAYER = 0x01;
    private static final int INTEGRITY = 0x02;
    private static final int CONFIDENTIALITY = 0x04;
    /** AD's MaxReceiveBuffer (10 MiB), offered as the largest wrapped message the DC takes. */
    private static final int MAX_RECEIVE = 10 * 1024 * 1024;

    @Override
    public String name() {
        return "GSSAPI";
    }

    @Override
    public Conversation start(DcContext context) {
        KerberosGss.KerberosContext kerberos = new KerberosGss.KerberosContext(context);
        return new Conversation() {
            private int round;
            private int offered;

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
                byte[] choice = kerberos.tokens().unwrap(credentials, false);
                int layer = choice.length < 4 ? 0 : choice[0] & 0xff;
                if ((layer & offered) == 0 || Integer.bitCount(layer) != 1) {
                    throw new NtlmException("expected the client to choose one of the security layers offered ("
                            + offered + ") but found " + layer);
                }
                int buffer = choice.length < 4 ? 0
                        : (choice[1] & 0xff) << 16 | (choice[2] & 0xff) << 8 | (choice[3] & 0xff);
                LOG.debug("{}: SASL GSSAPI security layer {} chosen, client receive buffer {} bytes", context.name(),
                        layer, buffer);
                return new BindStep.Done(kerberos.accountDn(), new byte[0], layer == NO_SECURITY_LAYER ? null
                        : kerberos.tokens().layer(layer == CONFIDENTIALITY, buffer));
            }

            private BindStep offer() {
                offered = kerberos.hasTokens() ? NO_SECURITY_LAYER | INTEGRITY | CONFIDENTIALITY : NO_SECURITY_LAYER;
                int size = offered == NO_SECURITY_LAYER ? 0 : MAX_RECEIVE;
                return new BindStep.Continue(kerberos.tokens().wrap(new byte[] {(byte) offered, (byte) (size >>> 16),
                        (byte) (size >>> 8), (byte) size}, false));
            }
        };
    }
}
