package dev.keytrust.cli.dc;

import dev.keytrust.cli.options.AdminPasswordOption;
import dev.keytrust.cli.options.Krb5DirOption;
import dev.keytrust.cli.options.SeedOption;
import dev.keytrust.cli.options.TimeScaleOption;
import dev.keytrust.dc.DomainController;
import dev.keytrust.replication.ReplicationNetwork;
import dev.keytrust.time.ScaledScheduler;
import dev.keytrust.topology.Topology;
import dev.keytrust.topology.TopologyYaml;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keytrust topology up}: every DC of a topology file, replicating with AD's timing, until stopped. */
@Command(name = "topology", description = "Run a replication topology.", mixinStandardHelpOptions = true,
        subcommands = TopologyCommand.Up.class)
public final class TopologyCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "up",
            description = {
                "Start every DC of a topology file with AD-style replication (15 s / 3 s change notification inside a",
                "site, hourly pulls, inter-site pulls every replInterval) on scaled wall time; prints one line per DC",
                "and serves until Ctrl-C or SIGTERM."
            },
            mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  keytrust topology up --topology lab.yaml --time-scale 60   # one real second is a simulated minute"})
    static final class Up implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--topology", required = true, paramLabel = "FILE", description = "Topology YAML (see the README).")
        private Path file;

        @picocli.CommandLine.Mixin
        private TimeScaleOption timeScale = new TimeScaleOption();

        @picocli.CommandLine.Mixin
        private SeedOption seed = new SeedOption();

        /** The administrator password of every DC. */
        @picocli.CommandLine.Mixin
        private AdminPasswordOption adminPassword = new AdminPasswordOption();

        @picocli.CommandLine.Mixin
        private Krb5DirOption krb5Dir = new Krb5DirOption();

        @Override
        public Integer call() throws Exception {
            Topology topology = TopologyYaml.read(file);
            double scale = timeScale.scale();
            String password = adminPassword.password();
            boolean generated = password == null;
            if (generated) {
                password = "Kt-" + Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36) + "!9";
            }
            ScaledScheduler scheduler = ScaledScheduler.startingNow(scale);
            ReplicationNetwork network;
            try {
                network = ReplicationNetwork.start(topology, scheduler, seed.seed(), password);
            } catch (RuntimeException e) {
                scheduler.close();
                throw e;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                network.close();
                scheduler.close();
                stopped.countDown();
            }, "keytrust-topology-shutdown"));
            PrintWriter out = spec.commandLine().getOut();
            for (DomainController dc : network.domainControllers()) {
                out.println(dc.name() + " " + dc.config().site() + " " + dc.ldapUrl());
            }
            out.println("bind DN:  CN=Administrator,CN=Users," + network.domainControllers().get(0).baseDn());
            if (generated) {
                out.println("password: " + password + "   (generated; set --admin-password or " + AdminPasswordOption.PASSWORD_ENV + ")");
            }
            out.println("connections: " + network.connections().size() + " (" + String.join(", ",
                    network.connections().stream().map(Object::toString).toList()) + ")");
            krb5Dir.write(network.domainControllers(), false, out);
            out.println("ready at time scale " + scale + "; Ctrl-C stops");
            out.flush();
            stopped.await();
            return 0;
        }
    }
}
