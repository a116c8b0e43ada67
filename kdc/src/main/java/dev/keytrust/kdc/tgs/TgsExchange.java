package dev.keytrust.kdc.tgs;

import dev.keytrust.kdc.KdcAccount;
import dev.keytrust.kdc.KerberosKey;
import dev.keytrust.kdc.pac.PacAuthorizationData;
import dev.keytrust.kdc.pac.PacBuilder;
import dev.keytrust.kdc.protocol.Crypto;
import dev.keytrust.kdc.protocol.KdcRefusal;
import dev.keytrust.kdc.protocol.Request;
import dev.keytrust.kdc.protocol.TicketContents;
import dev.keytrust.kdc.protocol.TicketTimes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import org.apache.kerby.asn1.type.Asn1Type;
import org.apache.kerby.kerberos.kerb.KrbCodec;
import org.apache.kerby.kerberos.kerb.KrbErrorCode;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.crypto.CheckSumHandler;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationData;
import org.apache.kerby.kerberos.kerb.type.ap.ApReq;
import org.apache.kerby.kerberos.kerb.type.ap.Authenticator;
import org.apache.kerby.kerberos.kerb.type.base.CheckSum;
import org.apache.kerby.kerberos.kerb.type.base.CheckSumType;
import org.apache.kerby.kerberos.kerb.type.base.EncryptedData;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.kdc.EncTgsRepPart;
import org.apache.kerby.kerberos.kerb.type.kdc.KdcOption;
import org.apache.kerby.kerberos.kerb.type.kdc.KdcReqBody;
import org.apache.kerby.kerberos.kerb.type.kdc.TgsRep;
import org.apache.kerby.kerberos.kerb.type.kdc.TgsReq;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataEntry;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataType;
import org.apache.kerby.kerberos.kerb.type.ticket.EncTicketPart;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;
import org.apache.kerby.kerberos.kerb.type.ticket.TicketFlag;
import org.apache.kerby.kerberos.kerb.type.ticket.TicketFlags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TGS exchange (RFC 4120 3.3): the AP-REQ in PA-TGS-REQ must carry a TGT of this realm, sealed in the
 * {@code krbtgt} account's current key, and a fresh authenticator with a keyed checksum over the raw req-body.
 * The service ticket is sealed in the key of the account holding the requested SPN.
 */
public final class TgsExchange {
    private static final Logger LOG = LoggerFactory.getLogger(TgsExchange.class);
    private static final Set<CheckSumType> KEYED_CHECKSUMS = Set.of(CheckSumType.HMAC_SHA1_96_AES256,
            CheckSumType.HMAC_SHA1_96_AES128, CheckSumType.HMAC_MD5_ARCFOUR);

    private final ReplayCache replayCache;

    /** A TGS exchange remembering authenticators in {@code replayCache}. */
    public TgsExchange(ReplayCache replayCache) {
        this.replayCache = replayCache;
    }

