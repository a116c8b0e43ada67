package dev.keytrust.dc.changes;

import dev.keytrust.dc.state.DcState;
import dev.keytrust.keycredential.DnBinary;
import dev.keytrust.keycredential.KeyCredentialFormatException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.DefaultAttribute;
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
 * Linked attributes, as AD keeps them: msDS-KeyCredentialLink (DN-Binary values whose DN is the link target)
 * and member (DN values). Values are checked and canonicalised (upper-case hex, DN as written), duplicates
 * refused (20), targets must exist (19, as Samba answers), and each target's back link (msDS-KeyCredentialLink-BL, memberOf)
 * lists the owners that point at it. Deleting an object removes the links to and from it.
 */
public final class LinkMaintenance {
    /** Set while the DC writes back links: such writes are not stamped and not checked. */
    public static final ThreadLocal<Boolean> SILENT = ThreadLocal.withInitial(() -> false);

    private record Link(AttributeType forward, AttributeType back, boolean dnBinary) {
    }

    /** A back-link change on another object, made after the owning write succeeded. */
    private record BacklinkUpdate(Dn target, AttributeType back, Dn owner, boolean add) {
    }

    /** A forward-link value to remove from another object because its target is being deleted. */
    private record ForwardRemoval(Dn owner, AttributeType forward, List<String> values) {
    }

    /** What to do once the operation has gone through. */
    public static final class Pending {
        private final List<BacklinkUpdate> backlinks = new ArrayList<>();
        private final List<ForwardRemoval> removals = new ArrayList<>();

        boolean isEmpty() {
            return backlinks.isEmpty() && removals.isEmpty();
        }
    }

    private final DcState state;
    private final DirectRead read;
    private final List<Link> links;

    public LinkMaintenance(DcState state, DirectRead read) {
        this.state = state;
        this.read = read;
        this.links = state.types.backLinks.entrySet().stream()
                .map(e -> new Link(e.getKey(), e.getValue(), e.getKey().equals(state.types.keyCredentialLink))).toList();
    }

