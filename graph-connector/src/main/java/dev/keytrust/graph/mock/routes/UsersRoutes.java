package dev.keytrust.graph.mock.routes;

import dev.keytrust.graph.mock.GraphMockConfig;
import dev.keytrust.graph.mock.directory.GraphDirectory.StoredUser;
import dev.keytrust.graph.mock.directory.GraphDirectory;
import dev.keytrust.graph.mock.http.GraphError;
import dev.keytrust.graph.mock.http.MockRequest;
import dev.keytrust.graph.mock.http.MockResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code GET /users}, {@code GET /users/{id|upn}} and {@code GET /users/delta}: projection ({@code $select} of any
 * user property, {@link UserProperties}), {@code $expand} of manager and memberOf, filters ({@link UserQuery}), paging,
 * and delta rounds ({@link UsersDelta}).
 */
public final class UsersRoutes {
    private static final Set<String> FILTERABLE = Set.of("id", "userPrincipalName", "onPremisesImmutableId");

    private final GraphDirectory directory;
    private final UsersDelta delta;
    private final int defaultPageSize;
    private final int maxPageSize;
    private String baseUrl;

    public UsersRoutes(GraphDirectory directory, GraphMockConfig config) {
        this.directory = directory;
        this.delta = new UsersDelta(directory, config);
        this.defaultPageSize = config.defaultPageSize();
        this.maxPageSize = config.maxPageSize();
    }

    public void baseUrl(String url) {
        this.baseUrl = url;
        delta.baseUrl(url);
    }

    /** {@code GET /users/delta()}: see {@link UsersDelta}. */
    public MockResponse delta(String version, MockRequest r) {
        return delta.delta(version, r);
    }

    /**
     * {@code GET /users}: {@code $select}, {@code $filter}, {@code $top}, and as advanced queries (with
     * {@code ConsistencyLevel: eventual}) {@code $search}, {@code $count}; {@code $orderby}. Paging by creation order,
     * or by position when sorted.
     */
    public MockResponse list(String version, MockRequest r) {
        String skip = r.option("$skiptoken");
        Map<String, Object> q;
        if (skip != null) {
            q = ODataTokens.decode(skip, "list", "$skiptoken");
        } else {
            q = new LinkedHashMap<>();
            q.put("k", "list");
            q.put("o", -1L);
            q.put("x", 0L);
            q.put("n", pageSize(top(r.option("$top"))));
            q.put("s", r.option("$select"));
            q.put("d", r.option("$expand"));
            q.put("f", r.option("$filter"));
            q.put("q", r.option("$search"));
            q.put("b", r.option("$orderby"));
            q.put("e", "eventual".equalsIgnoreCase(r.header("ConsistencyLevel")));
            q.put("c", UserQuery.count(r.option("$count"), Boolean.TRUE.equals(q.get("e"))));
        }
        boolean eventual = Boolean.TRUE.equals(q.get("e"));
        String select = (String) q.get("s");
        List<String> properties = UserProperties.select(version, select, false);
        List<UserProperties.Expansion> expand = UserProperties.expand(version, (String) q.get("d"));
        Predicate<StoredUser> matches = filter((String) q.get("f"), eventual);
        if (q.get("q") != null) {
            matches = matches.and(UserQuery.search((String) q.get("q"), eventual));
        }
        int top = (int) ODataTokens.number(q, "n");
        long after = ODataTokens.number(q, "o");
        long offset = ODataTokens.number(q, "x");
        List<StoredUser> all = new ArrayList<>();
        for (StoredUser u : directory.users()) {
            if (matches.test(u)) {
                all.add(u);
            }
        }
        if (q.get("b") != null) {
            all.sort(UserQuery.orderBy((String) q.get("b")));
        }
        List<Object> page = new ArrayList<>();
        boolean more = false;
        long position = 0;
        for (StoredUser u : all) {
            position++;
            if (q.get("b") != null ? position <= offset : u.order() <= after) {
                continue;
            }
            if (page.size() == top) {
                more = true;
                break;
            }
            Map<String, Object> shown = UserProperties.project(u, properties);
            UserProperties.addExpansions(shown, u, expand, directory);
            page.add(shown);
            q.put("o", u.order());
            q.put("x", position);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", context(version, select, false));
        if (Boolean.TRUE.equals(q.get("c"))) {
            body.put("@odata.count", all.size());
        }
        if (more) {
            body.put("@odata.nextLink", baseUrl + "/" + version + "/users?$skiptoken=" + ODataTokens.encode(q));
        }
        body.put("value", page);
        return MockResponse.json(200, body);
    }

    /** {@code GET /users/{id|upn}}. */
    public MockResponse get(String version, MockRequest r, String idOrUpn) {
        StoredUser u = directory.find(idOrUpn).orElseThrow(() -> GraphError.notFound(idOrUpn));
        String select = r.option("$select");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", context(version, select, true));
        body.putAll(UserProperties.project(u, UserProperties.select(version, select, true)));
        UserProperties.addExpansions(body, u, UserProperties.expand(version, r.option("$expand")), directory);
        return MockResponse.json(200, body);
    }

    private static int top(String value) {
        if (value == null) {
            return -1;
        }
        try {
            int top = Integer.parseInt(value.trim());
            if (top >= 1 && top <= 999) {
                return top;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw GraphError.badRequest("Invalid page size specified: '" + value + "'. Must be between 1 and 999 inclusive.");
    }

    private int pageSize(int top) {
        return Math.min(maxPageSize, top > 0 ? top : defaultPageSize);
    }

    private static Predicate<StoredUser> filter(String filter, boolean eventual) {
        if (filter == null || filter.isBlank()) {
            return u -> true;
        }
        UserQuery.requireShortFilter(filter, " (an 'eq' on id, userPrincipalName or onPremisesImmutableId needs far fewer)");
        String[] eq = UserQuery.parseEq(filter);
        String property = eq == null ? null : FILTERABLE.stream().filter(p -> p.equalsIgnoreCase(eq[0])).findFirst().orElse(null);
        if (property == null) {
            return UserQuery.filter(filter, eventual);
        }
        String value = eq[1];
        return switch (property) {
            case "id" -> u -> u.user().id().equalsIgnoreCase(value);
            case "userPrincipalName" -> u -> u.user().userPrincipalName().equalsIgnoreCase(value);
            default -> u -> value.equals(u.user().onPremisesImmutableId());
        };
    }

    private String context(String version, String select, boolean entity) {
        String sel = select == null || select.isBlank() ? "" : "(" + select.replace(" ", "") + ")";
        return baseUrl + "/" + version + "/$metadata#users" + sel + (entity ? "/$entity" : "");
    }
}
