package dev.keytrust.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An AD site link: the sites it joins, its cost, how often replication pulls over it ({@code replInterval},
 * default 180 minutes, at least 15 and a multiple of 15), whether change notification crosses it
 * ({@code USE_NOTIFY}), and the windows when replication may run (always, when none are given).
 *
 * @param name the link's name
 * @param sites the sites it joins (two or more)
 * @param cost the link cost (default 100)
 * @param replInterval the pull interval
 * @param useNotify whether changes are notified across the link as inside a site
 * @param schedule the windows when replication may run; empty means always
 */
public record SiteLink(String name, List<String> sites, int cost, Duration replInterval, boolean useNotify,
        List<ScheduleWindow> schedule) {
    /** AD's default replication interval for a site link. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(180);
    /** AD's default site link cost. */
    public static final int DEFAULT_COST = 100;

    public SiteLink {
        sites = List.copyOf(sites);
        schedule = List.copyOf(schedule);
    }

    /** Whether replication may run over this link at {@code instant}. */
    public boolean isOpen(Instant instant) {
        return schedule.isEmpty() || schedule.stream().anyMatch(w -> w.contains(instant));
    }
}
