package dev.keytrust.dc.ntlm;

import java.util.Objects;

/**
 * What the acceptor needs of an account: its DN (what the connection acts as), its NT hash and whether it may
 * sign in.
 *
 * @param dn the account's DN
 * @param ntHash MD4 of the UTF-16LE password (16 bytes); never logged
 * @param enabled false when userAccountControl has ACCOUNTDISABLE (0x2): the bind then fails with AD's data 533
 */
public record NtlmAccount(String dn, byte[] ntHash, boolean enabled) {
    public NtlmAccount {
        Objects.requireNonNull(dn, "dn");
        if (ntHash == null || ntHash.length != 16) {
            throw new IllegalArgumentException("expected a 16-byte NT hash for " + dn);
        }
        ntHash = ntHash.clone();
    }

    @Override
    public byte[] ntHash() {
        return ntHash.clone();
    }

    @Override
    public String toString() {
        return "NtlmAccount[" + dn + (enabled ? "" : ", disabled") + "]";
    }
}
