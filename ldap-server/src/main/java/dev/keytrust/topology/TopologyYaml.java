package dev.keytrust.topology;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a {@link Topology} from YAML, naming the line of any mistake (unknown key, unknown site, a replInterval
 * that is not a multiple of 15 minutes, a duplicate name or port):
 *
 * <pre>
 * domain: corp.example.com
 * sites: [{name: HQ}, {name: Branch}]
 * siteLinks:
 *   - {name: HQ-Branch, sites: [HQ, Branch], cost: 100, replInterval: 15m}   # default 180m; options: [USE_NOTIFY]
 * domainControllers:
 *   - {name: DC1, site: HQ, port: 14389}    # port optional (0 = pick); bridgehead: true optional; kdcPort optional (0 = pick);
 *                                           # host: where it listens and partners reach it (default 127.0.0.1)
 *   - {name: DC2, site: HQ}
 *   - {name: DC3, site: Branch}
 * connections: [{from: DC1, to: DC3}]      # optional manual connections
 * notification: {firstDelay: 15s, subsequentDelay: 3s}
 * tombstoneLifetime: 180d                     # optional, AD's default
 * </pre>
 *
 * Durations are {@code 15s}, {@code 15m}, {@code 3h}, ISO-8601 ({@code PT15M}), or a bare number of minutes.
 * Schedules: {@code schedule: [{days: [Mon, Tue], from: "22:00", to: "06:00"}]} (UTC).
 */
public final class TopologyYaml {
    private TopologyYaml() {
    }

    public static Topology read(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.toString());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new KeyTrustException(ErrorCode.INVALID_TOPOLOGY, "cannot read topology file " + file + ": no such file", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new KeyTrustException(ErrorCode.INVALID_TOPOLOGY, "cannot read topology file " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new KeyTrustException(ErrorCode.INVALID_TOPOLOGY, "cannot read topology file " + file + ": "
                    + (Files.isDirectory(file) ? "it is a folder, not a file" : String.valueOf(e.getMessage())), e);
        }
    }

    public static Topology parse(String yaml) {
        return read(new StringReader(yaml), "topology");
    }

