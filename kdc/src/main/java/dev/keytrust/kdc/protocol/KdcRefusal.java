package dev.keytrust.kdc.protocol;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import org.apache.kerby.kerberos.kerb.KrbErrorCode;

/**
 * A request the KDC refuses: carries the KRB-ERROR code and optional e-data (e.g. METHOD-DATA) the reply gets.
 * The message is the KRB-ERROR's e-text, so it never contains keys or passwords.
 */
public final class KdcRefusal extends KeyTrustException {
    private static final long serialVersionUID = 1L;

    private final transient KrbErrorCode code;
    private final byte[] eData;

    /** A refusal with {@code code} and the e-text {@code text}. */
    public KdcRefusal(KrbErrorCode code, String text) {
        this(code, text, null);
    }

    /** A refusal with {@code code}, the e-text {@code text} and {@code eData} (or {@code null}). */
    public KdcRefusal(KrbErrorCode code, String text, byte[] eData) {
        super(ErrorCode.KDC_REQUEST_REFUSED, text);
        this.code = code;
        this.eData = eData == null ? null : eData.clone();
    }

    /** The KRB-ERROR code. */
    public KrbErrorCode code() {
        return code;
    }

    /** The e-data, or {@code null}. */
    public byte[] eData() {
        return eData == null ? null : eData.clone();
    }
}
