package dev.keytrust.testbed;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A key's journey on the testbed clock: registered in Entra, read (and written) by the agent, visible on each DC.
 *
 * @param key the key
 * @param registered when it was registered in Entra
 * @param readByAgent when the agent cycle that wrote it to the sync target started, if one has
 * @param visible when it became visible on each DC that has it (DC name → instant), in order of arrival
 * @param signedIn when the testbed's first key-trust PKINIT sign-in with the key succeeded at each DC's KDC (DC name →
 *     instant), in order: when the key became usable there
 */
public record KeyTimeline(TestKey key, Instant registered, Optional<Instant> readByAgent, Map<String, Instant> visible,
                          Map<String, Instant> signedIn) {
    public KeyTimeline {
        visible = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(visible));
        signedIn = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(signedIn));
    }

    /** When a PKINIT sign-in with the key first succeeded at {@code dc}'s KDC, if one has. */
    public Optional<Instant> signedInOn(String dc) {
        return signedIn.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(dc)).map(Map.Entry::getValue).findFirst();
    }

    /** When the key became visible on {@code dc}, if it has. */
    public Optional<Instant> visibleOn(String dc) {
        return visible.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(dc)).map(Map.Entry::getValue).findFirst();
    }

    /** How long after registration the key reached {@code dc}, if it has. */
    public Optional<Duration> delayTo(String dc) {
        return visibleOn(dc).map(t -> Duration.between(registered, t));
    }

    /** One line per step, with offsets from registration: what a failed wait prints. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(key.toString()).append(":\n  registered in Entra   ").append(registered);
        s.append("\n  read by the agent     ").append(readByAgent.map(t -> t + "  (+" + offset(t) + ")").orElse("not yet"));
        visible.forEach((dc, t) -> s.append("\n  visible on ").append(String.format("%-10s", dc)).append(t)
                .append("  (+").append(offset(t)).append(")"));
        signedIn.forEach((dc, t) -> s.append("\n  sign-in on ").append(String.format("%-10s", dc)).append(t)
                .append("  (+").append(offset(t)).append(")"));
        return s.toString();
    }

    private String offset(Instant t) {
        Duration d = Duration.between(registered, t);
        return d.toHours() > 0 ? d.toHours() + "h" + String.format("%02dm%02ds", d.toMinutesPart(), d.toSecondsPart())
                : d.toMinutesPart() + "m" + String.format("%02ds", d.toSecondsPart());
    }
}
