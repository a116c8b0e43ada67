package dev.keytrust.cli;

import dev.keytrust.KeyTrustException;
import dev.keytrust.cli.dc.DcCommand;
import dev.keytrust.cli.dc.TopologyCommand;
import dev.keytrust.cli.graph.AgentCommand;
import dev.keytrust.cli.graph.GraphKeysCommand;
import dev.keytrust.cli.graph.GraphMockCommand;
import dev.keytrust.cli.keys.DecodeCommand;
import dev.keytrust.cli.keys.EncodeCommand;
import dev.keytrust.cli.keys.KeyCommand;
import dev.keytrust.cli.keys.KeypairCommand;
import dev.keytrust.cli.keys.ProbeCommand;
import dev.keytrust.cli.lab.LabCommand;
import dev.keytrust.cli.replication.ReplicationCommands;
import dev.keytrust.cli.replication.ShowObjMetaCommand;
import java.io.InputStream;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code keytrust} command line. Run it through the {@code ./keytrust} launcher at the repository root.
 *
 * <p>Exit codes: 0 success, 1 a failure while running (a DC or Graph that cannot be reached, refused credentials,
 * an operation the DC refused, an internal failure), 2 invalid input or usage; the code follows the
 * {@link dev.keytrust.ErrorCode.Category category} of the error. The message is one line on standard error,
 * starting with the stable error code.
 *
 * <pre>{@code
 * ./keytrust --help
 * ./keytrust decode 'B:828:0002...:CN=Account,DC=contoso,DC=com'
 * ./keytrust encode --public-key key.pem --owner CN=Alice,CN=Users,DC=corp,DC=example,DC=com
 * }</pre>
 */
@Command(name = "keytrust",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "KeyTrust Testbed: Windows Hello for Business hybrid key trust, end to end.",
            "Entra ID (Graph) -> sync agent -> msDS-KeyCredentialLink on the sync-target DC -> AD replication.",
            ""
        },
        subcommands = {DcCommand.class, TopologyCommand.class, LabCommand.class, ReplicationCommands.Replicate.class, ReplicationCommands.SyncAll.class, ReplicationCommands.ShowRepl.class, ReplicationCommands.ShowUtdVec.class, ReplicationCommands.Fault.class, GraphMockCommand.class, GraphKeysCommand.class, KeyCommand.class, AgentCommand.class, ProbeCommand.class, KeypairCommand.class, ShowObjMetaCommand.class, DecodeCommand.class, EncodeCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 1 failure while running, 2 invalid input or usage."})
public final class KeyTrustCommand implements Runnable {
    /** Exit code for invalid input or usage. */
    public static final int EXIT_INVALID = 2;
    /** Exit code for a failure while running. */
    public static final int EXIT_FAILED = 1;

    @Spec
    private CommandSpec spec;

    private final InputStream stdin;

    KeyTrustCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    /** Standard input as the commands see it (replaceable in tests). */
    public InputStream stdin() {
        return stdin;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        quietLibraryLogging(args.length > 0 && "lab".equals(args[0]));
        System.exit(run(System.in, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line on the given streams; returns the exit code. */
    public static int run(InputStream in, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new KeyTrustCommand(in));
        HelpLayout.apply(cli);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String name = commandLine.getCommandSpec().qualifiedName();
            if (e instanceof KeyTrustException k) {
                commandLine.getErr().println(name + ": " + k.errorCode() + ": " + oneLine(k.getMessage()));
                return k.errorCode().category().exitCode();
            }
            // Not one of ours: say what failed in words; the class name only in the debug log.
            org.slf4j.LoggerFactory.getLogger(KeyTrustCommand.class).debug("{} failed", name, e);
            String message = e.getMessage();
            commandLine.getErr().println(name + ": " + dev.keytrust.ErrorCode.INTERNAL_ERROR + ": " + (message == null
                    || message.isBlank() ? "an unexpected failure with no message" : oneLine(message))
                    + " (run with -Dorg.slf4j.simpleLogger.log.dev.keytrust=debug in KEYTRUST_JAVA_OPTS for details)");
            return EXIT_FAILED;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** ApacheDS logs thousands of INFO lines per server; the command line shows warnings of its own only. */
    private static void quietLibraryLogging(boolean lab) {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.directory", "off");
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.mina", "off");
        setIfAbsent("org.slf4j.simpleLogger.log.dev.keytrust", "warn");
        // The agent's cycle log lines, progress and Graph throttling waits on standard error; the lab shows its own view.
        setIfAbsent("org.slf4j.simpleLogger.log.dev.keytrust.agent", lab ? "warn" : "info");
        setIfAbsent("org.slf4j.simpleLogger.log.dev.keytrust.graph.GraphCalls", lab ? "warn" : "info");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    public static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
