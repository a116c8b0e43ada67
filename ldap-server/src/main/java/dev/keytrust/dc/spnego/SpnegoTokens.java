package dev.keytrust.dc.spnego;

import com.unboundid.asn1.ASN1Element;
import com.unboundid.asn1.ASN1Enumerated;
import com.unboundid.asn1.ASN1Exception;
import com.unboundid.asn1.ASN1ObjectIdentifier;
import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.asn1.ASN1Sequence;
import com.unboundid.util.OID;
import dev.keytrust.dc.ntlm.NtlmException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * SPNEGO tokens (RFC 4178, with [MS-SPNG]'s NegTokenInit2): reads the client's NegTokenInit and NegTokenResp and
 * writes the server's NegTokenResp and NegTokenInit2. Malformed tokens are an {@link NtlmException} (the bind fails).
 */
public final class SpnegoTokens {
    /** SPNEGO's own OID. */
    public static final String SPNEGO = "1.3.6.1.5.5.2";
    /** negState values. */
    public static final int ACCEPT_COMPLETED = 0;
    public static final int ACCEPT_INCOMPLETE = 1;
    public static final int REJECT = 2;

    private SpnegoTokens() {
    }

    /**
     * A client's first token.
     *
     * @param mechTypes the mechanisms it offers, most preferred first
     * @param mechTypesDer the DER of the MechTypeList as sent (what a mechListMIC covers)
     * @param mechToken the optimistic token for {@code mechTypes.get(0)}, or null
     * @param mechListMic the client's mechListMIC, or null
     */
    public record Init(List<String> mechTypes, byte[] mechTypesDer, byte[] mechToken, byte[] mechListMic) {
    }

    /** A client's later token (or the server's answer, when encoded). */
    public record Resp(Integer negState, String supportedMech, byte[] responseToken, byte[] mechListMic) {
    }

    /** Whether the token is a NegTokenInit (the GSS initial-context token, APPLICATION 0). */
    public static boolean isInit(byte[] token) {
        return token.length > 0 && token[0] == 0x60;
    }

    /** Whether the token is a NegTokenResp ([1]). */
    public static boolean isResp(byte[] token) {
        return token.length > 0 && (token[0] & 0xff) == 0xa1;
    }

    public static Init readInit(byte[] token) {
        try {
            ASN1Element[] outer = ASN1Sequence.decodeAsSequence(ASN1Element.decode(token)).elements();
            if (outer.length != 2 || !ASN1ObjectIdentifier.decodeAsObjectIdentifier(outer[0]).getOID().toString().equals(SPNEGO)
                    || (outer[1].getType() & 0xff) != 0xa0) {
                throw malformed("NegTokenInit", "not a SPNEGO initial token");
            }
            List<String> mechs = new ArrayList<>();
            byte[] mechTypesDer = null;
            byte[] mechToken = null;
            byte[] mic = null;
            for (ASN1Element e : sequenceInside(outer[1])) {
                ASN1Element inner = ASN1Element.decode(e.getValue());
                switch (e.getType() & 0xff) {
                    case 0xa0 -> {
                        mechTypesDer = inner.encode();
                        for (ASN1Element oid : ASN1Sequence.decodeAsSequence(inner).elements()) {
                            mechs.add(ASN1ObjectIdentifier.decodeAsObjectIdentifier(oid).getOID().toString());
                        }
                    }
                    case 0xa2 -> mechToken = ASN1OctetString.decodeAsOctetString(inner).getValue();
                    case 0xa3 -> mic = (inner.getType() & 0xff) == 0x04 ? ASN1OctetString.decodeAsOctetString(inner).getValue() : null;
                    default -> {
                        // reqFlags and anything newer: not used
                    }
                }
            }
            if (mechs.isEmpty()) {
                throw malformed("NegTokenInit", "it offers no mechanism");
            }
            return new Init(List.copyOf(mechs), mechTypesDer, mechToken, mic);
        } catch (ASN1Exception | RuntimeException e) {
            throw e instanceof NtlmException n ? n : malformed("NegTokenInit", e.getMessage());
        }
    }

    public static Resp readResp(byte[] token) {
        try {
            ASN1Element outer = ASN1Element.decode(token);
            if ((outer.getType() & 0xff) != 0xa1) {
                throw malformed("NegTokenResp", "not a NegTokenResp");
            }
            Integer state = null;
            String mech = null;
            byte[] response = null;
            byte[] mic = null;
            for (ASN1Element e : sequenceInside(outer)) {
                ASN1Element inner = ASN1Element.decode(e.getValue());
                switch (e.getType() & 0xff) {
                    case 0xa0 -> state = ASN1Enumerated.decodeAsEnumerated(inner).intValue();
                    case 0xa1 -> mech = ASN1ObjectIdentifier.decodeAsObjectIdentifier(inner).getOID().toString();
                    case 0xa2 -> response = ASN1OctetString.decodeAsOctetString(inner).getValue();
                    case 0xa3 -> mic = ASN1OctetString.decodeAsOctetString(inner).getValue();
                    default -> {
                    }
                }
            }
            return new Resp(state, mech, response, mic);
        } catch (ASN1Exception | RuntimeException e) {
            throw e instanceof NtlmException n ? n : malformed("NegTokenResp", e.getMessage());
        }
    }

    /** The server's NegTokenResp. Null fields are left out. */
    public static byte[] resp(Integer negState, String supportedMech, byte[] responseToken, byte[] mechListMic) {
        List<ASN1Element> fields = new ArrayList<>();
        if (negState != null) {
            fields.add(new ASN1Element((byte) 0xa0, new ASN1Enumerated(negState).encode()));
        }
        if (supportedMech != null) {
            fields.add(new ASN1Element((byte) 0xa1, oid(supportedMech).encode()));
        }
        if (responseToken != null) {
            fields.add(new ASN1Element((byte) 0xa2, new ASN1OctetString(responseToken).encode()));
        }
        if (mechListMic != null) {
            fields.add(new ASN1Element((byte) 0xa3, new ASN1OctetString(mechListMic).encode()));
        }
        return new ASN1Element((byte) 0xa1, new ASN1Sequence(fields).encode()).encode();
    }

    /** The NegTokenInit2 a server sends first when the client starts with no token: its mechanisms and AD's hint. */
    public static byte[] init2(List<String> mechs) {
        List<ASN1Element> oids = new ArrayList<>();
        mechs.forEach(m -> oids.add(oid(m)));
        ASN1Element hints = new ASN1Sequence(new ASN1Element((byte) 0xa0, new ASN1OctetString((byte) 0x1b,
                "not_defined_in_RFC4178@please_ignore".getBytes(StandardCharsets.US_ASCII)).encode()));
        ASN1Sequence init = new ASN1Sequence(new ASN1Element((byte) 0xa0, new ASN1Sequence(oids).encode()),
                new ASN1Element((byte) 0xa3, hints.encode()));
        return new ASN1Element((byte) 0x60, new ASN1Sequence(oid(SPNEGO),
                new ASN1Element((byte) 0xa0, init.encode())).getValue()).encode();
    }

    private static ASN1ObjectIdentifier oid(String dotted) {
        try {
            return new ASN1ObjectIdentifier(new OID(dotted));
        } catch (ASN1Exception e) {
            throw new IllegalArgumentException("expected a mechanism OID but found '" + dotted + "'", e);
        }
    }

    private static ASN1Element[] sequenceInside(ASN1Element tagged) throws ASN1Exception {
        return ASN1Sequence.decodeAsSequence(ASN1Element.decode(tagged.getValue())).elements();
    }

    private static NtlmException malformed(String what, String detail) {
        return new NtlmException("expected a SPNEGO " + what + " but could not read it: " + detail);
    }
}
