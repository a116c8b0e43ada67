package dev.keytrust.graph.mock.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keytrust.graph.mock.MockSettings;
import dev.keytrust.graph.mock.fault.Throttle;
import dev.keytrust.graph.mock.http.GraphError;
import dev.keytrust.graph.mock.http.MockRequest;
import dev.keytrust.graph.mock.http.MockResponse;
import dev.keytrust.graph.mock.token.TokenService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * {@code POST /{version}/$batch}: checks the request ids and {@code dependsOn}, runs each inner request through the
 * same steps as a request from the network (faults, throttling, routes), gives 424 to the dependants of a failed
 * request, and starts the re-throttle rule of a simulated 429 only when the whole batch is answered. Responses come
 * back shuffled (seeded) or in request order, as the admin settings say ({@link MockSettings#batchOrder()}).
 */
final class BatchRoute {
    private static final int MAX_BATCH = 20;
    private static final ThreadLocal<List<Object[]>> BATCH_TOLD = ThreadLocal.withInitial(ArrayList::new);

    private final Throttle throttle;
    private final Clock clock;
    private final BiFunction<MockRequest, TokenService.Principal, MockResponse> inner;
    private final Supplier<MockSettings.BatchOrder> order;
    private final Random shuffle;

    /**
     * {@code inner} answers one inner request for the batch's principal; {@code order} says whether responses are
     * shuffled (drawn from {@code seed}) or in request order.
     */
    BatchRoute(Throttle throttle, Clock clock, BiFunction<MockRequest, TokenService.Principal, MockResponse> inner,
            Supplier<MockSettings.BatchOrder> order, long seed) {
        this.order = order;
        this.shuffle = new Random(seed ^ 0xBA7C4L);
        this.throttle = throttle;
        this.clock = clock;
        this.inner = inner;
    }

    /**
     * A batch's answers reach the client together: its inner requests were all sent before it could know, so the
     * re-throttle rule of a 429 inside a batch starts when the batch is answered.
     */
    void throttledLater(String client, String resource, int retryAfterSeconds) {
        BATCH_TOLD.get().add(new Object[] {client, resource, retryAfterSeconds});
    }

    MockResponse batch(String version, MockRequest outer, TokenService.Principal p) {
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
            MockResponse answered;
            try {
                answered = this.inner.apply(MockRequest.of(item.path("method").asText(), target, headers, body, true), p);
            } catch (GraphError e) {
                String requestId = java.util.UUID.randomUUID().toString();
                answered = e.toResponse(date(), requestId, requestId);
            }
            statuses.put(id, answered.status());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", id);
            out.put("status", answered.status());
            Map<String, String> innerHeaders = new LinkedHashMap<>(answered.headers());
            out.put("headers", innerHeaders);
            if (answered.body().length > 0) {
                try {
                    out.put("body", MockResponse.JSON.readTree(answered.body()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            responses.add(out);
        }
        for (Object[] told : BATCH_TOLD.get()) {
            throttle.told((String) told[0], (String) told[1], (Integer) told[2]);
        }
        BATCH_TOLD.get().clear();
        if (order.get() == MockSettings.BatchOrder.SHUFFLED) {
            synchronized (shuffle) {
                Collections.shuffle(responses, shuffle);
            }
        }
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
        String requestId = java.util.UUID.randomUUID().toString();
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

    private String date() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
}
