package dev.keytrust.kdc;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.encoding.Sid;
import java.security.PublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the KDC needs to know about one directory account, read from the caller's directory for one request.
 *
 * @param samAccountName the sAMAccountName as stored (users {@code alice}, computers {@code DC1$}, {@code krbtgt})
 * @param userPrincipalName the UPN if the account has one ({@code alice@corp.example.com})
 * @param servicePrincipalNames the account's servicePrincipalName values ({@code ldap/dc1.corp.example.com})
 * @param keys the long-term keys (one per enctype, all of the current kvno)
 * @param salt the salt the keys were derived with (AD's: see {@code KerberosKeys}), sent in PA-ETYPE-INFO2
 * @param disabled whether userAccountControl has ACCOUNTDISABLE (the KDC answers 18)
 * @param ngcPublicKeys the public keys of the account's NGC key credentials (for key-trust PKINIT)
 * @param sid the account's SID in string form ({@code S-1-5-21-...-1104}), for a PAC
 * @param groupRids the RIDs of the domain groups the account is a member of (primary group first), for a PAC
 */
public record KdcAccount(String samAccountName, Optional<String> userPrincipalName,
                         List<String> servicePrincipalNames, List<KerberosKey> keys, String salt,
                         boolean disabled,
                         List<PublicKey> ngcPublicKeys, String sid, List<Integer> groupRids) {

    /** Validates and copies the lists. */
    public KdcAccount {
        Objects.requireNonNull(samAccountName, "samAccountName");
        if (samAccountName.isBlank()) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "expected a sAMAccountName, found an empty one");
        }
        userPrincipalName = Objects.requireNonNull(userPrincipalName, "userPrincipalName");
        servicePrincipalNames = List.copyOf(servicePrincipalNames);
        keys = List.copyOf(keys);
        salt = Objects.requireNonNull(salt, "salt");
        ngcPublicKeys = List.copyOf(ngcPublicKeys);
        sid = Objects.requireNonNull(sid, "sid");
        Sid parsed;
        try {
            parsed = Sid.parse(sid);
        } catch (IllegalArgumentException e) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "account " + samAccountName
                    + ": expected a SID like S-1-5-21-x-y-z-1104, found '" + sid + "'", e);
        }
        if (parsed.subAuthorities().length < 2) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "account " + samAccountName
                    + ": expected a domain SID followed by a RID, found '" + sid + "'");
        }
        groupRids = List.copyOf(groupRids);
    }

    /** The account's RID: the last sub-authority of its SID. */
    public int rid() {
        return (int) Sid.parse(sid).rid();
    }

    /** The account's key of enctype {@code etype}, if it has one. */
    public Optional<KerberosKey> key(int etype) {
        return keys.stream().filter(k -> k.etype() == etype).findFirst();
    }

    /** Whether this is a computer account (sAMAccountName ends with {@code $}). */
    public boolean isComputer() {
        return samAccountName.endsWith("$");
    }
}
