package dev.keytrust.dc.access;

import dev.keytrust.KeyTrustException;
import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.dc.state.DcState;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeySource;
import java.util.List;
import java.util.Locale;
import org.apache.directory.api.ldap.model.cursor.Cursor;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapOperationException;
import org.apache.directory.api.ldap.model.filter.EqualityNode;
import org.apache.directory.api.ldap.model.message.AliasDerefMode;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.server.core.api.CoreSession;

/**
 * What AD lets a computer account and a normal user do beyond reading: a computer may add a key to its own
 * msDS-KeyCredentialLink through the validated write DS-Validated-Write-Computer ([MS-ADTS] 3.1.1.5.3.1.1.6: a
 * well-formed KEYCREDENTIALLINK_BLOB, usage NGC, source AD, no CustomKeyInformation, no approximate last logon time,
 * no existing value) and delete its values; a user may add computer accounts up to the domain's
 * ms-DS-MachineAccountQuota (each stamped with the creator's SID in mS-DS-CreatorSID, as AD does).
 */
final class ComputerRights {
    private final DcState state;

    ComputerRights(DcState state) {
        this.state = state;
    }

    /** Whether {@code dn} is a computer account. */
    boolean isComputer(CoreSession admin, Dn dn) throws LdapException {
        return admin.exists(dn) && admin.lookup(dn, "objectClass").hasObjectClass("computer");
    }

    /**
     * Checks a computer's write to its own msDS-KeyCredentialLink against the validated write's rules.
     *
     * @throws LdapOperationException 50 (insufficientAccessRights) naming the rule broken
     */
    void checkOwnKeyWrite(CoreSession admin, Dn self, List<Modification> mods) throws LdapException {
        for (Modification m : mods) {
            if (!m.getAttribute().getAttributeType().equals(state.types.keyCredentialLink)) {
                throw refused(self, "write " + m.getAttribute().getUpId() + " (a computer may write only its own "
                        + "msDS-KeyCredentialLink, through the validated write)");
            }
            if (m.getOperation() == ModificationOperation.REPLACE_ATTRIBUTE) {
                throw refused(self, "replace msDS-KeyCredentialLink (the validated write allows adding or deleting a value)");
            }
            if (m.getOperation() == ModificationOperation.ADD_ATTRIBUTE) {
                checkAdd(admin, self, m.getAttribute());
            }
        }
    }

