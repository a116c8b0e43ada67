package dev.keytrust.dc;

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
 * A persistent DC's replication high-water marks (per source DSA, the highest source USN pulled), kept in its data
 * directory across restarts. Written on a clean stop only: after a crash the data on disk may be older than the marks
 * would claim, and pulling again from older marks is always safe (changes already held lose to the same stamps).
 */
final class ReplicationHighWaterMarks {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationHighWaterMarks.class);
    static final String FILE = "replication-high-water-marks.properties";

    private ReplicationHighWaterMarks() {
    }

    static void load(Path dir, DcState state) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            for (String source : p.stringPropertyNames()) {
                state.highWaterMarks.put(source, Long.parseLong(p.getProperty(source).trim()));
            }
            // Used once: if this run crashes, the next start pulls from zero rather than trust marks the data may not match.
            Files.delete(file);
        } catch (IOException | NumberFormatException e) {
            LOG.warn("ignoring damaged {} ({}); partners will be pulled from the start", file, e.getMessage());
            state.highWaterMarks.clear();
        }
    }

    static void save(Path dir, DcState state) {
        Properties p = new Properties();
        for (Map.Entry<String, Long> e : state.highWaterMarks.entrySet()) {
            p.setProperty(e.getKey(), Long.toString(e.getValue()));
        }
        try {
            Path tmp = Files.createTempFile(dir, FILE, ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "replication high-water marks: source DSA = highest source USN pulled");
            }
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot save replication high-water marks in {}: {}; partners will be pulled from the start", dir, e.getMessage());
        }
    }
}
