package dev.keytrust.dc.changes;

import com.unboundid.ldap.sdk.SearchResultEntry;
import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.dc.state.DcState;
import dev.keytrust.encoding.MsGuid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.DefaultAttribute;
import org.apache.directory.api.ldap.model.entry.DefaultEntry;
import org.apache.directory.api.ldap.model.entry.DefaultModification;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.server.core.api.CoreSession;
import org.apache.directory.server.core.api.DirectoryService;

/**
 * Applies one object read from a replication partner with AD's rules: an attribute (or linked value) is taken
 * when its remote stamp wins — higher version, then later originating time, then higher originating
 * invocationId. Stamps the destination's up-to-dateness vector covers are skipped up front; a stamp equal to the
 * one held loses too, so a change that arrives again by another path is applied once. Objects are matched by objectGUID: a deletion arrives as the object turned tombstone, moved to Deleted
 * Objects; two objects created with one DN on two DCs are told apart by AD's name-conflict rule.
 */
public final class ReplicaApplier {
    /** What applying one object did. */
    public enum Outcome { ADDED, CHANGED, NOTHING }

    private final DcState state;
    private final DirectRead read;
    private final CoreSession admin;
    private final AttributeType metadata;
    private final Tombstones tombstones;
    private final MovedObjects moves;
    private final java.util.Set<UUID> unresolved = new java.util.LinkedHashSet<>();

    public ReplicaApplier(DcState state, DirectoryService service, Tombstones tombstones, MovedObjects moves) throws LdapException {
        this.tombstones = tombstones;
        this.moves = moves;
        this.state = state;
        this.read = new DirectRead(service);
        this.admin = service.getAdminSession();
        this.metadata = state.schema.lookupAttributeTypeRegistry(AdSchema.REPL_METADATA);
    }

