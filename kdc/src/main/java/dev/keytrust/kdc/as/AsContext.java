package dev.keytrust.kdc.as;

import dev.keytrust.kdc.KdcAccount;
import dev.keytrust.kdc.protocol.Request;
import java.util.List;
import org.apache.kerby.kerberos.kerb.type.kdc.AsReq;

/**
 * What a preauthentication mechanism sees of an AS-REQ.
 *
 * @param request the request being served (settings, time)
 * @param client the client's account, read from the directory for this request
 * @param etypes the supported enctypes the client asked for, in its order, that the client has keys for
 * @param asReq the decoded AS-REQ
 * @param reqBody the raw DER bytes of the req-body (for PKINIT's paChecksum)
 * @param message the raw DER bytes of the whole AS-REQ (for PKINIT's RFC 8636 KDF)
 */
public record AsContext(Request request, KdcAccount client, List<Integer> etypes, AsReq asReq, byte[] reqBody,
                        byte[] message) {
    /** Copies the lists and bytes. */
    public AsContext {
        etypes = List.copyOf(etypes);
        reqBody = reqBody.clone();
        message = message.clone();
    }

    @Override
    public byte[] message() {
        return message.clone();
    }

    @Override
    public byte[] reqBody() {
        return reqBody.clone();
    }
}
