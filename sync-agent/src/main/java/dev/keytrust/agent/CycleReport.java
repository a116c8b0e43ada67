package dev.keytrust.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one cycle did. {@link #toJson()} is the line {@code keytrust agent --json} prints.
 *
 * @param started when the cycle started (testbed clock)
 * @param mode {@code full} or {@code delta}
 * @param resyncReason why a delta cycle became full, or null
 * @param usersScanned users read from Graph (changed users in a delta cycle)
 * @param usersJoined users joined to an AD user
 * @param usersSkipped users not written, each with the reason
 * @param usersRemoved users deleted in Entra since the last cycle (their AD values are left alone)
 * @param keysAdded values added
 * @param keysRemoved values removed
 * @param keysUnchanged keys already in place
 * @param valuesUntouched values left alone (KeySource AD or undecodable)
 * @param keyProblems keys skipped or values not understood, each with user and reason
 * @param targetDc the DC written to
 * @param fallbackReason why the sync target was passed over, or null
 * @param graphRequests requests made to Graph
 * @param throttleWaits Retry-After waits and back-offs
 * @param durationMillis wall time of the cycle
 */
public record CycleReport(java.time.Instant started, String mode, String resyncReason, int usersScanned, int usersJoined, List<Skipped> usersSkipped,
        int usersRemoved, int keysAdded, int keysRemoved, int keysUnchanged, int valuesUntouched, List<Skipped> keyProblems,
        String targetDc, String fallbackReason, int graphRequests, int throttleWaits, long durationMillis) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A user (UPN, or id when it has none) and why it or one of its keys was skipped. */
    public record Skipped(String user, String reason) {
    }

    /** One JSON object, keys in the documented order. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode);
        m.put("usersScanned", usersScanned);
        m.put("usersJoined", usersJoined);
        m.put("usersSkipped", usersSkipped);
        m.put("keysAdded", keysAdded);
        m.put("keysRemoved", keysRemoved);
        m.put("keysUnchanged", keysUnchanged);
        m.put("targetDc", targetDc);
        m.put("graphRequests", graphRequests);
        m.put("throttleWaits", throttleWaits);
        m.put("durationMillis", durationMillis);
        m.put("usersRemoved", usersRemoved);
        m.put("valuesUntouched", valuesUntouched);
        m.put("keyProblems", keyProblems);
        m.put("fallbackReason", fallbackReason);
        m.put("resyncReason", resyncReason);
        m.put("started", started.toString());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The log line. */
    public String summary() {
        return mode + " cycle: " + usersScanned + " users scanned, " + usersJoined + " joined, " + usersSkipped.size()
                + " skipped; keys +" + keysAdded + " -" + keysRemoved + " =" + keysUnchanged + " on " + targetDc
                + (fallbackReason != null ? " (fallback: " + fallbackReason + ")" : "") + "; " + graphRequests
                + " Graph requests, " + throttleWaits + " throttling waits; " + durationMillis + " ms";
    }
}
