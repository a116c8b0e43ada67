package dev.keytrust.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VirtualSchedulerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void tasksRunInDueOrderThenSchedulingOrderWithNowAtTheirInstant() {
        VirtualScheduler time = new VirtualScheduler(T0);
        List<String> log = new ArrayList<>();
        time.schedule(Duration.ofSeconds(18), "third", () -> log.add("third@" + time.now()));
        time.schedule(Duration.ofSeconds(15), "first", () -> log.add("first@" + time.now()));
        time.schedule(Duration.ofSeconds(15), "second", () -> log.add("second@" + time.now()));
        assertThat(time.advance(Duration.ofSeconds(14))).isEqualTo(T0.plusSeconds(14));
        assertThat(log).isEmpty();
        time.advance(Duration.ofMinutes(1));
        assertThat(log).containsExactly("first@2026-01-01T00:00:15Z", "second@2026-01-01T00:00:15Z", "third@2026-01-01T00:00:18Z");
        assertThat(time.now()).isEqualTo(T0.plusSeconds(74));
        assertThat(time.clock().instant()).isEqualTo(time.now());
    }

    @Test
    void tasksScheduledByTasksRunInTheSameAdvanceWhenDue() {
        VirtualScheduler time = new VirtualScheduler(T0);
        List<Instant> runs = new ArrayList<>();
        time.schedule(Duration.ofSeconds(15), "notify first partner", () -> {
            runs.add(time.now());
            time.schedule(Duration.ofSeconds(3), "notify next partner", () -> runs.add(time.now()));
        });
        time.advance(Duration.ofSeconds(20));
        assertThat(runs).containsExactly(T0.plusSeconds(15), T0.plusSeconds(18));
    }

    @Test
    void periodicTasksKeepTheirRateAndCancelledTasksNeverRun() {
        VirtualScheduler time = new VirtualScheduler(T0);
        List<Instant> pulls = new ArrayList<>();
        ScheduledTask hourly = time.scheduleAtFixedRate(T0.plus(Duration.ofHours(1)), Duration.ofHours(1), "hourly pull",
                () -> pulls.add(time.now()));
        ScheduledTask never = time.schedule(Duration.ofMinutes(5), "cancelled", () -> pulls.add(Instant.EPOCH));
        assertThat(never.cancel()).isTrue();
        assertThat(never.cancel()).isFalse();
        time.advance(Duration.ofHours(3).plusMinutes(30));
        assertThat(pulls).containsExactly(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(3)));
        assertThat(hourly.dueAt()).isEqualTo(T0.plus(Duration.ofHours(4)));
        hourly.cancel();
        time.advance(Duration.ofHours(5));
        assertThat(pulls).hasSize(3);
    }

    @Test
    void runUntilQuietStopsWhenNoForegroundWorkIsLeftAndSaysWhatIsPendingWhenItCannot() {
        VirtualScheduler time = new VirtualScheduler(T0);
        time.scheduleAtFixedRate(T0.plus(Duration.ofHours(1)), Duration.ofHours(1), "hourly pull", () -> { });
        time.schedule(Duration.ofSeconds(15), "notify", () -> time.schedule(Duration.ofSeconds(3), "notify more", () -> { }));
        assertThat(time.runUntilQuiet(Duration.ofHours(1))).isEqualTo(T0.plusSeconds(18));

        time.schedule(Duration.ofDays(1), "far away", () -> { });
        assertThatThrownBy(() -> time.runUntilQuiet(Duration.ofHours(1)))
                .isInstanceOf(KeyTrustException.class).hasMessageContaining("far away")
                .extracting(e -> ((KeyTrustException) e).errorCode()).isEqualTo(ErrorCode.NOT_QUIET);
    }

    @Test
    void aFailingTaskIsReportedByNameAndTimeStopsThere() {
        VirtualScheduler time = new VirtualScheduler(T0);
        time.schedule(Duration.ofMinutes(1), "broken pull", () -> {
            throw new IllegalStateException("DC3 unreachable");
        });
        assertThatThrownBy(() -> time.advance(Duration.ofMinutes(5)))
                .hasMessageContaining("broken pull").hasMessageContaining("DC3 unreachable")
                .extracting(e -> ((KeyTrustException) e).errorCode()).isEqualTo(ErrorCode.SCHEDULED_TASK_FAILED);
        assertThat(time.now()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void timeNeverMovesBackwards() {
        VirtualScheduler time = new VirtualScheduler(T0);
        time.advance(Duration.ofMinutes(1));
        assertThatThrownBy(() -> time.advanceTo(T0)).hasMessageContaining("only moves forward");
        assertThatThrownBy(() -> time.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scaledTimeRunsTheSameScheduleOnItsOwnThread() throws Exception {
        try (ScaledScheduler time = new ScaledScheduler(T0, 600)) {
            CountDownLatch done = new CountDownLatch(2);
            List<String> order = new ArrayList<>();
            time.schedule(Duration.ofSeconds(30), "second", () -> {
                order.add("second");
                done.countDown();
            });
            time.schedule(Duration.ofSeconds(12), "first", () -> {
                order.add("first");
                done.countDown();
            });
            assertThat(done.await(10, TimeUnit.SECONDS)).as("both ran within 10 real seconds").isTrue();
            assertThat(order).containsExactly("first", "second");
            assertThat(time.now()).isAfterOrEqualTo(T0.plusSeconds(30));
            assertThat(time.failures()).isEmpty();
        }
        assertThatThrownBy(() -> new ScaledScheduler(T0, 0.5)).hasMessageContaining("time scale must be 1 or more");
    }

    @Test
    void aTaskThatSleepsLetsWorkDueMeanwhileRunAndGoesOnAtTheLaterInstant() {
        VirtualScheduler time = new VirtualScheduler(T0);
        List<String> log = new ArrayList<>();
        time.schedule(Duration.ofSeconds(10), "retry after 30 s", () -> {
            log.add("waiting " + time.now());
            time.sleep(Duration.ofSeconds(30));
            log.add("retried " + time.now());
        });
        time.schedule(Duration.ofSeconds(20), "notification", () -> log.add("notified " + time.now()));
        time.advance(Duration.ofMinutes(1));
        assertThat(log).containsExactly("waiting 2026-01-01T00:00:10Z", "notified 2026-01-01T00:00:20Z",
                "retried 2026-01-01T00:00:40Z");
        time.sleep(Duration.ofSeconds(5));
        assertThat(time.now()).isEqualTo(T0.plusSeconds(65));
    }

    @Test
    void aTaskThatSleepsPastTheTargetLeavesTimeWhereTheSleepEnded() {
        VirtualScheduler time = new VirtualScheduler(T0);
        time.schedule(Duration.ZERO, "throttled at once", () -> time.sleep(Duration.ofMinutes(2)));
        assertThat(time.advance(Duration.ZERO)).isEqualTo(T0.plusSeconds(120));
        assertThat(time.now()).isEqualTo(T0.plusSeconds(120));
    }

    @Test
    void scaledSleepWaitsTheScaledShareOfWallTime() {
        try (ScaledScheduler time = new ScaledScheduler(T0, 600)) {
            Instant before = time.now();
            time.sleep(Duration.ofMinutes(1));          // a tenth of a real second
            assertThat(time.now()).isAfterOrEqualTo(before.plusSeconds(60));
        }
    }
}
