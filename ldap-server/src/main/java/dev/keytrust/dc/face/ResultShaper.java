package dev.keytrust.dc.face;

import dev.keytrust.dc.access.Passwords;
import dev.keytrust.dc.changes.ReplicationMetadata;
import dev.keytrust.dc.changes.ReplicationMetadataXml;
import dev.keytrust.dc.state.DcState;
import java.util.ArrayList;
import java.util.List;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.api.ldap.model.schema.AttributeTypeOptions;
import org.apache.directory.server.core.api.filtering.EntryFilter;
import org.apache.directory.server.core.api.interceptor.context.FilteringOperationContext;
import org.apache.directory.server.core.api.interceptor.context.SearchOperationContext;

/**
 * Makes search results look like AD's: passwords and ApacheDS's own bookkeeping never leave the server,
 * {@code distinguishedName} is there as AD shows it, constructed attributes are computed
 * ({@link ConstructedAttributes}), and the rootDSE carries AD's attributes.
 */
public final class ResultShaper implements EntryFilter {
    private static final List<String> NEVER_RETURNED = List.of("userPassword", "entryUUID", "entryCSN", "entryParentId",
            "entryDN", "nbChildren", "nbSubordinates", "creatorsName", "modifiersName", "hasSubordinates",
            "structuralObjectClass", "pwdHistory", "keytrustReplMetadata",
            dev.keytrust.dc.schema.AdSchema.UNICODE_PWD, dev.keytrust.dc.schema.AdSchema.SUPPLEMENTAL_CREDENTIALS);
    private static final List<String> ONLY_BY_NAME = List.of("createTimestamp", "modifyTimestamp", "subschemaSubentry");

    private final DcState state;
    private final RootDse rootDse;
    private final List<AttributeType> neverReturned = new ArrayList<>();
    private final List<AttributeType> onlyByName = new ArrayList<>();
    private final ReplicationMetadata metadata;
    private final AttributeType attributeMetadata;
    private final AttributeType valueMetadata;
    private final AttributeType ncReplCursors;

    private final boolean keepStoredMetadata;
    private final ConstructedAttributes constructed;

    /**
     * @param keepStoredMetadata whether the hidden metadata store is returned (to an administrator who asks for it
     *     by name: what a replicating DC reads)
     */
    public ResultShaper(DcState state, RootDse rootDse, ReplicationMetadata metadata, boolean keepStoredMetadata) throws LdapException {
        this.keepStoredMetadata = keepStoredMetadata;
        this.constructed = new ConstructedAttributes(state);
        this.state = state;
        this.rootDse = rootDse;
        this.metadata = metadata;
        this.attributeMetadata = state.schema.lookupAttributeTypeRegistry(dev.keytrust.dc.schema.AdSchema.REPL_ATTRIBUTE_METADATA);
        this.valueMetadata = state.schema.lookupAttributeTypeRegistry(dev.keytrust.dc.schema.AdSchema.REPL_VALUE_METADATA);
        this.ncReplCursors = state.schema.lookupAttributeTypeRegistry(dev.keytrust.dc.schema.AdSchema.NC_REPL_CURSORS);
        for (String name : NEVER_RETURNED) {
            // A replicating DC (an administrator asking for the metadata store) also gets the password hashes and keys, as
            // AD's replication carries secret attributes between DCs; no other read ever does.
            boolean replicated = name.equals(dev.keytrust.dc.schema.AdSchema.REPL_METADATA) || Passwords.secret(name);
            if (!(keepStoredMetadata && replicated)) {
                neverReturned.add(state.schema.lookupAttributeTypeRegistry(name));
            }
        }
        for (String name : ONLY_BY_NAME) {
            onlyByName.add(state.schema.lookupAttributeTypeRegistry(name));
        }
    }

    @Override
    public boolean accept(SearchOperationContext ctx, Entry entry) throws LdapException {
        if (entry.getDn().isEmpty()) {
            rootDse.fill(ctx, entry);
            return true;
        }
        if (!keepStoredMetadata && state.dns.isDeletedObject(entry.getDn())
                && !ctx.hasRequestControl(dev.keytrust.dc.schema.AdSchema.SHOW_DELETED_CONTROL)) {
            return false; // tombstones only with the show-deleted control, as in AD (replicating reads get them all)
        }
        if ((entry.getDn().equals(state.dns.baseDn) || entry.getDn().equals(state.dns.configurationDn)) && RequestedAttributes.byName(ctx, ncReplCursors)) {
            entry.put(ncReplCursors, state.replication.upToDatenessVector().stream().map(ReplicationMetadataXml::cursor).toArray(String[]::new));
        }
        boolean attrMeta = RequestedAttributes.byName(ctx, attributeMetadata);
        boolean valueMeta = RequestedAttributes.byName(ctx, valueMetadata);
        if (attrMeta || valueMeta) {
            java.util.Map<String, ReplicationMetadata.AttributeStamp> attributes = new java.util.LinkedHashMap<>();
            java.util.Map<String, ReplicationMetadata.ValueStamp> values = new java.util.LinkedHashMap<>();
            metadata.read(entry, attributes, values);
            if (attrMeta && !attributes.isEmpty()) {
                entry.put(attributeMetadata, attributes.values().stream().map(ReplicationMetadataXml::attribute).toArray(String[]::new));
            }
            if (valueMeta && !values.isEmpty()) {
                entry.put(valueMetadata, values.values().stream().map(v -> ReplicationMetadataXml.value(v, id -> {
                    org.apache.directory.api.ldap.model.name.Dn now = state.objects.objectsByGuid.get(id);
                    return now == null ? null : now.getName();
                })).toArray(String[]::new));
            }
        }
        constructed.add(ctx, entry);
        for (AttributeType at : neverReturned) {
            entry.removeAttributes(at);
        }
        for (AttributeType at : onlyByName) {
            if (!RequestedAttributes.byName(ctx, at)) {
                entry.removeAttributes(at);
            }
        }
        // No list asked for means every user attribute (ApacheDS sets allUserAttributes); a list of names no schema
        // holds means none, as in AD (an empty list then, without allUserAttributes). A context never given a list: all.
        boolean noList = ctx.getReturningAttributesString() == null && ctx.getReturningAttributes() == null;
        if (!ctx.isNoAttributes() && (ctx.isAllUserAttributes() || RequestedAttributes.byName(ctx, state.types.distinguishedName)
                || noList)) {
            entry.put(state.types.distinguishedName, entry.getDn().getName());
            if (ctx.isTypesOnly()) {
                Attribute a = entry.get(state.types.distinguishedName);
                a.clear();
            }
        }
        return true;
    }

    /** The constructed metadata attributes are computed from the hidden store, so a request for them reads it too. */
    public void includeMetadataIfAsked(SearchOperationContext ctx) {
        if (RequestedAttributes.byName(ctx, attributeMetadata) || RequestedAttributes.byName(ctx, valueMetadata)) {
            String[] asked = ctx.getReturningAttributesString();
            String[] more = java.util.Arrays.copyOf(asked, asked.length + 1);
            more[asked.length] = dev.keytrust.dc.schema.AdSchema.REPL_METADATA;
            ctx.setReturningAttributes(more);
        }
    }


    @Override
    public String toString(String tabs) {
        return tabs + "AD result shaping";
    }
}
