package dev.keytrust.dc.access;

import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.dc.state.DcState;
import java.util.List;
import org.apache.directory.api.ldap.model.cursor.Cursor;
import org.apache.directory.api.ldap.model.cursor.CursorException;
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
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.server.core.api.CoreSession;

/**
 * The names Kerberos finds an account by stay unique, as AD (since Windows Server 2012 R2) and Samba keep them: a
 * client's add or modify that would give a {@code userPrincipalName} or a {@code servicePrincipalName} another object
 * already holds (compared without regard to case) is 19, constraint violation. Replicated and internal writes are not
 * checked. Only writes of these attributes search, so other writes cost nothing.
 */
final class PrincipalNames {
    private final DcState state;
    private final List<AttributeType> unique;

    PrincipalNames(DcState state) throws LdapException {
        this.state = state;
        this.unique = List.of(state.schema.lookupAttributeTypeRegistry(AdSchema.USER_PRINCIPAL_NAME),
                state.schema.lookupAttributeTypeRegistry(AdSchema.SERVICE_PRINCIPAL_NAME));
    }

    /** A client's add of {@code entry}. */
    void checkAdd(CoreSession admin, Entry entry) throws LdapException {
        for (AttributeType type : unique) {
            Attribute values = entry.get(type);
            if (values != null) {
                requireFree(admin, values, entry.getDn());
            }
        }
    }

    /** A client's modify of {@code self}: the values it adds or writes. */
    void checkModify(CoreSession admin, Dn self, List<Modification> mods) throws LdapException {
        for (Modification m : mods) {
            if (m.getOperation() != ModificationOperation.REMOVE_ATTRIBUTE
                    && unique.contains(m.getAttribute().getAttributeType())) {
                requireFree(admin, m.getAttribute(), self);
            }
        }
    }

    private void requireFree(CoreSession admin, Attribute values, Dn self) throws LdapException {
        AttributeType type = values.getAttributeType();
        for (Value v : values) {
            try (Cursor<Entry> cursor = admin.search(state.dns.baseDn, SearchScope.SUBTREE,
                    new EqualityNode<>(type, new Value(type, v.getString())), AliasDerefMode.NEVER_DEREF_ALIASES, "1.1")) {
                while (cursor.next()) {
                    if (!cursor.get().getDn().equals(self)) {
                        throw new LdapOperationException(ResultCodeEnum.CONSTRAINT_VIOLATION, "00002082: AtrErr: "
                                + type.getName() + " '" + v.getString() + "' is already used by another object; "
                                + type.getName() + " must be unique in the domain");
                    }
                }
            } catch (java.io.IOException | CursorException e) {
                throw new LdapOperationException(ResultCodeEnum.OTHER, "cannot check that " + type.getName() + " '"
                        + v.getString() + "' is unique: " + e.getMessage());
            }
        }
    }
}
