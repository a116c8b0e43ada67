package dev.keytrust.dc.changes;

import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.dc.state.DcState;
import dev.keytrust.encoding.IsoInstant;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.UUID;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.DefaultAttribute;
import org.apache.directory.api.ldap.model.entry.DefaultModification;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.schema.AttributeType;

/**
 * AD's replication metadata, stamped on every originating write: per attribute (version, originating DC's
 * invocationId and NTDS Settings DN, originating USN and time, local USN) and, for linked attributes
 * (msDS-KeyCredentialLink, member), per value — a removed value stays as ABSENT with its deletion time. Kept in
 * the entry's hidden {@value AdSchema#REPL_METADATA} attribute; clients see it as AD shows it, in the
 * constructed attributes {@code msDS-ReplAttributeMetaData} and {@code msDS-ReplValueMetaData} (XML), returned
 * only when asked for by name.
 */
public final class ReplicationMetadata {
    /** Attributes that are not replicated, so carry no metadata (as in AD). */
    private static final Set<String> NOT_REPLICATED = java.util.stream.Stream.concat(Stream.of("usnchanged",
            "usncreated", "whenchanged", AdSchema.REPL_METADATA.toLowerCase(Locale.ROOT), "distinguishedname",
            "entryuuid", "entrycsn", "creatorsname", "modifiersname", "createtimestamp", "modifytimestamp", "entrydn",
            "entryparentid", "nbchildren", "nbsubordinates"), AdSchema.LINKED_ATTRIBUTES.stream()
            .map(l -> l.back().toLowerCase(Locale.ROOT))).collect(java.util.stream.Collectors.toUnmodifiableSet());
    /** Back links are not replicated (each DC maintains its own); forward links carry per-value metadata. */
    private static final Set<String> LINKED = AdSchema.LINKED_ATTRIBUTES.stream()
            .map(l -> l.forward().toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** One attribute's metadata. */
    public record AttributeStamp(String attribute, int version, UUID invocationId, String dsaDn, long originatingUsn,
            Instant originatingTime, long localUsn) {
        AttributeStamp withLocalUsn(long usn) {
            return new AttributeStamp(attribute, version, invocationId, dsaDn, originatingUsn, originatingTime, usn);
        }
    }

    /**
     * One linked value's metadata; {@code deleted} is null while the value is present. {@code target} is the objectGUID
     * of the object the value names (null if unknown): AD links by GUID, so a DC that knows the object under another
     * DN (renamed, deleted) names it by that DN — every DC stores a value naming the target's current DN.
     */
    public record ValueStamp(String attribute, String value, int version, UUID invocationId, String dsaDn, long originatingUsn,
            Instant originatingTime, long localUsn, Instant created, Instant deleted, UUID target) {
        ValueStamp withValue(String newValue) {
            return new ValueStamp(attribute, newValue, version, invocationId, dsaDn, originatingUsn, originatingTime, localUsn,
                    created, deleted, target);
        }

        /** This value's identity ({@link ReplicationMetadata#valueKey}). */
        String key() {
            return valueKey(attribute, value, target);
        }

        ValueStamp withLocalUsn(long usn) {
            return new ValueStamp(attribute, value, version, invocationId, dsaDn, originatingUsn, originatingTime, usn,
                    created, deleted, target);
        }
    }

    private final DcState state;
    private final DirectRead read;
    private final AttributeType metadata;
    private final String dsaDn;

    public ReplicationMetadata(DcState state, DirectRead read) throws LdapException {
        this.state = state;
        this.read = read;
        this.metadata = state.schema.lookupAttributeTypeRegistry(AdSchema.REPL_METADATA);
        this.dsaDn = state.dns.ntdsSettingsDn.getName();
    }

    /** Stamps a new object: version 1 for every replicated attribute and linked value. */
    public void onAdd(Entry entry, WriteStamper.Stamp stamp) throws LdapException {
        List<String> records = new ArrayList<>();
        for (Attribute a : entry) {
            String name = a.getAttributeType().getName();
            if (!replicated(name)) {
                continue;
            }
            records.add(format(new AttributeStamp(name, 1, state.stamps.invocationId, dsa(), stamp.usn(), stamp.time(), stamp.usn())));
            if (linked(name)) {
                for (Value v : a) {
                    records.add(format(new ValueStamp(name, v.getString(), 1, state.stamps.invocationId, dsa(), stamp.usn(),
                            stamp.time(), stamp.usn(), stamp.time(), null, targetOf(v.getString(), entry))));
                }
            }
        }
        entry.put(metadata, pack(records, Map.of(state.stamps.invocationId, dsa())));
    }

    /**
     * What a modify needs of the entry as it is before the write: the metadata store and the linked attributes
     * the modify touches (link maintenance reads the same); {@code null} if there is no such entry.
     */
    public Entry before(Dn dn, List<Modification> mods) throws LdapException {
        List<String> wanted = new ArrayList<>(List.of(AdSchema.REPL_METADATA, AdSchema.OBJECT_GUID));
        for (Modification m : mods) {
            AttributeType back = state.types.backLinkOf(m.getAttribute().getAttributeType());
            if (back != null) {
                wanted.add(m.getAttribute().getAttributeType().getName());
                wanted.add(back.getName()); // a self link's back link is on the entry itself
            }
        }
        return read.lookup(dn, wanted.toArray(new String[0]));
    }

    /**
     * Stamps a modify: the next version of each attribute changed and of each linked value added or removed.
     *
     * @param current the entry before the write, from {@link #before}
     */
    public void onModify(Entry current, List<Modification> mods, WriteStamper.Stamp stamp) throws LdapException {
        // Only the records of what changes are parsed and written again; the others are kept as the text they are.
        Map<String, String> attributeLines = new LinkedHashMap<>();
        Map<String, String> valueLines = new LinkedHashMap<>();
        Map<UUID, String> dsas = new LinkedHashMap<>();
        Attribute stored = current.get(metadata);
        if (stored != null) {
            for (String line : new String(stored.get().getBytes(), StandardCharsets.UTF_8).split("\n")) {
                int first = line.indexOf('|', 2);
                if (line.startsWith("D|") && first > 0) {
                    dsas.put(UUID.fromString(line.substring(2, first)), decode(line.substring(first + 1)));
                } else if (line.startsWith("A|") && first > 0) {
                    attributeLines.put(line.substring(2, first).toLowerCase(Locale.ROOT), line);
                } else if (line.startsWith("V|") && first > 0) {
                    int second = line.indexOf('|', first + 1);
                    valueLines.put(line.substring(2, first).toLowerCase(Locale.ROOT) + "|" + line.substring(first + 1, second), line);
                }
            }
        }
        for (Modification m : mods) {
            String name = m.getAttribute().getAttributeType().getName();
            if (!replicated(name)) {
                continue;
            }
            String key = name.toLowerCase(Locale.ROOT);
            String old = attributeLines.get(key);
            int version = old == null ? 0 : Integer.parseInt(old.split("\\|", -1)[2]);
            attributeLines.put(key, format(new AttributeStamp(name, version + 1, state.stamps.invocationId, dsa(), stamp.usn(),
                    stamp.time(), stamp.usn())));
            if (linked(name)) {
                Map<String, AttributeStamp> ignored = new LinkedHashMap<>();
                Map<String, ValueStamp> values = new LinkedHashMap<>();
                for (Map.Entry<String, String> e : valueLines.entrySet()) {
                    if (e.getKey().startsWith(key + "|")) {
                        parse(e.getValue(), dsas, ignored, values);
                    }
                }
                stampValues(current, m, name, values, stamp);
                valueLines.keySet().removeIf(k -> k.startsWith(key + "|"));
                for (ValueStamp v : values.values()) {
                    valueLines.put(key + "|" + v.key(), format(v));
                }
            }
        }
        List<String> records = new ArrayList<>(attributeLines.size() + valueLines.size());
        records.addAll(attributeLines.values());
        records.addAll(valueLines.values());
        dsas.put(state.stamps.invocationId, dsa());
        mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, new DefaultAttribute(metadata, pack(records, dsas))));
    }

    /**
     * All records of an entry in one binary value, a line each: one opaque value is far cheaper for ApacheDS to
     * store than many strings it would normalise and compare.
     */
    private static byte[] pack(List<String> records, Map<UUID, String> dsas) {
        StringBuilder out = new StringBuilder(records.size() * 96 + dsas.size() * 160);
        // The originating DSA's DN once per invocation id ("D|id|base64"), not in every record.
        for (Map.Entry<UUID, String> d : dsas.entrySet()) {
            out.append("D|").append(d.getKey()).append('|').append(encode(d.getValue())).append('\n');
        }
        out.append(String.join("\n", records));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void stampValues(Entry current, Modification m, String name, Map<String, ValueStamp> values,
            WriteStamper.Stamp stamp) {
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> now = new ArrayList<>();
        Attribute existing = current.get(m.getAttribute().getAttributeType());
        if (existing != null) {
            existing.forEach(v -> now.add(v.getString()));
        }
        List<String> given = new ArrayList<>();
        m.getAttribute().forEach(v -> given.add(v.getString()));
        switch (m.getOperation()) {
            case ADD_ATTRIBUTE -> added.addAll(given);
            case REMOVE_ATTRIBUTE -> removed.addAll(given.isEmpty() ? now : given);
            default -> {
                given.stream().filter(v -> !now.contains(v)).forEach(added::add);
                now.stream().filter(v -> !given.contains(v)).forEach(removed::add);
            }
        }
        for (String v : added) {
            UUID target = targetOf(v, current);
            ValueStamp old = find(values, name, v, target);
            if (old != null) {
                values.remove(old.key());
            }
            ValueStamp stamped = new ValueStamp(name, v, old == null ? 1 : old.version() + 1, state.stamps.invocationId, dsa(), stamp.usn(),
                    stamp.time(), stamp.usn(), old == null || old.deleted() != null ? stamp.time() : old.created(), null, target);
            values.put(stamped.key(), stamped);
        }
        for (String v : removed) {
            ValueStamp old = find(values, name, v, targetOf(v, current));
            if (old != null) {
                values.remove(old.key());
            }
            ValueStamp stamped = new ValueStamp(name, v, old == null ? 1 : old.version() + 1, state.stamps.invocationId, dsa(), stamp.usn(),
                    stamp.time(), stamp.usn(), old == null ? stamp.time() : old.created(), stamp.time(),
                    old != null ? old.target() : targetOf(v, current));
            values.put(stamped.key(), stamped);
        }
    }

    /** The record of a value: by its identity (binary part and target GUID), else by the value as stored. */
    private static ValueStamp find(Map<String, ValueStamp> values, String attribute, String value, UUID target) {
        ValueStamp byIdentity = values.get(valueKey(attribute, value, target));
        if (byIdentity != null) {
            return byIdentity;
        }
        for (ValueStamp v : values.values()) {
            if (v.attribute().equalsIgnoreCase(attribute) && v.value().equals(value)) {
                return v;
            }
        }
        return null;
    }

    /** The objectGUID of the object a linked value names ({@code self} needs no read), or null if there is none. */
    private UUID targetOf(String value, Entry self) {
        try {
            String dn = LinkValues.dn(value);
            Entry e = dn.equalsIgnoreCase(self.getDn().getName()) || state.dns.dn(dn).equals(self.getDn()) ? self
                    : read.lookup(state.dns.dn(dn), AdSchema.OBJECT_GUID);
            Attribute guid = e == null ? null : e.get(state.types.objectGuid);
            return guid == null ? null : dev.keytrust.encoding.MsGuid.fromBytes(guid.getBytes());
        } catch (LdapException e) {
            return null;
        }
    }

    /** The entry's metadata records, parsed. */
    public void read(Entry entry, Map<String, AttributeStamp> attributes, Map<String, ValueStamp> values) {
        Attribute records = entry.get(metadata);
        if (records != null) {
            parse(records.get().getBytes(), attributes, values);
        }
    }

    /** Marker for "this write's local USN" in stamps a replicated write carries. */
    static final long THIS_WRITE = -1;

    /** A replicated write's metadata, with its local USN ({@link #THIS_WRITE} stamps) filled in, as the one stored value. */
    public byte[] pack(List<AttributeStamp> attributes, List<ValueStamp> values, long usn) {
        return repack(attributes.stream().map(a -> a.localUsn() == THIS_WRITE ? a.withLocalUsn(usn) : a).toList(),
                values.stream().map(v -> v.localUsn() == THIS_WRITE ? v.withLocalUsn(usn) : v).toList());
    }

    /** Complete metadata (attribute and value stamps as held) as the one stored value. */
    static byte[] repack(java.util.Collection<AttributeStamp> attributes, java.util.Collection<ValueStamp> values) {
        List<String> records = new ArrayList<>();
        Map<UUID, String> dsas = new LinkedHashMap<>();
        attributes.forEach(a -> dsas.put(a.invocationId(), a.dsaDn()));
        values.forEach(v -> dsas.put(v.invocationId(), v.dsaDn()));
        attributes.forEach(a -> records.add(format(a)));
        values.forEach(v -> records.add(format(v)));
        return pack(records, dsas);
    }

    public AttributeType attributeType() {
        return metadata;
    }

    /** Parses a stored (or replicated) metadata value. */
    static void parse(byte[] blob, Map<String, AttributeStamp> attributes, Map<String, ValueStamp> values) {
        String[] lines = new String(blob, StandardCharsets.UTF_8).split("\n");
        Map<UUID, String> dsas = new HashMap<>();
        for (String line : lines) {
            int first = line.indexOf('|', 2);
            if (line.startsWith("D|") && first > 0) {
                dsas.put(UUID.fromString(line.substring(2, first)), decode(line.substring(first + 1)));
            }
        }
        for (String record : lines) {
            parse(record, dsas, attributes, values);
        }
    }

    /** One record; an empty DSA field means "the DSA of that invocation id" from the value's D lines. */
    private static void parse(String record, Map<UUID, String> dsas, Map<String, AttributeStamp> attributes,
            Map<String, ValueStamp> values) {
        if (record.isEmpty()) {
            return;
        }
        String[] f = record.split("\\|", -1);
        if (f[0].equals("A") && f.length == 8) {
            UUID inv = UUID.fromString(f[3]);
            attributes.put(f[1].toLowerCase(Locale.ROOT), new AttributeStamp(f[1], Integer.parseInt(f[2]), inv,
                    f[4].isEmpty() ? dsas.get(inv) : decode(f[4]), Long.parseLong(f[5]), IsoInstant.parse(f[6]), Long.parseLong(f[7])));
        } else if (f[0].equals("V") && (f.length == 11 || f.length == 12)) { // 11 fields: written before value targets
            String value = decode(f[2]);
            UUID inv = UUID.fromString(f[4]);
            ValueStamp v = new ValueStamp(f[1], value, Integer.parseInt(f[3]), inv,
                    f[5].isEmpty() ? dsas.get(inv) : decode(f[5]), Long.parseLong(f[6]), IsoInstant.parse(f[7]), Long.parseLong(f[8]),
                    IsoInstant.parse(f[9]), f[10].isEmpty() ? null : IsoInstant.parse(f[10]),
                    f.length == 12 && !f[11].isEmpty() ? UUID.fromString(f[11]) : null);
            values.put(v.key(), v);
        }
    }

    private static String format(AttributeStamp a) {
        return String.join("|", "A", a.attribute(), String.valueOf(a.version()), a.invocationId().toString(),
                "", String.valueOf(a.originatingUsn()), IsoInstant.format(a.originatingTime()), String.valueOf(a.localUsn()));
    }

    static String format(ValueStamp v) {
        return String.join("|", "V", v.attribute(), encode(v.value()), String.valueOf(v.version()), v.invocationId().toString(),
                "", String.valueOf(v.originatingUsn()), IsoInstant.format(v.originatingTime()), String.valueOf(v.localUsn()),
                IsoInstant.format(v.created()), v.deleted() == null ? "" : IsoInstant.format(v.deleted()),
                v.target() == null ? "" : v.target().toString());
    }

    private String dsa() {
        return dsaDn;
    }

    static boolean replicated(String name) {
        return !NOT_REPLICATED.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Whether the attribute is a forward link ({@link AdSchema#LINKED_ATTRIBUTES}): it has per-value metadata. */
    static boolean linked(String name) {
        return LINKED.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * A linked value's identity: the attribute, the binary part and the target's objectGUID — as AD keys values, so
     * a value stays itself when its target is renamed; by the value as written when the target is unknown.
     */
    static String valueKey(String attribute, String value, UUID target) {
        String a = attribute.toLowerCase(Locale.ROOT);
        if (target == null) {
            return a + "|" + value;
        }
        String dn = LinkValues.dn(value);
        return a + "|" + value.substring(0, value.length() - dn.length()).toUpperCase(Locale.ROOT) + "|" + target;
    }

    private static String encode(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }
}
