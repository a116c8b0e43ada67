package dev.keytrust.kdc.as;

import dev.keytrust.kdc.KdcAccount;
import dev.keytrust.kdc.KerberosKey;
import dev.keytrust.kdc.protocol.Crypto;
import dev.keytrust.kdc.protocol.KdcRefusal;
import dev.keytrust.kdc.protocol.TicketContents;
import java.util.List;
import org.apache.kerby.kerberos.kerb.KrbCodec;
import org.apache.kerby.kerberos.kerb.KrbErrorCode;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.type.base.EncryptedData;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.EtypeInfo2;
import org.apache.kerby.kerberos.kerb.type.base.EtypeInfo2Entry;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.base.MethodData;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataEntry;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataType;
import org.apache.kerby.kerberos.kerb.type.pa.PaEncTsEnc;

/**
 * PA-ENC-TIMESTAMP (RFC 4120 5.2.7.2): the client encrypts the current time in its long-term key. Wrong key →
 * KDC_ERR_PREAUTH_FAILED (24), time outside the skew → KRB_AP_ERR_SKEW (37), as Windows and MIT answer.
 */
public final class EncryptedTimestamp implements PreauthMechanism {

    @Override
    public int paType() {
        return PaDataType.ENC_TIMESTAMP.getValue();
    }

    @Override
    public List<PaDataEntry> offer(AsContext context) {
        return List.of(new PaDataEntry(PaDataType.ENC_TIMESTAMP, new byte[0]),
                etypeInfo2(context.client(), context.etypes()));
    }

    @Override
    public Result verify(AsContext context, byte[] paValue) {
        EncryptedData data;
        try {
            data = KrbCodec.decode(paValue, EncryptedData.class);
        } catch (KrbException | RuntimeException e) {
            throw failed(context, "PA-ENC-TIMESTAMP is not an EncryptedData");
        }
        int etype = data.getEType() == null ? -1 : data.getEType().getValue();
        KerberosKey key = context.client().key(etype).filter(k -> Crypto.SUPPORTED.contains(k.etype()))
                .orElseThrow(() -> new KdcRefusal(KrbErrorCode.KDC_ERR_ETYPE_NOSUPP,
                        "no key of the enctype the timestamp is encrypted with"));
        byte[] plain = Crypto.decrypt(data, Crypto.toKerby(key), KeyUsage.AS_REQ_PA_ENC_TS,
                KrbErrorCode.KDC_ERR_PREAUTH_FAILED, "preauthentication failed");
        PaEncTsEnc timestamp;
        try {
            timestamp = KrbCodec.decode(plain, PaEncTsEnc.class);
        } catch (KrbException | RuntimeException e) {
            throw failed(context, "PA-ENC-TS-ENC could not be decoded");
        }
        if (!context.request().withinSkew(timestamp.getPaTimestamp())) {
            throw new KdcRefusal(KrbErrorCode.KRB_AP_ERR_SKEW, "clock skew too great");
        }
        return new Result(Crypto.toKerby(key), List.of(etypeInfo2(context.client(), List.of(etype))));
    }

    private static KdcRefusal failed(AsContext context, String text) {
        return new KdcRefusal(KrbErrorCode.KDC_ERR_PREAUTH_FAILED, text, methodData(context));
    }

    private static byte[] methodData(AsContext context) {
        MethodData methods = new MethodData();
        methods.addElement(etypeInfo2(context.client(), context.etypes()));
        return TicketContents.encode(methods);
    }

    /** PA-ETYPE-INFO2 (19) naming each enctype with the account's salt. */
    static PaDataEntry etypeInfo2(KdcAccount client, List<Integer> etypes) {
        EtypeInfo2 info = new EtypeInfo2();
        for (int etype : etypes) {
            EtypeInfo2Entry entry = new EtypeInfo2Entry();
            entry.setEtype(EncryptionType.fromValue(etype));
            if (etype != KerberosKey.RC4_HMAC) {
                entry.setSalt(client.salt());
            }
            info.addElement(entry);
        }
        return new PaDataEntry(PaDataType.ETYPE_INFO2, TicketContents.encode(info));
    }
}
