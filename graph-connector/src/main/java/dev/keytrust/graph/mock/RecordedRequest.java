package dev.keytrust.graph.mock;

import java.util.Map;

/**
 * One request the mock answered, as its journal ({@code GET /_admin/requests}) shows it.
 *
 * @param time when (testbed clock, ISO-8601)
 * @param method HTTP method
 * @param path path
 * @param query decoded query options
 * @param status status answered (0: connection dropped)
 * @param client the app id from the token, or "-" when there was none
 * @param requestId the request-id header sent back
 * @param clientRequestId the client-request-id (echoed, or assigned)
 * @param batched whether it came inside a $batch
 * @param fault the id of the fault rule that answered it, or null
 */
public record RecordedRequest(String time, String method, String path, Map<String, String> query, int status,
        String client, String requestId, String clientRequestId, boolean batched, String fault) {
}
