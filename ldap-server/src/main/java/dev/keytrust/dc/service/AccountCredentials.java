package dev.keytrust.dc.service;

import dev.keytrust.kdc.KerberosKey;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The secrets a DC derived when an account's password was last set, as a KDC or an NTLM bind mechanism of that DC
 * reads them through {@link DirectoryView#credentials}: never over LDAP (AD never returns them). {@link #toString()}
 * shows no secret.
 *
 * <pre>{@code
 * AccountCredentials c = context.directory().credentials("alice").orElseThrow();
 * byte[] nt = c.ntHash();                  // NTLM's key, and the rc4-hmac Kerberos key
 * c.key(18).map(KerberosKey::keyBytes)      // aes256-cts-hmac-sha1-96
 * }</pre>
 *
 * @param accountDn the account's DN
 * @param samAccountName its sAMAccountName
 * @param ntHash MD4 of the password in UTF-16LE (16 bytes)
 * @param kvno the key version number (1 at the first password, one up at each change)
 * @param salt the Kerberos salt the keys were derived with (AD's rules, e.g. {@code CORP.EXAMPLE.COMalice})
 * @param keys the AES long-term keys (enctypes 18 and 17, at {@code kvno}); rc4-hmac's key is {@link #ntHash}
 */
public record AccountCredentials(String accountDn, String samAccountName, byte[] ntHash, int kvno, String salt,
                                 List<KerberosKey> keys) {
    public AccountCredentials {
        Objects.requireNonNull(accountDn, "accountDn");
        Objects.requireNonNull(samAccountName, "samAccountName");
        ntHash = ntHash.clone();
        Objects.requireNonNull(salt, "salt");
        keys = List.copyOf(keys);
    }

    /** A copy of the NT hash. */
    @Override
    public byte[] ntHash() {
        return ntHash.clone();
    }

    /** The key of enctype {@code etype} (18, 17, or 23 for rc4-hmac, the NT hash), if the account has one. */
    public Optional<KerberosKey> key(int etype) {
        if (etype == KerberosKey.RC4_HMAC) {
            return Optional.of(new KerberosKey(KerberosKey.RC4_HMAC, kvno, ntHash));
        }
        return keys.stream().filter(k -> k.etype() == etype).findFirst();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccountCredentials c && c.accountDn.equalsIgnoreCase(accountDn)
                && c.samAccountName.equals(samAccountName) && Arrays.equals(c.ntHash, ntHash) && c.kvno == kvno
                && c.salt.equals(salt) && c.keys.equals(keys);
    }

    @Override
    public int hashCode() {
        return Objects.hash(samAccountName.toLowerCase(java.util.Locale.ROOT), kvno, salt, Arrays.hashCode(ntHash), keys);
    }

    @Override
    public String toString() {
        return "AccountCredentials[" + samAccountName + ", kvno " + kvno + ", etypes "
                + keys.stream().map(k -> String.valueOf(k.etype())).toList() + " and 23, secrets hidden]";
    }
}
