package dev.keytrust.dc.face;

import dev.keytrust.dc.access.AccountDefaults;
import dev.keytrust.dc.access.SecurityDescriptors;
import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.dc.state.DcState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.message.Control;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.server.core.api.CoreSession;
import org.apache.directory.server.core.api.interceptor.context.SearchOperationContext;

/**
 * AD's constructed attributes that tools read first, computed on read and returned only when asked for by name:
 * {@code tokenGroups} (the SIDs of every group the account is in, transitively, its primary group and BUILTIN\Users
 * for Domain Users; base-scope searches only: another scope gets 1, operationsError, as from Samba),
 * {@code primaryGroupToken} (a group's RID, the value its members' primaryGroupID holds; groups only) and
 * {@code nTSecurityDescriptor} ({@link SecurityDescriptors}, honouring the SD flags control
 * {@value AdSchema#SD_FLAGS_CONTROL}).
 */
final class ConstructedAttributes {
    private static final int MAX_GROUPS = 5000;
    private static final dev.keytrust.encoding.Sid BUILTIN_USERS = dev.keytrust.encoding.Sid.parse("S-1-5-32-545");

    private final DcState state;
    private final SecurityDescriptors descriptors;
    private final AttributeType tokenGroups;
    private final AttributeType securityDescriptor;
    private final AttributeType primaryGroupId;
    private final AttributeType primaryGroupToken;

    ConstructedAttributes(DcState state) throws LdapException {
        this.state = state;
        this.descriptors = new SecurityDescriptors(state.domainSid);
        this.tokenGroups = state.schema.lookupAttributeTypeRegistry(AdSchema.TOKEN_GROUPS);
        this.securityDescriptor = state.schema.lookupAttributeTypeRegistry(AdSchema.NT_SECURITY_DESCRIPTOR);
        this.primaryGroupId = state.schema.lookupAttributeTypeRegistry(AdSchema.PRIMARY_GROUP_ID);
        this.primaryGroupToken = state.schema.lookupAttributeTypeRegistry(AdSchema.PRIMARY_GROUP_TOKEN);
    }

    /** Adds the constructed attributes the search asked for by name to {@code entry}. */
    void add(SearchOperationContext ctx, Entry entry) throws LdapException {
        CoreSession admin = ctx.getSession().getDirectoryService().getAdminSession();
        boolean sd = RequestedAttributes.byName(ctx, securityDescriptor);
        boolean tokens = RequestedAttributes.byName(ctx, tokenGroups);
        if (tokens && ctx.getScope() != SearchScope.OBJECT) {
            throw new org.apache.directory.api.ldap.model.exception.LdapOperationException(
                    org.apache.directory.api.ldap.model.message.ResultCodeEnum.OPERATIONS_ERROR, "00002020: tokenGroups "
                    + "is computed for base-scope searches only (search the account itself with scope base)");
        }
        boolean token = RequestedAttributes.byName(ctx, primaryGroupToken);
        if (!sd && !tokens && !token) {
            return;
        }
        Entry stored = admin.lookup(entry.getDn(), "objectClass", AdSchema.PRIMARY_GROUP_ID, AdSchema.MEMBER_OF,
                AdSchema.OBJECT_SID);
        if (sd) {
            List<String> classes = new ArrayList<>();
            for (Value v : stored.get(state.types.objectClass)) {
                classes.add(v.getString().toLowerCase(Locale.ROOT));
            }
            entry.put(securityDescriptor, descriptors.forClass(classes, entry.getDn().equals(state.dns.baseDn), sdFlags(ctx)));
        }
        Attribute sid = stored.get(state.types.objectSid);
        if (token && sid != null && stored.hasObjectClass("group")) {
            entry.put(primaryGroupToken, String.valueOf(dev.keytrust.encoding.Sid.fromBytes(sid.getBytes()).rid()));
        }
        if (tokens && (stored.hasObjectClass("user") || stored.hasObjectClass("group"))) {
            List<byte[]> sids = groupSids(admin, stored);
            if (!sids.isEmpty()) {
                entry.put(tokenGroups, sids.toArray(byte[][]::new));
            }
        }
    }

    /** The SD flags control's value (a BER SEQUENCE holding one INTEGER), or owner, group and DACL without it. */
    private static int sdFlags(SearchOperationContext ctx) {
        int all = SecurityDescriptors.OWNER | SecurityDescriptors.GROUP | SecurityDescriptors.DACL;
        Control control = ctx.getRequestControl(AdSchema.SD_FLAGS_CONTROL);
        if (!(control instanceof org.apache.directory.api.ldap.model.message.controls.OpaqueControl opaque)
                || opaque.getEncodedValue() == null) {
            return all;
        }
        byte[] v = opaque.getEncodedValue();
        // 30 len 02 len value...
        if (v.length < 5 || v[0] != 0x30 || v[2] != 0x02 || v[3] < 1 || v[3] > 4 || v.length < 4 + v[3]) {
            return all;
        }
        int flags = 0;
        for (int i = 0; i < v[3]; i++) {
            flags = (flags << 8) | (v[4 + i] & 0xFF);
        }
        return flags == 0 ? all : flags;
    }

    /** The objectSid of each group the account is in (memberOf, transitively), then its primary group's SID. */
    private List<byte[]> groupSids(CoreSession admin, Entry account) throws LdapException {
        Set<String> seen = new HashSet<>();
        Set<String> sids = new LinkedHashSet<>();
        List<byte[]> out = new ArrayList<>();
        Deque<Dn> todo = new ArrayDeque<>();
        enqueue(account.get(state.types.memberOf), todo);
        while (!todo.isEmpty() && seen.size() < MAX_GROUPS) {
            Dn group = todo.poll();
            if (!seen.add(group.getNormName()) || !admin.exists(group)) {
                continue;
            }
            Entry g = admin.lookup(group, AdSchema.OBJECT_SID, AdSchema.MEMBER_OF);
            Attribute sid = g.get(state.types.objectSid);
            if (sid != null && sids.add(dev.keytrust.encoding.Hex.encode(sid.getBytes()))) {
                out.add(sid.getBytes());
            }
            enqueue(g.get(state.types.memberOf), todo);
        }
        Attribute primary = account.get(primaryGroupId);
        if (primary != null) {
            byte[] sid = state.domainSid.withRid(Long.parseLong(primary.getString().trim())).toBytes();
            if (sids.add(dev.keytrust.encoding.Hex.encode(sid))) {
                out.add(sid);
            }
            if (primary.getString().trim().equals(String.valueOf(AccountDefaults.DOMAIN_USERS))) {
                out.add(BUILTIN_USERS.toBytes()); // Domain Users is a member of BUILTIN\Users
            }
        }
        return out;
    }

    private void enqueue(Attribute memberOf, Deque<Dn> todo) throws LdapException {
        if (memberOf != null) {
            for (Value v : memberOf) {
                todo.add(state.dns.dn(v.getString()));
            }
        }
    }
}
