package dev.keytrust.dc.changes;

import dev.keytrust.dc.state.DcState;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapNoSuchObjectException;
import org.apache.directory.api.ldap.model.exception.LdapOperationException;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.server.core.api.CoreSession;

/**
 * A client's rename or move (modify DN), as an AD DC makes it: the object keeps its objectGUID; {@code name} and the
 * RDN's attribute get new stamps, so the new DN replicates (a partner moves the object it matches by GUID); linked
 * values naming the object — its own keys, a group's member values — name its new DN on every DC, as AD's links by
 * GUID do, without a change of their own ({@link MovedObjects}).
 *
 * @param state the DC's state
 * @param read reads straight from the partition, during a write
 * @param moves what follows an object that moves
 * @param tombstones the DC's deletions
 */
public record Renames(DcState state, DirectRead read, MovedObjects moves, Tombstones tombstones) {

    /** Refuses what this DC cannot rename, before ApacheDS does anything. */
    public void check(CoreSession admin, Dn from, Dn to) throws LdapException {
        if (state.dns.isDeletedObject(from)) {
            throw new LdapNoSuchObjectException("0000208D: NameErr: " + from.getName()
                    + " is a deleted object (a tombstone) or a Deleted Objects container; it cannot be renamed");
        }
        if (state.dns.isDeletedObject(to)) {
            throw new LdapOperationException(ResultCodeEnum.UNWILLING_TO_PERFORM, "00002089: " + to.getName()
                    + " is in Deleted Objects; delete the object instead of moving it there");
        }
        if (from.equals(state.dns.baseDn) || from.equals(state.dns.configurationDn) || from.equals(state.dns.ntdsSettingsDn)
                || from.equals(state.dns.lostAndFoundDn) || from.equals(state.dns.configurationLostAndFoundDn)) {
            throw new LdapOperationException(ResultCodeEnum.UNWILLING_TO_PERFORM, "00002085: " + from.getName()
                    + " is a naming-context head, a LostAndFound container or this DC's NTDS Settings and cannot be renamed");
        }
        if (!state.dns.deletedObjectsFor(from).equals(state.dns.deletedObjectsFor(to))) {
            throw new LdapOperationException(ResultCodeEnum.UNWILLING_TO_PERFORM, "0000208F: moving " + from.getName()
                    + " to " + to.getName() + " crosses naming contexts; AD needs a cross-domain move for that");
        }
        if (read.exists(from) && read.hasChildren(from)) {
            throw new LdapOperationException(ResultCodeEnum.UNWILLING_TO_PERFORM, "renaming or moving " + from.getName()
                    + ", which has child objects, is not supported by this testbed DC (AD allows it); move its children first");
        }
    }

    /**
     * After ApacheDS renamed {@code from} to {@code to}: indexes, back links and the linked values naming it follow
     * (locally, as on every DC that applies the rename), and the new name is stamped.
     */
    public void renamed(CoreSession admin, Dn from, Dn to) throws LdapException {
        moves.moved(admin, from, to);
        tombstones.stampName(admin, to);
    }
}
