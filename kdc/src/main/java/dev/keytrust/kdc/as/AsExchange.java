package dev.keytrust.kdc.as;

import dev.keytrust.kdc.KdcAccount;
import dev.keytrust.kdc.KerberosKey;
import dev.keytrust.kdc.pac.PacAuthorizationData;
import dev.keytrust.kdc.pac.PacBuilder;
import dev.keytrust.kdc.protocol.Crypto;
import dev.keytrust.kdc.protocol.KdcRefusal;
import dev.keytrust.kdc.protocol.Request;
import dev.keytrust.kdc.protocol.TicketContents;
import dev.keytrust.kdc.protocol.TicketTimes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kerby.kerberos.kerb.KrbErrorCode;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationData;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.base.MethodData;
import org.apache.kerby.kerberos.kerb.type.kdc.AsRep;
import org.apache.kerby.kerberos.kerb.type.kdc.AsReq;
import org.apache.kerby.kerberos.kerb.type.kdc.EncAsRepPart;
import org.apache.kerby.kerberos.kerb.type.kdc.KdcOption;
import org.apache.kerby.kerberos.kerb.type.kdc.KdcReqBody;
import org.apache.kerby.kerberos.kerb.type.pa.PaData;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataEntry;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;
import org.apache.kerby.kerberos.kerb.type.ticket.TicketFlag;
import org.apache.kerby.kerberos.kerb.type.ticket.TicketFlags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AS exchange (RFC 4120 3.1): checks the client and its preauthentication and issues a ticket (usually a
 * TGT for {@code krbtgt/REALM}) whose enc-part is encrypted in the service account's key, with the reply
 * encrypted in the key the preauthentication mechanism established.
 */
public final class AsExchange {
    private static final Logger LOG = LoggerFactory.getLogger(AsExchange.class);

    private final List<PreauthMechanism> mechanisms;

    /** An AS exchange that accepts {@code mechanisms}, offered in this order. */
    public AsExchange(List<PreauthMechanism> mechanisms) {
        this.mechanisms = List.copyOf(mechanisms);
    }

    /** The AS exchange with PA-ENC-TIMESTAMP, and key-trust PKINIT when {@code config} has a KDC certificate. */
    public static AsExchange withDefaultMechanisms(dev.keytrust.kdc.KdcConfig config) {
        List<PreauthMechanism> mechanisms = new ArrayList<>(List.of(new EncryptedTimestamp()));
        config.pkinitCertificate().ifPresent(c -> mechanisms.add(new dev.keytrust.kdc.pkinit.KeyTrustPkinit(c,
                new dev.keytrust.kdc.tgs.ReplayCache(config.maxSkew(), 100_000))));
        return new AsExchange(mechanisms);
    }

    /** Serves {@code asReq} (whose raw req-body is {@code reqBody}); returns the encoded AS-REP. */
    public byte[] serve(Request request, AsReq asReq, byte[] reqBody) {
        return serve(request, asReq, reqBody, TicketContents.encode(asReq));
    }

