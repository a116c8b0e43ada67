package dev.keytrust.dc.krb;

import com.unboundid.asn1.ASN1Element;
import com.unboundid.asn1.ASN1Exception;
import com.unboundid.asn1.ASN1ObjectIdentifier;
import com.unboundid.util.OID;
import dev.keytrust.dc.ntlm.NtlmException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The Kerberos GSS-API token framing of RFC 4121 4.1: {@code [APPLICATION 0] { OID 1.2.840.113554.1.2.2, TOK_ID,
 * message }}, TOK_ID {@code 01 00} for an AP-REQ, {@code 02 00} for an AP-REP.
 */
final class GssTokens {
    static final String KRB5 = "1.2.840.113554.1.2.2";
    /** The OID Windows lists first for Kerberos (an old encoding mistake kept as a second name). */
    static final String MS_KRB5 = "1.2.840.48018.1.2.2";
    static final int AP_REQ = 0x0100;
    static final int AP_REP = 0x0200;
    /** The tag of a Kerberos AP-REQ ({@code [APPLICATION 14]}), sent without the GSS framing by some clients. */
    private static final int RAW_AP_REQ = 0x6e;

    private GssTokens() {
    }

    /**
     * The Kerberos message inside a framed token, after checking its OID and TOK_ID; an AP-REQ sent bare (impacket's
     * Kerberos LDAP login does so inside SPNEGO, and AD accepts it) is taken as it is.
     */
    static byte[] unframe(byte[] token, int tokenId) {
        try {
            ASN1Element outer = ASN1Element.decode(token);
            if (tokenId == AP_REQ && (outer.getType() & 0xff) == RAW_AP_REQ) {
                return token; // a bare AP-REQ, as impacket puts it in SPNEGO's mechToken and AD accepts
            }
            if ((outer.getType() & 0xff) != 0x60) {
                throw bad("not a GSS initial context token");
            }
            byte[] value = outer.getValue();
            ASN1Element oid = ASN1Element.readFrom(new ByteArrayInputStream(value));
            if (oid == null) {
                throw bad("no mechanism OID");
            }
            String mech = ASN1ObjectIdentifier.decodeAsObjectIdentifier(oid).getOID().toString();
            if (!mech.equals(KRB5) && !mech.equals(MS_KRB5)) {
                throw bad("its mechanism is " + mech + ", not Kerberos");
            }
            int at = oid.encode().length;
            if (value.length < at + 2 || ByteBuffer.wrap(value).getShort(at) != (short) tokenId) {
                throw bad("expected TOK_ID " + Integer.toHexString(tokenId));
            }
            return Arrays.copyOfRange(value, at + 2, value.length);
        } catch (ASN1Exception | IOException e) {
            throw bad(e.getMessage());
        }
    }

    /** Whether {@code token} is a Kerberos GSS initial token carrying an AP-REQ. */
    static boolean isApReq(byte[] token) {
        try {
            unframe(token, AP_REQ);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    static byte[] frame(int tokenId, byte[] message) {
        try {
            byte[] oid = new ASN1ObjectIdentifier(new OID(KRB5)).encode();
            ByteBuffer inner = ByteBuffer.allocate(oid.length + 2 + message.length).put(oid).putShort((short) tokenId)
                    .put(message);
            return new ASN1Element((byte) 0x60, inner.array()).encode();
        } catch (ASN1Exception e) {
            throw new IllegalStateException("the Kerberos OID does not encode", e);
        }
    }

    private static NtlmException bad(String detail) {
        return new NtlmException("expected a Kerberos GSS token but could not read it: " + detail);
    }
}
