package dev.keytrust.dc.face;

import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.dc.state.DcState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.directory.api.ldap.model.cursor.Cursor;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapOperationException;
import org.apache.directory.api.ldap.model.filter.AndNode;
import org.apache.directory.api.ldap.model.filter.BranchNode;
import org.apache.directory.api.ldap.model.filter.EqualityNode;
import org.apache.directory.api.ldap.model.filter.ExprNode;
import org.apache.directory.api.ldap.model.filter.ExtensibleNode;
import org.apache.directory.api.ldap.model.filter.NotNode;
import org.apache.directory.api.ldap.model.filter.OrNode;
import org.apache.directory.api.ldap.model.filter.PresenceNode;
import org.apache.directory.api.ldap.model.message.AliasDerefMode;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.server.core.api.CoreSession;

/**
 * The parts of AD's filter language ApacheDS does not evaluate, rewritten before a search into filters it does, with
 * the same meaning: an equality on {@code distinguishedName} (AD computes it; nothing stores it), the matching rules
 * {@code 1.2.840.113556.1.4.803} (LDAP_MATCHING_RULE_BIT_AND), {@code .804} (BIT_OR) and {@code .1941}
 * (LDAP_MATCHING_RULE_IN_CHAIN) ({@link ObjectCategoryNames} does {@code (objectCategory=person)}).
 * Each is answered from this DC's own directory and replaced by equalities on the values or objects that match (or by
 * a filter matching nothing), so {@code !}, {@code &} and {@code |} around it keep their meaning.
 *
 * <pre>{@code
 * (userAccountControl:1.2.840.113556.1.4.803:=2)  ->  (|(userAccountControl=514)(userAccountControl=66050))
 * }</pre>
 */
public final class AdFilters {
    static final String BIT_AND = "1.2.840.113556.1.4.803";
    static final String BIT_OR = "1.2.840.113556.1.4.804";
    static final String IN_CHAIN = "1.2.840.113556.1.4.1941";
    /** How many levels an in-chain match follows (AD's own limit is far above what a test directory nests). */
    private static final int MAX_CHAIN_DEPTH = 64;

    private final DcState state;

    public AdFilters(DcState state) {
        this.state = state;
    }

    /** The filter with AD's extensions rewritten; the same node when it has none. */
    public ExprNode rewrite(CoreSession admin, ExprNode node) throws LdapException {
        if (node instanceof BranchNode branch) {
            List<ExprNode> children = new ArrayList<>();
            boolean changed = false;
            for (ExprNode child : branch.getChildren()) {
                ExprNode now = rewrite(admin, child);
                changed |= now != child;
                children.add(now);
            }
            if (!changed) {
                return node;
            }
            if (branch instanceof AndNode) {
                return new AndNode(children);
            }
            return branch instanceof OrNode ? new OrNode(children) : new NotNode(children.get(0));
        }
        if (node instanceof ExtensibleNode ext && ext.getAttributeType() != null && ext.getMatchingRuleId() != null) {
            String rule = ext.getMatchingRuleId();
            if (rule.equals(BIT_AND) || rule.equals(BIT_OR)) {
                return bitwise(admin, ext.getAttributeType(), text(ext.getValue()), rule.equals(BIT_AND));
            }
            if (rule.equals(IN_CHAIN)) {
                return inChain(admin, ext.getAttributeType(), text(ext.getValue()));
            }
            return node;
        }
        if (node instanceof EqualityNode<?> eq && eq.getAttributeType() != null) {
            if (eq.getAttributeType().equals(state.types.distinguishedName)) {
                Map<Dn, byte[]> one = new LinkedHashMap<>();
                Dn dn = parse(text(eq.getValue()));
                if (dn != null && admin.exists(dn)) {
                    one.put(dn, admin.lookup(dn, AdSchema.OBJECT_GUID).get(state.types.objectGuid).getBytes());
                }
                return objects(one);
            }
        }
        return node;
    }