    /** Serves {@code asReq} received as {@code message} (raw req-body {@code reqBody}); returns the AS-REP. */
    public byte[] serve(Request request, AsReq asReq, byte[] reqBody, byte[] message) {
        KdcReqBody body = asReq.getReqBody();
        request.requireRealm(body.getRealm());
        String clientName = request.nameOf(body.getCname());
        KdcAccount client = request.client(clientName);
        String serviceName = request.nameOf(body.getSname());
        KdcAccount service = request.service(serviceName);
        List<Integer> etypes = Crypto.requested(body.getEtypes()).stream()
                .filter(e -> client.key(e).isPresent()).toList();
        if (etypes.isEmpty() && (!client.ngcPublicKeys().isEmpty() || request.config().pkinitCertificate().isPresent())) {
            // A key-trust-only account: PKINIT needs no long-term key. Offered even when this DC holds no key for the
            // account yet, so the client's PKINIT attempt gets AD's answer, 62 (not trusted), rather than 14.
            etypes = Crypto.requested(body.getEtypes());
        }
        if (etypes.isEmpty()) {
            throw new KdcRefusal(KrbErrorCode.KDC_ERR_ETYPE_NOSUPP,
                    "the client has no key of the requested enctypes (aes256, aes128 or rc4-hmac)");
        }
        AsContext context = new AsContext(request, client, etypes, asReq, reqBody, message);
        PreauthMechanism.Result preauth = preauthenticate(context);
        KerberosKey serviceKey = Crypto.strongest(service.keys()).orElseThrow(() -> new KdcRefusal(
                KrbErrorCode.KDC_ERR_ETYPE_NOSUPP, "the service has no key of a supported enctype"));
        int sessionEtype = Crypto.sessionEtype(body.getEtypes(), service);
        EncryptionKey sessionKey = Crypto.sessionKey(sessionEtype);

        TicketTimes times = TicketTimes.forRequest(request, body, request.kerberosNow());
        TicketFlags flags = new TicketFlags();
        flags.setFlag(TicketFlag.INITIAL);
        flags.setFlag(TicketFlag.PRE_AUTH);
        if (body.getKdcOptions() != null && body.getKdcOptions().isFlagSet(KdcOption.FORWARDABLE)) {
            flags.setFlag(TicketFlag.FORWARDABLE);
        }
        if (times.renewTill() != null) {
            flags.setFlag(TicketFlag.RENEWABLE);
        }
        AuthorizationData pac = PacAuthorizationData.requested(asReq.getPaData())
                ? PacAuthorizationData.wrap(PacBuilder.build(client, clientName,
                        Instant.ofEpochMilli(times.authTime().getTime()), request.dnsDomain(), serviceKey,
                        request.isTgs(body.getSname()) ? serviceKey : request.krbtgtKey()))
                : null;
        TicketContents contents = new TicketContents(body.getCname(), request.realm(), body.getSname(),
                sessionKey, flags, times.authTime(), times.startTime(), times.endTime(), times.renewTill(), pac);
        Ticket ticket = contents.seal(request.realm(), serviceKey);
        EncAsRepPart encPart = contents.fill(new EncAsRepPart(), request.realm(), body.getNonce(),
                request.kerberosNow());

        AsRep rep = new AsRep();
        if (!preauth.replyPadata().isEmpty()) {
            PaData padata = new PaData();
            preauth.replyPadata().forEach(padata::addElement);
            rep.setPaData(padata);
        }
        rep.setCname(body.getCname());
        rep.setCrealm(request.realm());
        rep.setTicket(ticket);
        rep.setEncryptedEncPart(Crypto.encrypt(TicketContents.encode(encPart), preauth.replyKey(),
                KeyUsage.AS_REP_ENCPART));
        LOG.info("AS: issued a ticket for {} to {} (etype {}, until {})", Request.forLog(serviceName),
                Request.forLog(clientName), sessionEtype, Instant.ofEpochMilli(times.endTime().getTime()));
        return TicketContents.encode(rep);
    }

    private PreauthMechanism.Result preauthenticate(AsContext context) {
        PaData padata = context.asReq().getPaData();
        if (padata != null) {
            for (PreauthMechanism mechanism : mechanisms) {
                for (PaDataEntry entry : padata.getElements()) {
                    if (entry.getPaDataType() != null && entry.getPaDataType().getValue() == mechanism.paType()
                            && entry.getPaDataValue() != null && entry.getPaDataValue().length > 0) {
                        return mechanism.verify(context, entry.getPaDataValue());
                    }
                }
            }
        }
        List<PaDataEntry> offers = new ArrayList<>();
        mechanisms.forEach(m -> offers.addAll(m.offer(context)));
        MethodData methods = new MethodData();
        offers.forEach(methods::addElement);
        throw new KdcRefusal(KrbErrorCode.KDC_ERR_PREAUTH_REQUIRED, "additional pre-authentication required",
                TicketContents.encode(methods));
    }
}
