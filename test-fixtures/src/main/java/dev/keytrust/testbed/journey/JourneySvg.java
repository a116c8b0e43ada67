package dev.keytrust.testbed.journey;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a {@link JourneySnapshot} as inline SVG, on the server: the topology (sites, DCs, site links with their
 * intervals, the KCC's connections, faults drawn on them) and one row per key on a time axis with a marker per step,
 * "now", and what is due next. Elements carry {@code data-*} attributes (DC, kind, instant) so a page script or a
 * browser test can read what is drawn.
 *
 * <p>Server-side SVG, not a JavaScript charting library: the live page and the static report use the same drawing,
 * the report needs no script to show it, nothing is fetched at run time, and the drawing is tested as text.
 *
 * <pre>{@code
 * JourneySnapshot s = JourneySnapshots.of(testbed);
 * String picture = JourneySvg.topology(s) + JourneySvg.timeline(s);   // width 1000, heights from the content
 * }</pre>
 */
public final class JourneySvg {
    static final int WIDTH = 1000;
    private static final int MIN_LABEL_WIDTH = 190;
    private static final int PENDING_WIDTH = 120;
    private static final int ROW = 46;
    private static final int TOP = 58;
    private static final Duration[] STEPS = {Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
        Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30),
        Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(7)};

    private JourneySvg() {
    }

    /** The topology: sites side by side with their DCs, connections as arrows (destination pulls from source). */
    public static String topology(JourneySnapshot s) {
        int n = Math.max(1, s.sites().size());
        int gap = 90;
        int siteWidth = (WIDTH - 20 - (n - 1) * gap) / n;
        Map<String, int[]> centre = new LinkedHashMap<>();
        Map<String, int[]> siteBox = new LinkedHashMap<>();
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"topology\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH)
                .append(" 250\" width=\"").append(WIDTH).append("\" height=\"250\" role=\"img\" aria-label=\"Replication topology\">");
        b.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
                + "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#56708a\"/></marker></defs>");
        for (int i = 0; i < s.sites().size(); i++) {
            String site = s.sites().get(i);
            int x = 10 + i * (siteWidth + gap);
            siteBox.put(key(site), new int[] {x, 20, siteWidth, 150});
            b.append("<g class=\"site\" data-site=\"").append(esc(site)).append("\"><rect x=\"").append(x)
                    .append("\" y=\"20\" width=\"").append(siteWidth).append("\" height=\"150\" rx=\"10\" class=\"site-box\"/>")
                    .append("<text x=\"").append(x + 12).append("\" y=\"40\" class=\"site-name\">site ").append(esc(site)).append("</text></g>");
            List<JourneySnapshot.Dc> in = s.dcs().stream().filter(d -> d.site().equalsIgnoreCase(site)).toList();
            int slot = siteWidth / Math.max(1, in.size());
            for (int j = 0; j < in.size(); j++) {
                centre.put(key(in.get(j).name()), new int[] {x + slot * j + slot / 2, 105});
            }
        }
        for (JourneySnapshot.Link l : s.links()) {
            b.append(link(s, l, siteBox));
        }
        for (JourneySnapshot.Conn c : s.connections()) {
            int[] from = centre.get(key(c.source()));
            int[] to = centre.get(key(c.destination()));
            if (from != null && to != null) {
                b.append(connection(c, from, to));
            }
        }
        for (JourneySnapshot.Dc d : s.dcs()) {
            int[] c = centre.get(key(d.name()));
            if (c == null) {
                continue;
            }
            b.append("<g class=\"dc ").append(d.serving() ? "serving" : "stopped").append("\" data-dc=\"").append(esc(d.name()))
                    .append("\" data-site=\"").append(esc(d.site())).append("\" data-serving=\"").append(d.serving()).append("\">")
                    .append("<rect x=\"").append(c[0] - 52).append("\" y=\"").append(c[1] - 24)
                    .append("\" width=\"104\" height=\"48\" rx=\"6\"/>")
                    .append("<text x=\"").append(c[0]).append("\" y=\"").append(c[1] - 3).append("\" class=\"dc-name\">")
                    .append(esc(d.name())).append("</text><text x=\"").append(c[0]).append("\" y=\"").append(c[1] + 14)
                    .append("\" class=\"dc-note\">").append(d.serving() ? (d.syncTarget() ? "sync target" : "serving") : "stopped")
                    .append("</text>").append(dueAt(s, d, c)).append("</g>");
        }
        return b.append("</svg>").toString();
    }

    /** Under a DC, what is due there next: the agent's cycle on the sync target, a change notification to the DC. */
    private static String dueAt(JourneySnapshot s, JourneySnapshot.Dc d, int[] c) {
        List<String> lines = new ArrayList<>();
        s.due().stream().filter(x -> x.kind().equals("agent-cycle")).findFirst().filter(x -> d.syncTarget())
                .ifPresent(x -> lines.add("agent cycle " + clock(x.at()).substring(11)));
        s.due().stream().filter(x -> x.kind().equals("notification") && x.where().filter(d.name()::equalsIgnoreCase).isPresent())
                .findFirst().ifPresent(x -> lines.add("notified " + clock(x.at()).substring(11)));
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            b.append("<text x=\"").append(c[0]).append("\" y=\"").append(c[1] + 40 + i * 13).append("\" class=\"dc-due\">next: ")
                    .append(esc(lines.get(i))).append("</text>");
        }
        return b.toString();
    }

    private static String link(JourneySnapshot s, JourneySnapshot.Link l, Map<String, int[]> siteBox) {
        List<int[]> boxes = l.sites().stream().map(x -> siteBox.get(key(x))).filter(java.util.Objects::nonNull).toList();
        if (boxes.size() < 2) {
            return "";
        }
        List<String> faults = s.connections().stream().filter(c -> c.siteLink().filter(l.name()::equals).isPresent())
                .flatMap(c -> c.blocked().stream()).distinct().toList();
        int x1 = boxes.get(0)[0] + boxes.get(0)[2] / 2;
        int x2 = boxes.get(boxes.size() - 1)[0] + boxes.get(boxes.size() - 1)[2] / 2;
        StringBuilder b = new StringBuilder("<g class=\"site-link").append(faults.isEmpty() ? "" : " faulted")
                .append("\" data-link=\"").append(esc(l.name())).append("\" data-interval-minutes=\"").append(l.interval().toMinutes())
                .append("\" data-faulted=\"").append(!faults.isEmpty()).append("\">");
        b.append("<path d=\"M").append(x1).append(",170 V205 H").append(x2).append(" V170\"/>");
        String text = "site link " + l.name() + " · every " + minutes(l.interval()) + (l.useNotify() ? " · notifies" : "")
                + l.nextPull().map(at -> " · next pull " + clock(at)).orElse("");
        b.append("<text x=\"").append((x1 + x2) / 2).append("\" y=\"225\" class=\"link-label\">").append(esc(text)).append("</text>");
        if (!faults.isEmpty()) {
            b.append("<text x=\"").append((x1 + x2) / 2).append("\" y=\"244\" class=\"fault-label\">✕ ")
                    .append(esc(String.join("; ", faults))).append("</text>");
        }
        return b.append("</g>").toString();
    }

    private static String connection(JourneySnapshot.Conn c, int[] from, int[] to) {
        double dx = to[0] - from[0];
        double dy = to[1] - from[1];
        double len = Math.max(1, Math.hypot(dx, dy));
        double ox = -dy / len * 6;
        double oy = dx / len * 6;
        double sx = from[0] + dx / len * 54 + ox;
        double sy = from[1] + dy / len * 26 + oy;
        double ex = to[0] - dx / len * 54 + ox;
        double ey = to[1] - dy / len * 26 + oy;
        StringBuilder b = new StringBuilder("<g class=\"conn ").append(c.kind()).append(c.blocked().isPresent() ? " blocked" : "")
                .append("\" data-source=\"").append(esc(c.source())).append("\" data-destination=\"").append(esc(c.destination()))
                .append("\" data-blocked=\"").append(c.blocked().isPresent()).append("\"><title>").append(esc(c.destination()))
                .append(" pulls from ").append(esc(c.source())).append(c.siteLink().map(l -> " over " + l).orElse(""))
                .append(c.blocked().map(w -> " — blocked: " + esc(w)).orElse("")).append("</title>");
        b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" marker-end=\"url(#arrow)\"/>",
                sx, sy, ex, ey));
        if (c.blocked().isPresent()) {
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"cut\">✕</text>", (sx + ex) / 2, (sy + ey) / 2 + 5));
        }
        return b.append("</g>").toString();
    }

    /** One row per key on a time axis, "now", and what is due next as dashed lines where it will happen. */
    public static String timeline(JourneySnapshot s) {
        Instant start = s.origin();
        Instant end = s.now();
        for (JourneySnapshot.Key k : s.keys()) {
            for (JourneyEvent e : k.events()) {
                end = e.at().isAfter(end) ? e.at() : end;
            }
        }
        for (JourneySnapshot.Due d : s.due()) {
            end = d.at().isAfter(end) ? d.at() : end;
        }
        long spanNanos = Math.max(Duration.ofMinutes(1).toNanos(), Duration.between(start, end).toNanos());
        // the whole user name is shown (never cut): the label column grows with the longest one
        int labelWidth = Math.min(420, Math.max(MIN_LABEL_WIDTH, 24 + 8 * s.keys().stream().mapToInt(k -> k.user().length()).max().orElse(0)));
        Axis axis = new Axis(start, spanNanos + spanNanos / 20, labelWidth, WIDTH - PENDING_WIDTH - 20);
        int height = TOP + Math.max(1, s.keys().size()) * ROW + 40;
        StringBuilder b = new StringBuilder("<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(height).append("\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"Each key's journey on a time axis\" data-origin=\"").append(start)
                .append("\" data-now=\"").append(s.now()).append("\">");
        int bottom = height - 30;
        Duration step = step(Duration.ofNanos(spanNanos));
        for (Duration t = Duration.ZERO; t.toNanos() <= spanNanos + spanNanos / 20; t = t.plus(step)) {
            double x = axis.x(start.plus(t));
            b.append(String.format(Locale.ROOT, "<line class=\"tick\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                    + "<text class=\"tick-label\" x=\"%.1f\" y=\"%d\">+%s</text>", x, TOP - 6, x, bottom, x, bottom + 16, offset(t)));
        }
        int dueRow = 0;
        for (JourneySnapshot.Due d : s.due()) {
            double x = axis.x(d.at());
            boolean right = x > axis.left() + (axis.right() - axis.left()) * 0.7;
            b.append(String.format(Locale.ROOT, "<g class=\"due %s\" data-kind=\"%s\" data-at=\"%s\"%s><title>%s at %s</title>"
                    + "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/><text x=\"%.1f\" y=\"%d\"%s>%s</text></g>", d.kind(), d.kind(),
                    d.at(), d.where().map(w -> " data-where=\"" + esc(w) + "\"").orElse(""), esc(d.label()), clock(d.at()),
                    x, 4 + (dueRow % 3) * 11, x, bottom, right ? x - 3 : x + 3, 12 + (dueRow++ % 3) * 11,
                    right ? " text-anchor=\"end\"" : "", esc(d.brief())));
        }
        for (int i = 0; i < s.keys().size(); i++) {
            b.append(row(s.keys().get(i), axis, TOP + i * ROW));
        }
        double nowX = axis.x(s.now());
        boolean nowRight = nowX > axis.left() + (axis.right() - axis.left()) * 0.6;
        b.append(String.format(Locale.ROOT, "<g class=\"now\" data-at=\"%s\"><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                + "<text x=\"%.1f\" y=\"%d\"%s>now %s</text></g>", s.now(), nowX, TOP - 12, nowX, bottom, nowRight ? nowX - 4 : nowX + 4,
                TOP - 4, nowRight ? " text-anchor=\"end\"" : "", clock(s.now())));
        b.append("<text class=\"pending-head\" x=\"").append(WIDTH - PENDING_WIDTH).append("\" y=\"").append(TOP - 4)
                .append("\">not yet on</text>");
        if (s.keys().isEmpty()) {
            b.append("<text class=\"empty\" x=\"").append(labelWidth).append("\" y=\"").append(TOP + 24)
                    .append("\">No key registered yet.</text>");
        }
        return b.append("</svg>").toString();
    }

    private static String row(JourneySnapshot.Key k, Axis axis, int y) {
        StringBuilder b = new StringBuilder("<g class=\"key-row\" tabindex=\"0\" data-key-id=\"").append(esc(k.keyId()))
                .append("\" data-user=\"").append(esc(k.user())).append("\">");
        b.append("<rect class=\"row-bg\" x=\"0\" y=\"").append(y).append("\" width=\"").append(WIDTH).append("\" height=\"")
                .append(ROW - 4).append("\"/>");
        b.append("<text class=\"key-user\" x=\"6\" y=\"").append(y + 17).append("\">").append(esc(k.user())).append("</text>");
        b.append("<text class=\"key-id\" x=\"6\" y=\"").append(y + 33).append("\">").append(esc(k.fingerprint())).append(" · ")
                .append(esc(k.device())).append("</text>");
        int mid = y + 15;
        b.append(String.format(Locale.ROOT, "<line class=\"track\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>",
                axis.x(k.registered()), mid, axis.x(k.events().get(k.events().size() - 1).at()), mid));
        // Steps too close to tell apart on the axis (DC2 15 s after DC1 on a three-hour axis) form a cluster: its markers
        // side by side from the first one's instant, one label listing them; each marker's title has its exact time.
        List<List<JourneyEvent>> clusters = new ArrayList<>();
        for (JourneyEvent e : k.events()) {
            List<JourneyEvent> last = clusters.isEmpty() ? null : clusters.get(clusters.size() - 1);
            if (last != null && axis.x(e.at()) - axis.x(last.get(0).at()) < 12 * last.size() + 12) {
                last.add(e);
            } else {
                clusters.add(new ArrayList<>(List.of(e)));
            }
        }
        for (List<JourneyEvent> cluster : clusters) {
            double x0 = axis.x(cluster.get(0).at());
            for (int i = 0; i < cluster.size(); i++) {
                JourneyEvent e = cluster.get(i);
                b.append(String.format(Locale.ROOT, "<g class=\"event kind-%s\" data-kind=\"%s\" data-at=\"%s\"%s><title>%s at %s (+%s)</title>"
                        + "<circle cx=\"%.1f\" cy=\"%d\" r=\"6\"/></g>", e.kind(), e.kind(), e.at(),
                        e.dc().map(d -> " data-dc=\"" + esc(d) + "\"").orElse(""), esc(e.description()), clock(e.at()),
                        offset(Duration.between(k.registered(), e.at())), x0 + 12 * i, mid));
            }
            String label = String.join(" ", cluster.stream().map(JourneyEvent::label).toList());
            b.append(String.format(Locale.ROOT, "<text class=\"event-label\" x=\"%.1f\" y=\"%d\">%s</text>", x0 - 6, mid + 19, esc(label)));
        }
        b.append("<text class=\"pending-list\" x=\"").append(WIDTH - PENDING_WIDTH).append("\" y=\"").append(mid + 5).append("\">");
        if (k.pendingOn().isEmpty()) {
            b.append("<tspan class=\"all-there\">on every DC</tspan>");
        }
        for (String dc : k.pendingOn()) {
            b.append("<tspan class=\"pending\" data-dc=\"").append(esc(dc)).append("\">").append(esc(dc)).append(" </tspan>");
        }
        return b.append("</text></g>").toString();
    }

    private record Axis(Instant start, long spanNanos, int left, int right) {

        double x(Instant t) {
            double f = (double) Duration.between(start, t).toNanos() / spanNanos;
            return left + Math.max(0, Math.min(1, f)) * (right - left);
        }
    }

    static Duration step(Duration span) {
        for (Duration d : STEPS) {
            if (span.dividedBy(d) <= 8) {
                return d;
            }
        }
        return STEPS[STEPS.length - 1];
    }

    /** {@code 0:15:03}, or {@code 2d 03:00:00} beyond a day. */
    static String offset(Duration d) {
        long s = Math.max(0, d.getSeconds());
        String hms = String.format(Locale.ROOT, "%d:%02d:%02d", (s / 3600) % 24, (s / 60) % 60, s % 60);
        return s >= 86_400 ? (s / 86_400) + "d " + hms : hms;
    }

    static String clock(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString().replace('T', ' ').replace("Z", "");
    }

    private static String minutes(Duration d) {
        return d.toMinutes() + " min";
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Escapes text for XML content and attribute values. */
    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
