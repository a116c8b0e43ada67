package dev.keytrust.dc.changes;

import dev.keytrust.dc.ReplicationCursor;
import dev.keytrust.dc.state.DcState;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A persistent DC's replication high-water marks (per source database, the highest source USN pulled) and
 * up-to-dateness vector, kept in its data directory across restarts. Written on a clean stop only: after a crash the data on disk may be older than the marks
 * would claim, and pulling again from older marks is always safe (changes already held lose to the same stamps).
 */
public final class ReplicationHighWaterMarks {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationHighWaterMarks.class);
    static final String FILE = "replication-high-water-marks.properties";
    private static final String UTD = "utd.";

    private ReplicationHighWaterMarks() {
    }

    public static void load(Path dir, DcState state) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            for (String key : p.stringPropertyNames()) {
                String value = p.getProperty(key).trim();
                if (key.startsWith(UTD)) {
                    String[] f = value.split("\\|", 3);
                    java.util.UUID id = java.util.UUID.fromString(key.substring(UTD.length()));
                    state.replication.upToDateness.put(id, new ReplicationCursor(id, f[2], Long.parseLong(f[0]), java.time.Instant.parse(f[1])));
                } else {
                    state.replication.highWaterMarks.put(key, Long.parseLong(value));
                }
            }
            // Used once: if this run crashes, the next start pulls from zero rather than trust marks the data may not match.
            Files.delete(file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring damaged {} ({}); partners will be pulled from the start", file, e.getMessage());
            state.replication.highWaterMarks.clear();
            state.replication.upToDateness.clear();
        }
    }

    public static void save(Path dir, DcState state) {
        Properties p = new Properties();
        for (Map.Entry<String, Long> e : state.replication.highWaterMarks.entrySet()) {
            p.setProperty(e.getKey(), Long.toString(e.getValue()));
        }
        for (ReplicationCursor c : state.replication.upToDateness.values()) {
            p.setProperty(UTD + c.invocationId(), c.usn() + "|" + c.lastSyncSuccess() + "|" + c.dsaDn());
        }
        try {
            Path tmp = Files.createTempFile(dir, FILE, ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "replication state: source invocationId = highest source USN pulled; "
                        + "utd.<invocationId> = up-to-dateness vector entry (usn|last sync|DSA DN)");
            }
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot save replication high-water marks in {}: {}; partners will be pulled from the start", dir, e.getMessage());
        }
    }
}
