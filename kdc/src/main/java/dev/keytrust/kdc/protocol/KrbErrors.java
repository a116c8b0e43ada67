package dev.keytrust.kdc.protocol;

import org.apache.kerby.kerberos.kerb.KrbCodec;
import org.apache.kerby.kerberos.kerb.KrbErrorCode;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.type.base.KrbError;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;

/** Builds KRB-ERROR messages (RFC 4120 5.9.1). */
public final class KrbErrors {
    private KrbErrors() {
    }

    /** The encoded KRB-ERROR for {@code refusal}, stamped with the request's time. */
    public static byte[] encode(Request request, KdcRefusal refusal, PrincipalName sname) {
        return encode(request, refusal.code(), refusal.getMessage(), refusal.eData(), sname);
    }

    /** The encoded KRB-ERROR with {@code code}, {@code text} and optional {@code eData}. */
    public static byte[] encode(Request request, KrbErrorCode code, String text, byte[] eData,
                                PrincipalName sname) {
        KrbError error = new KrbError();
        error.setStime(request.kerberosNow());
        error.setSusec(0);
        error.setErrorCode(code);
        error.setRealm(request.realm());
        error.setSname(sname != null && sname.getNameStrings() != null && !sname.getNameStrings().isEmpty()
                ? sname : request.tgsName());
        if (text != null) {
            error.setEtext(text);
        }
        if (eData != null) {
            error.setEdata(eData);
        }
        try {
            return KrbCodec.encode(error);
        } catch (KrbException e) {
            throw new IllegalStateException("a KRB-ERROR could not be encoded", e);
        }
    }
}
