package dev.keytrust.dc.changes;

import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.dc.state.DcState;
import dev.keytrust.encoding.MsGuid;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.DefaultAttribute;
import org.apache.directory.api.ldap.model.entry.DefaultModification;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapNoSuchObjectException;
import org.apache.directory.api.ldap.model.exception.LdapOperationException;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.name.Rdn;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.server.core.api.CoreSession;

/**
 * Deletions as AD makes them (recycle bin off): the object becomes a <em>tombstone</em> — moved to its naming
 * context's {@code CN=Deleted Objects} as {@code CN=<name>\0ADEL:<objectGUID>}, {@code isDeleted: TRUE} and
 * {@code lastKnownParent} set, every attribute but the few AD keeps stripped, its linked values marked ABSENT —
 * in one stamped originating write, so it replicates like any change. Tombstones are hidden from searches without
 * the show-deleted control ({@value AdSchema#SHOW_DELETED_CONTROL}) and removed by garbage collection once the
 * tombstone lifetime (default 180 days) has passed since the deletion; ABSENT value records likewise.
 *
 * @param state the DC's state
 * @param read reads straight from the partition, during a write
 * @param links the linked values a deletion marks ABSENT
 * @param moves what follows an object that moves (to Deleted Objects)
 */
public record Tombstones(DcState state, DirectRead read, LinkMaintenance links, MovedObjects moves) {
    /** Attributes a tombstone keeps (AD's searchFlags-preserved set, as far as this schema has them). */
    static final Set<String> KEPT = Set.of("objectclass", "objectguid", "objectsid", "samaccountname", "useraccountcontrol",
            "grouptype", "instancetype", "isdeleted", "lastknownparent", "name", "usncreated", "usnchanged", "whencreated",
            "whenchanged", "distinguishedname", AdSchema.REPL_METADATA.toLowerCase(Locale.ROOT));

    /** Whether a tombstone keeps this attribute (besides the attribute of its RDN). */
    static boolean kept(AttributeType at) {
        return KEPT.contains(at.getName().toLowerCase(Locale.ROOT));
    }

    /** Whether making a tombstone removes this attribute: a user attribute it does not keep (not ApacheDS's own). */
    static boolean stripped(AttributeType at) {
        String name = at.getName().toLowerCase(Locale.ROOT);
        return !kept(at) && at.isUserModifiable() && at.getUsage() == org.apache.directory.api.ldap.model.schema.UsageEnum.USER_APPLICATIONS
                && !name.equals("msds-keycredentiallink-bl") && !name.equals("memberof"); // back links go with their links
    }

    /** {@code CN=<name>\0ADEL:<guid>} under the Deleted Objects container of the object's naming context. */
    Dn tombstoneDn(Dn live, String name, UUID guid) throws LdapException {
        // Written with the line feed escaped (\0A), as AD shows these names
        return state.dns.dn(live.getRdn().getType() + "=" + Rdn.escapeValue(baseName(name)) + "\\0ADEL:" + guid + ","
                + state.dns.deletedObjectsFor(live).getName());
    }

    /** The name a conflict loser takes: {@code <name>\0ACNF:<guid>}, under the same parent. */
    Dn conflictDn(Dn dn, UUID guid) throws LdapException {
        return state.dns.dn(dn.getRdn().getType() + "=" + Rdn.escapeValue(baseName(dn.getRdn().getValue())) + "\\0ACNF:" + guid
                + "," + dn.getParent().getName());
    }

    /** A name without the {@code \nDEL:} or {@code \nCNF:} mangling AD adds. */
    static String baseName(String name) {
        int lf = name.indexOf('\n');
        return lf < 0 ? name : name.substring(0, lf);
    }