    /** Serves {@code tgsReq} (whose raw req-body is {@code reqBody}); returns the encoded TGS-REP. */
    public byte[] serve(Request request, TgsReq tgsReq, byte[] reqBody) {
        KdcReqBody body = tgsReq.getReqBody();
        request.requireRealm(body.getRealm());
        ApReq apReq = apReq(tgsReq);
        Ticket tgt = apReq.getTicket();
        if (tgt == null || !request.isTgs(tgt.getSname()) || !request.realm().equalsIgnoreCase(tgt.getRealm())) {
            throw new KdcRefusal(KrbErrorCode.KRB_AP_ERR_NOT_US, "expected a TGT of krbtgt/" + request.realm());
        }
        boolean renew = body.getKdcOptions() != null && body.getKdcOptions().isFlagSet(KdcOption.RENEW);
        EncTicketPart tgtPart = openTgt(request, tgt, renew);
        Authenticator authenticator = checkAuthenticator(request, apReq, tgtPart, reqBody);

        String clientName = request.nameOf(tgtPart.getCname());
        KdcAccount client = request.client(clientName); // still there and enabled, in this DC's directory now
        String serviceName = request.nameOf(body.getSname());
        KdcAccount service = request.service(serviceName);
        KerberosKey serviceKey = Crypto.strongest(service.keys()).orElseThrow(() -> new KdcRefusal(
                KrbErrorCode.KDC_ERR_ETYPE_NOSUPP, "the service has no key of a supported enctype"));
        int sessionEtype = Crypto.sessionEtype(body.getEtypes(), service);

        TicketTimes times = renew ? TicketTimes.renewal(request, tgtPart)
                : TicketTimes.forRequest(request, body, tgtPart.getAuthTime(), tgtPart.getEndTime(),
                        tgtPart.getRenewtill());
        TicketFlags flags = new TicketFlags();
        if (renew && tgtPart.getFlags().isFlagSet(TicketFlag.INITIAL)) {
            flags.setFlag(TicketFlag.INITIAL);
        }
        if (tgtPart.getFlags().isFlagSet(TicketFlag.PRE_AUTH)) {
            flags.setFlag(TicketFlag.PRE_AUTH);
        }
        if (tgtPart.getFlags().isFlagSet(TicketFlag.FORWARDABLE) && body.getKdcOptions() != null
                && body.getKdcOptions().isFlagSet(KdcOption.FORWARDABLE)) {
            flags.setFlag(TicketFlag.FORWARDABLE);
        }
        if (times.renewTill() != null) {
            flags.setFlag(TicketFlag.RENEWABLE);
        }
        // A fresh PAC from this DC's directory, signed for the service, when the TGT carried one.
        AuthorizationData pac = PacAuthorizationData.find(tgtPart.getAuthorizationData()) == null ? null
                : PacAuthorizationData.wrap(PacBuilder.build(client, clientName,
                        Instant.ofEpochMilli(tgtPart.getAuthTime().getTime()), request.dnsDomain(), serviceKey,
                        request.krbtgtKey()));
        TicketContents contents = new TicketContents(tgtPart.getCname(), tgtPart.getCrealm(), body.getSname(),
                Crypto.sessionKey(sessionEtype), flags, times.authTime(), times.startTime(), times.endTime(),
                times.renewTill(), pac);
        Ticket ticket = contents.seal(request.realm(), serviceKey);
        EncTgsRepPart encPart = contents.fill(new EncTgsRepPart(), request.realm(), body.getNonce(),
                request.kerberosNow());

        EncryptionKey subkey = authenticator.getSubKey();
        TgsRep rep = new TgsRep();
        rep.setCname(tgtPart.getCname());
        rep.setCrealm(tgtPart.getCrealm());
        rep.setTicket(ticket);
        rep.setEncryptedEncPart(subkey != null
                ? Crypto.encrypt(TicketContents.encode(encPart), subkey, KeyUsage.TGS_REP_ENCPART_SUBKEY)
                : Crypto.encrypt(TicketContents.encode(encPart), tgtPart.getKey(), KeyUsage.TGS_REP_ENCPART_SESSKEY));
        LOG.info("TGS: issued a ticket for {} to {} (kvno {}, etype {})", Request.forLog(serviceName),
                Request.forLog(clientName), serviceKey.kvno(), sessionEtype);
        return TicketContents.encode(rep);
    }

    private static ApReq apReq(TgsReq tgsReq) {
        PaDataEntry entry = tgsReq.getPaData() == null ? null : tgsReq.getPaData().findEntry(PaDataType.TGS_REQ);
        if (entry == null || entry.getPaDataValue() == null) {
            throw new KdcRefusal(KrbErrorCode.KDC_ERR_PADATA_TYPE_NOSUPP, "expected PA-TGS-REQ in the TGS-REQ");
        }
        try {
            return KrbCodec.decode(entry.getPaDataValue(), ApReq.class);
        } catch (KrbException | RuntimeException e) {
            throw new KdcRefusal(KrbErrorCode.KRB_AP_ERR_MSG_TYPE, "PA-TGS-REQ is not an AP-REQ");
        }
    }

    private static EncTicketPart openTgt(Request request, Ticket tgt, boolean renew) {
        KdcAccount krbtgt = request.service("krbtgt");
        int etype = tgt.getEncryptedEncPart().getEType() == null ? -1
                : tgt.getEncryptedEncPart().getEType().getValue();
        KerberosKey key = krbtgt.key(etype).orElseThrow(() -> new KdcRefusal(KrbErrorCode.KRB_AP_ERR_NOKEY,
                "the TGT's enctype matches no key of krbtgt"));
        int kvno = tgt.getEncryptedEncPart().getKvno();
        if (kvno > 0 && kvno != key.kvno()) {
            throw new KdcRefusal(KrbErrorCode.KRB_AP_ERR_BADKEYVER,
                    "the TGT is sealed with krbtgt kvno " + kvno + ", the current one is " + key.kvno());
        }
        EncTicketPart part = decrypt(tgt.getEncryptedEncPart(), Crypto.toKerby(key), KeyUsage.KDC_REP_TICKET,
                EncTicketPart.class, "the TGT does not decrypt with krbtgt's key", "the TGT's content is malformed");
        long now = request.now().toEpochMilli();
        long skew = request.config().maxSkew().toMillis();
        if (renew) {
            if (part.getFlags() == null || !part.getFlags().isFlagSet(TicketFlag.RENEWABLE)
                    || part.getRenewtill() == null) {
                throw new KdcRefusal(KrbErrorCode.KDC_ERR_BADOPTION, "the ticket is not renewable");
            }
            if (part.getRenewtill().getTime() < now) {
                throw new KdcRefusal(KrbErrorCode.KRB_AP_ERR_TKT_EXPIRED, "the ticket's renewable life has ended");
            }
        } else if (part.getEndTime() == null || part.getEndTime().getTime() + skew < now) {
            throw new KdcRefusal(KrbErrorCode.KRB_AP_ERR_TKT_EXPIRED, "ticket expired");
        }
        if (part.getStartTime() != null && part.getStartTime().getTime() - skew > now) {
            throw new KdcRefusal(KrbErrorCode.KRB_AP_ERR_TKT_NYV, "ticket not yet valid");
        }
        if (part.getFlags() == null || part.getFlags().isInvalid()) {
            throw new KdcRefusal(KrbErrorCode.KRB_AP_ERR_TKT_NYV, "the TGT is marked invalid");
        }
        return part;
    }

