package dev.keytrust.testbed.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the journey drawing shows, read back from the SVG text as a browser or a person would. */
class JourneySvgTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static JourneySnapshot snapshot(Instant now, Optional<String> partitioned, List<JourneyEvent> extra) {
        List<JourneyEvent> events = new java.util.ArrayList<>(List.of(
                new JourneyEvent(JourneyEvent.REGISTERED, Optional.empty(), T0),
                new JourneyEvent(JourneyEvent.READ_BY_AGENT, Optional.empty(), T0.plus(Duration.ofMinutes(30))),
                new JourneyEvent(JourneyEvent.VISIBLE, Optional.of("DC1"), T0.plus(Duration.ofMinutes(30))),
                new JourneyEvent(JourneyEvent.VISIBLE, Optional.of("DC2"), T0.plus(Duration.ofMinutes(30)).plusSeconds(15))));
        events.addAll(extra);
        return new JourneySnapshot(now, T0, List.of("HQ", "Branch"),
                List.of(new JourneySnapshot.Dc("DC1", "HQ", true, true), new JourneySnapshot.Dc("DC2", "HQ", true, false),
                        new JourneySnapshot.Dc("DC3", "Branch", false, false)),
                List.of(new JourneySnapshot.Link("HQ-Branch", List.of("HQ", "Branch"), Duration.ofMinutes(180), false,
                        Optional.of(T0.plus(Duration.ofHours(3))))),
                List.of(new JourneySnapshot.Conn("DC1", "DC2", "intra-site", Optional.empty(), Optional.empty()),
                        new JourneySnapshot.Conn("DC2", "DC3", "inter-site", Optional.of("HQ-Branch"), partitioned)),
                List.of(new JourneySnapshot.Key("KEYID+/=", "KEYID", "a.very.long.user.name.beyond.seventeen@corp.example.com",
                        "ALICE-PC", "0b7c", T0, events, List.of("DC3"))),
                List.of(new JourneySnapshot.Due("notification", "notify DC2 of changes on DC1", T0.plusSeconds(15), Optional.of("DC2")),
                        new JourneySnapshot.Due("agent-cycle", "next agent cycle", T0.plus(Duration.ofMinutes(30)), Optional.empty()),
                        new JourneySnapshot.Due("site-link-pull", "next pull over HQ-Branch", T0.plus(Duration.ofHours(3)),
                        Optional.of("HQ-Branch"))));
    }

    @Test
    void theTopologyShowsEachDcInItsSiteTheLinkWithItsIntervalAndAStoppedDc() {
        String svg = JourneySvg.topology(snapshot(T0.plus(Duration.ofHours(1)), Optional.empty(), List.of()));
        assertThat(svg).contains("data-dc=\"DC1\" data-site=\"HQ\"", "data-dc=\"DC3\" data-site=\"Branch\" data-serving=\"false\"",
                "site link HQ-Branch · every 180 min", "data-interval-minutes=\"180\"", "data-source=\"DC2\" data-destination=\"DC3\"",
                ">stopped<", ">sync target<");
        assertThat(svg).contains("data-faulted=\"false\"").doesNotContain("class=\"conn inter-site blocked\"");
        assertThat(svg).as("what is due where it will happen").contains("next: agent cycle 00:30:00", "next: notified 00:00:15",
                "next pull 2026-01-01 03:00:00");
    }

    @Test
    void aFaultInForceIsDrawnOnTheLinkAndItsConnectionWithTheReason() {
        String svg = JourneySvg.topology(snapshot(T0, Optional.of("DC3 is partitioned from DC2"), List.of()));
        assertThat(svg).contains("class=\"site-link faulted\"", "data-faulted=\"true\"", "class=\"conn inter-site blocked\"",
                "✕ DC3 is partitioned from DC2");
    }

    @Test
    void eachStepIsAMarkerWithItsKindDcAndInstantAndTheWholeUserNameIsShown() {
        String svg = JourneySvg.timeline(snapshot(T0.plus(Duration.ofHours(1)), Optional.empty(), List.of()));
        assertThat(svg).contains("data-kind=\"registered\" data-at=\"2026-01-01T00:00:00Z\"",
                "data-kind=\"visible\" data-at=\"2026-01-01T00:30:15Z\" data-dc=\"DC2\"",
                ">a.very.long.user.name.beyond.seventeen@corp.example.com<", "class=\"pending\" data-dc=\"DC3\"",
                "class=\"now\" data-at=\"2026-01-01T01:00:00Z\"", "data-kind=\"site-link-pull\" data-at=\"2026-01-01T03:00:00Z\"");
        assertThat(svg).contains("data-key-id=\"KEYID+/=\"");
    }

    @Test
    void aKindOfStepTheRendererDoesNotKnowIsStillDrawnWithItsOwnLabel() {
        JourneyEvent signIn = new JourneyEvent(JourneyEvent.SIGN_IN, Optional.of("DC2"), T0.plus(Duration.ofMinutes(40)));
        JourneyEvent other = new JourneyEvent("revoked", Optional.empty(), T0.plus(Duration.ofMinutes(50)));
        String svg = JourneySvg.timeline(snapshot(T0.plus(Duration.ofHours(1)), Optional.empty(), List.of(signIn, other)));
        assertThat(svg).contains("class=\"event kind-sign-in\" data-kind=\"sign-in\"", "first sign-in accepted on DC2",
                "class=\"event kind-revoked\"", "revoked");
        assertThat(signIn.label()).isEqualTo("sign-in DC2");
    }

    @Test
    void textFromTheDirectoryIsEscaped() {
        JourneySnapshot s = snapshot(T0, Optional.of("<script>alert(1)</script>"), List.of());
        assertThat(JourneyPage.view(s)).doesNotContain("<script>alert").contains("&lt;script&gt;");
    }

    @Test
    void theReportIsOneFileThatNeedsNoNetwork() {
        String html = JourneyPage.report(snapshot(T0, Optional.empty(), List.of()), List.of());
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<style>", "<svg").doesNotContain("src=\"http", "href=\"http",
                "@import", "url(http");
    }

    @Test
    void theAxisStepKeepsTicksFewAndTheNextPullIsTheFirstAfterNow() {
        assertThat(JourneySvg.step(Duration.ofHours(3))).isEqualTo(Duration.ofMinutes(30));
        assertThat(JourneySvg.step(Duration.ofMinutes(2))).isEqualTo(Duration.ofSeconds(15));
        Duration i = Duration.ofMinutes(180);
        assertThat(JourneySnapshots.nextPull(T0, i, T0)).isEqualTo(T0.plus(i));
        assertThat(JourneySnapshots.nextPull(T0, i, T0.plus(i))).isEqualTo(T0.plus(i.multipliedBy(2)));
        assertThat(JourneySnapshots.nextPull(T0, i, T0.plus(i).minusSeconds(1))).isEqualTo(T0.plus(i));
    }
}
