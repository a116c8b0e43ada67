package dev.keytrust.kdc.as;

import java.util.List;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataEntry;

/**
 * One way an AS-REQ proves who the client is (PA-ENC-TIMESTAMP now, PA-PK-AS-REQ next). The AS exchange offers
 * every mechanism in KDC_ERR_PREAUTH_REQUIRED and hands the first padata entry of a known type to its mechanism;
 * padata of any other type (MIT's empty 149 and 150, for instance) never authenticates.
 */
public interface PreauthMechanism {

    /** The padata type this mechanism reads from the AS-REQ (2 for PA-ENC-TIMESTAMP, 16 for PA-PK-AS-REQ). */
    int paType();

    /** The METHOD-DATA entries that offer this mechanism to {@code context}'s client. */
    List<PaDataEntry> offer(AsContext context);

    /**
     * Checks the client's padata value.
     *
     * @return the key the AS-REP's enc-part is encrypted in, and padata for the AS-REP
     * @throws dev.keytrust.kdc.protocol.KdcRefusal with the KRB-ERROR code the client gets
     */
    Result verify(AsContext context, byte[] paValue);

    /**
     * A successful preauthentication.
     *
     * @param replyKey the key for the AS-REP's enc-part
     * @param replyPadata padata for the AS-REP (e.g. PA-ETYPE-INFO2, PA-PK-AS-REP)
     */
    record Result(EncryptionKey replyKey, List<PaDataEntry> replyPadata) {
        /** Copies the list. */
        public Result {
            replyPadata = List.copyOf(replyPadata);
        }
    }
}
