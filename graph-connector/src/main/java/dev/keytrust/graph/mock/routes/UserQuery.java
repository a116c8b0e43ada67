package dev.keytrust.graph.mock.routes;

import dev.keytrust.graph.mock.GraphUser;
import dev.keytrust.graph.mock.directory.GraphDirectory.StoredUser;
import dev.keytrust.graph.mock.http.GraphError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The query options of {@code GET /users} beyond the simple {@code eq}: {@code $filter} with {@code eq}, {@code ne},
 * {@code startswith}, {@code in}, {@code not}, {@code and}, {@code or} and parentheses; {@code $search} on names and
 * mail; {@code $orderby} on displayName and userPrincipalName; {@code $count}. As in Graph, {@code ne}, {@code not},
 * {@code $search} and {@code $count} are advanced queries and need {@code ConsistencyLevel: eventual}; anything else
 * is a 400, never ignored.
 */
final class UserQuery {
    private static final Map<String, Function<GraphUser, Object>> PROPERTIES = Map.of(
            "id", GraphUser::id, "userPrincipalName", GraphUser::userPrincipalName, "displayName", GraphUser::displayName,
            "givenName", GraphUser::givenName, "surname", GraphUser::surname, "mail", GraphUser::mail,
            "onPremisesImmutableId", GraphUser::onPremisesImmutableId, "accountEnabled", GraphUser::accountEnabled,
            "onPremisesSyncEnabled", GraphUser::onPremisesSyncEnabled);
    private static final List<String> SEARCHABLE = List.of("displayName", "mail", "userPrincipalName", "givenName", "surname");
    private static final String EVENTUAL = "add the header 'ConsistencyLevel: eventual' (an advanced query)";
    /** The longest {@code $filter} the mock reads (on /users and on delta); a longer one is a 400. */
    static final int MAX_FILTER_LENGTH = 2048;

    private final List<String> tokens;
    private final boolean eventual;
    private int at;

    private UserQuery(List<String> tokens, boolean eventual) {
        this.tokens = tokens;
        this.eventual = eventual;
    }

    /**
     * Refuses a {@code $filter} over {@link #MAX_FILTER_LENGTH} characters with a 400 that says how long it was and
     * the limit, followed by {@code hint} (empty, or a sentence starting with a space).
     */
    static void requireShortFilter(String filter, String hint) {
        if (filter.length() > MAX_FILTER_LENGTH) {
            throw GraphError.badRequest("The $filter is " + filter.length() + " characters long; this mock accepts at most "
                    + MAX_FILTER_LENGTH + hint + ".");
        }
    }

    /** A {@code $filter} as a predicate; {@code eventual}: the request has {@code ConsistencyLevel: eventual}. */
    static Predicate<StoredUser> filter(String filter, boolean eventual) {
        UserQuery q = new UserQuery(tokenize(filter), eventual);
        Predicate<GraphUser> p = q.or();
        if (q.at != q.tokens.size()) {
            throw invalid("unexpected '" + q.tokens.get(q.at) + "'");
        }
        return u -> p.test(u.user());
    }

    /** {@code $search}: {@code "property:term"} clauses joined by AND or OR; a term matches the start of a word. */
    static Predicate<StoredUser> search(String search, boolean eventual) {
        if (!eventual) {
            throw new GraphError(400, "Request_UnsupportedQuery", "Request with $search query parameter only works with the "
                    + "request header 'ConsistencyLevel: eventual'; " + EVENTUAL + ".");
        }
        Predicate<GraphUser> all = null;
        boolean or = false;
        boolean clauseNext = true;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*(\"[^\"]*\"|AND|OR)\\s*").matcher(search);
        for (int pos = 0; pos < search.length(); pos = m.end()) {
            if (!m.find(pos) || m.start() != pos || clauseNext != m.group(1).startsWith("\"") || m.group(1).startsWith("\"")
                    && !m.group(1).contains(":")) {
                throw GraphError.badRequest("Syntax error: $search takes \"property:term\" clauses joined by AND or OR; got '"
                        + abbreviate(search) + "'.");
            }
            String clause = m.group(1);
            clauseNext = !clauseNext;
            if (!clause.startsWith("\"")) {
                or = clause.equals("OR");
                continue;
            }
            String inner = clause.substring(1, clause.length() - 1);
            String property = known(inner.substring(0, inner.indexOf(':')), SEARCHABLE, "search");
            String term = inner.substring(inner.indexOf(':') + 1).toLowerCase(Locale.ROOT);
            Function<GraphUser, Object> get = PROPERTIES.get(property);
            Predicate<GraphUser> p = u -> {
                Object v = get.apply(u);
                if (v == null) {
                    return false;
                }
                for (String word : v.toString().toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                    if (word.startsWith(term)) {
                        return true;
                    }
                }
                return false;
            };
            all = all == null ? p : or ? all.or(p) : all.and(p);
        }
        if (clauseNext && all != null) {
            throw GraphError.badRequest("Syntax error: $search ends with AND or OR: '" + abbreviate(search) + "'.");
        }
        Predicate<GraphUser> result = all == null ? u -> true : all;
        return u -> result.test(u.user());
    }

