package dev.keytrust.testbed;

import dev.keytrust.dc.DomainController;
import dev.keytrust.dc.PartnerStatus;
import dev.keytrust.graph.mock.GraphMockAdmin;
import dev.keytrust.graph.mock.RecordedRequest;
import dev.keytrust.time.ScheduledTask;
import dev.keytrust.time.Scheduler;
import java.util.List;

/**
 * What a person debugging a failed test wants to see of a testbed, as text: the testbed time, the work still due
 * on its clock, tasks that failed on scaled time, each DC's inbound partners as {@code repadmin /showrepl} shows
 * them, the last Graph requests the mock answered, and each key's journey. The JUnit extension attaches it to a
 * failed test; {@link Testbed#diagnostics()} returns it.
 */
final class TestbedDiagnostics {
    /** How many Graph requests (the latest) and pending tasks (the next) are shown. */
    static final int SHOWN = 25;

    private TestbedDiagnostics() {
    }

    static String describe(long seed, Scheduler scheduler, List<DomainController> dcs, GraphMockAdmin graph,
            List<KeyTimeline> timelines) {
        StringBuilder out = new StringBuilder();
        out.append("KeyTrust testbed at ").append(scheduler.now()).append(" (testbed time), seed ")
                .append(seed).append('\n');
        List<ScheduledTask> pending = scheduler.pending();
        out.append("pending work (").append(pending.size()).append("):\n");
        pending.stream().limit(SHOWN).forEach(t -> out.append("  ").append(t).append('\n'));
        List<RuntimeException> failed = scheduler.failures();
        if (!failed.isEmpty()) {
            out.append("failed scheduled tasks (").append(failed.size()).append("):\n");
            failed.forEach(f -> out.append("  ").append(f.getMessage()).append('\n'));
        }
        out.append("replication partners:\n");
        for (DomainController dc : dcs) {
            out.append("  ").append(dc.name()).append(dc.isServing() ? "" : " (down)").append(":\n");
            List<PartnerStatus> partners = dc.partners();
            if (partners.isEmpty()) {
                out.append("    no inbound pull yet\n");
            }
            for (PartnerStatus p : partners) {
                out.append("    from ").append(p.source()).append(": last attempt ").append(p.lastAttempt())
                        .append(", result ").append(p.result()).append(", last success ").append(p.lastSuccess())
                        .append(", consecutive failures ").append(p.failures()).append('\n');
            }
        }
        List<RecordedRequest> requests = graph.requests();
        out.append("Graph requests (last ").append(Math.min(SHOWN, requests.size())).append(" of ")
                .append(requests.size()).append("):\n");
        requests.subList(Math.max(0, requests.size() - SHOWN), requests.size()).forEach(r -> out.append("  ")
                .append(r.time()).append(' ').append(r.method()).append(' ').append(r.path()).append(" -> ")
                .append(r.status()).append(r.fault() == null ? "" : " (fault " + r.fault() + ")").append('\n'));
        out.append("keys:\n");
        timelines.forEach(t -> out.append("  ").append(t).append('\n'));
        return out.toString();
    }
}
