package dev.keytrust.cli.replication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RootDSE;
import com.unboundid.ldap.sdk.SearchResultEntry;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.cli.KeyTrustCommand;
import dev.keytrust.cli.options.DcConnectionOptions;
import dev.keytrust.cli.options.SeedOption;
import dev.keytrust.cli.options.TopologyLookup;
import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.topology.Connection;
import dev.keytrust.topology.KnowledgeConsistencyChecker;
import dev.keytrust.topology.Topology;
import dev.keytrust.topology.TopologyYaml;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keytrust replicate}, {@code syncall}, {@code showrepl} and {@code showutdvec}: repadmin's verbs over LDAP. */
public final class ReplicationCommands {
    private ReplicationCommands() {
    }

    /** What the replication commands share: how to bind (the shared {@link DcConnectionOptions}). */
    static class Bind {
        @Mixin
        DcConnectionOptions connection;

        LDAPConnection connect(String url) {
            return connection.connect(url, "--dc");
        }

        /** Applies a replication fault on the DC at {@code url}; returns what the DC says it did. */
        String fault(String url, String fault) {
            return rootDseOperation(url, AdSchema.REPLICATION_FAULT, fault, ErrorCode.INVALID_CONFIGURATION,
                    " refused the fault '" + fault + "'");
        }

        /** Asks the DC at {@code url} to pull from {@code source} now. */
        void replicate(String url, String source) {
            rootDseOperation(url, AdSchema.REPLICATE_NOW, source, ErrorCode.REPLICATION_FAILED, " refused to replicate from " + source);
        }

        /** A rootDSE modify operation, returning the DC's diagnostic message; a refusal becomes {@code code} with its reason. */
        private String rootDseOperation(String url, String attribute, String value, ErrorCode code, String refused) {
            try (LDAPConnection ldap = connect(url)) {
                String said = ldap.modify("", new Modification(ModificationType.REPLACE, attribute, value)).getDiagnosticMessage();
                return said == null ? "" : said;
            } catch (LDAPException e) {
                String why = e.getDiagnosticMessage() == null ? e.getResultCode().getName() : e.getDiagnosticMessage();
                throw new KeyTrustException(code, url + refused + ": LDAP " + e.getResultCode().intValue() + " " + why, e);
            }
        }
    }

    /** A command about one DC, named by its URL. */
    static class OneDc extends Bind {
        @Spec
        CommandSpec spec;

        @Option(names = "--dc", required = true, paramLabel = "URL", description = "ldap://host:port of the DC.")
        String dc;
    }

    /** {@code keytrust replicate}: a DC pulls from a partner now. */
    @Command(name = "replicate", mixinStandardHelpOptions = true,
            description = {"Make a DC pull from a partner now (like repadmin /replicate). The destination does the pull,",
                "in its own process, over LDAP; this command only asks it to."},
            footer = {"", "Examples:", "  keytrust replicate --topology lab.yaml --from DC1 --to DC3",
                "  keytrust replicate --from DC1 --to ldap://127.0.0.1:14391"})
    public static final class Replicate extends Bind implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        TopologyLookup topology;

        @Option(names = "--from", required = true, paramLabel = "DC", description = "The source DC's name (as in the topology).")
        String from;

        @Option(names = "--to", required = true, paramLabel = "DC|URL", description = "The destination: a name (with --topology) or ldap://host:port.")
        String to;