    /** {@code $orderby}: displayName or userPrincipalName, {@code asc} (default) or {@code desc}. */
    static Comparator<StoredUser> orderBy(String orderBy) {
        String[] parts = orderBy.trim().split("\\s+");
        String property = known(parts[0], List.of("displayName", "userPrincipalName"), "sorting");
        if (parts.length > 2 || parts.length == 2 && !parts[1].equalsIgnoreCase("asc") && !parts[1].equalsIgnoreCase("desc")) {
            throw GraphError.badRequest("Invalid $orderby '" + abbreviate(orderBy) + "': expected a property and asc or desc.");
        }
        Function<GraphUser, Object> get = PROPERTIES.get(property);
        Comparator<StoredUser> c = Comparator.comparing(u -> Objects.toString(get.apply(u.user()), ""), String.CASE_INSENSITIVE_ORDER);
        return parts.length == 2 && parts[1].equalsIgnoreCase("desc") ? c.reversed() : c;
    }

    /** Whether {@code $count} asks for a count ({@code true}); it needs {@code ConsistencyLevel: eventual}. */
    static boolean count(String count, boolean eventual) {
        if (count == null || count.equalsIgnoreCase("false")) {
            return false;
        }
        if (!count.equalsIgnoreCase("true")) {
            throw GraphError.badRequest("$count must be true or false but is '" + abbreviate(count) + "'.");
        }
        if (!eventual) {
            throw new GraphError(400, "Request_BadRequest", "$count on users is an advanced query: " + EVENTUAL + ".");
        }
        return true;
    }

    private Predicate<GraphUser> or() {
        return chain("or", this::and, Predicate::or);
    }

    private Predicate<GraphUser> and() {
        return chain("and", this::unary, Predicate::and);
    }

    /** {@code operand (operator operand)*}, joined from the left. */
    private Predicate<GraphUser> chain(String operator, Supplier<Predicate<GraphUser>> operand,
            BinaryOperator<Predicate<GraphUser>> join) {
        Predicate<GraphUser> left = operand.get();
        while (accept(operator)) {
            left = join.apply(left, operand.get());
        }
        return left;
    }

    private Predicate<GraphUser> unary() {
        if (accept("not")) {
            advanced("not");
            return unary().negate();
        }
        if (accept("(")) {
            Predicate<GraphUser> inner = or();
            expect(")");
            return inner;
        }
        if (accept("startswith")) {
            expect("(");
            Function<GraphUser, Object> get = property();
            expect(",");
            String prefix = string().toLowerCase(Locale.ROOT);
            expect(")");
            return u -> get.apply(u) != null && get.apply(u).toString().toLowerCase(Locale.ROOT).startsWith(prefix);
        }
        String name = next("a property");
        Function<GraphUser, Object> get = PROPERTIES.get(known(name, List.copyOf(PROPERTIES.keySet()), "filter"));
        String op = next("eq, ne or in").toLowerCase(Locale.ROOT);
        switch (op) {
            case "eq", "ne" -> {
                if (op.equals("ne")) {
                    advanced("ne");
                }
                Object value = literal();
                boolean exact = name.equalsIgnoreCase("onPremisesImmutableId");
                Predicate<GraphUser> eq = u -> same(get.apply(u), value, exact);
                return op.equals("eq") ? eq : eq.negate();
            }
            case "in" -> {
                expect("(");
                List<Object> values = new ArrayList<>();
                values.add(literal());
                while (accept(",")) {
                    values.add(literal());
                }
                expect(")");
                return u -> values.stream().anyMatch(v -> same(get.apply(u), v, false));
            }
            default -> throw invalid("expected eq, ne or in after '" + name + "' but found '" + op + "'");
        }
    }

