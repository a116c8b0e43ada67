package dev.keytrust.graph.mock.routes;

import dev.keytrust.graph.mock.DeviceKey;
import dev.keytrust.graph.mock.GraphMockConfig;
import dev.keytrust.graph.mock.GraphUser;
import dev.keytrust.graph.mock.directory.GraphDirectory.Deletion;
import dev.keytrust.graph.mock.directory.GraphDirectory.StoredUser;
import dev.keytrust.graph.mock.directory.GraphDirectory;
import dev.keytrust.graph.mock.http.GraphError;
import dev.keytrust.graph.mock.http.MockRequest;
import dev.keytrust.graph.mock.http.MockResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code GET /users}, {@code GET /users/{id|upn}} and {@code GET /users/delta}: projection ({@code $select}),
 * filters ({@code eq} on id, userPrincipalName, onPremisesImmutableId), paging and delta rounds.
 */
public final class UsersRoutes {
    private static final List<String> DEFAULT_PROPERTIES = List.of("businessPhones", "displayName", "givenName",
            "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id");
    private static final List<String> PROPERTIES = List.of("id", "accountEnabled", "businessPhones", "displayName",
            "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname",
            "userPrincipalName", "onPremisesImmutableId", "onPremisesSecurityIdentifier", "onPremisesSyncEnabled",
            "onPremisesSamAccountName", "onPremisesDistinguishedName", "onPremisesDomainName", "deviceKeys");
    private static final Set<String> FILTERABLE = Set.of("id", "userPrincipalName", "onPremisesImmutableId");
    /** The longest {@code $filter} accepted: an {@code eq} on an id or UPN needs a few hundred characters at most. */
    public static final int MAX_FILTER_LENGTH = 2048;

    private final GraphDirectory directory;
    private final Clock clock;
    private final Duration deltaMaxAge;
    private final int defaultPageSize;
    private final int maxPageSize;
    private String baseUrl;

    public UsersRoutes(GraphDirectory directory, GraphMockConfig config) {
        this.directory = directory;
        this.clock = config.clock();
        this.deltaMaxAge = config.deltaTokenMaxAge();
        this.defaultPageSize = config.defaultPageSize();
        this.maxPageSize = config.maxPageSize();
    }