    private static Topology read(Reader reader, String source) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(reader);
        } catch (YAMLException e) {
            throw new KeyTrustException(ErrorCode.INVALID_TOPOLOGY, source + ": not valid YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new KeyTrustException(ErrorCode.INVALID_TOPOLOGY, source + ": expected a mapping with domain, sites, "
                    + "siteLinks and domainControllers but found " + (root == null ? "an empty file" : "a " + root.getNodeId()));
        }
        Topology.Builder b = Topology.builder();
        Map<String, Node> top = fields(mapping, source, Set.of("domain", "sites", "siteLinks", "domainControllers",
                "connections", "notification", "tombstoneLifetime"));
        if (top.containsKey("domain")) {
            b.domain(text(top.get("domain"), source));
        }
        for (Node n : list(top.get("sites"), source)) {
            String name = n instanceof ScalarNode ? text(n, source) : text(require(fields(n, source, Set.of("name")), "name", n, source), source);
            b.site(name, where(source, n));
        }
        for (Node n : list(top.get("siteLinks"), source)) {
            Map<String, Node> f = fields(n, source, Set.of("name", "sites", "cost", "replInterval", "options", "schedule"));
            List<String> sites = new ArrayList<>();
            for (Node s : list(require(f, "sites", n, source), source)) {
                sites.add(text(s, source));
            }
            boolean notify = false;
            for (Node o : list(f.get("options"), source)) {
                String option = text(o, source);
                if (!option.equalsIgnoreCase("USE_NOTIFY")) {
                    throw error(source, o, "unknown site link option '" + option + "'; known: USE_NOTIFY");
                }
                notify = true;
            }
            List<ScheduleWindow> schedule = new ArrayList<>();
            for (Node w : list(f.get("schedule"), source)) {
                schedule.add(window(w, source));
            }
            b.siteLink(new SiteLink(text(require(f, "name", n, source), source), sites,
                    f.containsKey("cost") ? integer(f.get("cost"), source) : SiteLink.DEFAULT_COST,
                    f.containsKey("replInterval") ? duration(f.get("replInterval"), source, true) : SiteLink.DEFAULT_INTERVAL,
                    notify, schedule), where(source, n));
        }
        for (Node n : list(top.get("domainControllers"), source)) {
            Map<String, Node> f = fields(n, source, Set.of("name", "site", "host", "port", "bridgehead", "kdcPort"));
            b.dc(new DcSpec(text(require(f, "name", n, source), source), text(require(f, "site", n, source), source),
                    f.containsKey("host") ? text(f.get("host"), source) : "127.0.0.1",
                    f.containsKey("port") ? integer(f.get("port"), source) : 0,
                    f.containsKey("bridgehead") && Boolean.parseBoolean(text(f.get("bridgehead"), source)),
                    f.containsKey("kdcPort") ? Integer.valueOf(integer(f.get("kdcPort"), source)) : null), where(source, n));
        }
        for (Node n : list(top.get("connections"), source)) {
            Map<String, Node> f = fields(n, source, Set.of("from", "to"));
            b.connection(text(require(f, "from", n, source), source), text(require(f, "to", n, source), source), where(source, n));
        }
        if (top.containsKey("notification")) {
            Node n = top.get("notification");
            Map<String, Node> f = fields(n, source, Set.of("firstDelay", "subsequentDelay"));
            b.notification(f.containsKey("firstDelay") ? duration(f.get("firstDelay"), source, false) : Topology.DEFAULT_FIRST_DELAY,
                    f.containsKey("subsequentDelay") ? duration(f.get("subsequentDelay"), source, false)
                            : Topology.DEFAULT_SUBSEQUENT_DELAY, where(source, n));
        }
        if (top.containsKey("tombstoneLifetime")) {
            b.tombstoneLifetime(duration(top.get("tombstoneLifetime"), source, false), where(source, top.get("tombstoneLifetime")));
        }
        return b.build();
    }

    private static ScheduleWindow window(Node n, String source) {
        Map<String, Node> f = fields(n, source, Set.of("days", "from", "to"));
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (Node d : list(require(f, "days", n, source), source)) {
            String day = text(d, source).toUpperCase(Locale.ROOT);
            DayOfWeek match = null;
            for (DayOfWeek w : DayOfWeek.values()) {
                if (day.length() >= 3 && w.name().startsWith(day)) {
                    match = w;
                }
            }
            if (match == null) {
                throw error(source, d, "expected a day like Mon or Monday but found '" + text(d, source) + "'");
            }
            days.add(match);
        }
        return new ScheduleWindow(days, time(require(f, "from", n, source), source), time(require(f, "to", n, source), source));
    }

    private static LocalTime time(Node n, String source) {
        try {
            return LocalTime.parse(text(n, source));
        } catch (DateTimeParseException e) {
            throw error(source, n, "expected a time of day like 22:00 but found '" + text(n, source) + "'");
        }
    }

    /** Parses 15s, 15m, 3h, PT15M, or (where bare numbers mean minutes) 15. */
    static Duration duration(Node n, String source, boolean bareMinutes) {
        String s = text(n, source).trim();
        try {
            if (s.matches("\\d+") && bareMinutes) {
                return Duration.ofMinutes(Long.parseLong(s));
            }
            if (s.matches("\\d+(ms|s|m|h|d)")) {
                long v = Long.parseLong(s.replaceAll("\\D", ""));
                return switch (s.replaceAll("\\d", "")) {
                    case "ms" -> Duration.ofMillis(v);
                    case "s" -> Duration.ofSeconds(v);
                    case "m" -> Duration.ofMinutes(v);
                    case "h" -> Duration.ofHours(v);
                    default -> Duration.ofDays(v);
                };
            }
            return Duration.parse(s);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw error(source, n, "expected a duration like 15s, 15m, 3h or PT15M but found '" + s + "'");
        }
    }

    private static Map<String, Node> fields(Node n, String source, Set<String> known) {
        if (!(n instanceof MappingNode m)) {
            throw error(source, n, "expected a mapping of " + known + " but found " + describe(n));
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = text(t.getKeyNode(), source);
            if (!known.contains(key)) {
                throw error(source, t.getKeyNode(), "unknown key '" + key + "'; expected one of " + known);
            }
            if (out.put(key, t.getValueNode()) != null) {
                throw error(source, t.getKeyNode(), "key '" + key + "' is given twice");
            }
        }
        return out;
    }

    private static Node require(Map<String, Node> fields, String key, Node parent, String source) {
        Node n = fields.get(key);
        if (n == null) {
            throw error(source, parent, "missing '" + key + "'");
        }
        return n;
    }

    private static List<Node> list(Node n, String source) {
        if (n == null) {
            return List.of();
        }
        if (!(n instanceof SequenceNode s)) {
            throw error(source, n, "expected a list but found " + describe(n));
        }
        return s.getValue();
    }

    private static String text(Node n, String source) {
        if (!(n instanceof ScalarNode s)) {
            throw error(source, n, "expected a single value but found " + describe(n));
        }
        return s.getValue();
    }

    private static int integer(Node n, String source) {
        try {
            return Integer.parseInt(text(n, source).trim());
        } catch (NumberFormatException e) {
            throw error(source, n, "expected a whole number but found '" + text(n, source) + "'");
        }
    }

    private static String describe(Node n) {
        return n == null ? "nothing" : n instanceof ScalarNode s ? "'" + s.getValue() + "'" : "a " + n.getNodeId();
    }

    private static String where(String source, Node n) {
        return source + " line " + (n.getStartMark().getLine() + 1);
    }

    private static KeyTrustException error(String source, Node n, String message) {
        return new KeyTrustException(ErrorCode.INVALID_TOPOLOGY, "invalid topology at " + where(source, n) + ": " + message);
    }
}
