package dev.keytrust.testbed.journey;

import dev.keytrust.replication.ReplicationNetwork;
import dev.keytrust.testbed.KeyTimeline;
import dev.keytrust.testbed.Testbed;
import dev.keytrust.testbed.TestbedDc;
import dev.keytrust.time.ScheduledTask;
import dev.keytrust.topology.Connection;
import dev.keytrust.topology.SiteLink;
import dev.keytrust.topology.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads a {@link JourneySnapshot} off a running {@link Testbed}: its topology, faults, timelines and pending work.
 *
 * <pre>{@code
 * String svg = JourneySvg.timeline(JourneySnapshots.of(testbed));
 * }</pre>
 */
public final class JourneySnapshots {
    private static final String AGENT_TASK = "sync agent cycle";
    private static final String NOTIFY_TASK = "notify ";

    private JourneySnapshots() {
    }

    /** What the testbed looks like now. */
    public static JourneySnapshot of(Testbed testbed) {
        Instant now = testbed.now();
        Topology topology = testbed.config().topology();
        ReplicationNetwork network = testbed.network();
        List<TestbedDc> testbedDcs = testbed.dcs();
        List<JourneySnapshot.Dc> dcs = testbedDcs.stream().map(d -> new JourneySnapshot.Dc(d.name(), d.site(), d.isServing(),
                d.name().equalsIgnoreCase(testbed.config().syncTarget()))).toList();
        List<JourneySnapshot.Link> links = new ArrayList<>();
        for (SiteLink l : topology.siteLinks()) {
            links.add(new JourneySnapshot.Link(l.name(), l.sites(), l.replInterval(), l.useNotify(),
                    Optional.of(nextPull(network.timeZero(), l.replInterval(), now))));
        }
        List<JourneySnapshot.Conn> conns = new ArrayList<>();
        for (Connection c : network.connections()) {
            Optional<String> blocked = network.blocked(c.source(), c.destination());
            if (blocked.isEmpty() && !network.dc(c.source()).isServing()) {
                blocked = Optional.of(c.source() + " is down");
            } else if (blocked.isEmpty() && !network.dc(c.destination()).isServing()) {
                blocked = Optional.of(c.destination() + " is down");
            }
            conns.add(new JourneySnapshot.Conn(c.source(), c.destination(), c.kind().name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', '-'), c.link(), blocked));
        }
        List<JourneySnapshot.Key> keys = new ArrayList<>();
        for (KeyTimeline t : testbed.timelines()) {
            keys.add(key(t, dcs));
        }
        keys.sort(Comparator.comparing(JourneySnapshot.Key::registered).thenComparing(JourneySnapshot.Key::user));
        Instant origin = keys.isEmpty() ? network.timeZero() : keys.get(0).registered();
        return new JourneySnapshot(now, origin, topology.sites(), dcs, links, conns, keys, due(testbed, links));
    }

    /** A timeline as drawn: one event per step, by kind (new kinds of steps are added here). */
    static JourneySnapshot.Key key(KeyTimeline t, List<JourneySnapshot.Dc> dcs) {
        List<JourneyEvent> events = new ArrayList<>();
        events.add(new JourneyEvent(JourneyEvent.REGISTERED, Optional.empty(), t.registered()));
        t.readByAgent().ifPresent(at -> events.add(new JourneyEvent(JourneyEvent.READ_BY_AGENT, Optional.empty(), at)));
        t.visible().forEach((dc, at) -> events.add(new JourneyEvent(JourneyEvent.VISIBLE, Optional.of(dc), at)));
        events.sort(Comparator.comparing(JourneyEvent::at));
        List<String> pending = dcs.stream().map(JourneySnapshot.Dc::name).filter(d -> t.visibleOn(d).isEmpty()).toList();
        return new JourneySnapshot.Key(t.key().keyId(), t.key().fingerprint(), t.key().userPrincipalName(), t.key().deviceName(),
                t.key().deviceId().toString(), t.registered(), events, pending);
    }

    private static List<JourneySnapshot.Due> due(Testbed testbed, List<JourneySnapshot.Link> links) {
        List<JourneySnapshot.Due> due = new ArrayList<>();
        boolean agent = false;
        for (ScheduledTask task : testbed.scheduler().pending()) {
            if (!agent && task.name().equals(AGENT_TASK)) {
                due.add(new JourneySnapshot.Due("agent-cycle", "next agent cycle", task.dueAt(), Optional.empty()));
                agent = true;
            } else if (task.name().startsWith(NOTIFY_TASK)) {
                String destination = task.name().substring(NOTIFY_TASK.length()).split(" ", 2)[0];
                due.add(new JourneySnapshot.Due("notification", task.name(), task.dueAt(), Optional.of(destination)));
            }
        }
        for (JourneySnapshot.Link l : links) {
            l.nextPull().ifPresent(at -> due.add(new JourneySnapshot.Due("site-link-pull", "next pull over " + l.name(), at,
                    Optional.of(l.name()))));
        }
        due.sort(Comparator.comparing(JourneySnapshot.Due::at));
        return due;
    }

    /** The first periodic pull strictly after {@code now}: pulls run at time zero + k × interval (k ≥ 1). */
    static Instant nextPull(Instant timeZero, Duration interval, Instant now) {
        if (now.isBefore(timeZero.plus(interval))) {
            return timeZero.plus(interval);
        }
        long k = Duration.between(timeZero, now).toNanos() / interval.toNanos() + 1;
        return timeZero.plus(interval.multipliedBy(k));
    }
}
