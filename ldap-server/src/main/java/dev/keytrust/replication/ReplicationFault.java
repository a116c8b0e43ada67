package dev.keytrust.replication;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A replication fault as asked for over LDAP ({@code keytrustReplicationFault: partition DC3}) or by {@code keytrust
 * fault}: the verb and, for some, the other DC. Parsed once here for a one-process topology and for a DC in its own
 * process alike. A partition, an isolation and a heal concern both sides: the DC asked applies its side and tells
 * the other DCs concerned to apply theirs, sending the fault with {@code local} at the end (apply here only).
 *
 * @param verb what to do
 * @param other the other DC, when the verb takes one ({@code heal DC3}: only the cut with DC3)
 * @param local whether to apply it on the receiving DC only (what a DC sends the other side)
 */
record ReplicationFault(Verb verb, Optional<String> other, boolean local) {
    /** The word that ends a fault a DC sends the other side of a partition or heal. */
    static final String LOCAL = "local";

    /** The faults. */
    enum Verb { PARTITION, ISOLATE, HEAL, DISABLE_INBOUND, ENABLE_INBOUND, DISABLE_OUTBOUND, ENABLE_OUTBOUND, STOP, START }

    /**
     * Parses {@code text}; {@code knownDc} says whether a name is a DC of the topology.
     *
     * @throws IllegalArgumentException saying what is wrong and what is expected
     */
    static ReplicationFault parse(String text, Predicate<String> knownDc) {
        String[] words = text.trim().split("\\s+");
        boolean local = words.length > 1 && words[words.length - 1].equalsIgnoreCase(LOCAL);
        String[] f = local ? java.util.Arrays.copyOf(words, words.length - 1) : words;
        Optional<String> other = f.length > 1 ? Optional.of(f[1]) : Optional.empty();
        if (other.isPresent() && !knownDc.test(other.get())) {
            throw new IllegalArgumentException("no DC named '" + other.get() + "' in the topology");
        }
        Verb verb = switch (f[0].toLowerCase(Locale.ROOT)) {
            case "partition" -> Verb.PARTITION;
            case "isolate" -> Verb.ISOLATE;
            case "heal" -> Verb.HEAL;
            case "disableinbound" -> Verb.DISABLE_INBOUND;
            case "enableinbound" -> Verb.ENABLE_INBOUND;
            case "disableoutbound" -> Verb.DISABLE_OUTBOUND;
            case "enableoutbound" -> Verb.ENABLE_OUTBOUND;
            case "stop" -> Verb.STOP;
            case "start" -> Verb.START;
            default -> throw new IllegalArgumentException("unknown fault '" + f[0] + "'; expected partition DC, isolate, heal [DC], "
                    + "disableInbound, enableInbound, disableOutbound, enableOutbound, stop [DC], start DC");
        };
        if (verb == Verb.PARTITION && other.isEmpty()) {
            throw new IllegalArgumentException("partition needs the other DC: partition DC3");
        }
        if (verb == Verb.START && other.isEmpty()) {
            throw new IllegalArgumentException("start needs the DC to start: start DC3 (sent to a DC that is running)");
        }
        return new ReplicationFault(verb, other, local);
    }
}
