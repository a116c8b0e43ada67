package dev.keytrust.testbed.journey;

import static dev.keytrust.testbed.journey.JourneySvg.esc;

import java.util.List;

/**
 * The journey as HTML: the live page (a shell whose view is pushed by Server-Sent Events, with the lab's fault
 * controls) and the static report (one self-contained file: inline SVG, styles and a few lines of script; no network).
 *
 * <pre>{@code
 * String html = JourneyPage.report(JourneySnapshots.of(testbed), List.of());   // or JourneyReport.write(testbed, path)
 * }</pre>
 */
public final class JourneyPage {
    private static final String CSS = """
            body{font:14px system-ui,sans-serif;margin:16px;color:#1d2733;background:#f7f9fb}
            h1{font-size:20px;margin:0 0 4px} .status{margin:0 0 10px;color:#445}
            svg{display:block;background:#fff;border:1px solid #d6dde5;border-radius:6px;margin:6px 0}
            .site-box{fill:#eef3f8;stroke:#9db0c4} .site-name{font-weight:600;fill:#345}
            .dc rect{fill:#dff3e4;stroke:#3d8b56} .dc.stopped rect{fill:#e4e4e4;stroke:#888;stroke-dasharray:4 3}
            .dc-name{text-anchor:middle;font-weight:700} .dc-note{text-anchor:middle;font-size:11px;fill:#456}
            .dc-due{text-anchor:middle;font-size:11px;fill:#8a5a00}
            .conn line{stroke:#56708a;stroke-width:1.5} .conn.blocked line{stroke:#c0392b;stroke-dasharray:5 4}
            .cut,.fault-label{fill:#c0392b;font-weight:700;text-anchor:middle} .fault-label{font-size:12px}
            .site-link path{fill:none;stroke:#7c8da0;stroke-width:3} .site-link.faulted path{stroke:#c0392b;stroke-dasharray:8 5}
            .link-label{text-anchor:middle;font-size:12px;fill:#345}
            .tick{stroke:#e5e9ee} .tick-label{font-size:11px;fill:#678;text-anchor:middle}
            .row-bg{fill:transparent} .key-row{cursor:pointer} .key-row:hover .row-bg,.key-row.selected .row-bg{fill:#eef5ff}
            .key-user{font-weight:600;font-size:12px} .key-id{font:11px ui-monospace,monospace;fill:#567}
            .track{stroke:#b8c4d0;stroke-width:2}
            .event circle{stroke:#fff;stroke-width:1.5;fill:#888} .event-label{font-size:10px;fill:#345}
            .kind-registered circle{fill:#7b4fc9} .kind-read-by-agent circle{fill:#d98b1c} .kind-visible circle{fill:#2e8b57}
            .kind-sign-in circle{fill:#1f6fd1}
            .pending{fill:#c0392b;font-weight:600;font-size:12px} .all-there{fill:#2e8b57;font-size:12px} .pending-head{font-size:11px;fill:#678}
            .now line{stroke:#1f6fd1;stroke-width:2} .now text{fill:#1f6fd1;font-size:11px}
            .due line{stroke:#999;stroke-dasharray:3 3} .due text{font-size:10px;fill:#666}
            .due.agent-cycle line{stroke:#d98b1c} .due.site-link-pull line{stroke:#7c8da0}
            ul.due-list{margin:4px 0 8px;padding-left:18px;color:#445}
            .controls{display:flex;flex-wrap:wrap;gap:8px;align-items:center;background:#fff;border:1px solid #d6dde5;
              border-radius:6px;padding:8px;margin:8px 0} .controls fieldset{border:1px solid #e0e6ec;border-radius:5px;margin:0}
            button{font:inherit;padding:2px 8px} .mono{font-family:ui-monospace,monospace}
            table.meta{border-collapse:collapse;margin-top:6px} table.meta td,table.meta th{border:1px solid #d6dde5;padding:3px 8px}
            .key-details dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin:0}
            .key-details dt{font-weight:600} #details{background:#fff;border:1px solid #d6dde5;border-radius:6px;padding:8px;margin:8px 0}
            #message{color:#345;margin-left:8px} .legend span{margin-right:12px}
            """;

    private JourneyPage() {
    }

    /** The part that changes: status, topology, what is due, the key rows. */
    public static String view(JourneySnapshot s) {
        StringBuilder b = new StringBuilder("<p class=\"status\" data-now=\"").append(s.now()).append("\" data-converged=\"")
                .append(s.converged()).append("\">Testbed time <b>").append(JourneySvg.clock(s.now())).append("</b> · ")
                .append(s.keys().size()).append(s.keys().size() == 1 ? " key" : " keys").append(" · ")
                .append(s.converged() ? "every key is on every DC" : s.keys().isEmpty() ? "waiting for a key" : "keys travelling")
                .append("</p>");
        b.append(JourneySvg.topology(s));
        b.append("<ul class=\"due-list\">");
        for (JourneySnapshot.Due d : s.due()) {
            b.append("<li data-kind=\"").append(d.kind()).append("\">").append(esc(d.label())).append(" at ")
                    .append(JourneySvg.clock(d.at())).append("</li>");
        }
        b.append("</ul>");
        return b.append(JourneySvg.timeline(s)).toString();
    }

