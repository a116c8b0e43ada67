package dev.keytrust.dc.access;

import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.dc.service.AccountCredentials;
import dev.keytrust.dc.state.DcState;
import dev.keytrust.encoding.WindowsTime;
import dev.keytrust.kdc.KerberosKey;
import dev.keytrust.kdc.crypto.KerberosKeys;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.directory.api.ldap.model.constants.LdapSecurityConstants;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.DefaultAttribute;
import org.apache.directory.api.ldap.model.entry.DefaultModification;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapOperationException;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.password.PasswordUtil;
import org.apache.directory.api.ldap.model.schema.AttributeType;

/**
 * What a DC does with a password it is given, as AD does: it keeps no clear text. An originating write of
 * {@code userPassword} (clear text, as this DC has always taken it) or {@code unicodePwd} (AD's form: the password in
 * double quotes, UTF-16LE) becomes three stored attributes that no client ever reads back:
 * <ul>
 *   <li>{@code userPassword}: a salted SHA-256 hash, which simple binds check;</li>
 *   <li>{@code unicodePwd}: the NT hash, MD4(UTF-16LE(password)), as AD stores it (NTLM, rc4-hmac);</li>
 *   <li>{@code supplementalCredentials}: the Kerberos long-term keys (aes256- and aes128-cts-hmac-sha1-96 with AD's
 *       salt, see {@link KerberosKeys}), the salt and the key version number, in {@link SupplementalCredentials}' own
 *       encoding (AD's is a USER_PROPERTIES blob; only this DC and its partners read it).</li>
 * </ul>
 * They are written in the same operation as any other attribute, so they get replication metadata and travel to the
 * partners with the password, as AD's secret attributes do; a replicated write carries them as they are. A
 * {@code userPassword} value that is already a storage hash ({SSHA256}...) cannot give keys: the stored keys are
 * removed with the old password.
 */
public final class Passwords {
    private final DcState state;
    private final AttributeType unicodePwd;
    private final AttributeType supplementalCredentials;
    private final AttributeType pwdLastSet;

    public Passwords(DcState state) throws LdapException {
        this.state = state;
        this.unicodePwd = state.schema.lookupAttributeTypeRegistry(AdSchema.UNICODE_PWD);
        this.supplementalCredentials = state.schema.lookupAttributeTypeRegistry(AdSchema.SUPPLEMENTAL_CREDENTIALS);
        this.pwdLastSet = state.schema.lookupAttributeTypeRegistry(AdSchema.PWD_LAST_SET);
    }

    /** An originating add: a clear-text password on the new entry becomes its hash, NT hash and keys. */
    public void onAdd(Entry entry) throws LdapException {
        String password = password(entry.get(state.types.userPassword), entry.get(unicodePwd));
        if (password == null) {
            if (entry.containsAttribute(unicodePwd)) {
                entry.removeAttributes(unicodePwd); // a hash written as unicodePwd: never stored as given
            }
            return;
        }
        entry.removeAttributes(state.types.userPassword, unicodePwd, supplementalCredentials);
        Attribute sam = entry.get(state.types.samAccountName);
        if (sam == null) {
            entry.put(state.types.userPassword, hash(password));
            return; // not an account: nothing to derive keys for
        }
        Derived d = derive(password, sam.getString(), isComputer(entry.get(state.types.objectClass)), 1);
        entry.put(state.types.userPassword, d.hash());
        entry.put(unicodePwd, d.ntHash());
        entry.put(supplementalCredentials, d.supplemental());
    }