    private void checkAdd(CoreSession admin, Dn self, Attribute added) throws LdapException {
        if (added.size() != 1) {
            throw refused(self, "add " + added.size() + " msDS-KeyCredentialLink values at once (one value, when there is none)");
        }
        Attribute existing = admin.lookup(self, AdSchema.KEY_CREDENTIAL_LINK).get(state.types.keyCredentialLink);
        if (existing != null && existing.size() > 0) {
            throw refused(self, "add a msDS-KeyCredentialLink value while it already has " + existing.size()
                    + " (the validated write adds one only when there is no existing value; delete it first)");
        }
        Value value = added.get();
        KeyCredential key;
        try {
            key = KeyCredential.fromDnBinary(value.isHumanReadable() ? value.getString()
                    : new String(value.getBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (KeyTrustException | IllegalArgumentException e) {
            throw refused(self, "add a value whose binary part is no well-formed KEYCREDENTIALLINK_BLOB (" + e.getMessage() + ")");
        }
        if (!key.isNgc()) {
            throw refused(self, "add a key whose KeyUsage is not NGC");
        }
        if (!KeySource.AD.equals(key.source())) {
            throw refused(self, "add a key whose KeySource is not AD");
        }
        if (key.customKeyInfo().isPresent()) {
            throw refused(self, "add a key with a CustomKeyInformation entry");
        }
        if (key.lastLogonTime().isPresent()) {
            throw refused(self, "add a key with a KeyApproximateLastLogonTimeStamp entry");
        }
    }

    /**
     * A normal user's add of a computer account: allowed below the quota; fills in mS-DS-CreatorSID, a
     * sAMAccountName ending in {@code $} and userAccountControl WORKSTATION_TRUST_ACCOUNT when missing.
     *
     * @throws LdapOperationException 50 for anything but a computer, 53 (as AD: MachineAccountQuota exceeded) over
     *     the quota, 19 for a sAMAccountName without the trailing {@code $} or a DC's userAccountControl
     */
    void checkComputerAdd(CoreSession admin, Dn creator, Entry entry) throws LdapException {
        Attribute sid = admin.lookup(creator, AdSchema.OBJECT_SID).get(state.types.objectSid);
        int quota = quota(admin);
        long used = 0;
        if (sid != null) {
            try (Cursor<Entry> cursor = admin.search(state.dns.baseDn, SearchScope.SUBTREE,
                    new EqualityNode<>(state.schema.lookupAttributeTypeRegistry(AdSchema.CREATOR_SID),
                            new Value(state.schema.lookupAttributeTypeRegistry(AdSchema.CREATOR_SID), sid.getBytes())),
                    AliasDerefMode.NEVER_DEREF_ALIASES, "1.1")) {
                while (cursor.next()) {
                    used++;
                }
            } catch (java.io.IOException | org.apache.directory.api.ldap.model.cursor.CursorException e) {
                throw new LdapOperationException(ResultCodeEnum.OTHER, "cannot count the computers " + creator + " added: " + e);
            }
        }
        if (used >= quota) {
            throw new LdapOperationException(ResultCodeEnum.UNWILLING_TO_PERFORM, "0000216D: SvcErr: DSID-031A1236, "
                    + "problem 5003 (WILL_NOT_PERFORM), data 0; " + creator.getName() + " has added " + used
                    + " computers, the domain's ms-DS-MachineAccountQuota is " + quota
                    + "; an administrator can add more, or raise the quota on " + state.dns.baseDn.getName());
        }
        Attribute sam = entry.get(state.types.samAccountName);
        if (sam == null) {
            entry.put(state.types.samAccountName, entry.getDn().getRdn().getValue().toUpperCase(Locale.ROOT) + "$");
        } else if (!sam.getString().endsWith("$")) {
            throw new LdapOperationException(ResultCodeEnum.CONSTRAINT_VIOLATION, "0000052D: SvcErr: a computer's "
                    + "sAMAccountName must end with '$'; found '" + sam.getString() + "'");
        }
        int control = AccountDefaults.userAccountControl(entry);
        if ((control & AccountDefaults.SERVER_TRUST_ACCOUNT) != 0) {
            throw new LdapOperationException(ResultCodeEnum.INSUFFICIENT_ACCESS_RIGHTS, "00000005: SecErr: "
                    + creator.getName() + " may not add a domain controller account (SERVER_TRUST_ACCOUNT)");
        }
        if (!entry.containsAttribute(state.schema.lookupAttributeTypeRegistry(AdSchema.USER_ACCOUNT_CONTROL))) {
            entry.put(AdSchema.USER_ACCOUNT_CONTROL, String.valueOf(AccountDefaults.WORKSTATION_TRUST_ACCOUNT));
        }
        if (sid != null) {
            entry.put(state.schema.lookupAttributeTypeRegistry(AdSchema.CREATOR_SID), sid.getBytes());
        }
    }

    private int quota(CoreSession admin) throws LdapException {
        Attribute q = admin.lookup(state.dns.baseDn, AdSchema.MACHINE_ACCOUNT_QUOTA)
                .get(state.schema.lookupAttributeTypeRegistry(AdSchema.MACHINE_ACCOUNT_QUOTA));
        try {
            return q == null ? 0 : Integer.parseInt(q.getString().trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static LdapOperationException refused(Dn self, String what) {
        return new LdapOperationException(ResultCodeEnum.INSUFFICIENT_ACCESS_RIGHTS, "00002098: SecErr: DSID-03150F94, "
                + "problem 4003 (INSUFF_ACCESS_RIGHTS), data 0; " + self.getName() + " may not " + what);
    }
}
