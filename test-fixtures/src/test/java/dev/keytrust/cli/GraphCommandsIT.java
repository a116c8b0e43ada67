package dev.keytrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keytrust.graph.mock.FaultRule;
import dev.keytrust.graph.mock.GraphMockAdmin;
import dev.keytrust.graph.mock.GraphUser;
import dev.keytrust.graph.mock.admin.HttpGraphMockAdmin;
import dev.keytrust.persona.Persona;
import dev.keytrust.persona.Personas;
import dev.keytrust.tls.CertificateTrust;
import dev.keytrust.tls.SelfSignedCertificate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keytrust graph-mock} and {@code keytrust graph-keys} as separate processes through the launcher. */
class GraphCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void graphKeysReadsTheSeededPeopleFromAGraphMockProcess(@TempDir Path dir) throws Exception {
        Process mock = KeytrustProcess.start(List.of("graph-mock", "--users", "12", "--seed", "42", "--json"), Map.of(), dir.resolve("mock.err"));
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(mock.getInputStream(), StandardCharsets.UTF_8));
            JsonNode info = JSON.readTree(out.readLine());
            assertThat(info.get("baseUrl").asText()).matches("https://127\\.0\\.0\\.1:\\d+");
            assertThat(info.get("tokenUrl").asText()).isEqualTo(info.get("baseUrl").asText() + "/" + info.get("tenantId").asText()
                    + "/oauth2/v2.0/token");
            assertThat(Path.of(info.get("caCertificate").asText())).exists();

            Path err = dir.resolve("keys.err");
            Process keys = KeytrustProcess.start(List.of("graph-keys", "--tenant", info.get("tenantId").asText(), "--client-id",
                    info.get("clientId").asText(), "--client-secret-env", "MOCK_SECRET", "--authority-host",
                    info.get("baseUrl").asText(), "--graph-url", info.get("baseUrl").asText(), "--ca",
                    info.get("caCertificate").asText()), Map.of("MOCK_SECRET", info.get("clientSecret").asText()), err);
            String printed = new String(keys.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(keys.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(keys.exitValue()).as(Files.readString(err)).isZero();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : printed.split("\n")) {
                lines.add(JSON.readTree(line));
            }
            Map<String, Persona> people = Personas.generate(42, 12).stream()
                    .collect(Collectors.toMap(p -> p.userPrincipalName("corp.example.com"), Function.identity()));
            assertThat(lines).isNotEmpty().hasSizeLessThan(12);
            for (JsonNode u : lines) {
                Persona p = people.get(u.get("userPrincipalName").asText());
                assertThat(p).isNotNull();
                assertThat(u.get("onPremisesImmutableId").asText()).isEqualTo(p.immutableId());
                assertThat(u.get("keys").size()).isBetween(1, 2);
                assertThat(u.get("keys").get(0).get("keyId").asText()).hasSize(44);
                assertThat(u.get("keys").get(0).get("deviceName").asText()).isNotBlank();
            }
            assertThat(Files.readString(err)).contains("of 12 users printed").doesNotContain(info.get("clientSecret").asText());
        } finally {
            mock.destroy();
        }
        assertThat(mock.waitFor(30, TimeUnit.SECONDS)).as("the mock stops on SIGTERM").isTrue();
    }

    @Test
    void anAdminTokenFromTheEnvironmentGuardsTheAdminApiOfAGraphMockProcessAndIsNeverPrinted(@TempDir Path dir) throws Exception {
        String token = "kt-admin-token-" + Long.toHexString(System.nanoTime());
        Path err = dir.resolve("mock.err");
        Process mock = KeytrustProcess.start(List.of("graph-mock", "--bind-address", "127.0.0.1", "--admin-token-env",
                "MOCK_ADMIN", "--json"), Map.of("MOCK_ADMIN", token), err);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(mock.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            JsonNode info = JSON.readTree(first);
            assertThat(first).doesNotContain(token);
            assertThat(info.get("adminTokenRequired").asBoolean()).isTrue();
            HttpClient http = HttpClient.newBuilder().sslContext(trusting(Path.of(info.get("caCertificate").asText()))).build();
            URI users = URI.create(info.get("baseUrl").asText() + "/_admin/users");
            String alice = "{\"userPrincipalName\":\"alice@corp.example.com\",\"displayName\":\"Alice\"}";
            HttpResponse<String> without = http.send(HttpRequest.newBuilder(users).POST(BodyPublishers.ofString(alice)).build(),
                    BodyHandlers.ofString());
            assertThat(without.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(without.body()).at("/error/code").asText()).isEqualTo("InvalidAuthenticationToken");
            HttpResponse<String> with = http.send(HttpRequest.newBuilder(users).header("Authorization", "Bearer " + token)
                    .POST(BodyPublishers.ofString(alice)).build(), BodyHandlers.ofString());
            assertThat(with.statusCode()).isEqualTo(201);
        } finally {
            mock.destroy();
        }
        assertThat(mock.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(err)).doesNotContain(token);
    }

    @Test
    void aGraphMockProcessWithAClientCertificatePrintsEveryClientDetailAndIsDrivenThroughHttpGraphMockAdmin(@TempDir Path dir)
            throws Exception {
        SelfSignedCertificate app = SelfSignedCertificate.generate(List.of("keytrust-cli-app"));
        Path pem = dir.resolve("app.pem");
        Files.writeString(pem, app.pem());
        Process mock = KeytrustProcess.start(List.of("graph-mock", "--client-certificate", pem.toString(), "--json",
                "--batch-order", "inOrder", "--fault", "{\"path\":\"/users/delta*\",\"faults\":[{\"kind\":\"genericError\","
                + "\"status\":418,\"body\":\"teapot\"}]}"), Map.of(), dir.resolve("mock.err"));
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(mock.getInputStream(), StandardCharsets.UTF_8));
            JsonNode info = JSON.readTree(out.readLine());
            String base = info.get("baseUrl").asText();
            assertThat(info.get("authority").asText()).isEqualTo(base + "/" + info.get("tenantId").asText());
            assertThat(info.get("openIdConfiguration").asText()).isEqualTo(info.get("authority").asText()
                    + "/v2.0/.well-known/openid-configuration");
            assertThat(info.get("verifiedDomain").asText()).isEqualTo("keytrust.onmicrosoft.com");
            assertThat(info.get("clientCertificate").asText()).isEqualTo(pem.toString());

            GraphMockAdmin admin = HttpGraphMockAdmin.connect(base, Path.of(info.get("caCertificate").asText()), null);
            GraphUser alice = admin.addUser(GraphUser.named("alice@corp.example.com", "Alice"));
            assertThat(admin.addKey(alice.id(), GraphMockAdmin.KeyRequest.device("ALICE-PC")).displayName()).isEqualTo("ALICE-PC");
            assertThat(admin.users()).containsExactly(alice);
            assertThat(admin.faults()).singleElement().satisfies(f -> assertThat(f.path()).isEqualTo("/users/delta*"));
            assertThat(admin.addFault(FaultRule.status("/users*", 503).times(1)).id()).isEqualTo("fault-2");
            assertThat(admin.faults()).hasSize(2);
            assertThat(admin.settings().batchOrder()).isEqualTo(dev.keytrust.graph.mock.MockSettings.BatchOrder.IN_ORDER);
        } finally {
            mock.destroy();
        }
        assertThat(mock.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anUnsetAdminTokenVariableStopsTheGraphMockWithExitCode2(@TempDir Path dir) throws Exception {
        Path err = dir.resolve("err");
        Process p = KeytrustProcess.start(List.of("graph-mock", "--admin-token-env", "NOT_SET_ANYWHERE"), Map.of(), err);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readString(err)).contains("INVALID_CONFIGURATION", "NOT_SET_ANYWHERE");
    }

    private static SSLContext trusting(Path pem) {
        return CertificateTrust.sslContext(CertificateTrust.read(pem, "the mock's caCertificate"));
    }

    @Test
    void aMissingSecretVariableIsOneLineWithExitCode2(@TempDir Path dir) throws Exception {
        Path err = dir.resolve("err");
        Process p = KeytrustProcess.start(List.of("graph-keys", "--tenant", "t", "--client-id", "c", "--client-secret-env", "NOT_SET_ANYWHERE"),
                Map.of(), err);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readString(err).lines().toList()).singleElement().asString()
                .contains("INVALID_CONFIGURATION", "NOT_SET_ANYWHERE");
    }
}
