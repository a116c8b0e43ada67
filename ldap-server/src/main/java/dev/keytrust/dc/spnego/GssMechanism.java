package dev.keytrust.dc.spnego;

import dev.keytrust.dc.service.BindStep;
import dev.keytrust.dc.service.DcContext;

/**
 * A GSS-API mechanism the DC's SPNEGO can negotiate (NTLMSSP; Kerberos later), acceptor side.
 */
public interface GssMechanism {
    /** The mechanism's OID, as SPNEGO lists it ({@code 1.3.6.1.4.1.311.2.2.10} for NTLMSSP). */
    String oid();

    /** Every OID SPNEGO may name this mechanism by (Kerberos has two); {@link #oid()} first. */
    default java.util.List<String> oids() {
        return java.util.List.of(oid());
    }

    /** Whether {@code token} is this mechanism's own first token sent without SPNEGO around it. */
    boolean recognises(byte[] token);

    /** A new security context for one bind on a DC {@code context} describes. */
    Context start(DcContext context);

    /** One security context being established, then established. */
    interface Context {
        /**
         * Takes the client's next token: {@link BindStep.Continue} with the token to send back,
         * {@link BindStep.Done} (its credentials: the last token for the client, may be empty) or
         * {@link BindStep.Refused} with AD's diagnostic text. Malformed tokens throw.
         */
        BindStep accept(byte[] token);

        /** GSS_GetMIC once established (SPNEGO's mechListMIC). */
        byte[] getMic(byte[] message);

        /** GSS_VerifyMIC once established; throws when the MIC does not verify. */
        void verifyMic(byte[] message, byte[] mic);

        /** Called once SPNEGO's mechListMIC exchange is over (NTLM then restarts its sequence numbers). */
        default void mechListMicExchanged() {
        }
    }
}
