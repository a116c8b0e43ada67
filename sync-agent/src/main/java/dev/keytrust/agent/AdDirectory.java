package dev.keytrust.agent;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import dev.keytrust.agent.source.SourceUser;
import dev.keytrust.encoding.Sid;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the AD user a Graph user joins to: by {@code onPremisesImmutableId} (base64 of mS-DS-ConsistencyGuid if
 * set, else objectGUID), then by {@code onPremisesSecurityIdentifier} = objectSid. A full cycle reads every user
 * once (paged); a delta cycle reads the remembered DN of a known join, or searches for the few changed users.
 */
final class AdDirectory {
    private static final Filter USERS = Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "user"),
            Filter.createNOTFilter(Filter.createEqualityFilter("objectClass", "computer")));

    /** The join's outcome: the user, or why there is none. */
    record Match(AdUser user, String reason) {
    }

    private final LDAPConnection ldap;
    private final String baseDn;
    private Map<String, List<AdUser>> byAnchor;
    private Map<String, List<AdUser>> bySid;

    AdDirectory(LDAPConnection ldap, String baseDn) {
        this.ldap = ldap;
        this.baseDn = baseDn;
    }

    /** Reads every user (pages of 1,000) so joins need no further searches; returns how many. */
    int loadAll() throws LDAPException {
        byAnchor = new HashMap<>();
        bySid = new HashMap<>();
        int n = 0;
        ASN1OctetString cookie = null;
        do {
            SearchRequest request = new SearchRequest(baseDn, SearchScope.SUB, USERS, AdUser.ATTRIBUTES);
            request.addControl(new SimplePagedResultsControl(1000, cookie, false));
            SearchResult result = ldap.search(request);
            for (SearchResultEntry e : result.getSearchEntries()) {
                index(AdUser.of(e));
                n++;
            }
            SimplePagedResultsControl paged = SimplePagedResultsControl.get(result);
            cookie = paged != null && paged.moreResultsToReturn() ? paged.getCookie() : null;
        } while (cookie != null);
        return n;
    }

    private void index(AdUser u) {
        if (u.anchor() != null) {
            byAnchor.computeIfAbsent(u.anchor(), k -> new ArrayList<>(1)).add(u);
        }
        u.sid().ifPresent(s -> bySid.computeIfAbsent(s.toUpperCase(java.util.Locale.ROOT), k -> new ArrayList<>(1)).add(u));
    }

    /** Joins a Graph user; {@code known} is the DN this user was joined to last time, if any. */
    Match join(SourceUser user, Optional<AgentState.Join> known) throws LDAPException {
        Optional<String> anchor = user.onPremisesImmutableId();
        Optional<String> sid = user.onPremisesSecurityIdentifier();
        if (anchor.isEmpty() && sid.isEmpty()) {
            return new Match(null, "no on-premises anchor (onPremisesImmutableId and onPremisesSecurityIdentifier are empty): a cloud-only user");
        }
        if (byAnchor == null && known.isPresent() && anchor.isPresent() && anchor.get().equals(known.get().anchor())) {
            SearchResultEntry e = read(known.get().dn());
            if (e != null && anchor.get().equals(AdUser.of(e).anchor())) {
                return new Match(AdUser.of(e), null);
            }
        }
        if (anchor.isPresent()) {
            List<AdUser> found = byAnchor != null ? byAnchor.getOrDefault(anchor.get(), List.of()) : searchAnchor(anchor.get());
            if (found.size() == 1) {
                return new Match(found.get(0), null);
            }
            if (found.size() > 1) {
                return new Match(null, found.size() + " AD users have anchor " + anchor.get() + ": " + dns(found));
            }
        }
        if (sid.isPresent()) {
            List<AdUser> found = bySid != null ? bySid.getOrDefault(sid.get().toUpperCase(java.util.Locale.ROOT), List.of())
                    : searchSid(sid.get());
            if (found.size() == 1) {
                return new Match(found.get(0), null);
            }
            if (found.size() > 1) {
                return new Match(null, found.size() + " AD users have objectSid " + sid.get() + ": " + dns(found));
            }
        }
        return new Match(null, "no AD user with " + anchor.map(a -> "anchor " + a).orElse("")
                + (anchor.isPresent() && sid.isPresent() ? " or " : "") + sid.map(s -> "objectSid " + s).orElse(""));
    }

    private SearchResultEntry read(String dn) throws LDAPException {
        try {
            return ldap.getEntry(dn, AdUser.ATTRIBUTES);
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return null;
            }
            throw e;
        }
    }

    private List<AdUser> searchAnchor(String anchor) throws LDAPException {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(anchor);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        Filter f = Filter.createANDFilter(USERS, Filter.createORFilter(Filter.createEqualityFilter("objectGUID", bytes),
                Filter.createEqualityFilter("mS-DS-ConsistencyGuid", bytes)));
        List<AdUser> out = new ArrayList<>();
        for (SearchResultEntry e : ldap.search(baseDn, SearchScope.SUB, f, AdUser.ATTRIBUTES).getSearchEntries()) {
            AdUser u = AdUser.of(e);
            if (anchor.equals(u.anchor())) {
                out.add(u);
            }
        }
        return out;
    }

    private List<AdUser> searchSid(String sid) throws LDAPException {
        byte[] bytes;
        try {
            bytes = Sid.parse(sid).toBytes();
        } catch (RuntimeException e) {
            return List.of();
        }
        List<AdUser> out = new ArrayList<>();
        for (SearchResultEntry e : ldap.search(baseDn, SearchScope.SUB, Filter.createANDFilter(USERS,
                Filter.createEqualityFilter("objectSid", bytes)), AdUser.ATTRIBUTES).getSearchEntries()) {
            out.add(AdUser.of(e));
        }
        return out;
    }

    private static String dns(List<AdUser> users) {
        return users.stream().map(AdUser::dn).toList().toString();
    }
}
