package dev.keytrust.dc.service;

/**
 * A SASL security layer a bind negotiated (RFC 4422 section 3.7): once the bind succeeds, every later LDAP message on
 * the connection, both ways, travels as a 4-byte big-endian length followed by the {@link #wrap wrapped} message.
 * One instance serves one connection; the DC calls {@link #unwrap} from its reader and {@link #wrap} from its writers
 * one at a time per direction.
 */
public interface SecurityLayer {
    /** Signs (and seals, if negotiated) one message for the client. */
    byte[] wrap(byte[] message);

    /**
     * Checks (and unseals) one message from the client.
     *
     * @throws RuntimeException when the message was tampered with or is out of sequence: the connection is closed
     */
    byte[] unwrap(byte[] token);

    /**
     * The longest message one {@link #wrap wrapped} token may carry: what the client said it can receive at once,
     * less the token's own overhead. Longer output is split over several tokens (a security layer carries a byte
     * stream, so an LDAP message may span tokens). Default: no limit (mechanisms that negotiate none).
     */
    default int maxMessageBytes() {
        return Integer.MAX_VALUE;
    }
}
