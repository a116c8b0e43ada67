package dev.keytrust.agent.source;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * Where a {@link KeySource} left off: the Graph delta link and when it was saved. Serialises to one line of text
 * ({@link #serialize()}), so an agent can store it atomically and resume after a restart.
 *
 * @param deltaLink the {@code @odata.deltaLink} of the last completed round
 * @param savedAt when the round completed (testbed clock)
 */
public record SyncState(String deltaLink, Instant savedAt) {
    private static final String PREFIX = "keytrust-sync-state-v1 ";

    public SyncState {
        if (deltaLink == null || !deltaLink.startsWith("https://")) {
            throw new KeyTrustException(ErrorCode.GRAPH_STATE_INVALID, "a sync state needs an https delta link but got " + deltaLink);
        }
    }

    /** One line: a version tag, the save time and the base64 delta link. */
    public String serialize() {
        return PREFIX + savedAt + " " + Base64.getEncoder().encodeToString(deltaLink.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads {@link #serialize()}'s output.
     *
     * @throws KeyTrustException ({@code GRAPH_STATE_INVALID}) naming what is wrong; callers fall back to a full sync
     */
    public static SyncState parse(String text) {
        if (text == null || !text.strip().startsWith(PREFIX)) {
            throw new KeyTrustException(ErrorCode.GRAPH_STATE_INVALID, "expected a saved sync state starting with '"
                    + PREFIX.strip() + "' but found " + (text == null ? "nothing" : "'" + abbreviate(text.strip()) + "'"));
        }
        String[] parts = text.strip().substring(PREFIX.length()).split(" ");
        try {
            if (parts.length != 2) {
                throw new IllegalArgumentException("expected a time and a link, found " + parts.length + " fields");
            }
            return new SyncState(new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8), Instant.parse(parts[0]));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new KeyTrustException(ErrorCode.GRAPH_STATE_INVALID, "the saved sync state is damaged (" + e.getMessage()
                    + "); delete it to start over with a full sync", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
