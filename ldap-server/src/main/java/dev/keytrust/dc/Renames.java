package dev.keytrust.dc;

import java.util.ArrayList;
import java.util.List;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.DefaultModification;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapNoSuchObjectException;
import org.apache.directory.api.ldap.model.exception.LdapOperationException;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.server.core.api.CoreSession;

/**
 * A client's rename or move (modify DN), as an AD DC makes it: the object keeps its objectGUID; {@code name} and the
 * RDN's attribute get new stamps, so the new DN replicates (a partner moves the object it matches by GUID); and linked
 * values that name the object by its old DN — its own keys, a group's member values — are rewritten to the new one
 * (AD links by GUID, so there they simply follow; here the rewrite is a stamped change that replicates too).
 */
final class Renames {
    private final DcState state;
    private final DirectRead read;
    private final MovedObjects moves;
    private final Tombstones tombstones;

    Renames(DcState state, DirectRead read, MovedObjects moves, Tombstones tombstones) {
        this.state = state;
        this.read = read;
        this.moves = moves;
        this.tombstones = tombstones;
    }

    /** Refuses what this DC cannot rename, before ApacheDS does anything. */
    void check(CoreSession admin, Dn from, Dn to) throws LdapException {
        if (state.isDeletedObject(from)) {
            throw new LdapNoSuchObjectException("0000208D: NameErr: " + from.getName()
                    + " is a deleted object (a tombstone) or a Deleted Objects container; it cannot be renamed");
        }
        if (state.isDeletedObject(to)) {
            throw new LdapOperationException(ResultCodeEnum.UNWILLING_TO_PERFORM, "00002089: " + to.getName()
                    + " is in Deleted Objects; delete the object instead of moving it there");
        }
        if (from.equals(state.baseDn) || from.equals(state.configurationDn) || from.equals(state.ntdsSettingsDn)) {
            throw new LdapOperationException(ResultCodeEnum.UNWILLING_TO_PERFORM, "00002085: " + from.getName()
                    + " is a naming-context head or this DC's NTDS Settings and cannot be renamed");
        }
        if (!state.deletedObjectsFor(from).equals(state.deletedObjectsFor(to))) {
            throw new LdapOperationException(ResultCodeEnum.UNWILLING_TO_PERFORM, "0000208F: moving " + from.getName()
                    + " to " + to.getName() + " crosses naming contexts; AD needs a cross-domain move for that");
        }
        if (read.exists(from) && Tombstones.hasChildren(admin, from)) {
            throw new LdapOperationException(ResultCodeEnum.UNWILLING_TO_PERFORM, "renaming or moving " + from.getName()
                    + ", which has child objects, is not supported by this testbed DC (AD allows it); move its children first");
        }
    }

    /** After ApacheDS renamed {@code from} to {@code to}: indexes, back links, the stamp, and the values naming it. */
    void renamed(CoreSession admin, Dn from, Dn to) throws LdapException {
        moves.moved(admin, from, to);
        Entry e = read.lookup(to, state.keyCredentialLink.getName(), state.member.getName(), state.keyCredentialLinkBl.getName(),
                state.memberOf.getName());
        List<Modification> own = new ArrayList<>(renamedValues(e == null ? null : e.get(state.keyCredentialLink), from, to));
        own.addAll(renamedValues(e == null ? null : e.get(state.member), from, to));
        tombstones.stampName(admin, to, own);
        for (AttributeType[] link : List.of(new AttributeType[] {state.keyCredentialLink, state.keyCredentialLinkBl},
                new AttributeType[] {state.member, state.memberOf})) {
            Attribute owners = e == null ? null : e.get(link[1]);
            if (owners == null) {
                continue;
            }
            for (Value o : owners) {
                Dn owner = state.dn(o.getString());
                if (owner.equals(to)) {
                    continue;
                }
                Entry ownerEntry = read.lookup(owner, link[0].getName());
                List<Modification> mods = renamedValues(ownerEntry == null ? null : ownerEntry.get(link[0]), from, to);
                if (!mods.isEmpty()) {
                    admin.modify(owner, mods); // an ordinary internal write: stamped, so it replicates
                }
            }
        }
    }

    /** Remove-and-add pairs that rewrite the values naming {@code from} to name {@code to}. */
    private List<Modification> renamedValues(Attribute values, Dn from, Dn to) throws LdapException {
        List<Modification> mods = new ArrayList<>();
        if (values == null) {
            return mods;
        }
        for (Value v : values) {
            String value = v.getString();
            String dn = MovedObjects.targetDn(value);
            if (state.dn(dn).equals(from)) {
                AttributeType at = values.getAttributeType();
                mods.add(new DefaultModification(ModificationOperation.REMOVE_ATTRIBUTE, at, value));
                mods.add(new DefaultModification(ModificationOperation.ADD_ATTRIBUTE, at,
                        value.substring(0, value.length() - dn.length()) + to.getName()));
            }
        }
        return mods;
    }
}
