package dev.keytrust.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.agent.source.SyncState;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the agent remembers between cycles: the delta state, the last successful cycle, the DC it wrote to, and
 * its joins (Entra user id → AD DN and anchor), like Entra Connect's connector space. Saved only after a cycle
 * completes, by writing a temporary file and renaming it over the old one, so a crash leaves the previous state;
 * the next cycle then repeats the same changes, which is harmless because writes are computed as a difference.
 *
 * @param syncState where the key source left off, if a cycle has completed
 * @param lastSuccess when the last cycle completed
 * @param targetInUse the DC the last cycle wrote to
 * @param joins Entra user id → joined AD user
 */
record AgentState(Optional<SyncState> syncState, Optional<Instant> lastSuccess, Optional<String> targetInUse,
        Map<String, Join> joins) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A joined user: its DN and the anchor (base64) it was joined on. */
    record Join(String dn, String anchor) {
    }

    static AgentState empty() {
        return new AgentState(Optional.empty(), Optional.empty(), Optional.empty(), new LinkedHashMap<>());
    }

    /**
     * Reads a state file; a missing file is an empty state.
     *
     * @throws KeyTrustException ({@code GRAPH_STATE_INVALID}) if the file is damaged, naming it
     */
    @SuppressWarnings("unchecked")
    static AgentState load(Path file) {
        if (!Files.exists(file)) {
            return empty();
        }
        try {
            Map<String, Object> m = JSON.readValue(file.toFile(), Map.class);
            Map<String, Join> joins = new LinkedHashMap<>();
            Object raw = m.getOrDefault("joins", Map.of());
            for (Map.Entry<String, Object> e : ((Map<String, Object>) raw).entrySet()) {
                Map<String, String> j = (Map<String, String>) e.getValue();
                joins.put(e.getKey(), new Join(j.get("dn"), j.get("anchor")));
            }
            return new AgentState(
                    Optional.ofNullable((String) m.get("syncState")).map(SyncState::parse),
                    Optional.ofNullable((String) m.get("lastSuccess")).map(Instant::parse),
                    Optional.ofNullable((String) m.get("targetInUse")), joins);
        } catch (IOException | RuntimeException e) {
            throw new KeyTrustException(ErrorCode.GRAPH_STATE_INVALID, "the agent state file " + file + " is damaged ("
                    + e.getMessage() + "); delete it to start over with a full sync", e);
        }
    }

    /** Writes this state atomically (temporary file, then rename). */
    void save(Path file) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", 1);
        m.put("syncState", syncState.map(SyncState::serialize).orElse(null));
        m.put("lastSuccess", lastSuccess.map(Instant::toString).orElse(null));
        m.put("targetInUse", targetInUse.orElse(null));
        Map<String, Object> j = new LinkedHashMap<>();
        joins.forEach((id, join) -> j.put(id, Map.of("dn", join.dn(), "anchor", join.anchor())));
        m.put("joins", j);
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            JSON.writeValue(tmp.toFile(), m);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new KeyTrustException(ErrorCode.STORAGE_FAILED, "cannot write the agent state file " + file
                    + ": " + e.getMessage() + "; check the directory exists and is writable", e);
        }
    }
}
