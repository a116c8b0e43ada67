package dev.keytrust.cli.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keytrust.cli.dc.HostsFile;
import dev.keytrust.cli.graph.GraphClientDetails;
import dev.keytrust.cli.options.Krb5DirOption;
import dev.keytrust.cli.options.SeedOption;
import dev.keytrust.testbed.KeyTimeline;
import dev.keytrust.testbed.TestKey;
import dev.keytrust.testbed.Testbed;
import dev.keytrust.testbed.TestbedConfig;
import dev.keytrust.testbed.TestbedDc;
import dev.keytrust.testbed.journey.JourneyServer;
import dev.keytrust.time.ScheduledTask;
import dev.keytrust.time.VirtualScheduler;
import dev.keytrust.topology.TopologyYaml;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keytrust lab}: the whole path — DCs, the Graph mock, the agent — with demo keys travelling through it. */
@Command(name = "lab",
        description = {
            "Run the whole lab: DC1 and DC2 in site HQ, DC3 in site Branch (HQ-Branch every 180 minutes), the Graph mock",
            "with demo users, and the sync agent on Entra Connect's 30-minute cycle writing to DC1. A few demo keys are",
            "registered at start; watch them arrive on each DC, in simulated time. Query the DCs meanwhile with ldapsearch."
        },
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:",
            "  keytrust lab                                  # about a minute of wall time for the whole journey",
            "  keytrust lab --virtual --until-converged --json",
            "  keytrust lab --virtual --until-converged --report journey.html",
            "  keytrust lab --topology lab.yaml --users 50 --time-scale 600",
            "  sudo keytrust lab --standard-ports --write-hosts    # DC1..3 on 127.0.0.11-13:389, dc1.corp.example.com ..."})
