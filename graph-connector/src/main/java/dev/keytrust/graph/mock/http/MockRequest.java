package dev.keytrust.graph.mock.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request as the mock's routes see it (also an inner request of a {@code $batch}).
 *
 * @param method upper-case method
 * @param path decoded path without the query, starting with {@code /}
 * @param rawPath the path as sent (percent-encoded), for matching routes segment by segment: a {@code %2F} inside a
 *     segment (a KeyID holds {@code /} and {@code +}) stays in that segment
 * @param query decoded query options; names as sent ({@code $select}, {@code $top}...)
 * @param headers headers with lower-case names
 * @param body the body (empty when none)
 * @param batched whether this came inside a {@code $batch}
 */
public record MockRequest(String method, String path, String rawPath, Map<String, String> query, Map<String, String> headers, byte[] body,
        boolean batched) {

    /** Splits {@code target} ({@code /path?query}) into path and decoded query options. */
    public static MockRequest of(String method, String target, Map<String, String> headers, byte[] body, boolean batched) {
        int q = target.indexOf('?');
        String rawPath = q < 0 ? target : target.substring(0, q);
        Map<String, String> query = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : target.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                query.put(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return new MockRequest(method.toUpperCase(Locale.ROOT), decode(rawPath), rawPath, query, headers, body, batched);
    }

    /** A query option by name, with or without its {@code $}, case-insensitively (as Graph accepts them). */
    public String option(String name) {
        String bare = name.startsWith("$") ? name.substring(1) : name;
        for (Map.Entry<String, String> e : query.entrySet()) {
            String k = e.getKey().startsWith("$") ? e.getKey().substring(1) : e.getKey();
            if (k.equalsIgnoreCase(bare)) {
                return e.getValue();
            }
        }
        return null;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Percent-decodes {@code s} ({@code +} stays a plus); a bad escape is a 400 naming it. */
    static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw GraphError.badRequest("The URL is not validly percent-encoded ('%' must be followed by two hex digits): '"
                    + (s.length() > 200 ? s.substring(0, 200) + "..." : s) + "'.");
        }
    }
}
