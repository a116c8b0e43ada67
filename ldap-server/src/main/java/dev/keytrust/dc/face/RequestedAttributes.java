package dev.keytrust.dc.face;

import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.api.ldap.model.schema.AttributeTypeOptions;
import org.apache.directory.server.core.api.interceptor.context.FilteringOperationContext;

/** What a search asked for: AD returns some attributes (metadata, constructed ones) only when asked for by name. */
public final class RequestedAttributes {
    private RequestedAttributes() {
    }

    /** Whether the search named {@code at} in its attribute list (by name or OID), not just '*' or '+'. */
    public static boolean byName(FilteringOperationContext ctx, AttributeType at) {
        String[] asked = ctx.getReturningAttributesString();
        if (asked != null) {
            for (String name : asked) {
                if (at.getName().equalsIgnoreCase(name) || at.getOid().equals(name)) {
                    return true; // ApacheDS folds named user attributes into '*'; the request still named it
                }
            }
        }
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
}
