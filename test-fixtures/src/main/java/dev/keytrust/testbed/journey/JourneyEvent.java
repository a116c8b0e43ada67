package dev.keytrust.testbed.journey;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a key's journey, drawn as a marker on the key's row: what happened ({@code kind}), where (a DC, when
 * the step happened on one) and when, on the testbed clock. Rendering goes by kind only, so a new kind of step (a
 * sign-in accepted by a DC's KDC) needs a constant here and a line where the timeline is read, nothing else.
 *
 * <pre>{@code
 * new JourneyEvent(JourneyEvent.VISIBLE, Optional.of("DC2"), at)   // drawn as "DC2" on the row, at its instant
 * }</pre>
 *
 * @param kind what happened: one of the constants below, or any other short word (drawn with a neutral style)
 * @param dc the DC it happened on, if it happened on one
 * @param at when, on the testbed clock
 */
public record JourneyEvent(String kind, Optional<String> dc, Instant at) {
    /** Registered in Entra (the Graph mock). */
    public static final String REGISTERED = "registered";
    /** Read from Graph by the sync agent's cycle that wrote it. */
    public static final String READ_BY_AGENT = "read-by-agent";
    /** Visible over LDAP on a DC. */
    public static final String VISIBLE = "visible";
    /** A sign-in with the key accepted by a DC (its KDC's PKINIT), when the timeline records one. */
    public static final String SIGN_IN = "sign-in";

    public JourneyEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(dc, "dc");
        Objects.requireNonNull(at, "at");
    }

    /** The short label drawn next to the marker: "Entra", "agent", "DC2", "sign-in DC2". */
    public String label() {
        return switch (kind) {
            case REGISTERED -> "Entra";
            case READ_BY_AGENT -> "agent";
            case VISIBLE -> dc.orElse("?");
            case SIGN_IN -> "sign-in " + dc.orElse("");
            default -> kind + dc.map(d -> " " + d).orElse("");
        };
    }

    /** A sentence for tooltips and the static report: "visible on DC2", "first sign-in accepted on DC1". */
    public String description() {
        return switch (kind) {
            case REGISTERED -> "registered in Entra";
            case READ_BY_AGENT -> "read by the sync agent";
            case VISIBLE -> "visible on " + dc.orElse("?");
            case SIGN_IN -> "first sign-in accepted on " + dc.orElse("?");
            default -> kind + dc.map(d -> " on " + d).orElse("");
        };
    }
}
