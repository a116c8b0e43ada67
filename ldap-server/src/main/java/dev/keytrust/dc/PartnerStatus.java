package dev.keytrust.dc;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An inbound replication partner as the destination DC saw it on its last pull, as {@code repadmin /showrepl} shows it.
 *
 * @param source the partner's NTDS Settings DN, or its address when it could not be reached
 * @param address {@code host:port} pulled from
 * @param lastAttempt when the last pull started (testbed clock)
 * @param lastSuccess when a pull last succeeded, or null
 * @param result "successful", or why the last attempt failed
 * @param highWaterMark the highest source USN pulled
 * @param failures consecutive failures
 */
public record PartnerStatus(String source, String address, Instant lastAttempt, Instant lastSuccess, String result,
        long highWaterMark, int failures) {

    /** The JSON object the rootDSE's {@code keytrustReplicationStatus} carries. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source);
        m.put("address", address);
        m.put("lastAttempt", lastAttempt.toString());
        m.put("lastSuccess", lastSuccess == null ? null : lastSuccess.toString());
        m.put("result", result);
        m.put("highWaterMark", highWaterMark);
        m.put("failures", failures);
        StringBuilder s = new StringBuilder("{");
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (s.length() > 1) {
                s.append(',');
            }
            s.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            s.append(v == null ? "null" : v instanceof Number ? v.toString() : '"' + v.toString().replace("\\", "\\\\").replace("\"", "\\\"") + '"');
        }
        return s.append('}').toString();
    }
}
