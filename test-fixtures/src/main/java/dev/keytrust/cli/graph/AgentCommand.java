package dev.keytrust.cli.graph;

import static dev.keytrust.config.ConfigChecks.invalid;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.agent.AgentConfig;
import dev.keytrust.agent.CycleReport;
import dev.keytrust.agent.SyncAgent;
import dev.keytrust.cli.KeyTrustCommand;
import dev.keytrust.cli.options.DcConnectionOptions;
import dev.keytrust.cli.options.GraphConnectionOptions;
import dev.keytrust.graph.GraphConnectorConfig;
import dev.keytrust.graph.GraphKeySource;
import dev.keytrust.time.ScaledScheduler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keytrust agent}: the Entra Connect-like sync agent, once or on its schedule. */
@Command(name = "agent",
        description = {
            "Sync WHfB keys from Microsoft Graph (a tenant or the mock) into msDS-KeyCredentialLink on the sync-target DC,",
            "like Entra Connect: a cycle every 30 minutes (full first, then delta), or one cycle with --once.",
            "Options can also come from a file: keytrust agent @agent.args (one option per line)."
        },
        mixinStandardHelpOptions = true,
        footer = {"", "Exit codes with --once: 0 the cycle ran, 1 the cycle failed, 2 a configuration error.", "",
            "Example:",
            "  MOCK_SECRET=... DC_PASSWORD=... keytrust agent --graph-url https://127.0.0.1:8443 \\",
            "      --authority-host https://127.0.0.1:8443 --tenant T --client-id C --client-secret-env MOCK_SECRET \\",
            "      --ca /tmp/mock.pem --dc ldap://127.0.0.1:14389 --dc ldap://127.0.0.1:14390 \\",
            "      --bind-dn CN=Administrator,CN=Users,DC=corp,DC=example,DC=com --bind-password-env DC_PASSWORD --once --json"})
public final class AgentCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private GraphConnectionOptions graphOptions;

    @Option(names = "--dc", required = true, paramLabel = "URL", description = "ldap://host:port of the sync target; repeat for fallbacks, in order.")
    private List<String> dcs;

    /** The agent's account on the DCs: --bind-dn and one of --bind-password-env or --bind-password-file, all required. */
    @Mixin
    private DcConnectionOptions bind;

    @Option(names = "--interval", defaultValue = "30m", paramLabel = "DURATION", description = "Time between cycles: 30m, 1h, PT45M (default ${DEFAULT-VALUE}).")
    private String interval;

    @Option(names = "--allow-short-interval", description = "Allow an interval under 30 minutes (labs, tests).")
    private boolean allowShortInterval;

    @Option(names = "--once", description = "Run one cycle and exit.")
    private boolean once;

    @Option(names = "--full", description = "Make the (first) cycle a full sync.")
    private boolean full;

    @Option(names = "--state", paramLabel = "FILE", description = "Keep the delta token, last success, target and joins here (default: in memory).")
    private Path state;

    @Option(names = "--json", description = "One JSON object per cycle on standard output.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        GraphConnectorConfig.Builder graph = graphOptions.builder();
        DcConnectionOptions.Account account = bind.explicitAccount("the agent");
        PrintWriter out = spec.commandLine().getOut();
        ScaledScheduler time = ScaledScheduler.startingNow(1);
        try (GraphKeySource source = GraphKeySource.create(graph.scheduler(time).build())) {
            AgentConfig.Builder b = AgentConfig.builder(source, time).bind(account.dn(), account.password()).interval(duration(interval));
            dcs.forEach(b::dc);
            if (allowShortInterval) {
                b.allowShortInterval();
            }
            if (state != null) {
                b.stateFile(state);
            }
            try (SyncAgent agent = SyncAgent.create(b.build())) {
                agent.onReport(r -> print(out, r));
                if (full) {
                    agent.requestFull();
                }
                if (once) {
                    try {
                        agent.runCycle();
                        return 0;
                    } catch (KeyTrustException e) {
                        if (e.errorCode() == ErrorCode.INVALID_CONFIGURATION) {
                            throw e;
                        }
                        spec.commandLine().getErr().println("agent: cycle failed: " + e.errorCode() + ": " + e.getMessage());
                        return KeyTrustCommand.EXIT_FAILED;
                    }
                }
                CountDownLatch stopped = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "keytrust-agent-shutdown"));
                agent.start();
                stopped.await();
                return 0;
            }
        } finally {
            time.close();
        }
    }

    private void print(PrintWriter out, CycleReport r) {
        out.println(json ? r.toJson() : r.summary());
        if (!json) {
            r.usersSkipped().forEach(s -> out.println("  skipped " + s.user() + ": " + s.reason()));
            r.keyProblems().forEach(s -> out.println("  key problem " + s.user() + ": " + s.reason()));
        }
        out.flush();
    }

    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw invalid("--interval: expected a duration like 30m, 1h or PT45M but got '" + text + "'");
        }
    }
}
