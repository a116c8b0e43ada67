package dev.keytrust.graph.mock.routes;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.graph.mock.FaultRule;
import dev.keytrust.graph.mock.GraphMockConfig;
import dev.keytrust.graph.mock.MockSettings;
import dev.keytrust.graph.mock.RecordedRequest;
import dev.keytrust.graph.mock.admin.AdminRoutes;
import dev.keytrust.graph.mock.directory.GraphDirectory;
import dev.keytrust.graph.mock.directory.RequestJournal;
import dev.keytrust.graph.mock.fault.Fault;
import dev.keytrust.graph.mock.fault.FaultContext;
import dev.keytrust.graph.mock.fault.Faults;
import dev.keytrust.graph.mock.fault.Throttle;
import dev.keytrust.graph.mock.http.GraphError;
import dev.keytrust.graph.mock.http.MockRequest;
import dev.keytrust.graph.mock.http.MockResponse;
import dev.keytrust.graph.mock.http.RouteTable;
import dev.keytrust.graph.mock.token.TokenService;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes one request through the mock: faults first (as Dev Proxy sits in front of Graph), then the identity
 * platform's routes, or for Graph the bearer token check, throttling and the Graph route table; {@code $batch} runs
 * its inner requests through the same steps one by one. Every request gets a {@code request-id} (random: unique across runs, unlike the seeded tenant) and is journaled.
 *
 * <p>To add a Graph route: one line in {@link #graphRoutes()} (method, path template, handler).
 */
public final class GraphRouter {
    private static final Logger LOG = LoggerFactory.getLogger(GraphRouter.class);
    /** The diagnostic header Graph sends on every answer (which front end served it). */
    private static final String AGS_DIAGNOSTIC = "{\"ServerInfo\":{\"DataCenter\":\"KeyTrust Lab\",\"Slice\":\"E\","
            + "\"Ring\":\"1\",\"ScaleUnit\":\"000\",\"RoleInstance\":\"keytrust-graph-mock\"}}";
    private static final String[] DELTA_OPTIONS = {"$select", "$skiptoken", "$deltatoken", "$filter"};
    /** OData system query options, which Graph also accepts without the {@code $}. */
    private static final java.util.Set<String> SYSTEM_OPTIONS = java.util.Set.of("$select", "$filter", "$top", "$skip",
            "$skiptoken", "$deltatoken", "$count", "$orderby", "$search", "$expand", "$format");

    private final GraphDirectory directory;
    private final TokenService tokens;
    private final UsersRoutes users;
    private final MethodsRoutes methods;
    private final BatchRoute batch;
    private final Faults faults;
    private final Throttle throttle;
    private final RequestJournal journal;
    private final AdminRoutes admin;
    private final Clock clock;
    private final RouteTable<Void> identity;
    private final RouteTable<TokenService.Principal> graph;

    public GraphRouter(GraphMockConfig config, GraphDirectory directory, TokenService tokens, Faults faults, Throttle throttle,
            RequestJournal journal, AdminRoutes admin, java.util.function.Supplier<MockSettings> settings) {
        this.directory = directory;
        this.tokens = tokens;
        this.users = new UsersRoutes(directory, config);
        this.methods = new MethodsRoutes(directory);
        this.faults = faults;
        this.throttle = throttle;
        this.journal = journal;
        this.admin = admin;
        this.clock = config.clock();
        this.batch = new BatchRoute(throttle, clock, this::answer, () -> settings.get().batchOrder(), config.seed());
        this.identity = tokens.routes();
        this.graph = graphRoutes();
    }

    /** The Graph routes, under {@code /v1.0} and {@code /beta}; literal paths before templated ones. */
    private RouteTable<TokenService.Principal> graphRoutes() {
        String whfb = "/{version}/users/{user}/authentication/windowsHelloForBusinessMethods";
        return new RouteTable<TokenService.Principal>()
                .add("POST", "/{version}/$batch", (r, p, who) -> batch.batch(p.get("version"), r, who))
                .add("GET", "/{version}/users", (r, p, who) ->
                        users.list(p.get("version"), usersReader(only(r, "$select", "$filter", "$top", "$skiptoken", "$count", "$orderby", "$search", "$expand"), who)))
                .add("GET", "/{version}/users/delta()", (r, p, who) ->
                        users.delta(p.get("version"), usersReader(only(r, DELTA_OPTIONS), who)))
                .add("GET", "/{version}/users/delta", (r, p, who) ->
                        users.delta(p.get("version"), usersReader(only(r, DELTA_OPTIONS), who)))
                .add("GET", "/{version}/users/{user}", (r, p, who) ->
                        users.get(p.get("version"), usersReader(only(r, "$select", "$expand"), who), p.get("user")))
                .add("GET", "/{version}/users/{user}/authentication/methods", (r, p, who) -> {
                    only(r);
                    return methods.allMethods(p.get("version"), methodsReader(who, p.get("user")));
                })
                .add("GET", whfb, (r, p, who) ->
                        methods.whfbMethods(p.get("version"), methodsReader(who, p.get("user")), only(r, "$expand")))
                .add("GET", whfb + "/{method}", (r, p, who) ->
                        methods.whfbMethod(p.get("version"), methodsReader(who, p.get("user")), p.get("method"), only(r, "$expand")))
                .add("DELETE", whfb + "/{method}", (r, p, who) -> {
                    require(who, GraphMockConfig.METHODS_READ_WRITE_ALL);
                    return methods.deleteWhfbMethod(p.get("user"), p.get("method"));
                });
    }

    public void baseUrl(String url) {
        users.baseUrl(url);
        methods.baseUrl(url);
        tokens.baseUrl(url);
    }

    /** Answers one request from the network. */
    public MockResponse dispatch(MockRequest r) {
        if (r.path().startsWith("/_admin/") || r.path().equals("/_admin")) {
            return admin.handle(r);
        }
        return answer(r, null);
    }

    /** Faults, authentication, throttling and routing of one request; {@code principal} is set for batch items. */
    private MockResponse answer(MockRequest r, TokenService.Principal batchPrincipal) {
        String requestId = java.util.UUID.randomUUID().toString();
        String clientRequestId = r.header("client-request-id") != null ? r.header("client-request-id") : java.util.UUID.randomUUID().toString();
        String client = batchPrincipal != null ? batchPrincipal.appId() : tokens.clientOf(r);
        FaultRule fault = faults.hit(r.method(), r.path());
        MockResponse response;
        try {
            MockResponse faulted = fault == null ? null : applyFaults(fault, r, client);
            response = faulted != null ? faulted : route(r, batchPrincipal);
        } catch (GraphError e) {
            boolean oauth = identity.resolve(r.method(), r.rawPath()).found() || r.path().endsWith("/oauth2/v2.0/token");
            response = oauth ? tokens.oauthError(e) : e.toResponse(date(), requestId, clientRequestId);
        } catch (KeyTrustException e) {
            response = (e.errorCode() == ErrorCode.GRAPH_MOCK_BAD_REQUEST ? GraphError.badRequest(e.getMessage())
                    : new GraphError(500, "InternalServerError", e.getMessage())).toResponse(date(), requestId, clientRequestId);
        } catch (RuntimeException | StackOverflowError e) {
            LOG.error("the Graph mock failed on {} {}", r.method(), r.path(), e);
            response = GraphError.internal().toResponse(date(), requestId, clientRequestId);
        }
        journal.add(new RecordedRequest(clock.instant().toString(), r.method(), r.path(), r.query(), response.status(),
                client, requestId, clientRequestId, r.batched(), fault == null ? null : fault.id()));
        if (response.status() == 0) {
            return response;
        }
        MockResponse answered = response.withHeader("request-id", requestId).withHeader("client-request-id", clientRequestId);
        return identity.resolve(r.method(), r.rawPath()).found() ? answered
                : answered.withHeader("OData-Version", "4.0").withHeader("x-ms-ags-diagnostic", AGS_DIAGNOSTIC);
    }

    /** The rule's fault kinds in order, until one answers; null lets the request go on. */
    private MockResponse applyFaults(FaultRule rule, MockRequest r, String client) {
        FaultContext context = new FaultContext() {
            @Override
            public boolean batched() {
                return r.batched();
            }

            @Override
            public Random random() {
                return faults.random();
            }

            @Override
            public void delay(int millis) {
                waitWallTime(millis);
            }

            @Override
            public void throttledFor(int retryAfterSeconds) {
                if (r.batched()) {
                    batch.throttledLater(client, Throttle.resource(r.path()), retryAfterSeconds);
                } else {
                    throttle.told(client, Throttle.resource(r.path()), retryAfterSeconds);
                }
            }
        };
        for (Fault f : rule.faults()) {
            MockResponse answered = f.apply(context);
            if (answered != null) {
                return answered;
            }
        }
        return null;
    }

    private MockResponse route(MockRequest r, TokenService.Principal batchPrincipal) {
        String path = r.path();
        RouteTable.Resolution<Void> token = identity.resolve(r.method(), r.rawPath());
        if (token.found()) {
            return token.handle(r, null);
        }
        String[] s = path.substring(1).split("/", -1);
        if (s.length < 2 || !("v1.0".equals(s[0]) || "beta".equals(s[0]))) {
            throw new GraphError(404, "Request_ResourceNotFound", "No route for " + path + "; Graph lives under /v1.0 and "
                    + "/beta, the token endpoint at /{tenant}/oauth2/v2.0/token, the admin API under /_admin.");
        }
        TokenService.Principal principal = batchPrincipal != null ? batchPrincipal : tokens.authenticate(r, null);
        boolean usersCollection = s.length == 2 && "users".equals(s[1]);
        Map<String, String> rateHeaders = new LinkedHashMap<>();
        int cost = "$batch".equals(s[1]) ? 0 : Throttle.cost(r.method(), usersCollection, r.query());
        GraphError throttled = throttle.charge(principal.appId(), Throttle.resource(path), cost, rateHeaders);
        if (throttled != null) {
            throw throttled;
        }
        RouteTable.Resolution<TokenService.Principal> found = graph.resolve(r.method(), r.rawPath());
        if (!found.found() && !found.allowed().isEmpty()) {
            throw new GraphError(405, "Request_BadRequest", "The HTTP method '" + r.method() + "' is not allowed here; use "
                    + String.join(" or ", found.allowed()) + ".");
        }
        if (!found.found()) {
            throw GraphError.badRequest("Resource not found for the segment '" + ("users".equals(s[1])
                    ? s[s.length - 1] : s[1]) + "'.");
        }
        MockResponse response = found.handle(r, principal);
        for (Map.Entry<String, String> h : rateHeaders.entrySet()) {
            response = response.withHeader(h.getKey(), h.getValue());
        }
        return response;
    }

    /**
     * The request, if it has no system query option ({@code $name}) but {@code supported}: anything else is a 400
     * {@code Request_UnsupportedQuery}, never a 200 with the option ignored.
     */
    private static MockRequest only(MockRequest r, String... supported) {
        for (String name : r.query().keySet()) {
            String option = name.startsWith("$") ? name : "$" + name;
            boolean system = name.startsWith("$") || SYSTEM_OPTIONS.contains(option.toLowerCase(Locale.ROOT));
            if (system && java.util.Arrays.stream(supported).noneMatch(option::equalsIgnoreCase)) {
                throw new GraphError(400, "Request_UnsupportedQuery", "The query option '" + option + "' is not supported by "
                        + "this mock on " + r.path() + (supported.length == 0 ? "; this route takes no query options."
                        : "; it supports " + String.join(", ", supported) + ".") + " See the README's Graph mock fidelity table.");
            }
        }
        return r;
    }

    /** The request, after checking the principal may read users (and keys, when {@code $select} asks for them). */
    private static MockRequest usersReader(MockRequest r, TokenService.Principal p) {
        require(p, GraphMockConfig.USER_READ_ALL);
        String select = r.option("$select");
        if (select != null && select.toLowerCase(Locale.ROOT).contains("devicekeys")) {
            require(p, GraphMockConfig.METHODS_READ_ALL);
        }
        return r;
    }

    /** The user, after checking the principal may read authentication methods. */
    private static String methodsReader(TokenService.Principal p, String user) {
        require(p, GraphMockConfig.METHODS_READ_ALL);
        return user;
    }

    private static void require(TokenService.Principal p, String role) {
        if (!p.roles().contains(role)) {
            throw new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation. "
                    + "The app needs the application permission " + role + "; its token has " + p.roles() + ".");
        }
    }

    private String date() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    /** Simulated network latency: wall time, it does not move the testbed clock. */
    private static void waitWallTime(int millis) {
        Object monitor = new Object();
        long deadline = System.nanoTime() + millis * 1_000_000L;
        synchronized (monitor) {
            for (long left = millis; left > 0; left = (deadline - System.nanoTime()) / 1_000_000L) {
                try {
                    monitor.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