    public Pending prepareAdd(CoreSession admin, Entry entry) throws LdapException {
        Pending pending = new Pending();
        Dn self = entry.getDn();
        for (Link link : links) {
            Attribute attr = entry.get(link.forward());
            if (attr == null) {
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (Value v : attr) {
                String canonical = canonical(link, v.getString());
                if (values.put(key(link, canonical), canonical) != null) {
                    throw exists(link, v.getString());
                }
            }
            entry.put(link.forward(), values.values().toArray(new String[0]));
            for (Dn target : targets(link, values.values(), self)) {
                if (target.equals(self)) {
                    entry.add(link.back(), self.getName());
                } else {
                    requireExists(admin, link, target);
                    pending.backlinks.add(new BacklinkUpdate(target, link.back(), self, true));
                }
            }
        }
        return pending;
    }

    /** @param current the entry before the write, with the linked attributes the modify touches */
    public Pending prepareModify(CoreSession admin, Dn self, List<Modification> mods, Entry current) throws LdapException {
        Pending pending = new Pending();
        for (Link link : links) {
            if (mods.stream().noneMatch(m -> m.getAttribute().getAttributeType().equals(link.forward()))) {
                continue;
            }
            Map<String, String> working = new LinkedHashMap<>();
            Attribute existing = current.get(link.forward());
            if (existing != null) {
                for (Value v : existing) {
                    working.put(key(link, v.getString()), v.getString());
                }
            }
            Set<Dn> before = targets(link, working.values(), self);
            List<Modification> rewritten = new ArrayList<>();
            for (Modification m : mods) {
                if (!m.getAttribute().getAttributeType().equals(link.forward())) {
                    rewritten.add(m);
                    continue;
                }
                rewritten.add(apply(link, m, working));
            }
            mods.clear();
            mods.addAll(rewritten);
            Set<Dn> after = targets(link, working.values(), self);
            for (Dn target : after) {
                if (!before.contains(target)) {
                    backlink(admin, pending, mods, current, link, self, target, true);
                }
            }
            for (Dn target : before) {
                if (!after.contains(target)) {
                    backlink(admin, pending, mods, current, link, self, target, false);
                }
            }
        }
        return pending;
    }

    Pending prepareDelete(CoreSession admin, Dn self) throws LdapException {
        Pending pending = new Pending();
        Entry current = read.lookup(self, "*");
        if (current == null) {
            return pending;
        }
        for (Link link : links) {
            Attribute forward = current.get(link.forward());
            if (forward != null) {
                List<String> values = new ArrayList<>();
                forward.forEach(v -> values.add(v.getString()));
                for (Dn target : targets(link, values, self)) {
                    if (!target.equals(self)) {
                        pending.backlinks.add(new BacklinkUpdate(target, link.back(), self, false));
                    }
                }
            }
            Attribute back = current.get(link.back());
            if (back != null) {
                for (Value v : back) {
                    Dn owner = state.dns.dn(v.getString());
                    if (owner.equals(self)) {
                        continue;
                    }
                    Entry ownerEntry = read.lookup(owner, link.forward().getName());
                    List<String> pointing = new ArrayList<>();
                    Attribute ownerValues = ownerEntry == null ? null : ownerEntry.get(link.forward());
                    if (ownerValues != null) {
                        for (Value ov : ownerValues) {
                            if (target(link, ov.getString()).equals(self)) {
                                pointing.add(ov.getString());
                            }
                        }
                    }
                    if (!pointing.isEmpty()) {
                        pending.removals.add(new ForwardRemoval(owner, link.forward(), pointing));
                    }
                }
            }
        }
        return pending;
    }

    /** Carries out back-link updates (silently) and forward-link removals (as ordinary internal writes). */
    public void apply(CoreSession admin, Pending pending) throws LdapException {
        for (BacklinkUpdate u : pending.backlinks) {
            Entry target = read.lookup(u.target(), u.back().getName());
            if (target == null || holds(target.get(u.back()), u.owner()) == u.add()) {
                continue; // gone, or already as wanted (a rename or a replicated write may have put it right)
            }
            SILENT.set(true);
            try {
                admin.modify(u.target(), new DefaultModification(u.add() ? ModificationOperation.ADD_ATTRIBUTE
                        : ModificationOperation.REMOVE_ATTRIBUTE, u.back(), u.owner().getName()));
            } catch (LdapException e) {
                // Adding a back link that is there, or removing one that is gone, leaves the state we want.
            } finally {
                SILENT.set(false);
            }
        }
        for (ForwardRemoval r : pending.removals) {
            if (admin.exists(r.owner())) {
                admin.modify(r.owner(), new DefaultModification(ModificationOperation.REMOVE_ATTRIBUTE, r.forward(),
                        r.values().toArray(new String[0])));
            }
        }
    }

    private Modification apply(Link link, Modification m, Map<String, String> working) throws LdapException {
        List<String> out = new ArrayList<>();
        switch (m.getOperation()) {
            case ADD_ATTRIBUTE -> {
                for (Value v : m.getAttribute()) {
                    String canonical = canonical(link, v.getString());
                    if (working.putIfAbsent(key(link, canonical), canonical) != null) {
                        throw exists(link, v.getString());
                    }
                    out.add(canonical);
                }
            }
            case REMOVE_ATTRIBUTE -> {
                if (m.getAttribute().size() == 0) {
                    working.clear();
                    return m;
                }
                for (Value v : m.getAttribute()) {
                    String stored = working.remove(keyOfInput(link, v.getString()));
                    if (stored == null) { // a plain DN link answers AD's ERROR_MEMBER_NOT_IN_GROUP, as Samba does
                        String what = link.forward().getName() + " has no value '" + abbreviate(v.getString()) + "' to remove";
                        throw link.dnBinary() ? new LdapOperationException(ResultCodeEnum.NO_SUCH_ATTRIBUTE, "00002083: AtrErr: "
                                + what) : new LdapOperationException(ResultCodeEnum.UNWILLING_TO_PERFORM, "00000561: SvcErr: " + what);
                    }
                    out.add(stored);
                }
            }
            default -> {
                working.clear();
                for (Value v : m.getAttribute()) {
                    String canonical = canonical(link, v.getString());
                    if (working.put(key(link, canonical), canonical) != null) {
                        throw exists(link, v.getString());
                    }
                    out.add(canonical);
                }
            }
        }
        if (unchanged(link, m.getAttribute(), out)) {
            return m; // already as stored: keeps the values ApacheDS has normalised (doing it again cost a fifth of this class)
        }
        Attribute attribute = new DefaultAttribute(link.forward());
        for (String s : out) {
            attribute.add(s);
        }
        return new DefaultModification(m.getOperation(), attribute);
    }

    /**
     * Whether a modification's attribute is what {@link #apply} would build from {@code out}: named as the schema names
     * it, with exactly these values in this order.
     */
    private static boolean unchanged(Link link, Attribute given, List<String> out) {
        if (!link.forward().getName().equals(given.getUpId()) || given.size() != out.size()) {
            return false;
        }
        int i = 0;
        for (Value v : given) {
            if (!out.get(i++).equals(v.getString())) {
                return false;
            }
        }
        return true;
    }

    private void backlink(CoreSession admin, Pending pending, List<Modification> mods, Entry current, Link link, Dn self,
            Dn target, boolean add) throws LdapException {
        if (target.equals(self)) {
            if (holds(current.get(link.back()), self) != add) {
                mods.add(new DefaultModification(add ? ModificationOperation.ADD_ATTRIBUTE
                        : ModificationOperation.REMOVE_ATTRIBUTE, link.back(), self.getName()));
            }
            return;
        }
        if (add) {
            requireExists(admin, link, target);
        }
        pending.backlinks.add(new BacklinkUpdate(target, link.back(), self, add));
    }

    /** Whether a back-link attribute lists {@code owner}. */
    private boolean holds(Attribute back, Dn owner) throws LdapException {
        if (back == null) {
            return false;
        }
        String wanted = normalise(owner.getName());
        for (Value v : back) {
            if (normalise(v.getString()).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** Checks a value and returns the form the DC stores: DN-Binary with upper-case hex, DNs as written. */
    private String canonical(Link link, String value) throws LdapException {
        if (!link.dnBinary()) {
            state.dns.dn(value); // syntax check (ApacheDS checks again)
            return value;
        }
        if (value.isEmpty()) {
            throw new LdapOperationException(ResultCodeEnum.INVALID_ATTRIBUTE_SYNTAX, "0000200B: AtrErr: "
                    + link.forward().getName() + ": an empty value; expected B:<count>:<hex>:<DN>");
        }
        try {
            return DnBinary.parse(value).toString();
        } catch (KeyCredentialFormatException e) {
            throw new LdapOperationException(ResultCodeEnum.INVALID_DN_SYNTAX, "00002081: AtrErr: "
                    + link.forward().getName() + ": could not parse '" + abbreviate(value) + "' as a "
                    + DnBinary.SYNTAX_OID + " DN: " + e.getMessage());
        }
    }

    /** Identity of a stored value: the binary part and the normalised DN. */
    private String key(Link link, String stored) throws LdapException {
        if (!link.dnBinary()) {
            return normalise(stored);
        }
        return LinkValues.binaryPart(stored) + "|" + normalise(LinkValues.dn(stored));
    }

    /**
     * A DN's identity for comparisons: lower case with the spaces around separators dropped. DNs with escapes,
     * quotes, hex values or multi-valued RDNs take the schema-aware parser, which is exact but slow.
     */
    private String normalise(String dn) throws LdapException {
        for (int i = 0; i < dn.length(); i++) {
            char c = dn.charAt(i);
            if (c == '\\' || c == '"' || c == '#' || c == '+' || c > 127) {
                return state.dns.dn(dn).getNormName();
            }
        }
        StringBuilder out = new StringBuilder(dn.length());
        for (String rdn : dn.split(",")) {
            int eq = rdn.indexOf('=');
            if (eq < 0) {
                return state.dns.dn(dn).getNormName(); // let the parser say what is wrong
            }
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(rdn.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT)).append('=')
                    .append(rdn.substring(eq + 1).strip().toLowerCase(java.util.Locale.ROOT));
        }
        return out.toString();
    }

    private String keyOfInput(Link link, String input) throws LdapException {
        return key(link, canonical(link, input));
    }

    private Dn target(Link link, String stored) throws LdapException {
        return state.dns.dn(targetDn(link, stored));
    }

    private static String targetDn(Link link, String stored) {
        return link.dnBinary() ? LinkValues.dn(stored) : stored;
    }

    /**
     * The distinct link targets of some stored values (DNs parsed once per distinct target; a value naming the
     * object itself as its DN is written takes {@code self}, which parsing it would give, without the parse).
     */
    private Set<Dn> targets(Link link, Iterable<String> values, Dn self) throws LdapException {
        Map<String, Dn> byKey = new LinkedHashMap<>();
        for (String v : values) {
            String dn = targetDn(link, v);
            String key = normalise(dn);
            if (!byKey.containsKey(key)) {
                byKey.put(key, self.isSchemaAware() && dn.equals(self.getName()) ? self : state.dns.dn(dn));
            }
        }
        return new LinkedHashSet<>(byKey.values());
    }

    private void requireExists(CoreSession admin, Link link, Dn target) throws LdapException {
        if (ReplicatedWrite.CURRENT.get() != null || read.exists(target)) {
            return;
        }
        String what = link.forward().getName() + " value names " + target.getName()
                + ", which does not exist; a linked value must name an existing object";
        throw link.dnBinary() ? new LdapOperationException(ResultCodeEnum.CONSTRAINT_VIOLATION,
                "000020B5: Referenced object not found: " + what) : new LdapNoSuchObjectException("0000208D: NameErr: " + what);
    }

    /** 20 for a DN-Binary value (as Samba answers for keys); AD's ERROR_MEMBER_IN_GROUP (68) for a plain DN link. */
    private static LdapOperationException exists(Link link, String value) {
        String what = link.forward().getName() + " already has the value '" + abbreviate(value) + "'";
        return link.dnBinary() ? new LdapOperationException(ResultCodeEnum.ATTRIBUTE_OR_VALUE_EXISTS, "00002083: AtrErr: "
                + what) : new LdapOperationException(ResultCodeEnum.ENTRY_ALREADY_EXISTS, "00000562: UpdErr: " + what);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 40) + "..." + s.substring(s.length() - 30);
    }
}
