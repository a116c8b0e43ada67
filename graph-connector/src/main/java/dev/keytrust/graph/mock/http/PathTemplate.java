package dev.keytrust.graph.mock.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A path with named segments, such as {@code /_admin/users/{user}/keys/{key}}: it matches a request path as sent
 * (split at its slashes, then each segment percent-decoded, one segment per name, never empty) and expands back to a
 * request path with each value percent-encoded, so a server and a client of the same route agree on its shape even
 * when a value holds a {@code /} (as KeyIDs do).
 *
 * @param template the template as written
 * @param segments literal segments, and names as {@code {name}}
 */
public record PathTemplate(String template, List<String> segments) {
    public PathTemplate {
        segments = List.copyOf(segments);
    }

    /** Parses {@code template}: it starts with {@code /}; segments are literals or {@code {name}}. */
    public static PathTemplate of(String template) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a path template starts with / but got '" + template + "'");
        }
        return new PathTemplate(template, List.of(template.substring(1).split("/", -1)));
    }

    /** The decoded values of the named segments if {@code rawPath} (percent-encoded) has this shape, else null. */
    public Map<String, String> match(String rawPath) {
        if (!rawPath.startsWith("/")) {
            return null;
        }
        String[] parts = rawPath.substring(1).split("/", -1);
        if (parts.length != segments.size()) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < parts.length; i++) {
            String s = segments.get(i);
            String part = MockRequest.decode(parts[i]);
            if (isName(s)) {
                if (part.isEmpty()) {
                    return null;
                }
                values.put(s.substring(1, s.length() - 1), part);
            } else if (!s.equals(part)) {
                return null;
            }
        }
        return values;
    }

    /** The request path for {@code values} (each percent-encoded; every name must have a value). */
    public String expand(Map<String, String> values) {
        List<String> out = new ArrayList<>();
        for (String s : segments) {
            if (isName(s)) {
                String name = s.substring(1, s.length() - 1);
                String v = values.get(name);
                if (v == null || v.isEmpty()) {
                    throw new IllegalArgumentException("the path " + template + " needs a value for {" + name + "}");
                }
                out.add(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
            } else {
                out.add(s);
            }
        }
        return "/" + String.join("/", out);
    }

    private static boolean isName(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }
}
