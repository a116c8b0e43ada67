package dev.keytrust.dc.changes;

import dev.keytrust.dc.state.DcState;
import dev.keytrust.encoding.MsGuid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.DefaultModification;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
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
public final class MovedObjects {
    private final DcState state;
    private final DirectRead read;

    public MovedObjects(DcState state, DirectRead read) {
        this.state = state;
        this.read = read;
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
        // A container's descendants moved with it: each follows as if moved itself.
        for (Entry d : read.search(to, org.apache.directory.api.ldap.model.message.SearchScope.SUBTREE, "1.1")) {
            if (d.getDn().equals(to)) {
                continue;
            }
            StringBuilder old = new StringBuilder();
            for (int i = 0; i < d.getDn().size() - to.size(); i++) {
                old.append(d.getDn().getRdn(i).getName()).append(',');
            }
            moved(admin, state.dns.dn(old + from.getName()), d.getDn());
        }
    }

    /** After ApacheDS moved {@code from} to {@code to}: indexes and back links. */
    void moved(CoreSession admin, Dn from, Dn to) throws LdapException {
        Entry e = read.lookup(to, state.types.objectGuid.getName(), state.types.samAccountName.getName(), state.types.keyCredentialLink.getName(),
                state.types.keyCredentialLinkBl.getName(), state.types.member.getName(), state.types.memberOf.getName());
        if (e == null) {
            return;
        }
        Attribute guid = e.get(state.types.objectGuid);
        if (guid != null) {
            state.objects.objectsByGuid.put(MsGuid.fromBytes(guid.getBytes()), to);
        }
        String sam = state.objects.samByOwner.get(from.getNormName());
        if (sam != null) {
            state.objects.samHeld(from, null);
            state.objects.samHeld(to, sam);
        }
        for (Map.Entry<AttributeType, AttributeType> link : state.types.backLinks.entrySet()) {
            // Back links naming it by its old DN: its own (links to itself), and those on what its links point at.
            renameBackLink(admin, to, e.get(link.getValue()), link.getValue(), from, to);
            Attribute forward = e.get(link.getKey());
            if (forward != null) {
                for (Value v : forward) {
                    Dn target = state.dns.dn(LinkValues.dn(v.getString()));
                    if (!target.equals(from) && !target.equals(to)) {
                        Entry t = read.lookup(target, link.getValue().getName());
                        if (t != null) {
                            renameBackLink(admin, target, t.get(link.getValue()), link.getValue(), from, to);
                        }
                    }
                }
            }
        }
        retarget(admin, to); // its own values naming itself
        for (Map.Entry<AttributeType, AttributeType> link : state.types.backLinks.entrySet()) {
            Attribute owners = e.get(link.getValue());
            if (owners != null) { // values on other objects naming it
                for (Value o : owners) {
                    Dn owner = state.dns.dn(o.getString());
                    if (!owner.equals(from) && !owner.equals(to)) {
                        retarget(admin, owner);
                    }
                }
            }
        }
    }

    /**
     * Rewrites {@code holder}'s linked values (and their metadata records) whose target — known by objectGUID — now
     * has another DN here, and puts the targets' back links right. Local and unstamped: every DC does the same.
     */
    void retarget(CoreSession admin, Dn holder) throws LdapException {
        Entry h = read.lookup(holder, state.types.keyCredentialLink.getName(), state.types.member.getName(), dev.keytrust.dc.schema.AdSchema.REPL_METADATA);
        Attribute stored = h == null ? null : h.get(dev.keytrust.dc.schema.AdSchema.REPL_METADATA);
        if (stored == null) {
            return;
        }
        Map<String, ReplicationMetadata.AttributeStamp> attributes = new LinkedHashMap<>();
        Map<String, ReplicationMetadata.ValueStamp> values = new LinkedHashMap<>();
        ReplicationMetadata.parse(stored.get().getBytes(), attributes, values);
        List<Modification> mods = new ArrayList<>();
        List<Dn[]> moved = new ArrayList<>(); // per rewritten present value: the DN it named, the target's DN now
        List<AttributeType> backs = new ArrayList<>();
        boolean changed = false;
        for (Map.Entry<String, ReplicationMetadata.ValueStamp> r : values.entrySet()) {
            ReplicationMetadata.ValueStamp v = r.getValue();
            Dn now = v.target() == null ? null : state.objects.objectsByGuid.get(v.target());
            String named = LinkValues.dn(v.value());
            if (now == null || named.equals(now.getName()) || state.dns.dn(named).equals(now)) {
                continue;
            }
            changed = true;
            String rewritten = v.value().substring(0, v.value().length() - named.length()) + now.getName();
            AttributeType forward = state.schema.lookupAttributeTypeRegistry(v.attribute());
            Attribute present = h.get(forward);
            if (v.deleted() == null && present != null && present.contains(v.value())) {
                mods.add(new DefaultModification(ModificationOperation.REMOVE_ATTRIBUTE, forward, v.value()));
                if (!state.dns.isDeletedObject(now) || now.equals(holder)) { // a link to another's tombstone is kept inactive
                    mods.add(new DefaultModification(ModificationOperation.ADD_ATTRIBUTE, forward, rewritten));
                    moved.add(new Dn[] {state.dns.dn(named), now});
                    backs.add(state.types.backLinkOf(forward));
                }
            }
            r.setValue(v.withValue(rewritten));
        }
        if (!changed) {
            return;
        }
        mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE,
                state.schema.lookupAttributeTypeRegistry(dev.keytrust.dc.schema.AdSchema.REPL_METADATA),
                ReplicationMetadata.repack(attributes.values(), values.values())));
        silently(() -> admin.modify(holder, mods));
        for (int i = 0; i < moved.size(); i++) {
            backLink(admin, moved.get(i)[0], backs.get(i), holder, false);
            backLink(admin, moved.get(i)[1], backs.get(i), holder, true);
        }
    }

    /** Adds or removes {@code owner} in {@code target}'s back link, if the target exists and it is not so already. */
    private void backLink(CoreSession admin, Dn target, AttributeType back, Dn owner, boolean add) throws LdapException {
        Entry t = read.lookup(target, back.getName());
        if (t == null) {
            return;
        }
        boolean there = false;
        Attribute a = t.get(back);
        if (a != null) {
            for (Value v : a) {
                there |= state.dns.dn(v.getString()).equals(owner);
            }
        }
        if (there != add) {
            silently(() -> admin.modify(target, new DefaultModification(add ? ModificationOperation.ADD_ATTRIBUTE
                    : ModificationOperation.REMOVE_ATTRIBUTE, back, owner.getName())));
        }
    }

    private interface Write {
        void run() throws LdapException;
    }

    private static void silently(Write write) throws LdapException {
        LinkMaintenance.SILENT.set(true);
        try {
            write.run();
        } finally {
            LinkMaintenance.SILENT.set(false);
        }
    }

    private void renameBackLink(CoreSession admin, Dn holder, Attribute back, AttributeType type, Dn from, Dn to)
            throws LdapException {
        if (back == null) {
            return;
        }
        String old = null;
        boolean already = false;
        for (Value v : back) {
            Dn named = state.dns.dn(v.getString());
            old = named.equals(from) ? v.getString() : old;
            already |= named.equals(to);
        }
        if (old != null) {
            List<Modification> mods = new ArrayList<>(List.of(new DefaultModification(ModificationOperation.REMOVE_ATTRIBUTE, type, old)));
            if (!already) {
                mods.add(new DefaultModification(ModificationOperation.ADD_ATTRIBUTE, type, to.getName()));
            }
            silently(() -> admin.modify(holder, mods));
        }
    }
}
