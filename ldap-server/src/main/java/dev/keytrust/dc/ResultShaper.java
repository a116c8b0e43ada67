package dev.keytrust.dc;

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
 * {@code distinguishedName} is there as AD shows it, and the rootDSE carries AD's attributes.
 */
final class ResultShaper implements EntryFilter {
    private static final List<String> NEVER_RETURNED = List.of("userPassword", "entryUUID", "entryCSN", "entryParentId",
            "entryDN", "nbChildren", "nbSubordinates", "creatorsName", "modifiersName", "hasSubordinates",
            "structuralObjectClass", "pwdHistory");
    private static final List<String> ONLY_BY_NAME = List.of("createTimestamp", "modifyTimestamp", "subschemaSubentry");

    private final DcState state;
    private final RootDse rootDse;
    private final List<AttributeType> neverReturned = new ArrayList<>();
    private final List<AttributeType> onlyByName = new ArrayList<>();

    ResultShaper(DcState state, RootDse rootDse) throws LdapException {
        this.state = state;
        this.rootDse = rootDse;
        for (String name : NEVER_RETURNED) {
            neverReturned.add(state.schema.lookupAttributeTypeRegistry(name));
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
        for (AttributeType at : neverReturned) {
            entry.removeAttributes(at);
        }
        for (AttributeType at : onlyByName) {
            if (!requestedByName(ctx, at)) {
                entry.removeAttributes(at);
            }
        }
        if (!ctx.isNoAttributes() && (ctx.isAllUserAttributes() || requestedByName(ctx, state.distinguishedName)
                || ctx.getReturningAttributes() == null || ctx.getReturningAttributes().isEmpty())) {
            entry.put(state.distinguishedName, entry.getDn().getName());
            if (ctx.isTypesOnly()) {
                Attribute a = entry.get(state.distinguishedName);
                a.clear();
            }
        }
        return true;
    }

    static boolean requestedByName(FilteringOperationContext ctx, AttributeType at) {
        if (ctx.getReturningAttributes() == null) {
            return false;
        }
        for (AttributeTypeOptions o : ctx.getReturningAttributes()) {
            if (o.getAttributeType().equals(at)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString(String tabs) {
        return tabs + "AD result shaping";
    }
}
