package dev.keytrust.graph.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keytrust.tls.SelfSignedCertificate;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients no one here wrote, configured only as their documentation says for a custom authority host, against a mock
 * this test starts over HTTPS: the npm packages {@code @azure/identity}, {@code @azure/msal-node},
 * {@code @microsoft/microsoft-graph-client} and the Kiota {@code @microsoft/msgraph-sdk} (versions pinned in
 * {@code src/test/node/package-lock.json}, installed with {@code npm ci} under {@code target/}), and Debian's
 * {@code python3-msal}. Skipped only where {@code node}/{@code npm} or {@code /usr/bin/python3} with msal are missing.
 */
class RealClientsIT {
    private static final String ADMIN_TOKEN = "real-clients-admin-token";
    private static GraphMock mock;
    private static Path work;
    private static Path clientPem;
    private static String keyedUser;

    @BeforeAll
    static void start() throws IOException {
        work = Files.createDirectories(Path.of("target", "real-clients"));
        SelfSignedCertificate app = SelfSignedCertificate.generate(List.of("keytrust-real-clients"));
        clientPem = work.resolve("app.pem");
        Files.writeString(clientPem, app.keyAndCertificatePem());
        mock = GraphMock.start(GraphMockConfig.builder().seed(21).clientCertificate(app.certificate()).adminToken(ADMIN_TOKEN)
                .certificatePemFile(work.resolve("graph-mock-ca.pem")).build());
        SeededTenant.populate(mock.admin(), 21, 5, "corp.example.com");
        keyedUser = mock.admin().users().get(1).id();
        mock.admin().addKey(keyedUser, GraphMockAdmin.KeyRequest.device("REAL-CLIENTS-PC"));
    }

    @AfterAll
    static void stop() {
        if (mock != null) {
            mock.close();
        }
    }

    @Test
    void npmCredentialLibrariesGetTokensAndBothGraphSdksListUsersFollowDeltaAndReadWhfbMethods() throws Exception {
        assumeTrue(onPath("node") && onPath("npm"), "node and npm are needed for this test");
        Path node = Files.createDirectories(work.resolve("node"));
        for (String f : new String[] {"package.json", "package-lock.json", "clients.mjs"}) {
            Files.copy(Path.of("src", "test", "node", f), node.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        run(node, List.of("npm", "ci", "--no-audit", "--no-fund", "--cache", work.resolve("npm-cache").toAbsolutePath().toString()),
                Map.of(), 600);
        List<String> upns = mock.admin().users().stream().map(GraphUser::userPrincipalName).toList();
        List<String> devices = mock.admin().keys(keyedUser).stream().map(DeviceKey::displayName).toList();
        JsonNode out = lastJsonLine(run(node, List.of("node", "clients.mjs"), Map.of("NODE_EXTRA_CA_CERTS",
                mock.certificatePem().toAbsolutePath().toString(), "MOCK_ADMIN_TOKEN", ADMIN_TOKEN, "KEYED_USER", keyedUser), 180));

        assertThat(out.get("identitySecretToken").asBoolean()).as("@azure/identity ClientSecretCredential").isTrue();
        assertThat(out.get("identityCertificateToken").asBoolean()).as("@azure/identity ClientCertificateCredential").isTrue();
        assertThat(out.get("msalSecretToken").asBoolean()).as("@azure/msal-node with a secret").isTrue();
        assertThat(out.get("msalCertificateToken").asBoolean()).as("@azure/msal-node with a SHA-256 thumbprint").isTrue();
        assertThat(out.get("graphClientUsers")).extracting(JsonNode::asText).as("microsoft-graph-client, 2 a page")
                .containsExactlyElementsOf(upns);
        assertThat(out.get("kiotaUsers")).extracting(JsonNode::asText).as("msgraph-sdk, 2 a page").containsExactlyElementsOf(upns);
        assertThat(out.get("deltaInitial").asInt()).isEqualTo(5);
        for (String sdk : new String[] {"deltaChanges", "legacyDeltaChanges"}) {
            assertThat(out.get(sdk)).as(sdk).hasSize(4).anySatisfy(c -> {
                assertThat(c.get("id").asText()).isEqualTo(out.get("deltaAddedId").asText());
                assertThat(c.get("upn").asText()).isEqualTo("node.added@corp.example.com");
            }).anySatisfy(c -> {
                assertThat(c.get("id").asText()).isEqualTo(out.get("deltaRenamedId").asText());
                assertThat(c.get("displayName").asText()).isEqualTo("Node Renamed");
                assertThat(c.get("removed").isNull()).isTrue();
            }).anySatisfy(c -> {
                assertThat(c.get("id").asText()).isEqualTo(out.get("deltaSoftDeletedId").asText());
                assertThat(c.get("removed").asText()).as("soft deletion").isEqualTo("changed");
            }).anySatisfy(c -> {
                assertThat(c.get("id").asText()).isEqualTo(out.get("deltaPurgedId").asText());
                assertThat(c.get("removed").asText()).as("permanent deletion").isEqualTo("deleted");
            });
        }
        assertThat(out.get("whfbMethods")).extracting(JsonNode::asText).contains("REAL-CLIENTS-PC")
                .containsExactlyInAnyOrderElementsOf(devices);
        assertThat(out.get("legacyWhfbMethods")).extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(devices);
    }

    @Test
    void debiansPythonMsalGetsATokenWithASecretAndWithACertificate() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python) && msalPresent(python), "Debian's python3-msal is needed for this test (apt-get install python3-msal)");
        JsonNode out = lastJsonLine(run(Path.of("."), List.of(python.toString(), Path.of("src", "test", "python", "msal_client.py").toString()),
                Map.of("REQUESTS_CA_BUNDLE", mock.certificatePem().toAbsolutePath().toString()), 120));
        assertThat(out.get("secretToken").asBoolean()).as(out.toString()).isTrue();
        assertThat(out.get("certificateToken").asBoolean()).as(out.toString()).isTrue();
    }

    private static String run(Path dir, List<String> command, Map<String, String> extraEnv, int timeoutSeconds) throws Exception {
        return run(dir, command, extraEnv, timeoutSeconds, true);
    }

    /** Runs a command with the mock's details in its environment; its output, or fails (or, unchecked, answers ""). */
    private static String run(Path dir, List<String> command, Map<String, String> extraEnv, int timeoutSeconds, boolean check)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true);
        Path log = Files.createTempFile(work, "run-", ".log");
        pb.redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("MOCK_BASE", mock.baseUrl());
        env.put("TENANT", mock.tenantId());
        env.put("CLIENT_ID", mock.clientId());
        env.put("CLIENT_SECRET", mock.config().clientSecret().orElseThrow());
        env.put("CLIENT_CERT_PEM", clientPem.toAbsolutePath().toString());
        env.putAll(extraEnv);
        Process p = pb.start();
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(log);
        if (check) {
            assertThat(done && p.exitValue() == 0).as(String.join(" ", command) + " failed:\n" + output).isTrue();
        }
        return done && p.exitValue() == 0 ? output : "";
    }

    private static boolean msalPresent(Path python) throws Exception {
        return !run(Path.of("."), List.of(python.toString(), "-c", "import msal; print('msal')"), Map.of(), 60, false).isEmpty();
    }

    private static JsonNode lastJsonLine(String output) throws IOException {
        String[] lines = output.strip().split("\n");
        return RawGraphClient.JSON.readTree(lines[lines.length - 1]);
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