    /**
     * An originating modify of {@code current} (read with {@link #attributesNeeded()}): a clear-text password set
     * becomes its hash, NT hash and keys (the key version number one up); a password removed takes them along.
     */
    public void onModify(Entry current, List<Modification> mods) throws LdapException {
        Attribute written = null;
        Attribute writtenUnicode = null;
        boolean removed = false;
        for (Modification m : mods) {
            AttributeType type = m.getAttribute().getAttributeType();
            if (type.equals(state.types.userPassword) || type.equals(unicodePwd)) {
                if (m.getOperation() == ModificationOperation.REMOVE_ATTRIBUTE || m.getAttribute().size() == 0) {
                    removed = true;
                } else if (type.equals(unicodePwd)) {
                    writtenUnicode = m.getAttribute();
                } else {
                    written = m.getAttribute();
                }
            }
        }
        if (written == null && writtenUnicode == null && !removed) {
            return;
        }
        String password = password(written, writtenUnicode);
        // What comes of the password is decided here alone: an internal write's own removal of the keys (a tombstone
        // strips every secret) would otherwise be a second removal of an attribute already gone (16).
        mods.removeIf(m -> m.getAttribute().getAttributeType().equals(state.types.userPassword)
                || m.getAttribute().getAttributeType().equals(unicodePwd)
                || m.getAttribute().getAttributeType().equals(supplementalCredentials));
        if (password == null) {
            // Removed, or a storage hash given as userPassword: the keys of the old password go with it.
            if (written != null) {
                mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, written));
            } else if (current.containsAttribute(state.types.userPassword)) {
                mods.add(new DefaultModification(ModificationOperation.REMOVE_ATTRIBUTE, state.types.userPassword));
            }
            removeIfPresent(current, mods, unicodePwd);
            removeIfPresent(current, mods, supplementalCredentials);
            return;
        }
        String sam = newSam(mods, current);
        if (sam == null) {
            mods.add(replace(state.types.userPassword, hash(password)));
            return;
        }
        int kvno = current.containsAttribute(supplementalCredentials)
                ? SupplementalCredentials.decode(current.get(supplementalCredentials).getBytes()).kvno() + 1 : 1;
        Derived d = derive(password, sam, isComputer(current.get(state.types.objectClass)), kvno);
        mods.add(replace(state.types.userPassword, d.hash()));
        mods.add(replace(unicodePwd, d.ntHash()));
        mods.add(replace(supplementalCredentials, d.supplemental()));
        // AD stamps the time of every password set (reset or change), unless the same modify sets pwdLastSet itself
        // (0: "must change at next logon").
        if (mods.stream().noneMatch(m -> m.getAttribute().getAttributeType().equals(pwdLastSet))) {
            mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, pwdLastSet,
                    String.valueOf(WindowsTime.toFileTime(state.stamps.now()))));
        }
    }

    /** The attributes {@link #onModify} needs from the entry before the write. */
    public static String[] attributesNeeded() {
        return new String[] {"objectClass", AdSchema.SAM_ACCOUNT_NAME, "userPassword", AdSchema.UNICODE_PWD,
            AdSchema.SUPPLEMENTAL_CREDENTIALS, AdSchema.PWD_LAST_SET};
    }

    /** Whether a modify touches a password (so {@link #onModify} has work to do). */
    public boolean touchesPassword(List<Modification> mods) {
        for (Modification m : mods) {
            AttributeType type = m.getAttribute().getAttributeType();
            if (type.equals(state.types.userPassword) || type.equals(unicodePwd)) {
                return true;
            }
        }
        return false;
    }

    /** The stored credentials of an entry read with the secret attributes, or {@code null} if it has none. */
    public AccountCredentials read(Entry entry) throws LdapException {
        Attribute nt = entry.get(unicodePwd);
        Attribute keys = entry.get(supplementalCredentials);
        Attribute sam = entry.get(state.types.samAccountName);
        return credentials(entry.getDn().getName(), sam == null ? null : sam.getString(), nt == null ? null : nt.getBytes(),
                keys == null ? null : keys.getBytes());
    }

    /**
     * An account's credentials from its DN, sAMAccountName and the stored unicodePwd and supplementalCredentials;
     * {@code null} when any of them is missing (the account has no password).
     */
    public static AccountCredentials credentials(String dn, String sam, byte[] ntHash, byte[] supplemental)
            throws LdapException {
        if (ntHash == null || supplemental == null || sam == null) {
            return null;
        }
        SupplementalCredentials.Decoded decoded = SupplementalCredentials.decode(supplemental);
        return new AccountCredentials(dn, sam, ntHash, decoded.kvno(), decoded.salt(), decoded.keys());
    }

    private record Derived(byte[] hash, byte[] ntHash, byte[] supplemental) {
    }

    private Derived derive(String password, String sam, boolean computer, int kvno) {
        String realm = state.config.domain().toUpperCase(Locale.ROOT);
        String salt = computer ? KerberosKeys.computerSalt(realm, sam, state.config.domain())
                : KerberosKeys.userSalt(realm, sam);
        // the rc4-hmac key is the NT hash, stored once in unicodePwd
        List<KerberosKey> stored = KerberosKeys.fromPassword(password, salt, kvno).stream()
                .filter(k -> k.etype() != KerberosKey.RC4_HMAC).toList();
        return new Derived(hash(password), KerberosKeys.ntHash(password),
                SupplementalCredentials.encode(kvno, salt, stored));
    }

    /**
     * The clear-text password written, or {@code null} when none is (a storage hash as userPassword).
     *
     * @throws LdapException (19, constraint violation, as AD answers) for a unicodePwd value not in double quotes
     */
    private String password(Attribute userPassword, Attribute unicode) throws LdapException {
        if (unicode != null && unicode.size() > 0) {
            return unquoted(unicode.get().getBytes());
        }
        if (userPassword == null || userPassword.size() == 0) {
            return null;
        }
        Value v = userPassword.get();
        byte[] bytes = v.isHumanReadable() ? v.getString().getBytes(StandardCharsets.UTF_8) : v.getBytes();
        if (PasswordUtil.findAlgorithm(bytes) != null) {
            return null;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The password a unicodePwd value holds: in double quotes, encoded in UTF-16LE.
     *
     * @throws LdapException (19, constraint violation, as AD answers) for a value that is not
     */
    static String unquoted(byte[] raw) throws LdapException {
        String quoted = raw == null ? "" : new String(raw, StandardCharsets.UTF_16LE);
        if (raw == null || raw.length % 2 != 0 || quoted.length() < 2 || !quoted.startsWith("\"") || !quoted.endsWith("\"")) {
            throw new LdapOperationException(ResultCodeEnum.CONSTRAINT_VIOLATION, "0000052D: Constraint violation: "
                    + "expected unicodePwd as the password in double quotes, encoded in UTF-16LE (\"\\\"Secret-1\\\"\"), "
                    + "found " + (raw == null ? 0 : raw.length) + " bytes that are not");
        }
        return quoted.substring(1, quoted.length() - 1);
    }

    private static byte[] hash(String password) {
        return PasswordUtil.createStoragePassword(password.getBytes(StandardCharsets.UTF_8),
                LdapSecurityConstants.HASH_METHOD_SSHA256);
    }

    private String newSam(List<Modification> mods, Entry current) {
        for (Modification m : mods) {
            if (m.getAttribute().getAttributeType().equals(state.types.samAccountName)
                    && m.getOperation() != ModificationOperation.REMOVE_ATTRIBUTE && m.getAttribute().size() > 0) {
                return m.getAttribute().get().getString();
            }
        }
        Attribute sam = current.get(state.types.samAccountName);
        return sam == null ? null : sam.get().getString();
    }

    private static boolean isComputer(Attribute objectClass) {
        if (objectClass == null) {
            return false;
        }
        for (Value v : objectClass) {
            if (v.getString().equalsIgnoreCase("computer")) {
                return true;
            }
        }
        return false;
    }

    private static void removeIfPresent(Entry current, List<Modification> mods, AttributeType type) throws LdapException {
        if (current.containsAttribute(type)) {
            mods.add(new DefaultModification(ModificationOperation.REMOVE_ATTRIBUTE, type));
        }
    }

    private static Modification replace(AttributeType type, byte[] value) throws LdapException {
        return new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, new DefaultAttribute(type, value));
    }

    /** Whether a client may never read, compare or filter on this attribute (the password and what comes of it). */
    public static boolean secret(String attribute) {
        return attribute.equalsIgnoreCase("userPassword") || attribute.equalsIgnoreCase(AdSchema.UNICODE_PWD)
                || attribute.equalsIgnoreCase(AdSchema.SUPPLEMENTAL_CREDENTIALS);
    }

    /**
     * A client's filter with every test of a secret attribute replaced by {@code never} (a test no entry passes): to a
     * client the secrets are absent, so {@code (unicodePwd=*)} cannot tell which accounts have a password.
     */
    public static org.apache.directory.api.ldap.model.filter.ExprNode hideSecrets(
            org.apache.directory.api.ldap.model.filter.ExprNode node, org.apache.directory.api.ldap.model.filter.ExprNode never) {
        if (node instanceof org.apache.directory.api.ldap.model.filter.LeafNode leaf) {
            return leaf.getAttributeType() != null && secret(leaf.getAttributeType().getName()) ? never : node;
        }
        if (node instanceof org.apache.directory.api.ldap.model.filter.BranchNode branch) {
            List<org.apache.directory.api.ldap.model.filter.ExprNode> children = branch.getChildren();
            for (int i = 0; i < children.size(); i++) {
                children.set(i, hideSecrets(children.get(i), never));
            }
        }
        return node;
    }
}
