package dev.keytrust.topology;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * A weekly window (UTC) when a site link may replicate: on the given days, from {@code from} (inclusive) to
 * {@code to} (exclusive); a window whose {@code to} is not after {@code from} runs past midnight.
 *
 * @param days the days it opens on
 * @param from opening time of day (UTC)
 * @param to closing time of day (UTC)
 */
public record ScheduleWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to) {
    public ScheduleWindow {
        days = Set.copyOf(days);
    }

    /** Whether {@code instant} falls inside this window. */
    public boolean contains(Instant instant) {
        ZonedDateTime t = instant.atZone(ZoneOffset.UTC);
        LocalTime time = t.toLocalTime();
        if (from.isBefore(to)) {
            return days.contains(t.getDayOfWeek()) && !time.isBefore(from) && time.isBefore(to);
        }
        // past midnight: opened on the day itself after 'from', or the day before and still before 'to'
        return (days.contains(t.getDayOfWeek()) && !time.isBefore(from))
                || (days.contains(t.getDayOfWeek().minus(1)) && time.isBefore(to));
    }
}
