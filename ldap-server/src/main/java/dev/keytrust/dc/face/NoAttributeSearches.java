package dev.keytrust.dc.face;

import java.util.List;
import org.apache.directory.api.ldap.model.message.SearchRequest;

/**
 * A search asking for no attributes ({@code 1.1} alone, RFC 4511 4.5.1.8) as ApacheDS can answer it: its search
 * handler steps back one entry when a size limit or a page is full, and re-filtering that entry for {@code 1.1} fails
 * inside ApacheDS 2.0.0.AM27 — a size-limited search then answered 80 instead of 4, and a paged one stopped after its
 * first page with success (clients saw part of the results as all of them). Asking instead for one name no schema holds
 * returns the same entries with the same (no) attributes, through the path that works.
 *
 * <pre>{@code
 * NoAttributeSearches.rewrite(request);   // before ApacheDS's SearchRequestHandler
 * }</pre>
 */
final class NoAttributeSearches {
    /** Not an attribute of any schema: entries come back with no attributes, as for {@code 1.1}. */
    static final String NO_SUCH_ATTRIBUTE = "x-keytrust-no-attributes";

    private NoAttributeSearches() {
    }

    /** Replaces a lone {@code 1.1} in {@code request}'s attribute list (with other names, {@code 1.1} is ignored anyway). */
    static void rewrite(SearchRequest request) {
        List<String> asked = request.getAttributes();
        if (asked.size() == 1 && asked.get(0).trim().equals("1.1")) {
            request.removeAttribute(asked.get(0));
            request.addAttributes(NO_SUCH_ATTRIBUTE);
        }
    }
}
