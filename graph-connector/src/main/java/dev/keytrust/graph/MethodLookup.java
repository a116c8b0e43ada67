package dev.keytrust.graph;

import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.models.WindowsHelloForBusinessAuthenticationMethod;
import com.microsoft.graph.models.WindowsHelloForBusinessAuthenticationMethodCollectionResponse;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.ApiExceptionBuilder;
import com.microsoft.kiota.NativeResponseHandler;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.ResponseHeaders;
import com.microsoft.kiota.serialization.Parsable;
import com.microsoft.kiota.serialization.ParsableFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds each key's WHfB method (device name, creation time, strength) with the v1.0 SDK, 20 requests per
 * {@code $batch}, up to 4 batches in flight: first each user's method list; then, only for users with more than one key or method, each
 * method with {@code $expand=device} to learn which device it belongs to. Inner 429/5xx are retried in a later
 * batch after their Retry-After; an inner failure that will not go away marks that user alone.
 */
final class MethodLookup {
    static final int BATCH = 20;
    private static final com.microsoft.kiota.serialization.JsonParseNodeFactory PARSER =
            new com.microsoft.kiota.serialization.JsonParseNodeFactory();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** A user's methods by device id (lower case), or why they could not be loaded. */
    record Result(Map<String, WindowsHelloForBusinessAuthenticationMethod> byDeviceId, String error) {
    }

    private record Outcome<T>(T value, String error) {
    }

    private final GraphServiceClient graph;
    private final GraphCalls calls;
    private final java.util.concurrent.ExecutorService pool;