    /** An originating delete: refuses what AD refuses, then turns the object into a tombstone. */
    public void delete(CoreSession admin, Dn dn) throws LdapException {
        if (state.dns.isDeletedObject(dn)) {
            throw new LdapNoSuchObjectException("0000208D: NameErr: " + dn.getName()
                    + " is a deleted object (a tombstone) or a Deleted Objects container; it cannot be deleted again");
        }
        Entry current = read.lookup(dn, "*");
        if (current == null) {
            throw new LdapNoSuchObjectException("0000208D: NameErr: no object " + dn.getName() + " to delete");
        }
        if (critical(dn)) {
            throw new LdapOperationException(ResultCodeEnum.UNWILLING_TO_PERFORM, "00002085: " + dn.getName()
                    + " is a critical system object of this domain or DC and cannot be deleted");
        }
        if (read.hasChildren(dn)) {
            throw new LdapOperationException(ResultCodeEnum.NOT_ALLOWED_ON_NON_LEAF, "0000208C: " + dn.getName()
                    + " has child objects; delete them first (AD deletes only leaf objects without the tree-delete control)");
        }
        Attribute guidAttribute = current.get(state.types.objectGuid);
        UUID guid = MsGuid.fromBytes(guidAttribute.getBytes());
        // Other objects' links to it go first (stamped removals on them), while they still name it by this DN.
        links.apply(admin, links.prepareDelete(admin, dn));
        Dn tombstone = tombstoneDn(dn, dn.getRdn().getValue(), guid);
        moves.move(admin, dn, tombstone);
        current = read.lookup(tombstone, "*");
        String tombName = tombstone.getRdn().getValue();
        AttributeType rdnType = state.schema.lookupAttributeTypeRegistry(tombstone.getRdn().getType());
        List<Modification> mods = new ArrayList<>();
        mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, state.types.isDeleted, "TRUE"));
        mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, state.types.lastKnownParent, dn.getParent().getName()));
        mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, state.types.name, tombName));
        mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, rdnType, tombName));
        for (Attribute a : current) {
            AttributeType at = a.getAttributeType();
            if (stripped(at) && !at.equals(rdnType)) {
                mods.add(new DefaultModification(ModificationOperation.REMOVE_ATTRIBUTE, at));
            }
        }
        admin.modify(tombstone, mods); // an ordinary internal write: stamped, so the deletion replicates
        clearBackLinks(admin, tombstone);
    }

    /**
     * A tombstone has no back links: link maintenance removes them with the links; any left (a link this DC never
     * saw removed) go here, silently — back links are local and do not replicate.
     */
    void clearBackLinks(CoreSession admin, Dn tombstone) throws LdapException {
        Entry e = read.lookup(tombstone, state.types.keyCredentialLinkBl.getName(), state.types.memberOf.getName());
        if (e == null) {
            return;
        }
        List<Modification> mods = new ArrayList<>();
        for (AttributeType back : state.types.backLinks.values()) {
            if (e.get(back) != null) {
                mods.add(new DefaultModification(ModificationOperation.REMOVE_ATTRIBUTE, back));
            }
        }
        if (!mods.isEmpty()) {
            LinkMaintenance.SILENT.set(true);
            try {
                admin.modify(tombstone, mods);
            } finally {
                LinkMaintenance.SILENT.set(false);
            }
        }
    }

    /**
     * Stamps a rename made here (a client's, or a name-conflict loser's): {@code name} and the RDN's attribute take the
     * DN's RDN value in an internal originating write, so the new name replicates and wins over the old one.
     */
    void stampName(CoreSession admin, Dn dn) throws LdapException {
        stampName(admin, dn, List.of());
    }

    /** {@link #stampName(CoreSession, Dn)} with more modifications in the same write. */
    void stampName(CoreSession admin, Dn dn, List<Modification> more) throws LdapException {
        AttributeType rdnType = state.schema.lookupAttributeTypeRegistry(dn.getRdn().getType());
        String value = dn.getRdn().getValue();
        List<Modification> mods = new ArrayList<>(more);
        mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, state.types.name, value));
        mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, rdnType, value));
        admin.modify(dn, mods);
    }

    /** What AD will not delete (systemFlags / isCriticalSystemObject): the domain's built-in objects and this DC's. */
    private boolean critical(Dn dn) throws LdapException {
        String base = state.dns.baseDn.getName();
        for (String builtIn : List.of(base, "CN=Users," + base, "CN=Computers," + base, "OU=Domain Controllers," + base,
                state.dns.configurationDn.getName(), state.dns.schemaDn.getName(), "CN=Sites," + state.dns.configurationDn.getName())) {
            if (dn.equals(state.dns.dn(builtIn))) {
                return true;
            }
        }
        return dn.equals(state.dns.administratorDn) || dn.equals(state.dns.domainAdminsDn) || dn.equals(state.dns.keyAdminsDn)
                || dn.equals(state.dns.lostAndFoundDn) || dn.equals(state.dns.configurationLostAndFoundDn)
                || dn.equals(state.dns.enterpriseKeyAdminsDn) || dn.equals(state.dns.ntdsSettingsDn) || dn.equals(state.dns.serverDn)
                || dn.equals(state.dns.computerAccountDn);
    }

    /** What one garbage collection removed. */
    public record Collected(int tombstones, int absentValues) {
    }

    /**
     * AD's garbage collection (every 12 hours on a DC): tombstones deleted longer ago than the tombstone lifetime
     * are removed for good, and so are ABSENT value records as old. Local only: nothing of it replicates.
     */
    public Collected collect(CoreSession admin) throws Exception {
        Instant expiry = state.stamps.now().minus(state.config.tombstoneLifetime());
        int tombstones = 0;
        int values = 0;
        List<Dn> expired = new ArrayList<>();
        Map<Dn, byte[]> pruned = new LinkedHashMap<>();
        for (Dn context : List.of(state.dns.baseDn, state.dns.configurationDn)) {
            for (Entry e : read.search(context, SearchScope.SUBTREE, AdSchema.REPL_METADATA)) {
                if (e.get(AdSchema.REPL_METADATA) == null) {
                    continue;
                }
                Map<String, ReplicationMetadata.AttributeStamp> attributes = new LinkedHashMap<>();
                Map<String, ReplicationMetadata.ValueStamp> valueStamps = new LinkedHashMap<>();
                ReplicationMetadata.parse(e.get(AdSchema.REPL_METADATA).get().getBytes(), attributes, valueStamps);
                ReplicationMetadata.AttributeStamp deleted = attributes.get("isdeleted");
                boolean tombstone = state.dns.isDeletedObject(e.getDn()) && e.getDn().size() > state.dns.deletedObjectsFor(e.getDn()).size();
                if (tombstone && deleted != null && !deleted.originatingTime().isAfter(expiry)) {
                    expired.add(e.getDn());
                    continue;
                }
                int before = valueStamps.size();
                valueStamps.values().removeIf(v -> v.deleted() != null && !v.deleted().isAfter(expiry));
                if (valueStamps.size() < before) {
                    values += before - valueStamps.size();
                    pruned.put(e.getDn(), ReplicationMetadata.repack(attributes.values(), valueStamps.values()));
                }
            }
        }
        LinkMaintenance.SILENT.set(true);
        try {
            for (Dn dn : expired) {
                Entry e = read.lookup(dn, state.types.objectGuid.getName());
                admin.delete(dn);
                if (e != null && e.get(state.types.objectGuid) != null) {
                    state.objects.objectsByGuid.remove(MsGuid.fromBytes(e.get(state.types.objectGuid).getBytes()), dn);
                }
                tombstones++;
            }
            for (Map.Entry<Dn, byte[]> p : pruned.entrySet()) {
                admin.modify(p.getKey(), new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE,
                        new DefaultAttribute(state.schema.lookupAttributeTypeRegistry(AdSchema.REPL_METADATA), p.getValue())));
            }
        } finally {
            LinkMaintenance.SILENT.set(false);
        }
        return new Collected(tombstones, values);
    }
}
