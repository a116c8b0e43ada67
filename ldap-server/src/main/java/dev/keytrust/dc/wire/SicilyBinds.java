package dev.keytrust.dc.wire;

import com.unboundid.asn1.ASN1Element;
import com.unboundid.asn1.ASN1Exception;
import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.asn1.ASN1Sequence;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.DefaultIoFilterChainBuilder;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;

/**
 * Microsoft's Sicily binds ([MS-ADTS] 5.1.1.1.3: bind authentication choices 9 sicilyPackageDiscovery,
 * 10 sicilyNegotiate, 11 sicilyResponse), which ApacheDS's decoder refuses, handed to the DC as SASL binds it can
 * decode: each becomes a SASL bind whose mechanism is one of {@link #DISCOVERY}, {@link #NEGOTIATE},
 * {@link #RESPONSE} with the Sicily token as credentials, bind name, message ID and controls kept. The DC's bind
 * handler answers them in Sicily's shape (the token in matchedDN, result 0 until done). Installed between the
 * {@link WireGuard} (which passes on only whole messages within the limits) and the decoder; anything it cannot read
 * goes on unchanged for the decoder to refuse.
 */
public final class SicilyBinds extends IoFilterAdapter {
    /** The SASL mechanism a sicilyPackageDiscovery bind becomes. */
    public static final String DISCOVERY = "X-SICILY-PACKAGE-DISCOVERY";
    /** The SASL mechanism a sicilyNegotiate bind becomes. */
    public static final String NEGOTIATE = "X-SICILY-NEGOTIATE";
    /** The SASL mechanism a sicilyResponse bind becomes. */
    public static final String RESPONSE = "X-SICILY-RESPONSE";

    private static final String NAME = "keytrust-sicily";
    private static final byte BIND_REQUEST = 0x60;
    private static final byte SASL = (byte) 0xa3;

    /** Puts the filter after the guard (or before the decoder), for every connection accepted from now on. */
    public void install(DefaultIoFilterChainBuilder chain) {
        if (!chain.contains("codec")) {
            throw new IllegalStateException("the LDAP listener has no codec filter yet: install after start");
        }
        chain.addBefore("codec", NAME, this);
    }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
        if (message instanceof IoBuffer buffer && isBindRequest(buffer)) {
            byte[] whole = new byte[buffer.remaining()];
            buffer.get(whole);
            next.messageReceived(session, IoBuffer.wrap(rewrite(whole)));
            return;
        }
        next.messageReceived(session, message);
    }

    /** The message with a Sicily authentication choice turned into a SASL one, or unchanged. */
    static byte[] rewrite(byte[] message) {
        try {
            ASN1Element[] parts = ASN1Sequence.decodeAsSequence(message).elements();
            if (parts.length < 2 || parts[1].getType() != BIND_REQUEST) {
                return message;
            }
            ASN1Element[] bind = ASN1Sequence.decodeAsSequence(parts[1]).elements();
            if (bind.length != 3) {
                return message;
            }
            String mechanism = switch (bind[2].getType() & 0xff) {
                case 0x89 -> DISCOVERY;
                case 0x8a -> NEGOTIATE;
                case 0x8b -> RESPONSE;
                default -> null;
            };
            if (mechanism == null) {
                return message;
            }
            ASN1Element sasl = new ASN1Sequence(SASL, new ASN1OctetString(mechanism), new ASN1OctetString(bind[2].getValue()));
            ASN1Element[] out = parts.clone();
            out[1] = new ASN1Sequence(BIND_REQUEST, bind[0], bind[1], sasl);
            return new ASN1Sequence(out).encode();
        } catch (ASN1Exception e) {
            return message; // not ours to judge: the decoder refuses it as it would have
        }
    }

    /** Whether the message's protocol operation is a bind request (read from the tags only, without decoding). */
    private static boolean isBindRequest(IoBuffer buffer) {
        int p = buffer.position();
        int end = buffer.limit();
        if (end - p < 2 || buffer.get(p) != 0x30) {
            return false;
        }
        p = skipLength(buffer, p + 1, end);
        if (p < 0 || p + 2 > end || buffer.get(p) != 0x02) {
            return false;
        }
        int idLength = buffer.get(p + 1) & 0xff;
        p += 2 + idLength;
        return idLength < 0x80 && p < end && buffer.get(p) == BIND_REQUEST;
    }

    /** The position after a BER length starting at {@code p}, or -1. */
    private static int skipLength(IoBuffer buffer, int p, int end) {
        if (p >= end) {
            return -1;
        }
        int first = buffer.get(p) & 0xff;
        return first < 0x80 ? p + 1 : p + 1 + (first & 0x7f);
    }
}