    /**
     * Applies one object read from a partner.
     *
     * @param covered this DC's up-to-dateness vector: per originating database, the highest USN of its changes
     *     already held here (or overtaken); stamps it covers are skipped
     */
    public Outcome apply(SearchResultEntry remote, Map<UUID, Long> covered) throws LdapException {
        byte[] blob = remote.getAttributeValueBytes(AdSchema.REPL_METADATA);
        if (blob == null) {
            return Outcome.NOTHING;
        }
        Map<String, ReplicationMetadata.AttributeStamp> remoteAttributes = new LinkedHashMap<>();
        Map<String, ReplicationMetadata.ValueStamp> remoteValues = new LinkedHashMap<>();
        ReplicationMetadata.parse(blob, remoteAttributes, remoteValues);
        remoteValues.values().removeIf(v -> expired(v.deleted()));
        if (remoteAttributes.values().stream().allMatch(a -> covered.getOrDefault(a.invocationId(), 0L) >= a.originatingUsn())
                && remoteValues.values().stream().allMatch(v -> covered.getOrDefault(v.invocationId(), 0L) >= v.originatingUsn())) {
            return Outcome.NOTHING; // every change here is held already (an echo, or one that came by another path)
        }
        Dn remoteDn = state.dns.dn(remote.getDN());
        byte[] guidBytes = remote.getAttributeValueBytes(AdSchema.OBJECT_GUID);
        UUID guid = guidBytes == null ? null : MsGuid.fromBytes(guidBytes);
        // Objects are matched by objectGUID, as AD does: a renamed or deleted object is still the same object.
        Dn localDn = guid == null ? remoteDn : state.objects.objectsByGuid.get(guid);
        Entry local = localDn == null ? null : read.lookup(localDn, "*", AdSchema.REPL_METADATA);
        boolean remoteTombstone = tombstone(remoteDn, remote.getAttributeValue(AdSchema.IS_DELETED));
        if (local == null) {
            ReplicationMetadata.AttributeStamp deletion = remoteAttributes.get("isdeleted");
            if (remoteTombstone && deletion != null && expired(deletion.originatingTime())) {
                return Outcome.NOTHING; // older than the tombstone lifetime: AD does not bring it back
            }
            Dn target = remoteTombstone ? tombstones.tombstoneDn(remoteDn, remoteDn.getRdn().getValue(), guid) : remoteDn;
            Dn placed = resolveConflict(orphanedIfParentGone(target), guid, remoteAttributes.get("name"));
            Outcome outcome = add(remote, placed, remoteAttributes, remoteValues, remoteTombstone);
            stampIfRenamedHere(target, placed);
            return outcome;
        }
        remoteAttributes.values().removeIf(a -> covered.getOrDefault(a.invocationId(), 0L) >= a.originatingUsn());
        remoteValues.values().removeIf(v -> covered.getOrDefault(v.invocationId(), 0L) >= v.originatingUsn());
        Map<String, ReplicationMetadata.AttributeStamp> attributes = new LinkedHashMap<>();
        Map<String, ReplicationMetadata.ValueStamp> values = new LinkedHashMap<>();
        ReplicationMetadata.parse(local.get(metadata) == null ? new byte[0] : local.get(metadata).get().getBytes(), attributes, values);

        // Where the object belongs — a won name stamp or a deletion moves it — first, so its links follow it.
        ReplicationMetadata.AttributeStamp remoteName = remoteAttributes.get("name");
        ReplicationMetadata.AttributeStamp localName = attributes.get("name");
        boolean nameWon = remoteName != null && (localName == null || wins(remoteName.version(), remoteName.originatingTime(),
                remoteName.invocationId(), localName.version(), localName.originatingTime(), localName.invocationId()));
        boolean deleted = remoteTombstone || tombstone(localDn, local.get(state.types.isDeleted) == null ? null
                : local.get(state.types.isDeleted).getString());
        Dn wanted = deleted ? tombstones.tombstoneDn(localDn, (nameWon ? remoteDn : localDn).getRdn().getValue(), guid)
                : nameWon ? remoteDn : localDn;
        Dn target = wanted.equals(localDn) ? localDn
                : resolveConflict(orphanedIfParentGone(wanted), guid, nameWon ? remoteName : localName);
        boolean changed = false;
        if (!target.equals(localDn)) {
            if (deleted) {
                rescueChildren(localDn);
            }
            moves.move(admin, localDn, target);
            changed = true;
            local = read.lookup(target, "*", AdSchema.REPL_METADATA);
            values.clear();
            ReplicationMetadata.parse(local.get(metadata).get().getBytes(), new LinkedHashMap<>(), values);
        }

        List<Modification> mods = new ArrayList<>();
        for (ReplicationMetadata.AttributeStamp a : remoteAttributes.values()) {
            String key = a.attribute().toLowerCase(Locale.ROOT);
            ReplicationMetadata.AttributeStamp mine = attributes.get(key);
            if (mine != null && !wins(a.version(), a.originatingTime(), a.invocationId(), mine.version(), mine.originatingTime(),
                    mine.invocationId())) {
                continue;
            }
            attributes.put(key, local(a));
            changed = true;
            AttributeType at = type(a.attribute());
            if (at == null || ReplicationMetadata.linked(key) || naming(at, target)) {
                continue; // the name and the RDN's attribute follow the object's DN, set above
            }
            com.unboundid.ldap.sdk.Attribute theirs = remote.getAttribute(a.attribute());
            if (theirs != null) {
                mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, values(at, theirs)));
            } else if (local.containsAttribute(at)) {
                mods.add(new DefaultModification(ModificationOperation.REMOVE_ATTRIBUTE, at));
            }
        }
        for (ReplicationMetadata.ValueStamp theirs : remoteValues.values()) {
            ReplicationMetadata.ValueStamp v = resolve(theirs, guid, target);
            ReplicationMetadata.ValueStamp mine = values.get(v.key());
            if (mine != null && !wins(v.version(), v.originatingTime(), v.invocationId(), mine.version(), mine.originatingTime(),
                    mine.invocationId())) {
                continue;
            }
            String stored = mine != null ? mine.value() : v.value(); // a value held here keeps the DN it is stored with
            values.remove(v.key());
            values.put(v.key(), local(v.withValue(stored)));
            changed = true;
            AttributeType at = type(v.attribute());
            Attribute present = at == null ? null : local.get(at);
            boolean here = present != null && present.contains(stored);
            if (v.deleted() == null && !here && !namesTombstone(stored, target)) {
                mods.add(new DefaultModification(ModificationOperation.ADD_ATTRIBUTE, at, stored));
            } else if (v.deleted() != null && here) {
                mods.add(new DefaultModification(ModificationOperation.REMOVE_ATTRIBUTE, at, stored));
            }
        }
        if (!changed) {
            return Outcome.NOTHING;
        }
        Attribute name = local.get(state.types.name);
        if (name == null || !target.getRdn().getValue().equals(name.getString())) {
            mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, state.types.name, target.getRdn().getValue()));
        }
        if (deleted) {
            stripForTombstone(local, target, mods);
        }
        mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, new DefaultAttribute(metadata,
                local.get(metadata) == null ? new byte[0] : local.get(metadata).get().getBytes()))); // the interceptor writes the merged one
        Dn at = target;
        write(new ReplicatedWrite(List.copyOf(attributes.values()), List.copyOf(values.values())), () -> admin.modify(at, mods));
        if (deleted) {
            tombstones.clearBackLinks(admin, target);
        }
        stampIfRenamedHere(wanted, target);
        return Outcome.CHANGED;
    }

    /**
     * After the last object of a pull: values applied before their target arrived (in this same pull, under another DN
     * than the one they named) are made to name it as it is known here.
     */
    public void finish() throws LdapException {
        for (UUID holder : unresolved) {
            Dn dn = state.objects.objectsByGuid.get(holder);
            if (dn != null) {
                moves.retarget(admin, dn);
            }
        }
        unresolved.clear();
    }

    /**
     * A partner's linked value, naming its target by the DN this DC knows the target under (matched by the target's
     * objectGUID, as AD links by GUID): a target renamed or deleted here, or not yet renamed here, is still the target.
     */
    private ReplicationMetadata.ValueStamp resolve(ReplicationMetadata.ValueStamp v, UUID self, Dn selfDn) {
        if (v.target() == null) {
            return v;
        }
        Dn dn = v.target().equals(self) ? selfDn : state.objects.objectsByGuid.get(v.target());
        if (dn == null && self != null) {
            unresolved.add(self); // the target may come later in this pull: looked at again in finish()
        }
        String named = LinkValues.dn(v.value());
        if (dn == null || named.equals(dn.getName())) {
            return v;
        }
        return v.withValue(v.value().substring(0, v.value().length() - named.length()) + dn.getName());
    }

    /**
     * Whether a value names a deleted object other than its holder: such a link stays in the metadata but is not
     * held (AD keeps links to deleted objects inactive), whichever arrived first, the link or the deletion.
     */
    private boolean namesTombstone(String value, Dn holder) throws LdapException {
        Dn named = state.dns.dn(LinkValues.dn(value));
        return state.dns.isDeletedObject(named) && !named.equals(holder);
    }

    /**
     * Where an object goes whose parent this DC does not hold (deleted here meanwhile): the naming context's
     * LostAndFound, as AD does — by a rename this DC originates, so every DC agrees where it is.
     */
    private Dn orphanedIfParentGone(Dn dn) throws LdapException {
        if (dn.size() <= state.dns.baseDn.size() || read.exists(dn.getParent())) {
            return dn;
        }
        return state.dns.dn(dn.getRdn().getName() + "," + state.dns.lostAndFoundFor(dn).getName());
    }

    /** Before an object becomes a tombstone here: children it has here (made meanwhile elsewhere) go to LostAndFound. */
    private void rescueChildren(Dn parent) throws LdapException {
        for (Entry child : read.search(parent, org.apache.directory.api.ldap.model.message.SearchScope.ONELEVEL,
                AdSchema.OBJECT_GUID, AdSchema.REPL_METADATA)) {
            Map<String, ReplicationMetadata.AttributeStamp> stamps = new LinkedHashMap<>();
            ReplicationMetadata.parse(child.get(metadata).get().getBytes(), stamps, new LinkedHashMap<>());
            Dn found = resolveConflict(state.dns.dn(child.getDn().getRdn().getName() + "," + state.dns.lostAndFoundFor(child.getDn()).getName()),
                    MsGuid.fromBytes(child.get(state.types.objectGuid).getBytes()), stamps.get("name"));
            moves.move(admin, child.getDn(), found);
            tombstones.stampName(admin, found);
        }
    }

    /**
     * An object that lost a name conflict here was renamed by this DC: that rename is an originating write (a new
     * {@code name} stamp), as in AD, so every DC ends with the loser under its CNF name whichever DC saw the conflict.
     */
    private void stampIfRenamedHere(Dn wanted, Dn placed) throws LdapException {
        if (!wanted.equals(placed)) {
            tombstones.stampName(admin, placed);
        }
    }

    /**
     * A tombstone holds only what AD keeps on one, whatever the stamps of the rest say (their metadata is kept): so
     * every DC's tombstone looks the same, in whatever order the deletion and concurrent changes arrived.
     */
    private void stripForTombstone(Entry local, Dn target, List<Modification> mods) throws LdapException {
        mods.removeIf(m -> !Tombstones.kept(m.getAttribute().getAttributeType()));
        for (Attribute a : local) {
            AttributeType at = a.getAttributeType();
            if (Tombstones.stripped(at) && !naming(at, target)) {
                mods.add(new DefaultModification(ModificationOperation.REMOVE_ATTRIBUTE, at));
            }
        }
    }

    /** Whether {@code at} is {@code name} or the attribute of {@code dn}'s RDN. */
    private boolean naming(AttributeType at, Dn dn) throws LdapException {
        return at.equals(state.types.name) || at.equals(state.schema.lookupAttributeTypeRegistry(dn.getRdn().getType()));
    }

    /** Whether the object at {@code dn} with this isDeleted value is a tombstone (not a Deleted Objects container). */
    private boolean tombstone(Dn dn, String isDeleted) {
        return "TRUE".equalsIgnoreCase(isDeleted) && !dn.equals(state.dns.deletedObjectsDn)
                && !dn.equals(state.dns.configurationDeletedObjectsDn);
    }

    private boolean expired(java.time.Instant deleted) {
        return deleted != null && !deleted.isAfter(state.stamps.now().minus(state.config.tombstoneLifetime()));
    }

    /**
     * AD's name-conflict rule: two objects wanting one DN — the one whose {@code name} stamp wins keeps it, the other
     * becomes {@code <name>\0ACNF:<its objectGUID>} in the same place, by a rename this DC originates.
     *
     * @return the DN the incoming object takes
     */
    private Dn resolveConflict(Dn target, UUID guid, ReplicationMetadata.AttributeStamp incomingName) throws LdapException {
        Entry occupant = read.lookup(target, AdSchema.OBJECT_GUID, AdSchema.REPL_METADATA);
        if (occupant == null || occupant.get(state.types.objectGuid) == null) {
            return target;
        }
        UUID other = MsGuid.fromBytes(occupant.get(state.types.objectGuid).getBytes());
        if (other.equals(guid)) {
            return target;
        }
        Map<String, ReplicationMetadata.AttributeStamp> stamps = new LinkedHashMap<>();
        if (occupant.get(metadata) != null) {
            ReplicationMetadata.parse(occupant.get(metadata).get().getBytes(), stamps, new LinkedHashMap<>());
        }
        ReplicationMetadata.AttributeStamp held = stamps.get("name");
        boolean incomingWins = incomingName != null && (held == null || wins(incomingName.version(), incomingName.originatingTime(),
                incomingName.invocationId(), held.version(), held.originatingTime(), held.invocationId()));
        if (!incomingWins) {
            return tombstones.conflictDn(target, guid);
        }
        Dn loser = tombstones.conflictDn(target, other);
        moves.move(admin, target, loser);
        tombstones.stampName(admin, loser);
        return target;
    }

    private Outcome add(SearchResultEntry remote, Dn dn, Map<String, ReplicationMetadata.AttributeStamp> attributes,
            Map<String, ReplicationMetadata.ValueStamp> values, boolean tombstone) throws LdapException {
        Entry entry = new DefaultEntry(state.schema, dn);
        for (com.unboundid.ldap.sdk.Attribute a : remote.getAttributes()) {
            AttributeType at = type(a.getName());
            if (at == null || !ReplicationMetadata.replicated(at.getName()) || at.getName().equalsIgnoreCase(AdSchema.REPL_METADATA)
                    || naming(at, dn) || ReplicationMetadata.linked(at.getName()) || (tombstone && !Tombstones.kept(at))) {
                continue;
            }
            entry.put(values(at, a));
        }
        entry.put(dn.getRdn().getType(), dn.getRdn().getValue());
        List<ReplicationMetadata.AttributeStamp> a = new ArrayList<>();
        attributes.values().forEach(x -> a.add(local(x)));
        List<ReplicationMetadata.ValueStamp> v = new ArrayList<>();
        UUID self = remote.getAttributeValueBytes(AdSchema.OBJECT_GUID) == null ? null
                : MsGuid.fromBytes(remote.getAttributeValueBytes(AdSchema.OBJECT_GUID));
        for (ReplicationMetadata.ValueStamp x : values.values()) {
            ReplicationMetadata.ValueStamp resolved = resolve(x, self, dn);
            v.add(local(resolved));
            if (resolved.deleted() == null && !tombstone && !namesTombstone(resolved.value(), dn)) { // as the stamps say
                entry.add(resolved.attribute(), resolved.value());
            }
        }
        write(new ReplicatedWrite(a, v), () -> admin.add(entry));
        return Outcome.ADDED;
    }

    private interface Write {
        void run() throws LdapException;
    }

    private static void write(ReplicatedWrite write, Write action) throws LdapException {
        ReplicatedWrite.CURRENT.set(write);
        try {
            action.run();
        } finally {
            ReplicatedWrite.CURRENT.remove();
        }
    }

    /** AD's conflict rule: higher version, then later originating time, then higher invocationId. */
    static boolean wins(int version, java.time.Instant time, UUID invocation, int otherVersion, java.time.Instant otherTime,
            UUID otherInvocation) {
        if (version != otherVersion) {
            return version > otherVersion;
        }
        if (!time.equals(otherTime)) {
            return time.isAfter(otherTime);
        }
        return invocation.toString().compareTo(otherInvocation.toString()) > 0;
    }


    private static ReplicationMetadata.AttributeStamp local(ReplicationMetadata.AttributeStamp a) {
        return a.withLocalUsn(ReplicationMetadata.THIS_WRITE);
    }

    private static ReplicationMetadata.ValueStamp local(ReplicationMetadata.ValueStamp v) {
        return v.withLocalUsn(ReplicationMetadata.THIS_WRITE);
    }

    private AttributeType type(String name) {
        try {
            return state.schema.lookupAttributeTypeRegistry(name);
        } catch (LdapException e) {
            return null;
        }
    }

    private static Attribute values(AttributeType at, com.unboundid.ldap.sdk.Attribute theirs) throws LdapException {
        Attribute out = new DefaultAttribute(at);
        boolean text = at.getSyntax() == null || at.getSyntax().isHumanReadable();
        for (byte[] b : theirs.getValueByteArrays()) {
            if (text) {
                out.add(new String(b, java.nio.charset.StandardCharsets.UTF_8));
            } else {
                out.add(b);
            }
        }
        return out;
    }
}
