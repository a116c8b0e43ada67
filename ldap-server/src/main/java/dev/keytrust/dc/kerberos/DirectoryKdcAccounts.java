package dev.keytrust.dc.kerberos;

import dev.keytrust.dc.service.AccountCredentials;
import dev.keytrust.dc.service.DirectoryEntry;
import dev.keytrust.dc.service.DirectoryView;
import dev.keytrust.encoding.Sid;
import dev.keytrust.kdc.KdcAccount;
import dev.keytrust.kdc.KdcAccounts;
import dev.keytrust.kdc.KerberosKey;
import dev.keytrust.kdc.crypto.KerberosKeys;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.PublicKeys;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KDC's accounts, read from a DC's own directory at every request (no cache: what the DC holds now, locally
 * written or replicated, is what the next request sees). Clients are found by sAMAccountName or userPrincipalName,
 * services by servicePrincipalName or, for a one-part name ({@code krbtgt}), sAMAccountName: one search over
 * indexed attributes per look-up, which also reads the secrets, so an account is read once and consistently (plus
 * one read per group in memberOf, for the PAC). Keys come from the credentials the DC derived when the password was
 * set; key-trust public keys from msDS-KeyCredentialLink as the codec reads them, usage NGC only (as Samba does);
 * values that do not decode are skipped.
 *
 * <pre>{@code
 * KdcAccounts accounts = new DirectoryKdcAccounts(context.directory(), context.realm(), context.domain());
 * }</pre>
 *
 * @param directory the DC's own directory
 * @param realm the realm, upper case
 * @param domain the domain's DNS name (for computer accounts' salt)
 */
public record DirectoryKdcAccounts(DirectoryView directory, String realm, String domain) implements KdcAccounts {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryKdcAccounts.class);
    private static final int ACCOUNTDISABLE = 0x2;
    private static final int SERVER_TRUST_ACCOUNT = 0x2000;
    private static final int DOMAIN_USERS = 513;
    private static final int DOMAIN_CONTROLLERS = 516;
    /** Everything an account gives the KDC, its secrets included, read in the one search of a request. */
    private static final String[] ATTRIBUTES = {"sAMAccountName", "userPrincipalName", "servicePrincipalName",
        "userAccountControl", "objectSid", "objectClass", "memberOf", "msDS-KeyCredentialLink", "unicodePwd",
        "supplementalCredentials"};

    @Override
    public Optional<KdcAccount> find(String principalName, Role role) {
        if (principalName == null || principalName.isEmpty() || principalName.length() > 1024) {
            return Optional.empty();
        }
        String value = escape(principalName);
        String filter;
        if (role == Role.CLIENT) {
            filter = "(|(sAMAccountName=" + value + ")(userPrincipalName=" + value + "))";
        } else if (principalName.contains("/")) {
            filter = "(servicePrincipalName=" + value + ")";
        } else {
            filter = "(sAMAccountName=" + value + ")";
        }
        List<DirectoryEntry> found = directory.search("(&(objectClass=user)" + filter + ")", ATTRIBUTES);
        if (found.size() != 1) {
            return Optional.empty(); // none, or an ambiguous name (AD refuses duplicate SPNs and UPNs)
        }
        return Optional.of(account(found.get(0), role));
    }

    private KdcAccount account(DirectoryEntry entry, Role role) {
        String sam = entry.string("sAMAccountName").orElseThrow();
        int uac = entry.string("userAccountControl").map(DirectoryKdcAccounts::parseInt).orElse(0);
        boolean computer = entry.strings("objectClass").stream().anyMatch(c -> c.equalsIgnoreCase("computer"));
        // krbtgt is disabled as a client (as in AD) but is the ticket-granting service.
        boolean disabled = (uac & ACCOUNTDISABLE) != 0 && !(role == Role.SERVICE && sam.equalsIgnoreCase("krbtgt"));
        Optional<AccountCredentials> credentials = directory.credentials(entry);
        List<KerberosKey> keys = new ArrayList<>();
        String salt = computer ? KerberosKeys.computerSalt(realm, sam, domain) : KerberosKeys.userSalt(realm, sam);
        if (credentials.isPresent()) {
            AccountCredentials c = credentials.get();
            salt = c.salt();
            keys.addAll(c.keys());
            keys.add(c.key(KerberosKey.RC4_HMAC).orElseThrow());
        }
        String sid = entry.bytes("objectSid").map(b -> Sid.fromBytes(b).toString()).orElse(null);
        if (sid == null) {
            throw new IllegalStateException(sam + " has no objectSid");
        }
        List<Integer> groups = new ArrayList<>();
        groups.add((uac & SERVER_TRUST_ACCOUNT) != 0 ? DOMAIN_CONTROLLERS : DOMAIN_USERS);
        for (String group : entry.strings("memberOf")) {
            directory.lookup(group, "objectSid").flatMap(g -> g.bytes("objectSid")).map(Sid::fromBytes)
                    .filter(g -> g.toString().startsWith(sid.substring(0, sid.lastIndexOf('-') + 1)))
                    .map(g -> (int) g.rid()).filter(r -> !groups.contains(r)).ifPresent(groups::add);
        }
        return new KdcAccount(sam, entry.string("userPrincipalName"), entry.strings("servicePrincipalName"), keys, salt,
                disabled, ngcKeys(sam, entry.strings("msDS-KeyCredentialLink")), sid, groups);
    }

    /** The public keys of the NGC key credentials among the values; others (and unreadable ones) are skipped. */
    static List<PublicKey> ngcKeys(String sam, List<String> values) {
        List<PublicKey> keys = new ArrayList<>();
        for (String value : values) {
            try {
                KeyCredential credential = KeyCredential.fromDnBinary(value);
                if (credential.isNgc()) {
                    keys.add(PublicKeys.readRsa(credential.keyMaterial().bytes()));
                }
            } catch (RuntimeException e) {
                LOG.debug("{}: skipping a msDS-KeyCredentialLink value that does not decode: {}", sam, e.getMessage());
            }
        }
        return keys;
    }

    private static int parseInt(String s) {
        try {
            return (int) Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** RFC 4515 escaping of a filter value. */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '*', '(', ')', '\\', '\0' -> out.append(String.format(Locale.ROOT, "\\%02x", (int) c));
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
