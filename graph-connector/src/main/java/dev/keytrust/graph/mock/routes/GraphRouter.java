package dev.keytrust.graph.mock.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.graph.mock.FaultRule;
import dev.keytrust.graph.mock.GraphMockConfig;
import dev.keytrust.graph.mock.RecordedRequest;
import dev.keytrust.graph.mock.admin.AdminRoutes;
import dev.keytrust.graph.mock.directory.GraphDirectory;
import dev.keytrust.graph.mock.directory.RequestJournal;
import dev.keytrust.graph.mock.fault.Faults;
import dev.keytrust.graph.mock.fault.Throttle;
import dev.keytrust.graph.mock.http.GraphError;
import dev.keytrust.graph.mock.http.MockRequest;
import dev.keytrust.graph.mock.http.MockResponse;
import dev.keytrust.graph.mock.token.TokenService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes one request through the mock: faults first (as Dev Proxy sits in front of Graph), then the token
 * endpoint, or for Graph the bearer token check, throttling and the route; {@code $batch} runs its inner requests
 * through the same steps one by one. Every request gets a {@code request-id} and is journaled.
 */
public final class GraphRouter {
    private static final Logger LOG = LoggerFactory.getLogger(GraphRouter.class);
    private static final int MAX_BATCH = 20;
    private static final ThreadLocal<List<Object[]>> BATCH_TOLD = ThreadLocal.withInitial(ArrayList::new);

    private final GraphDirectory directory;
    private final TokenService tokens;
    private final UsersRoutes users;
    private final MethodsRoutes methods;
    private final Faults faults;
    private final Throttle throttle;
    private final RequestJournal journal;
    private final AdminRoutes admin;
    private final Clock clock;

