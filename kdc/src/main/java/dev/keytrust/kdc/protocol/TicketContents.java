package dev.keytrust.kdc.protocol;

import dev.keytrust.kdc.KerberosKey;
import org.apache.kerby.kerberos.kerb.KrbCodec;
import org.apache.kerby.kerberos.kerb.KrbErrorCode;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationData;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.base.LastReq;
import org.apache.kerby.kerberos.kerb.type.base.LastReqEntry;
import org.apache.kerby.kerberos.kerb.type.base.LastReqType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.apache.kerby.kerberos.kerb.type.base.TransitedEncoding;
import org.apache.kerby.kerberos.kerb.type.base.TransitedEncodingType;
import org.apache.kerby.kerberos.kerb.type.kdc.EncKdcRepPart;
import org.apache.kerby.kerberos.kerb.type.ticket.EncTicketPart;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;
import org.apache.kerby.kerberos.kerb.type.ticket.TicketFlags;

/**
 * What a new ticket says, shared by its encrypted part (sealed in the service's key) and the KDC-REP's
 * encrypted part (sent to the client).
 *
 * @param cname the client
 * @param crealm the client's realm
 * @param sname the service, as the client asked for it
 * @param sessionKey the new session key
 * @param flags the ticket flags
 * @param authTime when the client first authenticated
 * @param startTime when the ticket starts
 * @param endTime when it ends
 * @param renewTill until when it can be renewed, or {@code null}
 * @param authorizationData authorization data (a PAC later), or {@code null}
 */
public record TicketContents(PrincipalName cname, String crealm, PrincipalName sname, EncryptionKey sessionKey,
                             TicketFlags flags, KerberosTime authTime, KerberosTime startTime,
                             KerberosTime endTime, KerberosTime renewTill, AuthorizationData authorizationData) {

    /** The ticket for {@code realm}'s service, its enc-part encrypted in {@code serviceKey} (key usage 2). */
    public Ticket seal(String realm, KerberosKey serviceKey) {
        EncTicketPart part = new EncTicketPart();
        part.setFlags(flags);
        part.setKey(sessionKey);
        part.setCrealm(crealm);
        part.setCname(cname);
        TransitedEncoding transited = new TransitedEncoding();
        transited.setTrType(TransitedEncodingType.DOMAIN_X500_COMPRESS);
        transited.setContents(new byte[0]);
        part.setTransited(transited);
        part.setAuthTime(authTime);
        part.setStartTime(startTime);
        part.setEndTime(endTime);
        if (renewTill != null) {
            part.setRenewtill(renewTill);
        }
        if (authorizationData != null && !authorizationData.getElements().isEmpty()) {
            part.setAuthorizationData(authorizationData);
        }
        Ticket ticket = new Ticket();
        ticket.setTktKvno(5);
        ticket.setSname(sname);
        ticket.setRealm(realm);
        ticket.setEncryptedEncPart(Crypto.encrypt(encode(part), Crypto.toKerby(serviceKey),
                KeyUsage.KDC_REP_TICKET));
        return ticket;
    }

    /** Fills the KDC-REP's encrypted part for the request with {@code nonce}. */
    public <T extends EncKdcRepPart> T fill(T part, String realm, int nonce, KerberosTime now) {
        part.setKey(sessionKey);
        LastReqEntry last = new LastReqEntry();
        last.setLrType(LastReqType.NONE);
        last.setLrValue(now);
        LastReq lastReq = new LastReq();
        lastReq.addElement(last);
        part.setLastReq(lastReq);
        part.setNonce(nonce);
        part.setFlags(flags);
        part.setAuthTime(authTime);
        part.setStartTime(startTime);
        part.setEndTime(endTime);
        if (renewTill != null) {
            part.setRenewTill(renewTill);
        }
        part.setSrealm(realm);
        part.setSname(sname);
        return part;
    }

    /** DER of a Kerby type; a failure here is a bug, answered as KRB_ERR_GENERIC. */
    public static byte[] encode(org.apache.kerby.asn1.type.Asn1Type type) {
        try {
            return KrbCodec.encode(type);
        } catch (KrbException e) {
            throw new KdcRefusal(KrbErrorCode.KRB_ERR_GENERIC, "could not encode the reply");
        }
    }
}
