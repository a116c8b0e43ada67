package dev.keytrust.topology;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Generates replication connections as AD's KCC does, deterministically from the topology and seed:
 * <ul>
 *   <li>inside a site, a bidirectional ring of its DCs ordered by their NTDS Settings objectGUID, with extra
 *       (optimising) connections until any DC is at most 3 hops from any other;</li>
 *   <li>between sites, for each site link and each pair of sites on it, connections both ways between the sites'
 *       bridgeheads (the preferred bridgehead if one is set, else the site's first DC in GUID order);</li>
 *   <li>manual connections as given.</li>
 * </ul>
 */
public final class KnowledgeConsistencyChecker {
    /** AD keeps every DC of a site within this many hops of every other. */
    public static final int MAX_HOPS = 3;

    private KnowledgeConsistencyChecker() {
    }

    public static List<Connection> connections(Topology topology, long seed) {
        Set<Connection> out = new LinkedHashSet<>();
        for (String site : topology.sites()) {
            out.addAll(intraSite(ordered(topology.dcsIn(site), seed)));
        }
        for (SiteLink link : topology.siteLinks()) {
            for (int i = 0; i < link.sites().size(); i++) {
                for (int j = i + 1; j < link.sites().size(); j++) {
                    String a = bridgehead(topology, link.sites().get(i), seed);
                    String b = bridgehead(topology, link.sites().get(j), seed);
                    if (a != null && b != null) {
                        out.add(new Connection(a, b, Connection.Kind.INTER_SITE, link.name()));
                        out.add(new Connection(b, a, Connection.Kind.INTER_SITE, link.name()));
                    }
                }
            }
        }
        for (Connection manual : topology.manualConnections()) {
            boolean exists = out.stream().anyMatch(c -> c.source().equalsIgnoreCase(manual.source())
                    && c.destination().equalsIgnoreCase(manual.destination()));
            if (!exists) {
                out.add(manual);
            }
        }
        return List.copyOf(out);
    }

    /** The DC a site replicates with other sites through, or {@code null} for a site without DCs. */
    public static String bridgehead(Topology topology, String site, long seed) {
        List<DcSpec> dcs = ordered(topology.dcsIn(site), seed);
        return dcs.stream().filter(DcSpec::preferredBridgehead).findFirst().or(() -> dcs.stream().findFirst())
                .map(DcSpec::name).orElse(null);
    }

    private static List<DcSpec> ordered(List<DcSpec> dcs, long seed) {
        List<DcSpec> sorted = new ArrayList<>(dcs);
        sorted.sort(Comparator.comparing(d -> d.ntdsSettingsGuid(seed).toString()));
        return sorted;
    }

    private static List<Connection> intraSite(List<DcSpec> ring) {
        int n = ring.size();
        List<Connection> out = new ArrayList<>();
        if (n < 2) {
            return out;
        }
        for (int i = 0; i < n; i++) {
            String dest = ring.get(i).name();
            add(out, ring.get((i + n - 1) % n).name(), dest);
            add(out, ring.get((i + 1) % n).name(), dest);
        }
        // Optimising edges: while some DC is more than MAX_HOPS from another, connect the farthest pair.
        while (true) {
            String[] worst = farthestPair(ring, out);
            if (worst == null) {
                return out;
            }
            add(out, worst[0], worst[1]);
            add(out, worst[1], worst[0]);
        }
    }

    private static void add(List<Connection> out, String source, String dest) {
        Connection c = new Connection(source, dest, Connection.Kind.INTRA_SITE, null);
        if (!source.equals(dest) && !out.contains(c)) {
            out.add(c);
        }
    }

    /** The (source, destination) pair farthest apart if more than MAX_HOPS, else null. */
    private static String[] farthestPair(List<DcSpec> ring, List<Connection> connections) {
        Map<String, List<String>> pullsFrom = new HashMap<>();
        for (Connection c : connections) {
            pullsFrom.computeIfAbsent(c.source().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(c.destination());
        }
        String[] worst = null;
        int worstHops = MAX_HOPS;
        for (DcSpec from : ring) {
            Map<String, Integer> hops = new HashMap<>();
            Deque<String> queue = new ArrayDeque<>(List.of(from.name()));
            hops.put(from.name(), 0);
            while (!queue.isEmpty()) {
                String at = queue.poll();
                for (String next : pullsFrom.getOrDefault(at.toLowerCase(Locale.ROOT), List.of())) {
                    if (!hops.containsKey(next)) {
                        hops.put(next, hops.get(at) + 1);
                        queue.add(next);
                    }
                }
            }
            for (DcSpec to : ring) {
                int h = hops.getOrDefault(to.name(), Integer.MAX_VALUE);
                if (h > worstHops) {
                    worstHops = h;
                    worst = new String[] {from.name(), to.name()};
                }
            }
        }
        return worst;
    }

    /** Hops a change takes from {@code from} to {@code to} over the given connections (-1 if it never arrives). */
    public static int hops(List<Connection> connections, String from, String to) {
        Map<String, Integer> seen = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(from.toLowerCase(Locale.ROOT)));
        seen.put(from.toLowerCase(Locale.ROOT), 0);
        while (!queue.isEmpty()) {
            String at = queue.poll();
            for (Connection c : connections) {
                String next = c.destination().toLowerCase(Locale.ROOT);
                if (c.source().equalsIgnoreCase(at) && !seen.containsKey(next)) {
                    seen.put(next, seen.get(at) + 1);
                    queue.add(next);
                }
            }
        }
        return seen.getOrDefault(to.toLowerCase(Locale.ROOT), -1);
    }
}