    MethodLookup(GraphServiceClient graph, GraphCalls calls, int parallelBatches) {
        this.graph = graph;
        this.calls = calls;
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        this.pool = java.util.concurrent.Executors.newFixedThreadPool(parallelBatches, r -> {
            Thread t = new Thread(r, "keytrust-graph-batch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    Map<String, Result> lookUp(List<BetaUser> users) {
        Map<String, RequestInformation> lists = new LinkedHashMap<>();
        for (BetaUser u : users) {
            lists.put(u.id, graph.users().byUserId(u.id).authentication().windowsHelloForBusinessMethods().toGetRequestInformation());
        }
        Map<String, Outcome<WindowsHelloForBusinessAuthenticationMethodCollectionResponse>> listed =
                run("listing WHfB methods", lists, WindowsHelloForBusinessAuthenticationMethodCollectionResponse::createFromDiscriminatorValue);
        Map<String, Result> out = new LinkedHashMap<>();
        Map<String, RequestInformation> expands = new LinkedHashMap<>();
        Map<String, String> expandOwner = new LinkedHashMap<>();
        for (BetaUser u : users) {
            Outcome<WindowsHelloForBusinessAuthenticationMethodCollectionResponse> o = listed.get(u.id);
            if (o.error() != null) {
                out.put(u.id, new Result(Map.of(), "its WHfB methods could not be read: " + o.error()));
                continue;
            }
            List<WindowsHelloForBusinessAuthenticationMethod> methods = o.value().getValue() == null ? List.of() : o.value().getValue();
            if (methods.size() == 1 && u.deviceKeys.size() == 1 && u.deviceKeys.get(0).deviceId != null) {
                out.put(u.id, new Result(Map.of(u.deviceKeys.get(0).deviceId.toLowerCase(Locale.ROOT), methods.get(0)), null));
                continue;
            }
            out.put(u.id, new Result(new LinkedHashMap<>(), null));
            for (WindowsHelloForBusinessAuthenticationMethod m : methods) {
                String step = u.id + "/" + m.getId();
                expands.put(step, graph.users().byUserId(u.id).authentication().windowsHelloForBusinessMethods()
                        .byWindowsHelloForBusinessAuthenticationMethodId(m.getId())
                        .toGetRequestInformation(c -> c.queryParameters.expand = new String[] {"device"}));
                expandOwner.put(step, u.id);
            }
        }
        Map<String, Outcome<WindowsHelloForBusinessAuthenticationMethod>> expanded =
                run("reading WHfB methods with their devices", expands, WindowsHelloForBusinessAuthenticationMethod::createFromDiscriminatorValue);
        for (Map.Entry<String, Outcome<WindowsHelloForBusinessAuthenticationMethod>> e : expanded.entrySet()) {
            String user = expandOwner.get(e.getKey());
            Result r = out.get(user);
            if (r.error() != null) {
                continue;
            }
            Outcome<WindowsHelloForBusinessAuthenticationMethod> o = e.getValue();
            if (o.error() != null) {
                out.put(user, new Result(Map.of(), "a WHfB method could not be read: " + o.error()));
            } else if (o.value().getDevice() != null && o.value().getDevice().getDeviceId() != null) {
                r.byDeviceId().put(o.value().getDevice().getDeviceId().toLowerCase(Locale.ROOT), o.value());
            }
        }
        return out;
    }

    /** Sends {@code requests} in batches, retrying inner transient failures after their Retry-After. */
    private <T extends Parsable> Map<String, Outcome<T>> run(String what, Map<String, RequestInformation> requests,
            ParsableFactory<T> factory) {
        Map<String, Outcome<T>> results = new LinkedHashMap<>();
        Map<String, RequestInformation> pending = new LinkedHashMap<>(requests);
        // Rounds go on while they make progress; maxAttempts rounds in a row without any success end them. Retry
        // rounds send one batch at a time, so a throttled client does not keep several batches in flight.
        for (int attempt = 1, round = 1; !pending.isEmpty(); round++) {
            int before = results.size();
            Map<String, RequestInformation> retry = new LinkedHashMap<>();
            Duration longestWait = Duration.ZERO;
            String lastStatus = null;
            List<String> keys = new ArrayList<>(pending.keySet());
            List<java.util.concurrent.Future<List<Step<T>>>> sent = new ArrayList<>();
            for (int from = 0; from < keys.size(); from += BATCH) {
                List<String> chunk = keys.subList(from, Math.min(keys.size(), from + BATCH));
                Map<String, RequestInformation> requestsOfChunk = new LinkedHashMap<>();
                for (String k : chunk) {
                    requestsOfChunk.put(k, pending.get(k));
                }
                java.util.concurrent.Callable<List<Step<T>>> batch = () -> send(what, requestsOfChunk, factory);
                if (round == 1) {
                    sent.add(pool.submit(batch));
                } else {
                    java.util.concurrent.FutureTask<List<Step<T>>> now = new java.util.concurrent.FutureTask<>(batch);
                    now.run();
                    sent.add(now);
                }
            }
            for (java.util.concurrent.Future<List<Step<T>>> f : sent) {
                for (Step<T> step : join(f)) {
                    if (step.outcome() != null) {
                        results.put(step.key(), step.outcome());
                    } else if (attempt < calls.maxAttempts()) {
                        retry.put(step.key(), pending.get(step.key()));
                        Duration wait = step.retryAfter() != null ? step.retryAfter() : calls.backoff(attempt);
                        longestWait = wait.compareTo(longestWait) > 0 ? wait : longestWait;
                        lastStatus = step.status();
                    } else {
                        results.put(step.key(), new Outcome<>(null, step.status() + " " + step.body()));
                    }
                }
            }
            attempt = results.size() > before ? 1 : attempt + 1;
            if (!retry.isEmpty()) {
                calls.waitBeforeRetry(what + ": " + retry.size() + " inner requests failed", attempt,
                        Optional.of(longestWait), lastStatus);
            }
            pending = retry;
        }
        return results;
    }

    /** One step's result: an outcome, or (outcome null) a transient failure to retry after {@code wait}. */
    private record Step<T>(String key, Outcome<T> outcome, Duration retryAfter, String status, String body) {
    }

    private <T extends Parsable> List<Step<T>> send(String what, Map<String, RequestInformation> chunk, ParsableFactory<T> factory) {
        BatchRequestContent content = new BatchRequestContent(graph);
        Map<String, String> stepToKey = new LinkedHashMap<>();
        for (Map.Entry<String, RequestInformation> e : chunk.entrySet()) {
            stepToKey.put(content.addBatchRequestStep(e.getValue()), e.getKey());
        }
        List<Step<T>> out = new ArrayList<>();
        Map<String, InnerResponse> responses;
        try {
            responses = calls.once(what + " (" + chunk.size() + " in a $batch)", () -> post(content));
        } catch (GraphCalls.TransientFailure e) {
            for (String key : stepToKey.values()) {
                out.add(new Step<>(key, null, e.retryAfter().orElse(null), "the $batch failed: " + e.getMessage(), ""));
            }
            return out;
        }
        for (Map.Entry<String, String> step : stepToKey.entrySet()) {
            InnerResponse inner = responses.get(step.getKey());
            int status = inner == null ? 0 : inner.status();
            if (status >= 200 && status < 300) {
                out.add(new Step<>(step.getValue(), new Outcome<>(parse(inner.body(), factory), null), null, null, null));
            } else if (inner == null || status == 429 || status >= 500) {
                Duration wait = GraphCalls.retryAfter(inner == null ? null : inner.retryAfter()).orElse(null);
                out.add(new Step<>(step.getValue(), null, wait, inner == null ? "no answer in the $batch" : "HTTP " + status,
                        inner == null ? "" : inner.bodyText()));
            } else {
                out.add(new Step<>(step.getValue(), new Outcome<>(null, "HTTP " + status + " " + inner.bodyText()), null, null, null));
            }
        }
        return out;
    }

    /** One answer inside a $batch response. */
    private record InnerResponse(int status, String retryAfter, byte[] body) {
        String bodyText() {
            String s = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            return s.length() > 300 ? s.substring(0, 300) + "..." : s;
        }
    }

    /** The SDK's BatchResponseContent re-reads the whole response for every step; this reads it once. */
    private static Map<String, InnerResponse> parseBatch(okhttp3.Response response) throws IOException {
        Map<String, InnerResponse> out = new LinkedHashMap<>();
        com.fasterxml.jackson.databind.JsonNode root = JSON.readTree(response.body().byteStream());
        for (com.fasterxml.jackson.databind.JsonNode r : root.path("responses")) {
            com.fasterxml.jackson.databind.JsonNode headers = r.path("headers");
            String retryAfter = null;
            for (java.util.Iterator<String> it = headers.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (name.equalsIgnoreCase("Retry-After")) {
                    retryAfter = headers.get(name).asText();
                }
            }
            byte[] body = r.has("body") ? JSON.writeValueAsBytes(r.get("body")) : new byte[0];
            out.put(r.path("id").asText(), new InnerResponse(r.path("status").asInt(), retryAfter, body));
        }
        return out;
    }

    private <T extends Parsable> T parse(byte[] body, ParsableFactory<T> factory) {
        try {
            return PARSER.getParseNode("application/json", new java.io.ByteArrayInputStream(body)).getObjectValue(factory);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read a $batch answer: " + e.getMessage(), e);
        }
    }

    private static <T> T join(java.util.concurrent.Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading WHfB methods", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    void close() {
        pool.shutdownNow();
    }

    /**
     * Posts a batch. The SDK's {@code BatchRequestBuilder.post} hands back any outer response, error or not; this
     * posts the same request and turns an outer failure (429, 5xx...) into an {@link ApiException} with its status
     * and headers, so {@link GraphCalls} retries it like any other request.
     */
    private Map<String, InnerResponse> post(BatchRequestContent content) {
        try {
            RequestInformation info = graph.getBatchRequestBuilder().toPostRequestInformation(content);
            NativeResponseHandler handler = new NativeResponseHandler();
            info.setResponseHandler(handler);
            graph.getRequestAdapter().sendPrimitive(info, new java.util.HashMap<>(), java.io.InputStream.class);
            okhttp3.Response response = (okhttp3.Response) handler.getValue();
            if (!response.isSuccessful()) {
                ResponseHeaders headers = new ResponseHeaders();
                response.headers().toMultimap().forEach((k, v) -> headers.put(k, new java.util.HashSet<>(v)));
                String body = body(response);
                throw new ApiExceptionBuilder().withMessage("$batch answered " + response.code() + ": " + body)
                        .withResponseStatusCode(response.code()).withResponseHeaders(headers).build();
            }
            try (response) {
                return parseBatch(response);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String body(okhttp3.Response r) {
        if (r == null || r.body() == null) {
            return "";
        }
        try {
            String s = r.body().string();
            return s.length() > 300 ? s.substring(0, 300) + "..." : s;
        } catch (IOException e) {
            return "";
        }
    }
}
