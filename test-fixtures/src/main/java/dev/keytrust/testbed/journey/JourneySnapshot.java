package dev.keytrust.testbed.journey;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the journey page and report draw, read from a running testbed at one instant: the topology (sites, DCs,
 * site links, the KCC's connections, faults in force), each tracked key's steps, and what is due next. Immutable;
 * built by {@link JourneySnapshots#of}.
 *
 * <pre>{@code
 * JourneySnapshot s = JourneySnapshots.of(testbed);
 * s.keys().get(0).visibleOn("DC3");   // Optional: when the first key reached DC3
 * s.due().get(0);                     // the soonest of: agent cycle, notification, site-link pull
 * }</pre>
 *
 * @param now the testbed's now
 * @param origin where the time axis starts (the first registration, or the lab's start)
 * @param sites site names in topology order
 * @param dcs the DCs
 * @param links the site links
 * @param connections the KCC's inbound connections, each with the fault that blocks it, if one does
 * @param keys one entry per tracked key, in registration order
 * @param due what is due next, soonest first
 */
public record JourneySnapshot(Instant now, Instant origin, List<String> sites, List<Dc> dcs, List<Link> links,
        List<Conn> connections, List<Key> keys, List<Due> due) {
    public JourneySnapshot {
        sites = List.copyOf(sites);
        dcs = List.copyOf(dcs);
        links = List.copyOf(links);
        connections = List.copyOf(connections);
        keys = List.copyOf(keys);
        due = List.copyOf(due);
    }

    /** A DC: its name and site, whether it serves LDAP now, and whether the agent writes to it. */
    public record Dc(String name, String site, boolean serving, boolean syncTarget) {
    }

    /**
     * A site link: its name, the sites it joins, its pull interval, whether it carries change notification, and the
     * next instant its connections pull, if one is pending.
     */
    public record Link(String name, List<String> sites, Duration interval, boolean useNotify, Optional<Instant> nextPull) {
        public Link {
            sites = List.copyOf(sites);
        }
    }

    /** A replication connection: {@code destination} pulls from {@code source}; {@code blocked} says why it cannot now. */
    public record Conn(String source, String destination, String kind, Optional<String> siteLink, Optional<String> blocked) {
    }

    /** A key and its steps so far; {@code pendingOn} lists the DCs it has not reached yet. */
    public record Key(String keyId, String fingerprint, String user, String device, String deviceId, Instant registered,
            List<JourneyEvent> events, List<String> pendingOn) {
        public Key {
            events = List.copyOf(events);
            pendingOn = List.copyOf(pendingOn);
        }

        /** When the key became visible on {@code dc}, if it has. */
        public Optional<Instant> visibleOn(String dc) {
            return events.stream().filter(e -> e.kind().equals(JourneyEvent.VISIBLE) && e.dc().filter(dc::equalsIgnoreCase).isPresent())
                    .map(JourneyEvent::at).findFirst();
        }
    }

    /**
     * Something due next: {@code kind} is {@code agent-cycle}, {@code notification} or {@code site-link-pull}; {@code where}
     * is the DC or site link it happens at (empty for the agent).
     */
    public record Due(String kind, String label, Instant at, Optional<String> where) {
        /** What, in two words: {@code agent cycle}, {@code notify DC2}, {@code pull HQ-Branch}. */
        public String brief() {
            return switch (kind) {
                case "agent-cycle" -> "agent cycle";
                case "notification" -> "notify " + where.orElse("");
                case "site-link-pull" -> "pull " + where.orElse("");
                default -> label;
            };
        }
    }

    /** Whether every tracked key is on every DC (false when no key is tracked). */
    public boolean converged() {
        return !keys.isEmpty() && keys.stream().allMatch(k -> k.pendingOn().isEmpty());
    }
}
