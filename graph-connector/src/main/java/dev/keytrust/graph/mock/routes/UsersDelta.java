package dev.keytrust.graph.mock.routes;

import dev.keytrust.graph.mock.GraphMockConfig;
import dev.keytrust.graph.mock.directory.GraphDirectory;
import dev.keytrust.graph.mock.directory.GraphDirectory.Deletion;
import dev.keytrust.graph.mock.directory.GraphDirectory.StoredUser;
import dev.keytrust.graph.mock.http.GraphError;
import dev.keytrust.graph.mock.http.MockRequest;
import dev.keytrust.graph.mock.http.MockResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /users/delta()} as Graph does it: an initial round through every active user, then rounds of what
 * changed after a delta token — a soft-deleted user as {@code @removed: {"reason": "changed"}}, a permanently
 * deleted one as {@code "deleted"}, a restored one again with its properties. Also {@code $deltatoken=latest} (no
 * users, only a deltaLink from now), {@code $filter=id eq '...'} (or several joined by {@code or}, up to 50),
 * {@code $select} on the first request, {@code Prefer: odata.maxpagesize=N} and {@code Prefer: return=minimal} (only
 * the properties changed since the token, with the id).
 */
final class UsersDelta {
    private static final int MAX_FILTER_IDS = 50;
    private static final Pattern ID_EQ = Pattern.compile("\\s*id\\s+eq\\s+'([^']*)'\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern OR = Pattern.compile("\\s+or\\s+", Pattern.CASE_INSENSITIVE);

    private final GraphDirectory directory;
    private final Clock clock;
    private final Duration deltaMaxAge;
    private final int defaultPageSize;
    private final int maxPageSize;
    private String baseUrl;

    UsersDelta(GraphDirectory directory, GraphMockConfig config) {
        this.directory = directory;
        this.clock = config.clock();
        this.deltaMaxAge = config.deltaTokenMaxAge();
        this.defaultPageSize = config.defaultPageSize();
        this.maxPageSize = config.maxPageSize();
    }

    void baseUrl(String url) {
        this.baseUrl = url;
    }

    MockResponse delta(String version, MockRequest r) {
        boolean beta = "beta".equals(version);
        String skip = r.option("$skiptoken");
        String deltaToken = r.option("$deltatoken");
        Map<String, Object> state;
        if (skip != null) {
            state = ODataTokens.decode(skip, "delta-page", "$skiptoken");
            checkGeneration(state);
            if (!version.equals(state.get("v"))) {
                throw GraphError.badRequest("This nextLink belongs to /" + state.get("v") + "; follow it as returned.");
            }
        } else if ("latest".equalsIgnoreCase(deltaToken)) {
            state = newState("latest", directory.sequence());
            state.put("s", r.option("$select"));
            state.put("f", ids(r.option("$filter")));
        } else if (deltaToken != null) {
            Map<String, Object> t = ODataTokens.decode(deltaToken, "delta", "$deltatoken");
            checkFresh(t, version);
            state = newState("changes", ODataTokens.number(t, "q"));
            state.put("s", t.get("s"));
            state.put("f", t.get("f"));
        } else {
            state = newState("initial", -1L);
            state.put("s", r.option("$select"));
            state.put("f", ids(r.option("$filter")));
        }
        state.put("g", directory.generation());
        state.put("v", version);
        String select = (String) state.get("s");
        List<String> properties = UserProperties.select(version, select, false);
        @SuppressWarnings("unchecked")
        List<String> only = (List<String>) state.get("f");
        long cursor = ODataTokens.number(state, "c");
        long upper = ODataTokens.number(state, "u");
        String prefer = r.header("Prefer") == null ? "" : r.header("Prefer").toLowerCase(Locale.ROOT);
        boolean minimal = prefer.contains("return=minimal");
        int pageSize = maxPageSize(prefer);
        List<Object> page = new ArrayList<>();
        boolean more = false;
        if ("initial".equals(state.get("p"))) {
            for (StoredUser u : directory.users()) {
                if (u.order() <= cursor || !wanted(only, u.user().id())) {
                    continue;
                }
                if (page.size() == pageSize) {
                    more = true;
                    break;
                }
                page.add(UserProperties.project(u, properties));
                cursor = u.order();
            }
        } else if ("changes".equals(state.get("p"))) {
            long since = ODataTokens.number(state, "b");
            List<Object[]> changes = new ArrayList<>();
            for (StoredUser u : directory.changedBetween(cursor, upper, beta)) {
                if (wanted(only, u.user().id())) {
                    changes.add(new Object[] {u.seq(beta), u.softDeleted() ? removed(u.user().id(), "changed")
                            : minimal ? changedOnly(u, properties, since) : UserProperties.project(u, properties)});
                }
            }
            for (Deletion d : directory.deletedBetween(cursor, upper)) {
                if (wanted(only, d.id())) {
                    changes.add(new Object[] {d.seq(), removed(d.id(), "deleted")});
                }
            }
            changes.sort((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
            for (Object[] c : changes) {
                if (page.size() == pageSize) {
                    more = true;
                    break;
                }
                page.add(c[1]);
                cursor = (Long) c[0];
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        String sel = select == null || select.isBlank() ? "" : "(" + select.replace(" ", "") + ")";
        body.put("@odata.context", baseUrl + "/" + version + "/$metadata#users" + sel);
        String link = baseUrl + "/" + version + "/users/delta()?";
        if (more) {
            state.put("c", cursor);
            body.put("@odata.nextLink", link + "$skiptoken=" + ODataTokens.encode(state));
        } else {
            Map<String, Object> token = new LinkedHashMap<>();
            token.put("k", "delta");
            token.put("g", directory.generation());
            token.put("v", version);
            token.put("q", upper);
            token.put("t", clock.millis());
            token.put("s", select);
            token.put("f", only);
            body.put("@odata.deltaLink", link + "$deltatoken=" + ODataTokens.encode(token));
        }
        body.put("value", page);
        MockResponse response = MockResponse.json(200, body);
        return minimal ? response.withHeader("Preference-Applied", "return=minimal") : response;
    }

    /** A round's state: its phase, the sequence it starts after ({@code c}, {@code b}) and ends at ({@code u}). */
    private Map<String, Object> newState(String phase, long after) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("k", "delta-page");
        state.put("p", phase);
        state.put("c", after);
        state.put("b", after);
        state.put("u", directory.sequence());
        return state;
    }

    /** With {@code Prefer: return=minimal}: the id and the selected properties changed after {@code since}. */
    private static Map<String, Object> changedOnly(StoredUser u, List<String> properties, long since) {
        List<String> changed = new ArrayList<>();
        for (String p : properties) {
            if (p.equals("id") || u.changedAt(p) > since) {
                changed.add(p);
            }
        }
        return UserProperties.project(u, changed);
    }

    private static Map<String, Object> removed(String id, String reason) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("@removed", Map.of("reason", reason));
        return out;
    }

    private static boolean wanted(List<String> only, String id) {
        return only == null || only.stream().anyMatch(id::equalsIgnoreCase);
    }

    /** {@code $filter} on delta: {@code id eq '...'} clauses joined by {@code or}, as Graph allows; else a 400. */
    static List<String> ids(String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        UserQuery.requireShortFilter(filter, "");
        List<String> ids = new ArrayList<>();
        for (String clause : OR.split(filter)) {
            Matcher m = ID_EQ.matcher(clause);
            if (!m.matches()) {
                throw new GraphError(400, "Request_UnsupportedQuery", "Unsupported query: delta on users takes "
                        + "$filter=id eq '...' only, several joined by 'or'; got '" + (filter.length() > 200
                        ? filter.substring(0, 200) + "..." : filter) + "'.");
            }
            ids.add(m.group(1));
        }
        if (ids.size() > MAX_FILTER_IDS) {
            throw new GraphError(400, "Request_UnsupportedQuery", "Delta takes at most " + MAX_FILTER_IDS
                    + " ids in $filter but got " + ids.size() + ".");
        }
        return ids;
    }

    private void checkFresh(Map<String, Object> token, String version) {
        checkGeneration(token);
        if (!version.equals(token.get("v"))) {
            throw GraphError.badRequest("This delta token was issued by /" + token.get("v") + "; use it there.");
        }
        long issued = ODataTokens.number(token, "t");
        if (clock.millis() - issued > deltaMaxAge.toMillis()) {
            throw new GraphError(400, "syncStateNotFound", "The sync state generation is expired: the delta token was "
                    + "issued more than " + deltaMaxAge + " ago. Restart the sync with a new delta request (full sync).");
        }
    }

    private void checkGeneration(Map<String, Object> token) {
        if (ODataTokens.number(token, "g") != directory.generation()) {
            throw new GraphError(400, "syncStateNotFound", "The sync state was not found: the tenant was reset after "
                    + "this token was issued. Restart the sync with a new delta request (full sync).");
        }
    }

    /** {@code Prefer: odata.maxpagesize=N} (1-999), else the default page size. */
    private int maxPageSize(String prefer) {
        Matcher m = Pattern.compile("odata\\.maxpagesize=(\\d{1,3})").matcher(prefer);
        if (m.find() && Integer.parseInt(m.group(1)) >= 1) {
            return Math.min(maxPageSize, Integer.parseInt(m.group(1)));
        }
        return defaultPageSize;
    }
}
