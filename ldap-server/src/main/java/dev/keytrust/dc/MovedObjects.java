package dev.keytrust.dc;

import dev.keytrust.encoding.MsGuid;
import java.util.List;
import java.util.Locale;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.DefaultModification;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.server.core.api.CoreSession;

/**
 * What follows an object to its new DN when it is renamed or moved (by a client, by replication, on deletion, as a
 * name-conflict loser): the DC's objectGUID and sAMAccountName indexes, and the back links that name it — its own
 * (for links to itself) and those on the objects its links point at. AD links by GUID, so none of this shows there;
 * here links are DNs, kept right on every DC alike, without replicating anything.
 */
final class MovedObjects {
    private final DcState state;
    private final DirectRead read;
    private final List<AttributeType[]> links;

    MovedObjects(DcState state, DirectRead read) {
        this.state = state;
        this.read = read;
        this.links = List.of(new AttributeType[] {state.keyCredentialLink, state.keyCredentialLinkBl},
                new AttributeType[] {state.member, state.memberOf});
    }

    /** Moves an entry without stamping it (a stamped write follows), then {@link #moved}. */
    void move(CoreSession admin, Dn from, Dn to) throws LdapException {
        LinkMaintenance.SILENT.set(true);
        try {
            if (from.getRdn().equals(to.getRdn())) {
                admin.move(from, to.getParent()); // moveAndRename with the same RDN would drop the RDN's attribute
            } else if (from.getParent().equals(to.getParent())) {
                admin.rename(from, to.getRdn(), true);
            } else {
                admin.moveAndRename(from, to.getParent(), to.getRdn(), true);
            }
        } finally {
            LinkMaintenance.SILENT.set(false);
        }
        moved(admin, from, to);
    }

    /** After ApacheDS moved {@code from} to {@code to}: indexes and back links. */
    void moved(CoreSession admin, Dn from, Dn to) throws LdapException {
        Entry e = read.lookup(to, state.objectGuid.getName(), state.samAccountName.getName(), state.keyCredentialLink.getName(),
                state.keyCredentialLinkBl.getName(), state.member.getName(), state.memberOf.getName());
        if (e == null) {
            return;
        }
        Attribute guid = e.get(state.objectGuid);
        if (guid != null) {
            state.objectsByGuid.put(MsGuid.fromBytes(guid.getBytes()), to);
        }
        String sam = state.samByOwner.remove(from.getNormName());
        if (sam != null) {
            state.samOwners.remove(sam.toLowerCase(Locale.ROOT), from.getNormName());
            if (!state.isDeletedObject(to)) {
                state.samByOwner.put(to.getNormName(), sam);
                state.samOwners.put(sam.toLowerCase(Locale.ROOT), to.getNormName());
            }
        }
        for (AttributeType[] link : links) {
            renameBackLink(admin, to, e.get(link[1]), link[1], from, to); // links to itself
            Attribute forward = e.get(link[0]);
            if (forward != null) {
                for (Value v : forward) {
                    Dn target = state.dn(targetDn(v.getString()));
                    if (!target.equals(from) && !target.equals(to)) {
                        Entry t = read.lookup(target, link[1].getName());
                        if (t != null) {
                            renameBackLink(admin, target, t.get(link[1]), link[1], from, to);
                        }
                    }
                }
            }
        }
    }

    private void renameBackLink(CoreSession admin, Dn holder, Attribute back, AttributeType type, Dn from, Dn to)
            throws LdapException {
        if (back == null) {
            return;
        }
        for (Value v : back) {
            if (state.dn(v.getString()).equals(from)) {
                LinkMaintenance.SILENT.set(true);
                try {
                    admin.modify(holder, new DefaultModification(ModificationOperation.REMOVE_ATTRIBUTE, type, v.getString()),
                            new DefaultModification(ModificationOperation.ADD_ATTRIBUTE, type, to.getName()));
                } finally {
                    LinkMaintenance.SILENT.set(false);
                }
                return;
            }
        }
    }

    /** The DN a linked value names: a DN-Binary value's DN part, or the value itself. */
    static String targetDn(String value) {
        return value.startsWith("B:") ? value.substring(value.indexOf(':', value.indexOf(':', 2) + 1) + 1) : value;
    }
}