    /** Every value of {@code type} in the domain that has all ({@code and}) or any of the bits of {@code mask}. */
    private ExprNode bitwise(CoreSession admin, AttributeType type, String mask, boolean and) throws LdapException {
        long bits;
        try {
            bits = Long.parseLong(mask.trim());
        } catch (NumberFormatException e) {
            throw new LdapOperationException(ResultCodeEnum.INAPPROPRIATE_MATCHING, "00000057: LdapErr: DSID-0C090D0A, "
                    + "comment: Error in attribute conversion operation; the value of a " + (and ? BIT_AND : BIT_OR)
                    + " match must be a decimal integer, found '" + mask + "'");
        }
        Set<String> matching = new LinkedHashSet<>();
        try (Cursor<Entry> cursor = admin.search(state.dns.baseDn, SearchScope.SUBTREE, new PresenceNode(type),
                AliasDerefMode.NEVER_DEREF_ALIASES, type.getName())) {
            while (cursor.next()) {
                Attribute a = cursor.get().get(type);
                for (Value v : a == null ? List.<Value>of() : a) {
                    try {
                        long value = Long.parseLong(v.getString().trim());
                        if (and ? (value & bits) == bits : (value & bits) != 0) {
                            matching.add(v.getString());
                        }
                    } catch (NumberFormatException e) {
                        // not an integer: matches no bit rule, as in AD
                    }
                }
            }
        } catch (java.io.IOException | org.apache.directory.api.ldap.model.cursor.CursorException e) {
            throw new LdapOperationException(ResultCodeEnum.OTHER, "cannot read " + type.getName() + " values: " + e);
        }
        List<ExprNode> any = new ArrayList<>();
        for (String v : matching) {
            any.add(new EqualityNode<>(type, new Value(type, v)));
        }
        return any.isEmpty() ? nothing() : any.size() == 1 ? any.get(0) : new OrNode(any);
    }

    /** The objects from which following {@code type} (a DN attribute), one or more times, reaches {@code target}. */
    private ExprNode inChain(CoreSession admin, AttributeType type, String target) throws LdapException {
        Dn start = parse(target);
        Map<Dn, byte[]> found = new LinkedHashMap<>();
        if (start == null) {
            return nothing();
        }
        List<Dn> frontier = List.of(start);
        for (int depth = 0; depth < MAX_CHAIN_DEPTH && !frontier.isEmpty(); depth++) {
            List<ExprNode> any = new ArrayList<>();
            for (Dn dn : frontier) {
                any.add(new EqualityNode<>(type, new Value(type, dn.getName())));
            }
            List<Dn> next = new ArrayList<>();
            try (Cursor<Entry> cursor = admin.search(state.dns.baseDn, SearchScope.SUBTREE, any.size() == 1 ? any.get(0)
                    : new OrNode(any), AliasDerefMode.NEVER_DEREF_ALIASES, AdSchema.OBJECT_GUID)) {
                while (cursor.next()) {
                    Entry e = cursor.get();
                    if (!found.containsKey(e.getDn()) && !state.dns.isDeletedObject(e.getDn())) {
                        found.put(e.getDn(), e.get(state.types.objectGuid).getBytes());
                        next.add(e.getDn());
                    }
                }
            } catch (java.io.IOException | org.apache.directory.api.ldap.model.cursor.CursorException e) {
                throw new LdapOperationException(ResultCodeEnum.OTHER, "cannot follow " + type.getName() + ": " + e);
            }
            frontier = next;
        }
        return objects(found);
    }

    /** A filter matching exactly these objects (by objectGUID, which the DC assigns to every object). */
    private ExprNode objects(Map<Dn, byte[]> guids) throws LdapException {
        List<ExprNode> any = new ArrayList<>();
        for (byte[] guid : guids.values()) {
            any.add(new EqualityNode<>(state.types.objectGuid, new Value(state.types.objectGuid, guid)));
        }
        return any.isEmpty() ? nothing() : any.size() == 1 ? any.get(0) : new OrNode(any);
    }

    /** A filter no entry matches. */
    private ExprNode nothing() {
        return new NotNode(new PresenceNode(state.types.objectClass));
    }

    private Dn parse(String dn) {
        try {
            return state.dns.dn(dn);
        } catch (LdapException | RuntimeException e) {
            return null;
        }
    }

    private static String text(Value value) {
        if (value == null) {
            return "";
        }
        return value.isHumanReadable() ? value.getString() : new String(value.getBytes(), StandardCharsets.UTF_8);
    }
}
