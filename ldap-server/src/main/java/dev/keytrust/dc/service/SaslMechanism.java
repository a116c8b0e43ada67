package dev.keytrust.dc.service;

/**
 * A SASL bind mechanism a DC accepts on its LDAP ports (GSS-SPNEGO and GSSAPI later), chosen by the mechanism name
 * of the bind request. Each SASL bind on a connection starts a new {@link Conversation}; its rounds (bind requests
 * with the same mechanism) go to that conversation until it answers {@link BindStep.Done} or
 * {@link BindStep.Refused}.
 *
 * <p>Sicily (NTLM over LDAP, bind authentication choices 9, 10 and 11) is not SASL: ApacheDS's decoder does not
 * accept those choices, so {@code dev.keytrust.dc.wire.SicilyBinds}, in front of the decoder, turns them into SASL
 * binds the DC routes to the {@link #sicily()} package of a configured mechanism.
 */
public interface SaslMechanism {
    /** The SASL mechanism name clients send, upper case ({@code GSS-SPNEGO}). */
    String name();

    /** A new exchange for one bind on a connection of the DC {@code context} describes. */
    Conversation start(DcContext context);

    /**
     * The Sicily package (bind choices 9, 10, 11; {@code NTLM} in AD) this mechanism's DC also offers, if any: its
     * conversations take and give bare package tokens. Not listed in supportedSASLMechanisms.
     */
    default java.util.Optional<SaslMechanism> sicily() {
        return java.util.Optional.empty();
    }

    /** One bind's exchange: called once per bind request of the exchange, in order. */
    interface Conversation {
        /**
         * Answers one round.
         *
         * @param credentials the request's SASL credentials (empty when it carried none)
         */
        BindStep evaluate(byte[] credentials);
    }
}
