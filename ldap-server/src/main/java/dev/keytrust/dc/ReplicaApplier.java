package dev.keytrust.dc;

import com.unboundid.ldap.sdk.SearchResultEntry;
import dev.keytrust.dc.schema.AdSchema;
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
 * invocationId. A stamp equal to the one held loses, so a change that arrives again by another path is applied
 * once. (AD also skips such changes up front with its up-to-dateness vector, an optimisation that needs the
 * source's own vector; this first cut compares stamps instead. The seeded convergence test caught a per-object
 * vector update that lost changes.)
 */
final class ReplicaApplier {
    /** What applying one object did. */
    enum Outcome { ADDED, CHANGED, NOTHING }

    private final DcState state;
    private final DirectRead read;
    private final CoreSession admin;
    private final AttributeType metadata;

    ReplicaApplier(DcState state, DirectoryService service) throws LdapException {
        this.state = state;
        this.read = new DirectRead(service);
        this.admin = service.getAdminSession();
        this.metadata = state.schema.lookupAttributeTypeRegistry(AdSchema.REPL_METADATA);
    }

    Outcome apply(SearchResultEntry remote) throws LdapException {
        byte[] blob = remote.getAttributeValueBytes(AdSchema.REPL_METADATA);
        if (blob == null) {
            return Outcome.NOTHING;
        }
        Map<String, ReplicationMetadata.AttributeStamp> remoteAttributes = new LinkedHashMap<>();
        Map<String, ReplicationMetadata.ValueStamp> remoteValues = new LinkedHashMap<>();
        ReplicationMetadata.parse(blob, remoteAttributes, remoteValues);
        Dn dn = state.dn(remote.getDN());
        Entry local = read.lookup(dn, "*", AdSchema.REPL_METADATA);
        if (local == null) {
            return add(remote, dn, remoteAttributes, remoteValues);
        }
        Map<String, ReplicationMetadata.AttributeStamp> attributes = new LinkedHashMap<>();
        Map<String, ReplicationMetadata.ValueStamp> values = new LinkedHashMap<>();
        Attribute stored = local.get(metadata);
        if (stored != null) {
            ReplicationMetadata.parse(stored.get().getBytes(), attributes, values);
        }
        List<Modification> mods = new ArrayList<>();
        boolean changed = false;
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
            if (at == null || ReplicationMetadata.linked(key)) {
                continue;
            }
            com.unboundid.ldap.sdk.Attribute theirs = remote.getAttribute(a.attribute());
            if (theirs != null) {
                mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, values(at, theirs)));
            } else if (local.containsAttribute(at)) {
                mods.add(new DefaultModification(ModificationOperation.REMOVE_ATTRIBUTE, at));
            }
        }
        for (ReplicationMetadata.ValueStamp v : remoteValues.values()) {
            String key = ReplicationMetadata.valueKey(v.attribute(), v.value());
            ReplicationMetadata.ValueStamp mine = values.get(key);
            if (mine != null && !wins(v.version(), v.originatingTime(), v.invocationId(), mine.version(), mine.originatingTime(),
                    mine.invocationId())) {
                continue;
            }
            values.put(key, local(v));
            changed = true;
            AttributeType at = type(v.attribute());
            Attribute present = at == null ? null : local.get(at);
            boolean here = present != null && present.contains(v.value());
            if (v.deleted() == null && !here) {
                mods.add(new DefaultModification(ModificationOperation.ADD_ATTRIBUTE, at, v.value()));
            } else if (v.deleted() != null && here) {
                mods.add(new DefaultModification(ModificationOperation.REMOVE_ATTRIBUTE, at, v.value()));
            }
        }
        if (!changed) {
            return Outcome.NOTHING;
        }
        mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, new DefaultAttribute(metadata,
                stored == null ? new byte[0] : stored.get().getBytes())));
        write(new ReplicatedWrite(List.copyOf(attributes.values()), List.copyOf(values.values())),
                () -> admin.modify(dn, mods));
        return Outcome.CHANGED;
    }

    private Outcome add(SearchResultEntry remote, Dn dn, Map<String, ReplicationMetadata.AttributeStamp> attributes,
            Map<String, ReplicationMetadata.ValueStamp> values) throws LdapException {
        Entry entry = new DefaultEntry(state.schema, dn);
        for (com.unboundid.ldap.sdk.Attribute a : remote.getAttributes()) {
            AttributeType at = type(a.getName());
            if (at == null || !ReplicationMetadata.replicated(at.getName()) || at.getName().equalsIgnoreCase(AdSchema.REPL_METADATA)) {
                continue;
            }
            entry.put(values(at, a));
        }
        List<ReplicationMetadata.AttributeStamp> a = new ArrayList<>();
        attributes.values().forEach(x -> a.add(local(x)));
        List<ReplicationMetadata.ValueStamp> v = new ArrayList<>();
        values.values().forEach(x -> v.add(local(x)));
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
        return new ReplicationMetadata.AttributeStamp(a.attribute(), a.version(), a.invocationId(), a.dsaDn(), a.originatingUsn(),
                a.originatingTime(), ReplicatedWrite.THIS_WRITE);
    }

    private static ReplicationMetadata.ValueStamp local(ReplicationMetadata.ValueStamp v) {
        return new ReplicationMetadata.ValueStamp(v.attribute(), v.value(), v.version(), v.invocationId(), v.dsaDn(),
                v.originatingUsn(), v.originatingTime(), ReplicatedWrite.THIS_WRITE, v.created(), v.deleted());
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
