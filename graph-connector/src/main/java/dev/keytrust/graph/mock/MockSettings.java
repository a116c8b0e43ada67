package dev.keytrust.graph.mock;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How the running mock behaves where Graph leaves a choice, changeable through the admin API at any time.
 *
 * <ul>
 *   <li>{@code batchOrder}: {@code shuffled} (default) answers a {@code $batch} in an order drawn from the seed, as
 *       Graph may ("the responses can be in any order"); {@code inOrder} answers in request order.</li>
 *   <li>{@code throttleHeaders}: {@code graph} (default) sends what Graph sends — {@code Retry-After} and the
 *       {@code x-ms-throttle-*} / {@code x-ms-resource-unit} headers; {@code rateLimit} sends Dev Proxy's
 *       {@code RateLimit-Limit/-Remaining/-Reset} on every answer when a rate limit is set.</li>
 * </ul>
 *
 * <pre>{@code
 * mock.admin().settings(new MockSettings(MockSettings.BatchOrder.IN_ORDER, null)); // null: leave unchanged
 * }</pre>
 *
 * @param batchOrder order of {@code $batch} responses
 * @param throttleHeaders which throttling headers are sent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MockSettings(BatchOrder batchOrder, ThrottleHeaders throttleHeaders) {
    /** The defaults: shuffled batches, Graph's throttling headers. */
    public static final MockSettings DEFAULTS = new MockSettings(BatchOrder.SHUFFLED, ThrottleHeaders.GRAPH);

    /** Order of {@code $batch} responses. */
    public enum BatchOrder {
        @JsonProperty("inOrder") IN_ORDER,
        @JsonProperty("shuffled") SHUFFLED
    }

    /** Which throttling headers the mock sends. */
    public enum ThrottleHeaders {
        @JsonProperty("graph") GRAPH,
        @JsonProperty("rateLimit") RATE_LIMIT
    }

    /** These settings with {@code change}'s non-null values applied. */
    public MockSettings with(MockSettings change) {
        return new MockSettings(change.batchOrder() != null ? change.batchOrder() : batchOrder,
                change.throttleHeaders() != null ? change.throttleHeaders() : throttleHeaders);
    }
}
