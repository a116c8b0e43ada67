package dev.keytrust.dc.ntlm;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;

/** An NTLM token that is malformed or cannot be accepted; the bind it belongs to fails, nothing else. */
public final class NtlmException extends KeyTrustException {
    public NtlmException(String message) {
        super(ErrorCode.LDAP_INVALID_CREDENTIALS, message);
    }
}