        @Override
        public Integer call() {
            replicate(TopologyLookup.url(topology.topology(), to), from);
            spec.commandLine().getOut().println(to + " is pulling from " + from + " now.");
            return 0;
        }
    }

    /** {@code keytrust syncall}: every DC of a topology pulls from its inbound partners now. */
    @Command(name = "syncall", mixinStandardHelpOptions = true,
            description = "Make every DC of a topology pull from each of its inbound partners now (like repadmin /syncall /A).")
    public static final class SyncAll extends Bind implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--topology", required = true, paramLabel = "FILE", description = "The topology file.")
        Path topology;

        /** The seed the DCs run with: the KCC orders rings by it. */
        @Mixin
        SeedOption seed = new SeedOption();

        @Override
        public Integer call() {
            Topology t = TopologyYaml.read(topology);
            PrintWriter out = spec.commandLine().getOut();
            int failed = 0;
            for (Connection c : KnowledgeConsistencyChecker.connections(t, seed.seed())) {
                try {
                    replicate(TopologyLookup.url(t, c.destination()), c.source());
                    out.println(c.destination() + " <- " + c.source() + ": requested");
                } catch (KeyTrustException e) {
                    failed++;
                    out.println(c.destination() + " <- " + c.source() + ": " + e.getMessage());
                }
            }
            return failed == 0 ? 0 : KeyTrustCommand.EXIT_FAILED;
        }
    }

    /** {@code keytrust fault}: a replication fault (partition, isolate, heal, ...) on a running DC. */
    @Command(name = "fault", mixinStandardHelpOptions = true,
            description = {"Replication faults on a running DC (keytrust dc --topology or keytrust topology up):",
                "partition DC | isolate | heal [DC] | disableInbound | enableInbound | disableOutbound | enableOutbound",
                "(repadmin /options +DISABLE_INBOUND_REPL ...), and in a one-process topology stop [DC] | start DC.",
                "A partition, an isolation and a heal apply to both sides: the DC asked tells",
                "the other DCs. heal undoes every partition and isolation the DC is in",
                "(heal DC3: only the one with DC3); enableInbound undoes disableInbound,",
                "enableOutbound disableOutbound, start stop. Prints which replication",
                "connections (SOURCE -> DESTINATION, from the KCC) the fault cut or restored;",
                "a partition of two DCs with no connection between them cuts none (it still",
                "refuses a forced replicate between them)."},
            footer = {"", "Examples:", "  keytrust fault --topology lab.yaml --on DC1 partition DC3",
                "  keytrust fault --dc ldap://127.0.0.1:14390 disableInbound",
                "  keytrust fault --topology lab.yaml --on DC1 heal"})
    public static final class Fault extends Bind implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        TopologyLookup topology;

        @Option(names = "--dc", paramLabel = "URL", description = "The DC to apply the fault on (or --on NAME with --topology).")
        String dc;

        @Option(names = "--on", paramLabel = "DC", description = "The DC to apply the fault on, by name (with --topology).")
        String on;

        @picocli.CommandLine.Parameters(arity = "1..2", paramLabel = "FAULT [DC]", description = "The fault and, for partition/heal/stop/start, the other DC.")
        java.util.List<String> fault;

        @Override
        public Integer call() {
            Topology t = topology.topology();
            if ((dc == null) == (on == null)) {
                throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "give exactly one of --dc URL or --on NAME (with --topology)");
            }
            String target = dc != null ? dc : TopologyLookup.url(t, on);
            String text = String.join(" ", fault);
            String done = fault(target, text);
            spec.commandLine().getOut().println((on != null ? on : dc) + ": " + text + (done.isEmpty() ? "" : "; " + done));
            return 0;
        }
    }

    /** {@code keytrust showrepl}: a DC's inbound partners and their last results. */
    @Command(name = "showrepl", mixinStandardHelpOptions = true,
            description = "A DC's inbound replication partners: last attempt, last success, result, and changes still pending "
                    + "on each partner (like repadmin /showrepl).")
    public static final class ShowRepl extends OneDc implements Callable<Integer> {

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (LDAPConnection ldap = connect(dc)) {
                SearchResultEntry root = ldap.getEntry("", "dsServiceName", "serverName", AdSchema.REPLICATION_STATUS);
                String dsa = root.getAttributeValue("dsServiceName");
                out.println(siteAndName(dsa));
                out.println("DSA object: " + dsa);
                out.println();
                out.println("==== INBOUND NEIGHBORS ======================================");
                String[] partners = root.getAttributeValues(AdSchema.REPLICATION_STATUS);
                if (partners == null) {
                    out.println("(no pull has run yet)");
                    return 0;
                }
                ObjectMapper json = new ObjectMapper();
                for (String p : partners) {
                    JsonNode n = json.readTree(p);
                    out.println(siteAndName(n.get("source").asText()) + " via LDAP (" + n.get("address").asText() + ")");
                    out.println("    DSA object: " + n.get("source").asText());
                    String result = n.get("result").asText();
                    boolean ok = result.equals("successful");
                    // as repadmin: the last attempt and its result, then the failures in a row and the last success
                    out.println("    Last attempt @ " + n.get("lastAttempt").asText() + (ok ? " was successful."
                            : " failed, result: " + result.replaceFirst("^failed: ", "")));
                    if (!ok) {
                        out.println("    " + n.get("failures").asInt() + " consecutive failure(s).");
                    }
                    out.println("    Last success @ " + (n.get("lastSuccess").isNull() ? "(never)" : n.get("lastSuccess").asText()));
                    out.println("    USN high-water mark: " + n.get("highWaterMark").asLong() + pending(n));
                }
            }
            return 0;
        }

        private String pending(JsonNode n) {
            try (LDAPConnection source = connect("ldap://" + n.get("address").asText())) {
                RootDSE root = source.getRootDSE();
                long highest = Long.parseLong(root.getAttributeValue("highestCommittedUSN"));
                long pending = Math.max(0, highest - n.get("highWaterMark").asLong());
                return pending == 0 ? " (up to date with the partner)" : " (partner at " + highest + ": changes pending)";
            } catch (RuntimeException | LDAPException e) {
                return " (partner unreachable now)";
            }
        }

        static String siteAndName(String ntdsDn) {
            // CN=NTDS Settings,CN=DC1,CN=Servers,CN=HQ,CN=Sites,CN=Configuration,...
            String[] rdns = ntdsDn.split(",");
            return rdns.length > 3 ? rdns[3].substring(3) + "\\" + rdns[1].substring(3) : ntdsDn;
        }
    }

    /** {@code keytrust showutdvec}: a DC's up-to-dateness vector. */
    @Command(name = "showutdvec", mixinStandardHelpOptions = true,
            description = "A DC's up-to-dateness vector: per originating DC database, the highest of its changes this DC holds "
                    + "(like repadmin /showutdvec; read from msDS-NCReplCursors).")
    public static final class ShowUtdVec extends OneDc implements Callable<Integer> {

        @Option(names = "--nc", paramLabel = "DN", description = "Naming context (default: the DC's defaultNamingContext).")
        String nc;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (LDAPConnection ldap = connect(dc)) {
                String context = nc != null ? nc : ldap.getRootDSE().getAttributeValue("defaultNamingContext");
                SearchResultEntry head = ldap.getEntry(context, AdSchema.NC_REPL_CURSORS);
                String[] cursors = head == null ? null : head.getAttributeValues(AdSchema.NC_REPL_CURSORS);
                if (cursors == null) {
                    throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "expected a naming-context head (like "
                            + "DC=corp,DC=example,DC=com or CN=Configuration,...) but " + context + " has no up-to-dateness vector");
                }
                for (String xml : cursors) {
                    out.printf("%-32s @ USN %10s @ Time %s (%s)%n", ShowRepl.siteAndName(text(xml, "pszSourceDsaDN")),
                            text(xml, "usnAttributeFilter"), text(xml, "ftimeLastSyncSuccess").replace('T', ' ').replace("Z", ""),
                            text(xml, "uuidSourceDsaInvocationID"));
                }
            }
            return 0;
        }

        private static String text(String xml, String element) {
            int start = xml.indexOf("<" + element + ">") + element.length() + 2;
            return xml.substring(start, xml.indexOf("</" + element + ">"));
        }
    }
}