    public void baseUrl(String url) {
        this.baseUrl = url;
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
            q.put("f", r.option("$filter"));
            q.put("q", r.option("$search"));
            q.put("b", r.option("$orderby"));
            q.put("e", "eventual".equalsIgnoreCase(r.header("ConsistencyLevel")));
            q.put("c", UserQuery.count(r.option("$count"), Boolean.TRUE.equals(q.get("e"))));
        }
        boolean eventual = Boolean.TRUE.equals(q.get("e"));
        String select = (String) q.get("s");
        List<String> properties = properties(version, select);
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
            page.add(project(u, properties));
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
        body.putAll(project(u, properties(version, select)));
        return MockResponse.json(200, body);
    }

    /** {@code GET /users/delta()}: the initial round pages through every user, later rounds only changes. */
    public MockResponse delta(String version, MockRequest r) {
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
        } else if (deltaToken != null) {
            Map<String, Object> t = ODataTokens.decode(deltaToken, "delta", "$deltatoken");
            checkFresh(t, version);
            state = new LinkedHashMap<>();
            state.put("k", "delta-page");
            state.put("p", "changes");
            state.put("c", ODataTokens.number(t, "q"));
            state.put("u", directory.sequence());
            state.put("s", t.get("s"));
        } else {
            state = new LinkedHashMap<>();
            state.put("k", "delta-page");
            state.put("p", "initial");
            state.put("c", -1L);
            state.put("u", directory.sequence());
            state.put("s", r.option("$select"));
        }
        state.put("g", directory.generation());
        state.put("v", version);
        String select = (String) state.get("s");
        List<String> properties = properties(version, select);
        long cursor = ODataTokens.number(state, "c");
        long upper = ODataTokens.number(state, "u");
        int pageSize = maxPageSize(r.header("Prefer"));
        List<Object> page = new ArrayList<>();
        boolean more = false;
        if ("initial".equals(state.get("p"))) {
            for (StoredUser u : directory.users()) {
                if (u.order() <= cursor) {
                    continue;
                }
                if (page.size() == pageSize) {
                    more = true;
                    break;
                }
                page.add(project(u, properties));
                cursor = u.order();
            }
        } else {
            List<Object[]> changes = new ArrayList<>();
            for (StoredUser u : directory.changedBetween(cursor, upper, beta)) {
                changes.add(new Object[] {u.seq(beta), project(u, properties)});
            }
            for (Deletion d : directory.deletedBetween(cursor, upper)) {
                Map<String, Object> removed = new LinkedHashMap<>();
                removed.put("id", d.id());
                removed.put("@removed", Map.of("reason", "deleted"));
                changes.add(new Object[] {d.seq(), removed});
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
        body.put("@odata.context", context(version, select, false));
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
            body.put("@odata.deltaLink", link + "$deltatoken=" + ODataTokens.encode(token));
        }
        body.put("value", page);
        return MockResponse.json(200, body);
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

    /** {@code Prefer: odata.maxpagesize=N} (1-999) for delta, else the default page size. */
    private int maxPageSize(String prefer) {
        if (prefer != null) {
            java.util.regex.Matcher m = Pattern.compile("odata\\.maxpagesize=(\\d{1,3})").matcher(prefer);
            if (m.find() && Integer.parseInt(m.group(1)) >= 1) {
                return Math.min(maxPageSize, Integer.parseInt(m.group(1)));
            }
        }
        return defaultPageSize;
    }

    private int pageSize(int top) {
        return Math.min(maxPageSize, top > 0 ? top : defaultPageSize);
    }

    /** The properties to show: the default set, or those {@code $select}ed (id always), checked against the type. */
    public static List<String> properties(String version, String select) {
        if (select == null || select.isBlank()) {
            return DEFAULT_PROPERTIES;
        }
        List<String> out = new ArrayList<>();
        for (String raw : select.split(",")) {
            String name = raw.trim();
            String known = PROPERTIES.stream().filter(p -> p.equalsIgnoreCase(name)).findFirst().orElse(null);
            if (known == null || ("deviceKeys".equals(known) && !"beta".equals(version))) {
                throw GraphError.badRequest("Could not find a property named '" + name + "' on type 'microsoft.graph.user'.");
            }
            if (!out.contains(known)) {
                out.add(known);
            }
        }
        if (!out.contains("id")) {
            out.add("id");
        }
        return out;
    }

    private static Predicate<StoredUser> filter(String filter, boolean eventual) {
        if (filter == null || filter.isBlank()) {
            return u -> true;
        }
        if (filter.length() > MAX_FILTER_LENGTH) {
            throw GraphError.badRequest("The $filter is " + filter.length() + " characters long; this mock accepts at most "
                    + MAX_FILTER_LENGTH + " (an 'eq' on id, userPrincipalName or onPremisesImmutableId needs far fewer).");
        }
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

    public static Map<String, Object> project(StoredUser stored, List<String> properties) {
        GraphUser u = stored.user();
        Map<String, Object> out = new LinkedHashMap<>();
        for (String p : properties) {
            out.put(p, switch (p) {
                case "id" -> u.id();
                case "accountEnabled" -> u.accountEnabled();
                case "businessPhones" -> List.of();
                case "displayName" -> u.displayName();
                case "givenName" -> u.givenName();
                case "mail" -> u.mail();
                case "surname" -> u.surname();
                case "userPrincipalName" -> u.userPrincipalName();
                case "onPremisesImmutableId" -> u.onPremisesImmutableId();
                case "onPremisesSecurityIdentifier" -> u.onPremisesSecurityIdentifier();
                case "onPremisesSyncEnabled" -> u.onPremisesSyncEnabled();
                case "onPremisesSamAccountName" -> u.onPremisesSamAccountName();
                case "onPremisesDistinguishedName" -> u.onPremisesDistinguishedName();
                case "onPremisesDomainName" -> u.onPremisesDomainName();
                case "deviceKeys" -> deviceKeys(stored);
                default -> null;
            });
        }
        return out;
    }

    private static List<Object> deviceKeys(StoredUser u) {
        List<Object> out = new ArrayList<>();
        for (DeviceKey k : u.keys()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("deviceId", k.deviceId().toString());
            item.put("keyMaterial", k.keyMaterialBase64());
            item.put("keyType", k.keyType());
            out.add(item);
        }
        return out;
    }
}