    /** Decrypts {@code data} and decodes it as {@code type}; either failing is an integrity failure, with its text. */
    private static <T extends Asn1Type> T decrypt(EncryptedData data, EncryptionKey key, KeyUsage usage, Class<T> type,
                                                  String undecryptable, String malformed) {
        byte[] plain = Crypto.decrypt(data, key, usage, KrbErrorCode.KRB_AP_ERR_BAD_INTEGRITY, undecryptable);
        try {
            return KrbCodec.decode(plain, type);
        } catch (KrbException | RuntimeException e) {
            throw new KdcRefusal(KrbErrorCode.KRB_AP_ERR_BAD_INTEGRITY, malformed);
        }
    }

    private Authenticator checkAuthenticator(Request request, ApReq apReq, EncTicketPart tgtPart, byte[] reqBody) {
        if (apReq.getEncryptedAuthenticator() == null) {
            throw new KdcRefusal(KrbErrorCode.KRB_AP_ERR_MSG_TYPE, "the AP-REQ has no authenticator");
        }
        Authenticator authenticator = decrypt(apReq.getEncryptedAuthenticator(), tgtPart.getKey(),
                KeyUsage.TGS_REQ_AUTH, Authenticator.class, "the authenticator does not decrypt with the session key",
                "the authenticator is malformed");
        if (!request.nameOf(tgtPart.getCname()).equalsIgnoreCase(request.nameOf(authenticator.getCname()))
                || !String.valueOf(tgtPart.getCrealm()).equalsIgnoreCase(authenticator.getCrealm())) {
            throw new KdcRefusal(KrbErrorCode.KRB_AP_ERR_BADMATCH, "the authenticator names another client");
        }
        if (!request.withinSkew(authenticator.getCtime())) {
            throw new KdcRefusal(KrbErrorCode.KRB_AP_ERR_SKEW, "clock skew too great");
        }
        // The req-body checksum is optional in the authenticator (RFC 4120 5.5.1), and AD's KDC serves a TGS-REQ
        // without one (impacket's getKerberosTGS sends none); when present it must be keyed and match.
        CheckSum checksum = authenticator.getCksum();
        if (checksum != null) {
            if (!KEYED_CHECKSUMS.contains(checksum.getCksumtype())) {
                throw new KdcRefusal(KrbErrorCode.KRB_AP_ERR_INAPP_CKSUM,
                        "expected a keyed checksum (hmac-sha1-96-aes or hmac-md5) over the req-body");
            }
            boolean valid;
            try {
                valid = CheckSumHandler.verifyWithKey(checksum, reqBody, tgtPart.getKey().getKeyData(),
                        KeyUsage.TGS_REQ_AUTH_CKSUM);
            } catch (KrbException | RuntimeException e) {
                valid = false;
            }
            if (!valid) {
                throw new KdcRefusal(KrbErrorCode.KRB_AP_ERR_MODIFIED, "the req-body checksum does not match");
            }
        }
        String key = request.nameOf(authenticator.getCname()) + "@" + authenticator.getCrealm() + "#"
                + sha256(apReq.getEncryptedAuthenticator().getCipher());
        Instant ctime = Instant.ofEpochMilli(authenticator.getCtime().getTime());
        if (!replayCache.firstSeen(key, ctime, request.now())) {
            throw new KdcRefusal(KrbErrorCode.KRB_AP_ERR_REPEAT, "request is a replay");
        }
        return authenticator;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
