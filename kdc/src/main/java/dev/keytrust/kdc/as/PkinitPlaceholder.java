package dev.keytrust.kdc.as;

import dev.keytrust.kdc.protocol.KdcRefusal;
import java.util.List;
import org.apache.kerby.kerberos.kerb.KrbErrorCode;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataEntry;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataType;

/**
 * Offers PA-PK-AS-REQ (16) in METHOD-DATA, as MIT kinit only tries PKINIT when it is offered, and refuses a
 * PKINIT request with KDC_ERR_PADATA_TYPE_NOSUPP (16) until the key-trust PKINIT mechanism replaces it.
 */
public final class PkinitPlaceholder implements PreauthMechanism {

    @Override
    public int paType() {
        return PaDataType.PK_AS_REQ.getValue();
    }

    @Override
    public List<PaDataEntry> offer(AsContext context) {
        return List.of(new PaDataEntry(PaDataType.PK_AS_REQ, new byte[0]));
    }

    @Override
    public Result verify(AsContext context, byte[] paValue) {
        throw new KdcRefusal(KrbErrorCode.KDC_ERR_PADATA_TYPE_NOSUPP, "PKINIT is not supported by this KDC yet");
    }
}
