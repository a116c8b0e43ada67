package dev.keytrust.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Scaled time keeps scheduled instants exact: work that takes real time (an LDAP write, a replication pull) does not
 * push what it schedules, or what it stamps, later in simulated time (issue 17, friction 4: at scale 600 DC2's 15 s
 * gap was 35 s and keys written together were stamped up to 37 s apart).
 */
class ScaledSchedulerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** Real work of {@code millis} wall milliseconds (not a sleep of testbed time). */
    private static void work(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Schedules {@code task} as foreground work due at {@code at}; the latch opens once it has returned. */
    private static CountDownLatch runAt(Scheduler time, Instant at, String name, Runnable task) {
        CountDownLatch done = new CountDownLatch(1);
        time.scheduleAt(at, name, Scheduler.Kind.FOREGROUND, () -> {
            task.run();
            done.countDown();
        });
        return done;
    }

    @Test
    void aSlowTaskSeesItsOwnInstantThroughoutAndWhatItSchedulesRunsExactlyThatFarLater() throws Exception {
        try (ScaledScheduler time = new ScaledScheduler(T0, 600)) {
            List<Instant> seen = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            time.scheduleAt(T0.plusSeconds(30), "agent cycle writing three keys", Scheduler.Kind.FOREGROUND, () -> {
                for (int i = 0; i < 3; i++) {
                    work(40); // 40 ms of real work is 24 simulated seconds at scale 600
                    seen.add(time.now());
                }
                time.schedule(Duration.ofSeconds(15), "notify DC2", () -> {
                    seen.add(time.now());
                    done.countDown();
                });
            });
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(seen).containsExactly(T0.plusSeconds(30), T0.plusSeconds(30), T0.plusSeconds(30), T0.plusSeconds(45));
        }
    }

    @Test
    void aTaskThatSleepsLetsTimeMoveAndRunsWorkDueMeanwhile() throws Exception {
        try (ScaledScheduler time = new ScaledScheduler(T0, 600)) {
            List<String> log = new CopyOnWriteArrayList<>();
            CountDownLatch done = runAt(time, T0.plusSeconds(6), "retry after 30 s", () -> {
                log.add("waiting " + time.now());
                time.sleep(Duration.ofSeconds(30));
                log.add("retried " + time.now());
            });
            runAt(time, T0.plusSeconds(12), "notification", () -> log.add("notified " + time.now()));
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(log.get(0)).isEqualTo("waiting 2026-01-01T00:00:06Z");
            assertThat(log.get(1)).isEqualTo("notified 2026-01-01T00:00:12Z");
            assertThat(Instant.parse(log.get(2).substring("retried ".length()))).isAfterOrEqualTo(T0.plusSeconds(36));
        }
    }

    @Test
    void timeNeverMovesBackwardsAndATaskAskedForInThePastRunsNow() throws Exception {
        try (ScaledScheduler time = new ScaledScheduler(T0, 600)) {
            Instant before = time.now();
            List<Instant> ran = new CopyOnWriteArrayList<>();
            CountDownLatch done = runAt(time, T0.minusSeconds(60), "overdue", () -> ran.add(time.now()));
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ran.get(0)).isAfterOrEqualTo(before);
            Instant a = time.now();
            Instant b = time.now();
            assertThat(b).isAfterOrEqualTo(a);
            assertThat(time.lag()).isLessThan(Duration.ofSeconds(5));
        }
    }
}
