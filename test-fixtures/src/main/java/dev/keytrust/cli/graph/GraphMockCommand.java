package dev.keytrust.cli.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.cli.options.AdminTokenEnv;
import dev.keytrust.cli.options.SeededPeopleOptions;
import dev.keytrust.graph.mock.FaultRule;
import dev.keytrust.graph.mock.GraphMock;
import dev.keytrust.graph.mock.GraphMockConfig;
import dev.keytrust.graph.mock.GraphUser;
import dev.keytrust.graph.mock.MockSettings;
import dev.keytrust.graph.mock.SeededTenant;
import dev.keytrust.graph.mock.admin.AdminRoutes;
import dev.keytrust.tls.CertificateTrust;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keytrust graph-mock}: the Graph mock in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "graph-mock",
        description = {
            "Serve a stateful Microsoft Graph + Entra ID token endpoint over HTTPS until stopped (Ctrl-C, SIGTERM).",
            "With --users N --seed S it holds the same people as 'keytrust dc --users N --seed S' (about half with WHfB keys)."
        },
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:",
            "  keytrust graph-mock --users 20 --seed 42",
            "  keytrust graph-mock --port 8443 --json | head -1 | jq .",
            "  keytrust graph-mock --users 5 --fault '{\"path\":\"/users*\",\"probability\":0.3,\"faults\":[{\"kind\":\"latency\",\"minMs\":50,\"maxMs\":500}]}'",
            "  MOCK_ADMIN=$(openssl rand -hex 16) keytrust graph-mock --bind-address 0.0.0.0 --admin-token-env MOCK_ADMIN",
            "  curl --cacert CA -d grant_type=client_credentials -d client_id=ID -d client_secret=SECRET \\",
            "       -d scope=https://graph.microsoft.com/.default https://127.0.0.1:8443/TENANT/oauth2/v2.0/token"})
public final class GraphMockCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"--bind-address", "--host"}, defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only). Any other address exposes "
                    + "the admin API to the network: use --admin-token-env then.")
    private String host;

    @Option(names = "--admin-token-env", paramLabel = "VAR",
            description = "Environment variable holding a token (16+ characters) the admin API (/_admin) then requires "
                    + "as 'Authorization: Bearer TOKEN' (default: no token, the admin API is open).")
    private String adminTokenEnv;

    @Option(names = "--port", defaultValue = "0", paramLabel = "PORT", description = "HTTPS port; 0 picks a free one (default).")
    private int port;

    /** --users (synced users, about half with WHfB keys) and --seed (also the app's ids and secret). */
    @picocli.CommandLine.Mixin
    private SeededPeopleOptions people = new SeededPeopleOptions();

    @Option(names = "--domain", defaultValue = "corp.example.com", paramLabel = "DNS", description = "The AD domain the users are synced from (default ${DEFAULT-VALUE}).")
    private String domain;

    @Option(names = "--ca-out", paramLabel = "FILE", description = "Write the server certificate (PEM) here (default: a temporary file).")
    private Path pem;

    @Option(names = "--rate-limit", paramLabel = "UNITS", description = "Throttle each client to UNITS resource units per 10 s (default: no limit).")
    private Integer rateLimit;

    @Option(names = "--client-certificate", paramLabel = "FILE", description = "Register this certificate (PEM or DER; "
            + "a private key in the file is ignored) as the app's, for certificate assertions (default: secret only).")
    private Path clientCertificate;

    @Option(names = "--fault", paramLabel = "JSON", description = "Add a fault rule, in the JSON the admin API's "
            + "POST /_admin/faults takes, e.g. '{\"path\":\"/users*\",\"probability\":0.2,\"faults\":[{\"kind\":"
            + "\"genericError\",\"status\":503}]}' (kinds: error, drop, latency, genericError, syncStateGone; repeatable).")
    private List<String> faults = new java.util.ArrayList<>();

    @Option(names = "--batch-order", paramLabel = "ORDER", description = "Order of $batch responses: shuffled (default, "
            + "drawn from the seed, as Graph may answer in any order) or inOrder.")
    private String batchOrder;

    @Option(names = "--throttle-headers", paramLabel = "STYLE", description = "graph (default: Retry-After, "
            + "x-ms-resource-unit, x-ms-throttle-*) or rateLimit (Dev Proxy's RateLimit-* headers with --rate-limit).")
    private String throttleHeaders;

    @Option(names = "--json", description = "First line of standard output is one JSON object: baseUrl, graphUrl, betaUrl, tokenUrl, authorityHost, authority, openIdConfiguration, tenantId, verifiedDomain, clientId, clientSecret, clientCertificate, caCertificate, adminTokenRequired.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        int users = people.users();
        long seed = people.seed();
        GraphMockConfig.Builder b = GraphMockConfig.builder().host(host).port(port).seed(seed);
        if (pem != null) {
            b.certificatePemFile(pem);
        }
        if (adminTokenEnv != null) {
            b.adminToken(AdminTokenEnv.read(adminTokenEnv));
        }
        if (clientCertificate != null) {
            b.clientCertificate(CertificateTrust.read(clientCertificate, "--client-certificate"));
        }
        if (rateLimit != null) {
            b.rateLimit(new GraphMockConfig.RateLimit(rateLimit, Duration.ofSeconds(10)));
        }
        GraphMockConfig config = b.build();
        List<FaultRule> rules = new java.util.ArrayList<>();
        for (String f : faults) {
            rules.add(parse("--fault", f, FaultRule.class, FaultRule.JSON_SHAPE));
        }
        Map<String, String> chosen = new LinkedHashMap<>();
        if (batchOrder != null) {
            chosen.put("batchOrder", batchOrder);
        }
        if (throttleHeaders != null) {
            chosen.put("throttleHeaders", throttleHeaders);
        }
        MockSettings settings = parse("--batch-order/--throttle-headers", new ObjectMapper().writeValueAsString(chosen),
                MockSettings.class, "--batch-order shuffled|inOrder, --throttle-headers graph|rateLimit");
        GraphMock mock = GraphMock.start(config);
        mock.admin().settings(settings);
        rules.forEach(mock.admin()::addFault);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            mock.close();
            stopped.countDown();
        }, "keytrust-graph-mock-shutdown"));
        List<GraphUser> people;
        try {
            people = SeededTenant.populate(mock.admin(), seed, users, domain);
        } catch (RuntimeException e) {
            mock.close();
            throw e;
        }
        long keys = people.stream().mapToLong(u -> mock.admin().keys(u.id()).size()).sum();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> line = GraphClientDetails.json(mock, clientCertificate);
            out.println(new ObjectMapper().writeValueAsString(line));
        } else {
            GraphClientDetails.lines(mock, clientCertificate, "").forEach(out::println);
            out.println("admin:     " + mock.baseUrl() + "/_admin/users, /_admin/faults, /_admin/requests, /_admin/reset"
                    + (config.adminToken().isPresent() ? "   (Authorization: Bearer $" + adminTokenEnv + ")"
                    : "   (open to anyone who reaches the port; --admin-token-env protects it)"));
            out.println("ready with " + people.size() + " users and " + keys + " WHfB keys (seed " + seed + "); Ctrl-C stops");
        }
        out.flush();
        stopped.await();
        return 0;
    }

    /** A JSON option read as the admin API reads it; bad input is a configuration error naming the option. */
    private static <T> T parse(String option, String json, Class<T> type, String expected) {
        try {
            return AdminRoutes.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), type, expected);
        } catch (KeyTrustException e) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, option + ": " + e.getMessage(), e);
        }
    }
}