    public GraphRouter(GraphMockConfig config, GraphDirectory directory, TokenService tokens, Faults faults, Throttle throttle,
            RequestJournal journal, AdminRoutes admin) {
        this.directory = directory;
        this.tokens = tokens;
        this.users = new UsersRoutes(directory, config);
        this.methods = new MethodsRoutes(directory);
        this.faults = faults;
        this.throttle = throttle;
        this.journal = journal;
        this.admin = admin;
        this.clock = config.clock();
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
        String requestId = directory.nextGuid().toString();
        String clientRequestId = r.header("client-request-id") != null ? r.header("client-request-id") : directory.nextGuid().toString();
        String client = batchPrincipal != null ? batchPrincipal.appId() : tokens.clientOf(r);
        FaultRule fault = faults.hit(r.method(), r.path());
        MockResponse response;
        try {
            if (fault != null && fault.latencyMs() > 0) {
                waitWallTime(fault.latencyMs());
            }
            if (fault != null && fault.drop()) {
                response = r.batched() ? new GraphError(504, "GatewayTimeout", "The upstream connection was dropped.")
                        .toResponse(date(), requestId, clientRequestId) : MockResponse.dropped();
            } else if (fault != null && fault.status() != 0) {
                GraphError e = simulated(fault.status());
                if (fault.retryAfterSeconds() > 0) {
                    e.header("Retry-After", Integer.toString(fault.retryAfterSeconds()));
                    if (fault.status() == 429) {
                        // A batch's answers reach the client together: its inner requests were all sent before it
                        // could know, so the re-throttle rule starts when the batch is answered.
                        if (r.batched()) {
                            BATCH_TOLD.get().add(new Object[] {client, fault.retryAfterSeconds()});
                        } else {
                            throttle.told(client, fault.retryAfterSeconds());
                        }
                    }
                }
                throw e;
            } else {
                response = route(r, batchPrincipal, client);
            }
        } catch (GraphError e) {
            response = e.toResponse(date(), requestId, clientRequestId);
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
        return response.withHeader("request-id", requestId).withHeader("client-request-id", clientRequestId);
    }

    private MockResponse route(MockRequest r, TokenService.Principal batchPrincipal, String client) {
        String path = r.path();
        String[] s = path.substring(1).split("/", -1);
        if (s.length == 4 && "oauth2".equals(s[1]) && "v2.0".equals(s[2]) && "token".equals(s[3])) {
            return tokens.token(s[0], r);
        }
        if (s.length < 2 || !("v1.0".equals(s[0]) || "beta".equals(s[0]))) {
            throw new GraphError(404, "Request_ResourceNotFound", "No route for " + path + "; Graph lives under /v1.0 and "
                    + "/beta, the token endpoint at /{tenant}/oauth2/v2.0/token, the admin API under /_admin.");
        }
        String version = s[0];
        TokenService.Principal principal = batchPrincipal != null ? batchPrincipal : tokens.authenticate(r, null);
        boolean usersCollection = s.length == 2 && "users".equals(s[1])
                || s.length == 3 && "users".equals(s[1]) && s[2].startsWith("delta");
        Map<String, String> rateHeaders = new LinkedHashMap<>();
        GraphError throttled = throttle.charge(principal.appId(), "$batch".equals(s[1]) ? 0 : usersCollection ? 2 : 1, rateHeaders);
        if (throttled != null) {
            throw throttled;
        }
        MockResponse response = graph(version, s, r, principal);
        for (Map.Entry<String, String> h : rateHeaders.entrySet()) {
            response = response.withHeader(h.getKey(), h.getValue());
        }
        return response;
    }

    private MockResponse graph(String version, String[] s, MockRequest r, TokenService.Principal p) {
        String m = r.method();
        if (s.length == 2 && "$batch".equals(s[1])) {
            requireMethod(m, "POST");
            return batch(version, r, p);
        }
        if (!"users".equals(s[1])) {
            throw GraphError.badRequest("Resource not found for the segment '" + s[1] + "'.");
        }
        if (s.length == 2) {
            requireMethod(m, "GET");
            require(p, GraphMockConfig.USER_READ_ALL);
            requireKeysRole(p, r.option("$select"));
            return users.list(version, r);
        }
        if (s.length == 3 && (s[2].equals("delta()") || s[2].equals("delta"))) {
            requireMethod(m, "GET");
            require(p, GraphMockConfig.USER_READ_ALL);
            requireKeysRole(p, r.option("$select"));
            return users.delta(version, r);
        }
        if (s.length == 3) {
            requireMethod(m, "GET");
            require(p, GraphMockConfig.USER_READ_ALL);
            requireKeysRole(p, r.option("$select"));
            return users.get(version, r, s[2]);
        }
        if (s.length >= 5 && "authentication".equals(s[3])) {
            String user = s[2];
            if (s.length == 5 && "methods".equals(s[4])) {
                requireMethod(m, "GET");
                require(p, GraphMockConfig.METHODS_READ_ALL);
                return methods.allMethods(version, user);
            }
            if ("windowsHelloForBusinessMethods".equals(s[4])) {
                if (s.length == 5) {
                    requireMethod(m, "GET");
                    require(p, GraphMockConfig.METHODS_READ_ALL);
                    return methods.whfbMethods(version, user, r);
                }
                if (s.length == 6 && "DELETE".equals(m)) {
                    require(p, GraphMockConfig.METHODS_READ_WRITE_ALL);
                    return methods.deleteWhfbMethod(user, s[5]);
                }
                if (s.length == 6) {
                    requireMethod(m, "GET");
                    require(p, GraphMockConfig.METHODS_READ_ALL);
                    return methods.whfbMethod(version, user, s[5], r);
                }
            }
        }
        throw GraphError.badRequest("Resource not found for the segment '" + s[s.length - 1] + "'.");
    }

    private MockResponse batch(String version, MockRequest outer, TokenService.Principal p) {
        JsonNode requests;
        try {
            requests = MockResponse.JSON.readTree(outer.body()).path("requests");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw GraphError.badRequest("The $batch body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw GraphError.badRequest("The $batch body could not be read.");
        }
        if (!requests.isArray() || requests.isEmpty()) {
            throw GraphError.badRequest("A $batch body needs a non-empty 'requests' array.");
        }
        if (requests.size() > MAX_BATCH) {
            throw GraphError.badRequest("Number of batch request steps exceeds the maximum of " + MAX_BATCH
                    + " (got " + requests.size() + ").");
        }
        Map<String, List<String>> dependencies = checkIds(requests);
        Map<String, Integer> statuses = new LinkedHashMap<>();
        List<Object> responses = new ArrayList<>();
        BATCH_TOLD.get().clear();
        for (JsonNode item : requests) {
            String id = item.path("id").asText(null);
            String url = item.path("url").asText(null);
            String failed = dependencies.get(id).stream().filter(d -> statuses.get(d) / 100 != 2).findFirst().orElse(null);
            if (failed != null) {
                statuses.put(id, 424);
                responses.add(failedDependency(id, failed));
                continue;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = item.path("headers").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> h = it.next();
                headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue().asText());
            }
            byte[] body = item.has("body") ? item.get("body").toString().getBytes(StandardCharsets.UTF_8) : new byte[0];
            String target = "/" + version + (url.startsWith("/") ? url : "/" + url);
            MockResponse inner;
            try {
                inner = answer(MockRequest.of(item.path("method").asText(), target, headers, body, true), p);
            } catch (GraphError e) {
                String requestId = directory.nextGuid().toString();
                inner = e.toResponse(date(), requestId, requestId);
            }
            statuses.put(id, inner.status());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", id);
            out.put("status", inner.status());
            Map<String, String> innerHeaders = new LinkedHashMap<>(inner.headers());
            out.put("headers", innerHeaders);
            if (inner.body().length > 0) {
                try {
                    out.put("body", MockResponse.JSON.readTree(inner.body()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            responses.add(out);
        }
        for (Object[] told : BATCH_TOLD.get()) {
            throttle.told((String) told[0], (Integer) told[1]);
        }
        BATCH_TOLD.get().clear();
        return MockResponse.json(200, Map.of("responses", responses));
    }

    /**
     * Checks every request's {@code id}, {@code method} and {@code url}, that ids are unique, and that {@code dependsOn}
     * names earlier requests of the batch, as Graph does; answers each id's dependencies.
     */
    private static Map<String, List<String>> checkIds(JsonNode requests) {
        Map<String, List<String>> dependencies = new LinkedHashMap<>();
        for (JsonNode item : requests) {
            if (!item.isObject() || !item.path("id").isTextual() || !item.path("url").isTextual() || !item.path("method").isTextual()) {
                throw GraphError.badRequest("Each $batch request needs 'id', 'method' and 'url' as strings; got "
                        + abbreviate(item.toString()));
            }
            String id = item.get("id").asText();
            if (dependencies.containsKey(id)) {
                throw GraphError.badRequest("Request Id '" + id + "' has to be unique in a batch.");
            }
            List<String> dependsOn = new ArrayList<>();
            JsonNode d = item.path("dependsOn");
            if (!d.isMissingNode() && !d.isNull() && !d.isArray()) {
                throw GraphError.badRequest("Invalid dependency for request Id '" + id + "': dependsOn must be an array of "
                        + "request ids.");
            }
            for (JsonNode on : d) {
                String other = on.asText();
                if (other.equals(id)) {
                    throw GraphError.badRequest("Invalid dependency for request Id '" + id + "': a request cannot depend on itself.");
                }
                if (!on.isTextual() || !dependencies.containsKey(other)) {
                    throw GraphError.badRequest("Invalid dependency for request Id '" + id + "': '" + abbreviate(other)
                            + "' is not the id of an earlier request in this batch.");
                }
                dependsOn.add(other);
            }
            dependencies.put(id, dependsOn);
        }
        return dependencies;
    }

    private Map<String, Object> failedDependency(String id, String failed) {
        String requestId = directory.nextGuid().toString();
        MockResponse r = new GraphError(424, "FailedDependency", "The request was not run: it depends on request '"
                + failed + "', which failed.").toResponse(date(), requestId, requestId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("status", 424);
        out.put("headers", new LinkedHashMap<>(r.headers()));
        try {
            out.put("body", MockResponse.JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static void requireMethod(String actual, String expected) {
        if (!expected.equals(actual)) {
            throw new GraphError(405, "Request_BadRequest", "The HTTP method '" + actual + "' is not allowed here; use "
                    + expected + ".");
        }
    }

    private static void require(TokenService.Principal p, String role) {
        if (!p.roles().contains(role)) {
            throw new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation. "
                    + "The app needs the application permission " + role + "; its token has " + p.roles() + ".");
        }
    }

    private static void requireKeysRole(TokenService.Principal p, String select) {
        if (select != null && select.toLowerCase(Locale.ROOT).contains("devicekeys")) {
            require(p, GraphMockConfig.METHODS_READ_ALL);
        }
    }

    private static GraphError simulated(int status) {
        return switch (status) {
            case 429 -> new GraphError(429, "TooManyRequests", "Too many requests (simulated throttling).");
            case 500 -> new GraphError(500, "InternalServerError", "Internal server error (simulated).");
            case 502 -> new GraphError(502, "BadGateway", "Bad gateway (simulated).");
            case 503 -> new GraphError(503, "ServiceUnavailable", "Service unavailable (simulated).");
            default -> new GraphError(504, "GatewayTimeout", "Gateway timeout (simulated).");
        };
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