    private static boolean same(Object actual, Object value, boolean exact) {
        if (value == null || actual == null) {
            return value == actual;
        }
        return exact ? actual.toString().equals(value.toString()) : actual.toString().equalsIgnoreCase(value.toString());
    }

    private Function<GraphUser, Object> property() {
        return PROPERTIES.get(known(next("a property"), List.copyOf(PROPERTIES.keySet()), "filter"));
    }

    private Object literal() {
        String t = next("a value");
        if (t.startsWith("'")) {
            return t.substring(1);
        }
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            case "null" -> null;
            default -> throw invalid("expected a 'string', true, false or null but found '" + t + "'");
        };
    }

    private String string() {
        String t = next("a 'string'");
        if (!t.startsWith("'")) {
            throw invalid("expected a 'string' but found '" + t + "'");
        }
        return t.substring(1);
    }

    private void advanced(String what) {
        if (!eventual) {
            throw new GraphError(400, "Request_UnsupportedQuery", "Operator '" + what + "' is an advanced query on users: "
                    + EVENTUAL + ".");
        }
    }

    /** Consumes {@code token} if it comes next. */
    private boolean accept(String token) {
        if (at >= tokens.size() || !tokens.get(at).equalsIgnoreCase(token)) {
            return false;
        }
        at++;
        return true;
    }

    private void expect(String token) {
        if (!accept(token)) {
            throw invalid("expected '" + token + "'" + (at < tokens.size() ? " but found '" + tokens.get(at) + "'" : " at the end"));
        }
    }

    private String next(String what) {
        if (at >= tokens.size()) {
            throw invalid("expected " + what + " at the end");
        }
        return tokens.get(at++);
    }

    private static String known(String name, List<String> allowed, String use) {
        return allowed.stream().filter(p -> p.equalsIgnoreCase(name)).findFirst().orElseThrow(() -> new GraphError(400,
                "Request_UnsupportedQuery", "Unsupported or invalid query " + use + " clause specified for property '"
                + abbreviate(name) + "' of resource 'User'; this mock supports " + String.join(", ", allowed) + "."));
    }

    /** Tokens: names, {@code 'strings'} (kept with their opening quote, {@code ''} unescaped), and ( ) ,. */
    private static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == ',') {
                out.add(String.valueOf(c));
                i++;
            } else if (c == '\'') {
                StringBuilder v = new StringBuilder("'");
                for (i++; ; i++) {
                    if (i >= s.length()) {
                        throw invalid("a string is not closed with '");
                    }
                    if (s.charAt(i) == '\'' && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                        v.append('\'');
                        i++;
                    } else if (s.charAt(i) == '\'') {
                        i++;
                        break;
                    } else {
                        v.append(s.charAt(i));
                    }
                }
                out.add(v.toString());
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-') {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "_.-".indexOf(s.charAt(i)) >= 0)) {
                    i++;
                }
                out.add(s.substring(start, i));
            } else {
                throw invalid("unexpected character '" + c + "'");
            }
        }
        return out;
    }

    /**
     * {@code <name> eq '<value>'} (surrounding spaces allowed, {@code ''} for a quote in the value) as {name, value},
     * or null if the filter has another shape. One pass, no backtracking.
     */
    static String[] parseEq(String filter) {
        int n = filter.length();
        int i = skipSpaces(filter, 0);
        int nameStart = i;
        while (i < n && (Character.isLetterOrDigit(filter.charAt(i)) || filter.charAt(i) == '_')) {
            i++;
        }
        String name = filter.substring(nameStart, i);
        int afterName = i;
        i = skipSpaces(filter, i);
        if (name.isEmpty() || i == afterName || !filter.startsWith("eq", i)) {
            return null;
        }
        int afterEq = i + 2;
        i = skipSpaces(filter, afterEq);
        if (i == afterEq || i >= n || filter.charAt(i) != '\'') {
            return null;
        }
        StringBuilder value = new StringBuilder();
        for (i++; i < n; i++) {
            char c = filter.charAt(i);
            if (c != '\'') {
                value.append(c);
            } else if (i + 1 < n && filter.charAt(i + 1) == '\'') {
                value.append('\'');
                i++;
            } else {
                return skipSpaces(filter, i + 1) == n ? new String[] {name, value.toString()} : null;
            }
        }
        return null; // no closing quote
    }

    private static int skipSpaces(String s, int from) {
        int i = from;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static GraphError invalid(String problem) {
        return new GraphError(400, "Request_UnsupportedQuery", "Invalid filter clause: " + problem + ".");
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
