package dev.keytrust.dc.changes;

import dev.keytrust.dc.access.AccountDefaults;
import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.dc.state.ChangeStamps;
import dev.keytrust.dc.state.DcState;
import dev.keytrust.encoding.MsGuid;
import dev.keytrust.encoding.Sid;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.DefaultModification;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapOperationException;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.name.Dn;

/**
 * Stamps what an AD DC stamps on every originating write: objectGUID, objectSid (domain SID + next RID) for
 * security principals, sAMAccountName uniqueness, instanceType, objectCategory, name, uSNCreated/uSNChanged
 * from this DC's USN counter, whenCreated/whenChanged from the testbed clock, and new accounts' defaults
 * ({@link AccountDefaults}).
 */
public final class WriteStamper {
    private static final int INSTANCE_TYPE_WRITABLE = 4;
    private static final int INSTANCE_TYPE_NC_HEAD = 5;

    private final DcState state;
    private final AccountDefaults accounts;

    public WriteStamper(DcState state) {
        this.state = state;
        this.accounts = new AccountDefaults(state);
    }

    /** What one originating write was stamped with. */
    public record Stamp(long usn, Instant time, String reservedSam) {
    }

    /** Stamps an add; a replicated add keeps its originating whenCreated and may take over a sAMAccountName. */
    public Stamp stampAdd(Entry entry, boolean replicated) throws LdapException {
        Dn dn = entry.getDn();
        if (!entry.containsAttribute(state.types.objectGuid)) {
            entry.add(state.types.objectGuid, MsGuid.toBytes(state.stamps.newGuid()));
        }
        List<String> classes = objectClasses(entry);
        boolean principal = classes.contains("user") || classes.contains("computer") || classes.contains("group");
        if (entry.containsAttribute(state.types.objectSid)) {
            noteRid(entry.get(state.types.objectSid).getBytes());
        } else if (principal) {
            entry.add(state.types.objectSid, state.domainSid.withRid(state.stamps.nextRid.incrementAndGet()).toBytes());
        }
        if (!replicated) {
            accounts.fill(entry, classes);
        }
        Attribute sam = entry.get(state.types.samAccountName);
        if (sam != null && !replicated) {
            reserveSam(sam.getString(), dn);
        }
        if (!entry.containsAttribute(state.types.instanceType)) {
            entry.add(state.types.instanceType, String.valueOf(dn.equals(state.dns.baseDn) ? INSTANCE_TYPE_NC_HEAD : INSTANCE_TYPE_WRITABLE));
        }
        if (!entry.containsAttribute(state.types.objectCategory)) {
            entry.add(state.types.objectCategory, "CN=" + AdSchema.categoryFor(classes) + "," + state.dns.schemaDn.getName());
        }
        entry.put(state.types.name, dn.getRdn().getValue());
        long usn = state.stamps.usn.incrementAndGet();
        Instant time = state.stamps.now();
        String now = ChangeStamps.generalizedTime(time);
        entry.put(state.types.usnCreated, String.valueOf(usn));
        entry.put(state.types.usnChanged, String.valueOf(usn));
        if (!replicated || !entry.containsAttribute(state.types.whenCreated)) {
            entry.put(state.types.whenCreated, now);
        }
        entry.put(state.types.whenChanged, now);
        return new Stamp(usn, time, sam == null || replicated ? null : sam.getString());
    }

    /**
     * Appends uSNChanged/whenChanged to a modify, after reserving a changed sAMAccountName; returns the stamp,
     * with the name reserved (to release if the modify fails) or {@code null}.
     */
    public Stamp stampModify(Dn dn, List<Modification> mods) throws LdapException {
        String reserved = null;
        for (Modification m : state.dns.isDeletedObject(dn) ? List.<Modification>of() : mods) { // tombstones hold no name
            if (m.getAttribute().getAttributeType().equals(state.types.samAccountName)
                    && m.getOperation() != ModificationOperation.REMOVE_ATTRIBUTE && m.getAttribute().size() > 0) {
                String sam = m.getAttribute().getString();
                if (reserveSam(sam, dn)) {
                    reserved = sam;
                }
            }
        }
        long usn = state.stamps.usn.incrementAndGet();
        Instant time = state.stamps.now();
        mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, state.types.usnChanged, String.valueOf(usn)));
        mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, state.types.whenChanged,
                ChangeStamps.generalizedTime(time)));
        return new Stamp(usn, time, reserved);
    }

    /** Keeps the RID counter above every RID seen in this domain (on restart, and for admin-supplied SIDs). */
    public void noteRid(byte[] objectSid) {
        try {
            Sid sid = Sid.fromBytes(objectSid);
            if (sid.subAuthorities().length == state.domainSid.subAuthorities().length + 1
                    && sid.toString().startsWith(state.domainSid + "-")) {
                state.stamps.nextRid.accumulateAndGet(sid.rid(), Math::max);
            }
        } catch (IllegalArgumentException e) {
            // not a SID of this domain's shape; nothing to track
        }
    }

    /**
     * Claims a sAMAccountName for {@code owner} in the DC's in-memory index (a search per write cost a third of
     * its time). Returns whether the claim is new; refuses (68, as Samba) a name another object holds.
     */
    boolean reserveSam(String sam, Dn owner) throws LdapException {
        String key = sam.toLowerCase(Locale.ROOT);
        String previous = state.objects.samOwners.putIfAbsent(key, owner.getNormName());
        if (previous == null) {
            return true;
        }
        if (previous.equals(owner.getNormName())) {
            return false;
        }
        throw new LdapOperationException(ResultCodeEnum.ENTRY_ALREADY_EXISTS, "00002071: sAMAccountName '" + sam
                + "' is already used by another object; sAMAccountName must be unique in the domain");
    }

    /** Records the sAMAccountName of an object that has been written (added, modified, or found at start-up). */
    public void committed(Dn owner, String sam) {
        state.objects.samHeld(owner, sam);
    }

    /** After a modify: the object's sAMAccountName as the modifications left it. */
    public void committedModify(Dn owner, List<Modification> mods) {
        for (Modification m : mods) {
            if (m.getAttribute().getAttributeType().equals(state.types.samAccountName)) {
                boolean removed = m.getOperation() == ModificationOperation.REMOVE_ATTRIBUTE || m.getAttribute().size() == 0;
                committed(owner, removed ? null : m.getAttribute().get().getString());
            }
        }
    }

    /** Releases a name: the write that claimed it failed, or its object gave it up or was deleted. */
    public void releaseSam(String sam, Dn owner) {
        if (sam != null) {
            state.objects.samOwners.remove(sam.toLowerCase(Locale.ROOT), owner.getNormName());
        }
    }

    private List<String> objectClasses(Entry entry) {
        List<String> out = new ArrayList<>();
        Attribute oc = entry.get(state.types.objectClass);
        if (oc != null) {
            for (Value v : oc) {
                out.add(v.getString().toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}
