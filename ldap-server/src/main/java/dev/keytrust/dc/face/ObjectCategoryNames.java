package dev.keytrust.dc.face;

import dev.keytrust.dc.schema.AdSchema;
import java.util.List;
import java.util.Locale;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.filter.BranchNode;
import org.apache.directory.api.ldap.model.filter.EqualityNode;
import org.apache.directory.api.ldap.model.filter.ExprNode;
import org.apache.directory.api.ldap.model.message.SearchRequest;
import org.apache.directory.server.ldap.LdapSession;
import org.apache.directory.server.ldap.handlers.LdapRequestHandler;
import org.apache.directory.server.ldap.handlers.request.SearchRequestHandler;

/**
 * AD reads {@code (objectCategory=person)} as the class's default object category
 * ({@code CN=Person,CN=Schema,CN=Configuration,...}); tools filter that way. objectCategory holds DNs, so ApacheDS's
 * normalisation (before any interceptor) refuses a bare class name: this search handler puts the DN in its place, then
 * hands the request to ApacheDS's own. A name of no class this DC knows becomes a DN of no object (nothing matches, as
 * in AD). A search for no attributes ({@code 1.1}) goes through {@link NoAttributeSearches} first.
 */
public final class ObjectCategoryNames extends LdapRequestHandler<SearchRequest> {
    private static final String OBJECT_CATEGORY_OID = "1.2.840.113556.1.4.782";

    private final String schemaDn;
    private final SearchRequestHandler searches = new SearchRequestHandler();

    public ObjectCategoryNames(String schemaDn) {
        this.schemaDn = schemaDn;
    }

    /** ApacheDS's handler needs the server too (its setter is final: the LDAP service calls this after setting both). */
    public void serverSet() {
        searches.setLdapServer(getLdapServer());
    }

    @Override
    public void handle(LdapSession session, SearchRequest request) throws Exception {
        if (request.getFilter() != null) {
            request.setFilter(replace(request.getFilter()));
        }
        NoAttributeSearches.rewrite(request);
        searches.handle(session, request);
    }

    private ExprNode replace(ExprNode node) {
        if (node instanceof BranchNode branch) {
            branch.setChildren(new java.util.ArrayList<>(branch.getChildren().stream().map(this::replace).toList()));
            return node;
        }
        if (node instanceof EqualityNode<?> eq && eq.getAttribute() != null && isObjectCategory(eq.getAttribute())
                && eq.getValue() != null) {
            Value v = eq.getValue();
            String name = (v.isHumanReadable() ? v.getString()
                    : new String(v.getBytes(), java.nio.charset.StandardCharsets.UTF_8)).trim();
            if (name.contains("=")) {
                return node;
            }
            String category = AdSchema.categoryFor(List.of(name));
            boolean known = !category.equals("Container") || name.equalsIgnoreCase("container");
            return new EqualityNode<String>(eq.getAttribute(), "CN=" + (known ? category
                    : "No-Such-Class-" + name.replaceAll("[^A-Za-z0-9-]", "")) + "," + schemaDn);
        }
        return node;
    }

    private static boolean isObjectCategory(String attribute) {
        String a = attribute.toLowerCase(Locale.ROOT);
        return a.equals("objectcategory") || a.equals(OBJECT_CATEGORY_OID);
    }
}
