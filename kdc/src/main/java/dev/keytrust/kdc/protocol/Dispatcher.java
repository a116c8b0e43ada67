package dev.keytrust.kdc.protocol;

import dev.keytrust.kdc.KdcConfig;
import dev.keytrust.kdc.as.AsExchange;
import dev.keytrust.kdc.tgs.TgsExchange;
import java.time.Instant;
import java.util.Optional;
import org.apache.kerby.kerberos.kerb.KrbCodec;
import org.apache.kerby.kerberos.kerb.KrbErrorCode;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.apache.kerby.kerberos.kerb.type.kdc.AsReq;
import org.apache.kerby.kerberos.kerb.type.kdc.KdcReq;
import org.apache.kerby.kerberos.kerb.type.kdc.TgsReq;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one request message into one reply message, whatever the request: an AS-REP, a TGS-REP or a KRB-ERROR.
 * Never throws; transports only move bytes.
 *
 * @param config the KDC's config: the realm it serves, its clock
 * @param as the AS exchange
 * @param tgs the TGS exchange
 */
public record Dispatcher(KdcConfig config, AsExchange as, TgsExchange tgs) {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final int AS_REQ_TAG = 0x6a;
    private static final int TGS_REQ_TAG = 0x6c;

    /** The reply to {@code message}. */
    public byte[] handle(byte[] message) {
        Request request = request();
        PrincipalName sname = null;
        try {
            if (!Der.isWellFormed(message)) {
                throw new KdcRefusal(KrbErrorCode.KRB_ERR_GENERIC, "the request is not one well-formed DER message");
            }
            int tag = message[0] & 0xff;
            if (tag != AS_REQ_TAG && tag != TGS_REQ_TAG) {
                throw new KdcRefusal(KrbErrorCode.KRB_AP_ERR_MSG_TYPE,
                        "expected an AS-REQ or a TGS-REQ, found tag 0x" + Integer.toHexString(tag));
            }
            byte[] reqBody = Der.reqBody(message).orElseThrow(() -> new KdcRefusal(KrbErrorCode.KRB_ERR_GENERIC,
                    "the request has no req-body"));
            KdcReq req = tag == AS_REQ_TAG ? decode(message, AsReq.class) : decode(message, TgsReq.class);
            if (req.getPvno() != 5) {
                throw new KdcRefusal(KrbErrorCode.KDC_ERR_BAD_PVNO, "expected protocol version 5");
            }
            if (req.getReqBody() == null) {
                throw new KdcRefusal(KrbErrorCode.KRB_ERR_GENERIC, "the request has no req-body");
            }
            sname = req.getReqBody().getSname();
            return tag == AS_REQ_TAG ? as.serve(request, (AsReq) req, reqBody, message)
                    : tgs.serve(request, (TgsReq) req, reqBody);
        } catch (KdcRefusal refusal) {
            LOG.info("KRB-ERROR {} ({}): {}", refusal.code().getValue(), refusal.code().name(),
                    refusal.getMessage());
            return KrbErrors.encode(request, refusal, sname);
        } catch (RuntimeException | StackOverflowError e) {
            LOG.warn("request failed unexpectedly; answering KRB_ERR_GENERIC", e);
            return KrbErrors.encode(request, KrbErrorCode.KRB_ERR_GENERIC, "internal error", null, null);
        }
    }

    /** A KRB-ERROR saying the reply is too big for UDP (52), so the client retries over TCP. */
    public byte[] responseTooBig() {
        return KrbErrors.encode(request(), KrbErrorCode.RESPONSE_TOO_BIG, "response too big for UDP, use TCP",
                null, null);
    }

    /** A KRB-ERROR saying the request is too long (61). */
    public byte[] fieldTooLong() {
        return KrbErrors.encode(request(), KrbErrorCode.FIELD_TOOLONG, "request too long", null, null);
    }

    /** A request arriving now, by the KDC's clock to the second (Kerberos times have no fraction). */
    private Request request() {
        return new Request(config, Instant.ofEpochSecond(config.clock().instant().getEpochSecond()));
    }

    private static <T extends KdcReq> T decode(byte[] message, Class<T> type) {
        try {
            return Optional.ofNullable(KrbCodec.decode(message, type)).orElseThrow();
        } catch (Exception e) {
            throw new KdcRefusal(KrbErrorCode.KRB_ERR_GENERIC, "the request could not be decoded as "
                    + (type == AsReq.class ? "an AS-REQ" : "a TGS-REQ"));
        }
    }
}
