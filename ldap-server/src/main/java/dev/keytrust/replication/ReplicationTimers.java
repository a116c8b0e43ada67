package dev.keytrust.replication;

import dev.keytrust.time.ScheduledTask;
import dev.keytrust.time.Scheduler;
import dev.keytrust.topology.Connection;
import dev.keytrust.topology.SiteLink;
import dev.keytrust.topology.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * AD's replication timing over the KCC's connections, for DCs in one process ({@link ReplicationNetwork}) and for a
 * DC in its own ({@link RemoteReplication}) alike: periodic pulls (hourly inside a site, every {@code replInterval}
 * across a site link while its schedule is open), and after a write one notification round per source — the first
 * partner after the first delay (15 s), each further one the subsequent delay (3 s) later.
 */
final class ReplicationTimers {
    /** AD's periodic pull inside a site when nothing was notified. */
    static final Duration INTRA_SITE_PULL = Duration.ofHours(1);
    /** What the timers make happen: a destination pulls from a source; a source tells a destination to pull. */
    interface Actions {
        void pull(String source, String destination);

        void notify(String source, String destination);
    }

    private final Topology topology;
    private final List<Connection> connections;
    private final Scheduler scheduler;
    private final Actions actions;
    private final Set<String> notificationPending = ConcurrentHashMap.newKeySet();

    ReplicationTimers(Topology topology, List<Connection> connections, Scheduler scheduler, Actions actions) {
        this.topology = topology;
        this.connections = connections;
        this.scheduler = scheduler;
        this.actions = actions;
    }

    /** Schedules the periodic pulls of every connection whose destination {@code local} accepts, from {@code timeZero}. */
    List<ScheduledTask> startPeriodicPulls(Instant timeZero, Predicate<String> local) {
        List<ScheduledTask> tasks = new ArrayList<>();
        for (Connection c : connections) {
            if (!local.test(c.destination())) {
                continue;
            }
            if (c.kind() == Connection.Kind.INTER_SITE) {
                SiteLink link = topology.siteLinks().stream().filter(l -> l.name().equals(c.siteLink())).findFirst().orElseThrow();
                tasks.add(scheduler.scheduleAtFixedRate(timeZero.plus(link.replInterval()), link.replInterval(), "pull " + c, () -> {
                    if (link.isOpen(scheduler.now())) {
                        actions.pull(c.source(), c.destination());
                    }
                }));
            } else {
                tasks.add(scheduler.scheduleAtFixedRate(timeZero.plus(INTRA_SITE_PULL),
                        INTRA_SITE_PULL, "pull " + c, () -> actions.pull(c.source(), c.destination())));
            }
        }
        return tasks;
    }

    /**
     * AD's garbage collection on a DC: every {@value dev.keytrust.dc.DomainController#GARBAGE_COLLECTION_HOURS} hours
     * from time zero, while it is serving.
     */
    ScheduledTask startGarbageCollection(Instant timeZero, dev.keytrust.dc.DomainController dc) {
        Duration period = Duration.ofHours(dev.keytrust.dc.DomainController.GARBAGE_COLLECTION_HOURS);
        return scheduler.scheduleAtFixedRate(timeZero.plus(period), period, "garbage collection on " + dc.name(), () -> {
            if (dc.isServing()) {
                dc.collectGarbage();
            }
        });
    }

    /** A write on {@code source}: schedules its notification round, unless one is already pending. */
    void changed(String source) {
        String key = source.toLowerCase(Locale.ROOT);
        if (!notificationPending.add(key)) {
            return;
        }
        List<String> partners = new ArrayList<>();
        for (Connection c : connections) {
            if (c.source().equalsIgnoreCase(source) && notifies(c) && !partners.contains(c.destination())) {
                partners.add(c.destination());
            }
        }
        Instant first = scheduler.now().plus(topology.firstNotificationDelay());
        scheduler.scheduleAt(first, "notification round of " + source, Scheduler.Kind.FOREGROUND, () -> notificationPending.remove(key));
        for (int i = 0; i < partners.size(); i++) {
            String destination = partners.get(i);
            scheduler.scheduleAt(first.plus(topology.subsequentNotificationDelay().multipliedBy(i)),
                    "notify " + destination + " of changes on " + source, Scheduler.Kind.FOREGROUND,
                    () -> actions.notify(source, destination));
        }
    }

    private boolean notifies(Connection c) {
        return c.kind() != Connection.Kind.INTER_SITE
                || topology.siteLinks().stream().anyMatch(l -> l.name().equals(c.siteLink()) && l.useNotify());
    }
}
