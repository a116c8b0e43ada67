package dev.keytrust.replication;

import dev.keytrust.topology.Connection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What a fault did to the KCC's replication connections, in the operator's words: the answer to a rootDSE
 * {@code keytrustReplicationFault} modify, which {@code keytrust fault} prints. A connection is written
 * {@code DC1 -> DC3}: changes flow from DC1 to DC3 (DC3 pulls from DC1).
 *
 * <pre>{@code
 * FaultReport.cut(connections, "DC1", List.of("DC3"));   // "cut: DC1 -> DC3, DC3 -> DC1"
 * }</pre>
 */
final class FaultReport {
    /** How a heal that found no cut begins. */
    static final String NOTHING_TO_HEAL = "nothing to heal";

    private FaultReport() {
    }

    /** After a partition or an isolation of {@code dc} from {@code others}: the connections it cut. */
    static String cut(List<Connection> connections, String dc, Collection<String> others) {
        List<String> between = between(connections, dc, others);
        if (!between.isEmpty()) {
            return "cut: " + String.join(", ", between);
        }
        List<String> names = new ArrayList<>(others);
        names.add(0, dc);
        return "no replication connection between " + dc + " and " + String.join(", ", others) + "; nothing cut ("
                + String.join("; ", names.stream().map(n -> inbound(connections, n)).toList())
                + "); a forced replicate between them is refused until heal";
    }

    /** After a heal on {@code dc}: the connections restored with {@code healed} (the DCs it had a cut with). */
    static String restored(List<Connection> connections, String dc, Collection<String> healed) {
        if (healed.isEmpty()) {
            return NOTHING_TO_HEAL + ": " + dc + " was not partitioned";
        }
        List<String> between = between(connections, dc, healed);
        return between.isEmpty() ? "healed " + dc + " with " + String.join(", ", healed) + " (no replication connection "
                + "between them to restore)" : "restored: " + String.join(", ", between);
    }

    /** After disableInbound/enableInbound on {@code dc}: the connections it pulls over. */
    static String inbound(List<Connection> connections, String dc, boolean enabled) {
        List<String> in = connections.stream().filter(c -> c.destination().equalsIgnoreCase(dc)).map(FaultReport::arrow).toList();
        return "inbound replication " + (enabled ? "enabled" : "disabled") + " on " + dc + "; " + (enabled ? "running: " : "stopped: ")
                + (in.isEmpty() ? "none" : String.join(", ", in));
    }

    /** After disableOutbound/enableOutbound on {@code dc}: the connections partners pull from it over. */
    static String outbound(List<Connection> connections, String dc, boolean enabled) {
        List<String> out = connections.stream().filter(c -> c.source().equalsIgnoreCase(dc)).map(FaultReport::arrow).toList();
        return "outbound replication " + (enabled ? "enabled" : "disabled") + " on " + dc + "; " + (enabled ? "running: " : "refused: ")
                + (out.isEmpty() ? "none" : String.join(", ", out));
    }

    private static List<String> between(List<Connection> connections, String dc, Collection<String> others) {
        List<String> out = new ArrayList<>();
        for (Connection c : connections) {
            boolean fromDc = c.source().equalsIgnoreCase(dc) && contains(others, c.destination());
            boolean toDc = c.destination().equalsIgnoreCase(dc) && contains(others, c.source());
            if (fromDc || toDc) {
                out.add(arrow(c));
            }
        }
        return out;
    }

    private static String inbound(List<Connection> connections, String dc) {
        List<String> sources = connections.stream().filter(c -> c.destination().equalsIgnoreCase(dc)).map(Connection::source).toList();
        return dc + (sources.isEmpty() ? " pulls from no DC" : " pulls from " + String.join(", ", sources));
    }

    private static boolean contains(Collection<String> names, String name) {
        return names.stream().anyMatch(n -> n.equalsIgnoreCase(name));
    }

    private static String arrow(Connection c) {
        return c.source() + " -> " + c.destination();
    }
}