    /** A self-contained report of {@code s}: the same drawing, each key's details under it, no network needed to open it. */
    public static String report(JourneySnapshot s, List<KeyDetails> details) {
        StringBuilder b = head("KeyTrust journey report");
        b.append("<h1>KeyTrust journey</h1><p class=\"status\">Report written at testbed time ").append(JourneySvg.clock(s.now()))
                .append(". Click a key's row to see its replication metadata on each DC.</p>").append(legend());
        b.append("<div id=\"view\">").append(view(s)).append("</div><div id=\"details\">");
        for (KeyDetails d : details) {
            b.append("<section class=\"detail\" data-key-id=\"").append(esc(d.key().keyId())).append("\"")
                    .append(d == details.get(0) ? "" : " hidden").append(">").append(d.html()).append("</section>");
        }
        b.append("</div><script>").append("""
                document.getElementById('view').addEventListener('click', ev => {
                  const row = ev.target.closest('.key-row'); if (!row) return;
                  document.querySelectorAll('.detail').forEach(d => d.hidden = d.dataset.keyId !== row.dataset.keyId);
                  document.querySelectorAll('.key-row').forEach(r => r.classList.toggle('selected', r === row));
                });
                """).append("</script></body></html>\n");
        return b.toString();
    }

    /**
     * The live page: the view arrives by Server-Sent Events from {@code /events}; clicking a key fetches its details;
     * the controls POST to {@code /control} with {@code token} (the server refuses a POST without it, or from another origin).
     */
    public static String live(JourneySnapshot s, String token, List<String> users) {
        StringBuilder b = head("KeyTrust lab — the journey");
        b.append("<h1>KeyTrust lab — the journey</h1>").append(legend());
        b.append("<form class=\"controls\" id=\"controls\" onsubmit=\"return false\">");
        b.append("<fieldset><legend>DC</legend><select name=\"dc\">");
        s.dcs().forEach(d -> b.append("<option>").append(esc(d.name())).append("</option>"));
        b.append("</select> <button data-action=\"stop-dc\">stop</button> <button data-action=\"start-dc\">start</button></fieldset>");
        b.append("<fieldset><legend>site link</legend><select name=\"link\">");
        s.links().forEach(l -> b.append("<option>").append(esc(l.name())).append("</option>"));
        b.append("</select> <button data-action=\"partition-link\">partition</button> <button data-action=\"heal-link\">heal</button></fieldset>");
        b.append("<fieldset><legend>agent</legend><button data-action=\"sync\">run a sync cycle now</button></fieldset>");
        b.append("<fieldset><legend>new key</legend><select name=\"user\">");
        users.forEach(u -> b.append("<option>").append(esc(u)).append("</option>"));
        b.append("</select> <button data-action=\"register-key\">register a key</button></fieldset><span id=\"message\"></span></form>");
        b.append("<div id=\"view\">").append(view(s)).append("</div><div id=\"details\" hidden></div>");
        b.append("<script>const TOKEN='").append(esc(token)).append("';").append("""
                const view = document.getElementById('view'), details = document.getElementById('details');
                let selected = null;
                function mark() { document.querySelectorAll('.key-row').forEach(r => r.classList.toggle('selected', r.dataset.keyId === selected)); }
                // a picture arriving between a press and its release would swallow the click: hold it until the release
                let pressed = false, held = null;
                function show(html) { if (pressed) { held = html; } else { view.innerHTML = html; mark(); } }
                view.addEventListener('pointerdown', () => { pressed = true; });
                document.addEventListener('pointerup', () => setTimeout(() => {
                  pressed = false; if (held !== null) { const h = held; held = null; show(h); } }, 0));
                const events = new EventSource('events');
                events.addEventListener('view', ev => show(ev.data));
                view.addEventListener('click', async ev => {
                  const row = ev.target.closest('.key-row'); if (!row) return;
                  selected = row.dataset.keyId; mark();
                  const r = await fetch('key?id=' + encodeURIComponent(selected));
                  details.innerHTML = await r.text(); details.hidden = false;
                });
                document.getElementById('controls').addEventListener('click', async ev => {
                  const action = ev.target.dataset && ev.target.dataset.action; if (!action) return;
                  const form = new FormData(document.getElementById('controls'));
                  const body = new URLSearchParams({action, dc: form.get('dc'), link: form.get('link'), user: form.get('user')});
                  const r = await fetch('control', {method: 'POST', headers: {'X-KeyTrust-Token': TOKEN}, body});
                  document.getElementById('message').textContent = await r.text();
                });
                """).append("</script></body></html>\n");
        return b.toString();
    }

    private static StringBuilder head(String title) {
        return new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title><meta name=\"viewport\" content=\"width=device-width\"><style>").append(CSS).append("</style></head><body>");
    }

    private static String legend() {
        return "<p class=\"legend\"><span>● <b style=\"color:#7b4fc9\">registered in Entra</b></span>"
                + "<span>● <b style=\"color:#d98b1c\">read by the agent</b></span><span>● <b style=\"color:#2e8b57\">visible on a DC</b></span>"
                + "<span>● <b style=\"color:#1f6fd1\">sign-in accepted</b></span><span>┆ due next</span></p>";
    }
}