public final class LabCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--topology", paramLabel = "FILE", description = "Topology YAML (default: the README's three DCs in two sites).")
    private Path topology;

    @Option(names = "--users", defaultValue = "10", paramLabel = "N", description = "Seeded users (default ${DEFAULT-VALUE}).")
    private int users;

    @picocli.CommandLine.Mixin
    private SeedOption seed = new SeedOption();

    @Option(names = "--keys", defaultValue = "3", paramLabel = "K", description = "Demo keys registered at start (default ${DEFAULT-VALUE}).")
    private int keys;

    @Option(names = "--time-scale", defaultValue = "180", paramLabel = "N",
            description = "Simulated seconds per real second (default ${DEFAULT-VALUE}: the 3-hour journey in about a minute).")
    private double scale;

    @Option(names = "--virtual", description = "Virtual time: run the journey as fast as possible.")
    private boolean virtual;

    @Option(names = "--until-converged", description = "Exit 0 once every demo key is on every DC.")
    private boolean untilConverged;

    @Option(names = "--json", description = "At the end, one JSON object on standard output (and no table), with the Graph mock's client details under \"graph\".")
    private boolean json;

    /** Kerberos client files (ca.pem, krb5-<DC>.conf): --krb5-dir, else a temporary folder, printed at start. */
    @picocli.CommandLine.Mixin
    private Krb5DirOption krb5Dir = new Krb5DirOption();

    @Option(names = "--standard-ports", description = {"Each DC at its own address on AD's ports: DC1 on 127.0.0.11, DC2 on "
            + ".12, ... with 389, 636, 3268, 3269 (needs root or CAP_NET_BIND_SERVICE)."})
    private boolean standardPorts;

    /** --write-hosts and --hosts-file. */
    @picocli.CommandLine.Mixin
    private LabHostsOption hostsOption = new LabHostsOption();

    @Option(names = "--web-port", defaultValue = "0", paramLabel = "PORT",
            description = "Port of the live journey page on 127.0.0.1 (default ${DEFAULT-VALUE}: a free port; the URL is printed).")
    private int webPort;

    @Option(names = "--no-web", description = "Do not serve the live journey page.")
    private boolean noWeb;

    @Option(names = "--report", paramLabel = "FILE",
            description = "At the end, write the journey as one self-contained HTML file (opens offline), e.g. journey.html.")
    private Path report;

    @Override
    public Integer call() throws Exception {
        long wallStart = System.nanoTime();
        TestbedConfig.Builder b = TestbedConfig.builder().users(users).seed(seed.seed());
        dev.keytrust.topology.Topology chosen = topology != null ? TopologyYaml.read(topology) : TestbedConfig.defaultTopology();
        if (standardPorts) {
            chosen = chosen.withStandardPorts();
        }
        if (topology != null || standardPorts) {
            b.topology(chosen);
        }
        if (keys < 0 || keys > users) {
            throw new dev.keytrust.KeyTrustException(dev.keytrust.ErrorCode.INVALID_CONFIGURATION,
                    "--keys: expected 0 to --users (" + users + ") but found " + keys);
        }
        if (virtual && spec.commandLine().getParseResult().hasMatchedOption("--time-scale")) {
            throw new dev.keytrust.KeyTrustException(dev.keytrust.ErrorCode.INVALID_CONFIGURATION,
                    "--virtual and --time-scale cannot be used together: virtual time runs as fast as the machine can, "
                    + "a time scale runs on the wall clock; drop one of them");
        }
        if (virtual) {
            b.virtualTime();
        } else {
            b.timeScale(scale);
        }
        PrintWriter out = spec.commandLine().getOut();
        Testbed testbed = Testbed.start(b.build());
        PrintWriter notes = json ? spec.commandLine().getErr() : out; // --json keeps standard output one JSON object
        HostsFile hosts;
        try {
            hosts = hostsOption.apply(testbed.config().topology(), standardPorts, notes);
        } catch (RuntimeException e) {
            testbed.close();
            throw e;
        }
        Instant started = testbed.now();
        krb5Dir.write(testbed.network().domainControllers(), true, notes);
        JourneyServer page = noWeb ? null : startPage(testbed, hosts);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopped.countDown();
            if (json && !untilConverged) {
                out.println(report(testbed, started, wallStart));
                out.flush();
            }
            writeReport(testbed, out);
            closeAll(page, testbed, hosts);
        }, "keytrust-lab-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(testbed, started, wallStart, page, stopped, out);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                closeAll(page, testbed, hosts);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it closes everything
            }
        }
    }

    private JourneyServer startPage(Testbed testbed, HostsFile hosts) {
        try {
            return JourneyServer.start(testbed, webPort);
        } catch (RuntimeException e) {
            closeAll(null, testbed, hosts);
            throw e;
        }
    }

    private static void closeAll(JourneyServer page, Testbed testbed, HostsFile hosts) {
        if (page != null) {
            page.close();
        }
        testbed.close();
        if (hosts != null) {
            hosts.remove();
        }
    }

    private void writeReport(Testbed testbed, PrintWriter out) {
        if (report != null) {
            Path written = testbed.writeReport(report);
            if (!json) {
                out.println("journey report: " + written.toAbsolutePath());
                out.flush();
            }
        }
    }

    private int run(Testbed testbed, Instant started, long wallStart, JourneyServer page, CountDownLatch stopped, PrintWriter out)
            throws InterruptedException {
        List<TestKey> demo = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            String user = testbed.users().get(i);
            demo.add(testbed.registerKey(user, user.substring(0, Math.min(6, user.indexOf('.') > 0 ? user.indexOf('.') : 6))
                    .toUpperCase(java.util.Locale.ROOT) + "-PC"));
        }
        LabView view = new LabView(out, testbed, demo, System.console() != null && !json);
        if (!json) {
            view.header(virtual ? "virtual time" : "time scale " + scale, started);
            if (page != null) {
                out.println("  journey page: " + page.url() + "   (live; --no-web turns it off)");
            }
            out.println("  new key:  ./keytrust key register --graph " + testbed.graphUrl() + " --ca " + testbed.graphCertificatePem()
                    + " --user " + testbed.users().get(0).split("@")[0]);
            out.println();
            out.flush();
        }
        if (!json) {
            GraphClientDetails.lines(testbed.graphMock(), null, "  ").forEach(out::println);
            out.println();
        }
        while (true) {
            demo.addAll(testbed.followKeysRegisteredElsewhere()); // keytrust key register while the lab runs
            boolean converged = demo.stream().allMatch(k -> testbed.dcs().stream()
                    .allMatch(d -> testbed.timeline(k).visibleOn(d.name()).isPresent()
                            && (k.privateKey() == null || testbed.timeline(k).signedInOn(d.name()).isPresent())));
            if (!json) {
                view.update(converged);
            }
            if (converged && untilConverged) {
                if (json) {
                    out.println(report(testbed, started, wallStart));
                }
                writeReport(testbed, out);
                out.flush();
                return 0;
            }
            if (virtual && !converged) {
                VirtualScheduler time = (VirtualScheduler) testbed.scheduler();
                List<ScheduledTask> pending = time.pending();
                if (Duration.between(started, time.now()).compareTo(Duration.ofDays(7)) > 0 || pending.isEmpty()) {
                    out.println("not converged after " + Duration.between(started, time.now()) + " of simulated time");
                    writeReport(testbed, out);
                    return 1;
                }
                time.advanceTo(pending.get(0).dueAt().isBefore(time.now()) ? time.now() : pending.get(0).dueAt());
            } else if (stopped.await(converged ? 1000 : 250, TimeUnit.MILLISECONDS)) {
                return 0;
            }
        }
    }

    static String report(Testbed testbed, Instant started, long wallStart) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<KeyTimeline> timelines = testbed.timelines();
        boolean converged = !timelines.isEmpty() && timelines.stream()
                .allMatch(t -> testbed.dcs().stream().allMatch(d -> t.visibleOn(d.name()).isPresent()));
        m.put("converged", converged);
        m.put("simulated", Duration.between(started, testbed.now()).toString());
        m.put("wallMillis", (System.nanoTime() - wallStart) / 1_000_000);
        List<Object> dcs = new ArrayList<>();
        for (TestbedDc d : testbed.dcs()) {
            Map<String, Object> dc = new LinkedHashMap<>();
            dc.put("name", d.name());
            dc.put("site", d.site());
            dc.put("ldapUrl", d.ldapUrl());
            dc.put("syncTarget", d.name().equalsIgnoreCase(testbed.config().syncTarget()));
            dcs.add(dc);
        }
        m.put("domainControllers", dcs);
        List<Object> keys = new ArrayList<>();
        for (KeyTimeline t : timelines) {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("user", t.key().userPrincipalName());
            k.put("keyId", t.key().keyId());
            k.put("deviceId", t.key().deviceId().toString());
            k.put("registered", t.registered().toString());
            k.put("readByAgent", t.readByAgent().map(Instant::toString).orElse(null));
            Map<String, Object> visible = new LinkedHashMap<>();
            t.visible().forEach((dc, at) -> visible.put(dc, at.toString()));
            k.put("visible", visible);
            Map<String, Object> signedIn = new LinkedHashMap<>();
            t.signedIn().forEach((dc, at) -> signedIn.put(dc, at.toString()));
            k.put("signedIn", signedIn); // first successful key-trust PKINIT at each DC's KDC
            keys.add(k);
        }
        m.put("keys", keys);
        m.put("graph", GraphClientDetails.json(testbed.graphMock(), null));
        try {
            return new ObjectMapper().writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
