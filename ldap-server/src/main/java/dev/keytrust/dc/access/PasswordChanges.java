package dev.keytrust.dc.access;

import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.dc.state.DcState;
import dev.keytrust.encoding.WindowsTime;
import dev.keytrust.kdc.crypto.KerberosKeys;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapOperationException;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.schema.AttributeType;

/**
 * The two forms in which AD lets a client write {@code unicodePwd} ([MS-ADTS] 3.1.1.3.1.5, as the reference Samba DC
 * answers them), checked before {@link Passwords} derives anything:
 * <ul>
 *   <li>a <b>reset</b> replaces it with the new password (an empty replace: 53);</li>
 *   <li>a <b>change</b> deletes the old password and adds the new one, one value each, in one modify. The old one
 *       must be the account's (else 19, {@code 00000056}) and the current password at least a day old, AD's default
 *       minimum password age, on the DC's clock (else 19, {@code 0000052D}). An add or a delete alone, or more than
 *       one value of either, is 53.</li>
 * </ul>
 * Internal writes (tombstones, restarts) are not clients' and are not checked. An account may make the change on
 * itself (AD's User-Change-Password right); a reset takes an administrator.
 *
 * <pre>{@code
 * changes.check(entryBefore, mods);   // throws the LDAP error AD would answer
 * passwords.onModify(entryBefore, mods);
 * }</pre>
 */
public final class PasswordChanges {
    /** AD's default domain policy: a password can be changed (not reset) once it is a day old. */
    public static final Duration MINIMUM_AGE = Duration.ofDays(1);

    private final DcState state;
    private final AttributeType unicodePwd;

    public PasswordChanges(DcState state) throws LdapException {
        this.state = state;
        this.unicodePwd = state.schema.lookupAttributeTypeRegistry(AdSchema.UNICODE_PWD);
    }

    /**
     * Checks a client's modify of the entry that was {@code before} (read with {@link Passwords#attributesNeeded()}).
     *
     * @throws LdapException 53 or 19 as AD answers, naming the form expected
     */
    public void check(Entry before, List<Modification> mods) throws LdapException {
        int deletes = 0;
        int adds = 0;
        Attribute old = null;
        for (Modification m : mods) {
            if (!m.getAttribute().getAttributeType().equals(unicodePwd)) {
                continue;
            }
            int values = m.getAttribute().size();
            switch (m.getOperation()) {
                case REPLACE_ATTRIBUTE -> {
                    if (values == 0) {
                        throw unwilling("a unicodePwd reset replaces it with the new password; a replace without a value "
                                + "would leave the account without one");
                    }
                }
                case REMOVE_ATTRIBUTE -> {
                    deletes += Math.max(1, values);
                    old = m.getAttribute();
                }
                case ADD_ATTRIBUTE -> adds += values;
                default -> throw new IllegalStateException("modification " + m.getOperation());
            }
        }
        if (deletes == 0 && adds == 0) {
            return; // a reset, or no unicodePwd at all
        }
        if (deletes != 1 || adds != 1) {
            throw unwilling("a password change deletes the old password and adds the new one, one value each, in one "
                    + "modify; found " + deletes + " deleted and " + adds + " added");
        }
        if (old.size() == 0 || !matches(before.get(unicodePwd), Passwords.unquoted(old.get().getBytes()))) {
            throw new LdapOperationException(ResultCodeEnum.CONSTRAINT_VIOLATION, "00000056: Constraint violation: the "
                    + "old password given is not the account's password");
        }
        long fileTime = AccountDefaults.number(before, AdSchema.PWD_LAST_SET, 0);
        Instant changeable = fileTime == 0 ? Instant.MIN : WindowsTime.fromFileTime(fileTime).plus(MINIMUM_AGE);
        if (state.stamps.now().isBefore(changeable)) {
            throw new LdapOperationException(ResultCodeEnum.CONSTRAINT_VIOLATION, "0000052D: Constraint violation: the "
                    + "password is too young to change (minimum age " + MINIMUM_AGE.toHours() + " hours: it can be "
                    + "changed from " + changeable + "; an administrator's reset replaces it at any time)");
        }
    }

    /** Whether {@code mods} are exactly a password change: the old unicodePwd deleted and the new one added. */
    static boolean isChange(List<Modification> mods, AttributeType unicodePwd) {
        return mods.size() == 2 && mods.stream().allMatch(m -> m.getAttribute().getAttributeType().equals(unicodePwd)
                && m.getAttribute().size() == 1) && mods.stream().map(Modification::getOperation).toList().containsAll(
                List.of(ModificationOperation.REMOVE_ATTRIBUTE, ModificationOperation.ADD_ATTRIBUTE));
    }

    private static boolean matches(Attribute storedNtHash, String password) throws LdapException {
        return storedNtHash != null && MessageDigest.isEqual(storedNtHash.getBytes(), KerberosKeys.ntHash(password));
    }

    private static LdapOperationException unwilling(String what) {
        return new LdapOperationException(ResultCodeEnum.UNWILLING_TO_PERFORM, "00002035: " + what);
    }
}
