package dev.keytrust.testbed.journey;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.testbed.Testbed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the journey as one self-contained HTML file (inline SVG, styles and script; it opens offline), for a CI
 * run to attach: {@code keytrust lab --virtual --until-converged --report journey.html}, {@link Testbed#writeReport},
 * and the JUnit extension for a failed test.
 *
 * <pre>{@code
 * JourneyReport.write(testbed, Path.of("target/journey.html"));
 * }</pre>
 */
public final class JourneyReport {
    private JourneyReport() {
    }

    /** The report of {@code testbed} now, as HTML text (each key's metadata read from every DC). */
    public static String html(Testbed testbed) {
        JourneySnapshot s = JourneySnapshots.of(testbed);
        List<KeyDetails> details = s.keys().stream().map(k -> KeyDetails.read(testbed, k)).toList();
        return JourneyPage.report(s, details);
    }

    /** Writes the report to {@code file} (parent folders created); returns the file. */
    public static Path write(Testbed testbed, Path file) {
        String html = html(testbed);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return Files.writeString(file, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "cannot write the journey report to " + file + ": "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such folder" : e.getMessage())
                    + "; choose a writable path", e);
        }
    }
}
