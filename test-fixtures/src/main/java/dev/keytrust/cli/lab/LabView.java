package dev.keytrust.cli.lab;

import dev.keytrust.testbed.KeyTimeline;
import dev.keytrust.testbed.TestKey;
import dev.keytrust.testbed.Testbed;
import dev.keytrust.testbed.TestbedConfig;
import dev.keytrust.testbed.TestbedDc;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import dev.keytrust.testbed.journey.JourneySnapshot;
import dev.keytrust.testbed.journey.JourneySnapshots;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code keytrust lab} shows: the DCs and how to query them, then the keys × DCs table — redrawn in place on a
 * terminal, or one line per arrival when the output is a pipe or a file.
 */
public final class LabView {
    private final PrintWriter out;
    private final Testbed testbed;
    private final List<TestKey> keys;
    private final boolean live;
    private final Set<String> announced = new HashSet<>();
    private int drawnLines;
    private Instant started;
    private String lastDue = "";

    LabView(PrintWriter out, Testbed testbed, List<TestKey> keys, boolean live) {
        this.out = out;
        this.testbed = testbed;
        this.keys = keys;
        this.live = live;
    }

    /** The DCs and how to query them; {@code started} is the simulated start (before the demo keys were registered). */
    void header(String time, Instant started) {
        this.started = started;
        out.println("KeyTrust lab (" + time + "), simulated start " + started);
        for (TestbedDc d : testbed.dcs()) {
            out.printf("  %-5s %-8s %s%s%n", d.name(), d.site(), d.ldapUrl(),
                    d.name().equalsIgnoreCase(testbed.config().syncTarget()) ? "   (sync target)" : "");
        }
        TestbedDc first = testbed.dcs().get(0);
        out.println("  bind DN:  " + first.bindDn());
        out.println("  password: " + testbed.config().adminPassword()
                + (testbed.config().adminPassword().equals(TestbedConfig.DEFAULT_PASSWORD) ? "   (the testbed default)" : ""));
        out.println("  Graph mock: " + testbed.graphUrl() + "   agent: every " + testbed.config().agentInterval().toMinutes()
                + " min -> " + testbed.config().syncTarget());
        out.println("  try: ldapsearch -o ldif-wrap=no -x -H " + first.ldapUrl() + " -D '" + first.bindDn() + "' -w '"
                + testbed.config().adminPassword() + "' -b " + first.baseDn() + " '(msDS-KeyCredentialLink=*)' msDS-KeyCredentialLink"
                + " | ./keytrust decode -");
        out.println();
        out.flush();
    }

    void update(boolean converged) {
        if (live) {
            redraw(converged);
        } else {
            announce(converged);
        }
        out.flush();
    }

    private void redraw(boolean converged) {
        if (drawnLines > 0) {
            out.print("\033[" + drawnLines + "A");
        }
        int userWidth = keys.stream().mapToInt(k -> k.userPrincipalName().length()).max().orElse(0);
        String keyColumn = "%-" + Math.max(30, userWidth + 14) + "s %-8s";
        StringBuilder head = new StringBuilder(String.format(keyColumn, "key (user / KeyID)", "agent"));
        for (TestbedDc d : testbed.dcs()) {
            head.append(String.format(" %-9s", d.name()));
        }
        List<String> lines = new java.util.ArrayList<>();
        lines.add("simulated " + fmt(Duration.between(testbed.timelines().isEmpty() ? testbed.now() : testbed.timelines().get(0).registered(),
                testbed.now())) + " since the keys were registered" + (converged ? " — every key is on every DC" : ""));
        lines.add(head.toString());
        for (TestKey k : keys) {
            KeyTimeline t = testbed.timeline(k);
            StringBuilder row = new StringBuilder(String.format(keyColumn, k.userPrincipalName() + " " + k.fingerprint(),
                    t.readByAgent().map(at -> "+" + fmt(Duration.between(t.registered(), at))).orElse("pending")));
            for (TestbedDc d : testbed.dcs()) {
                row.append(String.format(" %-9s", t.visibleOn(d.name()).map(at -> "+" + fmt(Duration.between(t.registered(), at)))
                        .orElse(d.isServing() ? "pending" : "down")));
            }
            lines.add(row.toString());
        }
        lines.add(converged ? "" : "next: " + nextDue(true)); // short: a line wider than the terminal would break the redraw
        for (String l : lines) {
            out.print("\033[2K" + l + "\n");
        }
        drawnLines = lines.size();
    }

    /**
     * One line per new step, every key's steps together in time order (never before the printed start); when nothing
     * happened since the last update, one line saying what is due next and when (once per due item).
     */
    private void announce(boolean converged) {
        List<Line> fresh = new ArrayList<>();
        for (TestKey k : keys) {
            KeyTimeline t = testbed.timeline(k);
            t.readByAgent().ifPresent(at -> once(fresh, k.keyId() + "agent", at, k + " read by the agent"));
            t.visible().forEach((dc, at) -> once(fresh, k.keyId() + dc, at, k + " visible on " + dc + " (+"
                    + fmt(Duration.between(t.registered(), at)) + " after registration)"));
        }
        fresh.sort(Comparator.comparing(Line::at));
        fresh.forEach(l -> out.println(l.at() + "  " + l.text()));
        if (converged && announced.add("converged")) {
            out.println(testbed.now() + "  every demo key is on every DC");
        } else if (!converged && fresh.isEmpty()) {
            String due = nextDue(false);
            if (!due.equals(lastDue)) {
                lastDue = due;
                out.println(testbed.now() + "  quiet; next: " + due);
            }
        }
    }

    private record Line(Instant at, String text) {
    }

    private void once(List<Line> fresh, String id, Instant at, String text) {
        if (announced.add(id)) {
            fresh.add(new Line(at, text));
        }
    }

    /**
     * The next of each kind of step the keys still wait for: the agent's cycle (while a key has not been read), a
     * pending notification, each site link's pull.
     */
    private String nextDue(boolean brief) {
        List<String> next = new ArrayList<>();
        Set<String> kinds = new HashSet<>();
        boolean unread = keys.stream().anyMatch(k -> testbed.timeline(k).readByAgent().isEmpty());
        for (JourneySnapshot.Due d : JourneySnapshots.of(testbed).due()) {
            if ((unread || !d.kind().equals("agent-cycle")) && kinds.add(d.kind() + d.where().filter(w -> d.kind().equals("site-link-pull")).orElse(""))) {
                next.add(brief ? brief(d) : d.label() + " at " + d.at());
            }
        }
        return next.isEmpty() ? "nothing scheduled" : String.join(brief ? " · " : ", ", next);
    }

    /** {@code pull HQ-Branch 03:00:00}: what and the simulated time of day. */
    private static String brief(JourneySnapshot.Due d) {
        return d.brief() + " " + java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").withZone(java.time.ZoneOffset.UTC).format(d.at());
    }

    static String fmt(Duration d) {
        return d.toHours() > 0 ? d.toHours() + "h" + String.format("%02dm", d.toMinutesPart())
                : d.toMinutesPart() + "m" + String.format("%02ds", d.toSecondsPart());
    }
}
