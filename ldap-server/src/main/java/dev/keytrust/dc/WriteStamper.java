package dev.keytrust.dc;

import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.encoding.MsGuid;
import dev.keytrust.encoding.Sid;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.directory.api.ldap.model.cursor.Cursor;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.DefaultModification;
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
 * Stamps what an AD DC stamps on every originating write: objectGUID, objectSid (domain SID + next RID) for
 * security principals, sAMAccountName uniqueness, instanceType, objectCategory, name, uSNCreated/uSNChanged
 * from this DC's USN counter, whenCreated/whenChanged from the testbed clock.
 */
final class WriteStamper {
    private static final int INSTANCE_TYPE_WRITABLE = 4;
    private static final int INSTANCE_TYPE_NC_HEAD = 5;

    private final DcState state;

    WriteStamper(DcState state) {
        this.state = state;
    }

    void stampAdd(CoreSession admin, Entry entry) throws LdapException {
        Dn dn = entry.getDn();
        if (!entry.containsAttribute(state.objectGuid)) {
            entry.add(state.objectGuid, MsGuid.toBytes(state.newGuid()));
        }
        List<String> classes = objectClasses(entry);
        boolean principal = classes.contains("user") || classes.contains("computer") || classes.contains("group");
        if (entry.containsAttribute(state.objectSid)) {
            noteRid(entry.get(state.objectSid).getBytes());
        } else if (principal) {
            entry.add(state.objectSid, state.domainSid.withRid(state.nextRid.incrementAndGet()).toBytes());
        }
        Attribute sam = entry.get(state.samAccountName);
        if (sam != null) {
            requireUniqueSam(admin, sam.getString(), null, ResultCodeEnum.ENTRY_ALREADY_EXISTS);
        }
        if (!entry.containsAttribute(state.instanceType)) {
            entry.add(state.instanceType, String.valueOf(dn.equals(state.baseDn) ? INSTANCE_TYPE_NC_HEAD : INSTANCE_TYPE_WRITABLE));
        }
        if (!entry.containsAttribute(state.objectCategory)) {
            entry.add(state.objectCategory, "CN=" + AdSchema.categoryFor(classes) + "," + state.schemaDn.getName());
        }
        entry.put(state.name, dn.getRdn().getValue());
        String usn = String.valueOf(state.usn.incrementAndGet());
        String now = DcState.generalizedTime(state.now());
        entry.put(state.usnCreated, usn);
        entry.put(state.usnChanged, usn);
        entry.put(state.whenCreated, now);
        entry.put(state.whenChanged, now);
    }

    /** Appends uSNChanged/whenChanged to a modify, after checking a sAMAccountName change stays unique. */
    void stampModify(CoreSession admin, Dn dn, List<Modification> mods) throws LdapException {
        for (Modification m : mods) {
            if (m.getAttribute().getAttributeType().equals(state.samAccountName)
                    && m.getOperation() != ModificationOperation.REMOVE_ATTRIBUTE && m.getAttribute().size() > 0) {
                requireUniqueSam(admin, m.getAttribute().getString(), dn, ResultCodeEnum.ENTRY_ALREADY_EXISTS);
            }
        }
        mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, state.usnChanged,
                String.valueOf(state.usn.incrementAndGet())));
        mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, state.whenChanged,
                DcState.generalizedTime(state.now())));
    }

    /** Advances the USN for a delete (AD deletes are originating writes too). */
    void stampDelete() {
        state.usn.incrementAndGet();
    }

    /** Keeps the RID counter above every RID seen in this domain (on restart, and for admin-supplied SIDs). */
    void noteRid(byte[] objectSid) {
        try {
            Sid sid = Sid.fromBytes(objectSid);
            if (sid.subAuthorities().length == state.domainSid.subAuthorities().length + 1
                    && sid.toString().startsWith(state.domainSid + "-")) {
                state.nextRid.accumulateAndGet(sid.rid(), Math::max);
            }
        } catch (IllegalArgumentException e) {
            // not a SID of this domain's shape; nothing to track
        }
    }

    private void requireUniqueSam(CoreSession admin, String sam, Dn self, ResultCodeEnum code) throws LdapException {
        try (Cursor<Entry> cursor = admin.search(state.baseDn, SearchScope.SUBTREE,
                new EqualityNode<String>(state.samAccountName, new Value(state.samAccountName, sam)),
                AliasDerefMode.NEVER_DEREF_ALIASES, "1.1")) {
            while (cursor.next()) {
                Dn existing = cursor.get().getDn();
                if (self == null || !existing.equals(self)) {
                    throw new LdapOperationException(code, "00000524: UpdErr: DSID-031A11E0, problem 6005 (ENTRY_EXISTS): "
                            + "sAMAccountName '" + sam + "' is already used by " + existing.getName()
                            + "; sAMAccountName must be unique in the domain");
                }
            }
        } catch (LdapException e) {
            throw e;
        } catch (Exception e) {
            throw new LdapOperationException(ResultCodeEnum.OTHER, "cannot check sAMAccountName uniqueness: " + e, e);
        }
    }

    private List<String> objectClasses(Entry entry) {
        List<String> out = new ArrayList<>();
        Attribute oc = entry.get(state.objectClass);
        if (oc != null) {
            for (Value v : oc) {
                out.add(v.getString().toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}
