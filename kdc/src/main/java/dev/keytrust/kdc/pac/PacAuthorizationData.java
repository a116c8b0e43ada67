package dev.keytrust.kdc.pac;

import dev.keytrust.kdc.protocol.TicketContents;
import java.util.Arrays;
import org.apache.kerby.kerberos.kerb.KrbCodec;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationData;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationDataEntry;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationType;
import org.apache.kerby.kerberos.kerb.type.pa.PaData;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataEntry;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataType;

/** Where a PAC lives in a ticket: AD-IF-RELEVANT { AD-WIN2K-PAC (128) }, and whether the client wants one. */
public final class PacAuthorizationData {
    /** DER of KERB-PA-PAC-REQUEST { include-pac [0] FALSE }. */
    private static final byte[] NO_PAC = {0x30, 0x05, (byte) 0xa0, 0x03, 0x01, 0x01, 0x00};

    private PacAuthorizationData() {
    }

    /** The ticket's authorization data carrying {@code pac}. */
    public static AuthorizationData wrap(byte[] pac) {
        AuthorizationData inner = new AuthorizationData();
        inner.addElement(new AuthorizationDataEntry(AuthorizationType.AD_WIN2K_PAC, pac));
        AuthorizationData outer = new AuthorizationData();
        outer.addElement(new AuthorizationDataEntry(AuthorizationType.AD_IF_RELEVANT,
                TicketContents.encode(inner)));
        return outer;
    }

    /** Whether an AS-REQ's padata asks for a PAC: yes unless PA-PAC-REQUEST says include-pac FALSE (as AD). */
    public static boolean requested(PaData padata) {
        PaDataEntry entry = padata == null ? null : padata.findEntry(PaDataType.PAC_REQUEST);
        return entry == null || !Arrays.equals(entry.getPaDataValue(), NO_PAC);
    }

    /** The PAC inside a ticket's authorization data, or {@code null}. */
    public static byte[] find(AuthorizationData data) {
        if (data == null) {
            return null;
        }
        for (AuthorizationDataEntry entry : data.getElements()) {
            if (entry.getAuthzType() == AuthorizationType.AD_IF_RELEVANT) {
                try {
                    AuthorizationData inner = KrbCodec.decode(entry.getAuthzData(), AuthorizationData.class);
                    for (AuthorizationDataEntry e : inner.getElements()) {
                        if (e.getAuthzType() == AuthorizationType.AD_WIN2K_PAC) {
                            return e.getAuthzData();
                        }
                    }
                } catch (KrbException | RuntimeException ignored) {
                    // not a PAC container: keep looking
                }
            }
        }
        return null;
    }
}
