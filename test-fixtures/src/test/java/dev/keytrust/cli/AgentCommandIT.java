package dev.keytrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeySource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keytrust dc}, {@code keytrust graph-mock} and {@code keytrust agent --once} as three processes. */
class AgentCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "Passw0rd!Agent";
    private static final String ADMIN = "CN=Administrator,CN=Users,DC=corp,DC=example,DC=com";

    @Test
    void theAgentWritesTheMocksKeysToTheDcAndASecondRunFromAnOptionsFileWritesNothing(@TempDir Path dir) throws Exception {
        Process dc = KeytrustProcess.start(List.of("dc", "--users", "10", "--seed", "42"), Map.of("KEYTRUST_ADMIN_PASSWORD", PASSWORD), dir.resolve("dc.err"));
        Process mock = KeytrustProcess.start(List.of("graph-mock", "--users", "10", "--seed", "42", "--json"), Map.of(), dir.resolve("mock.err"));
        try {
            String dcUrl = new BufferedReader(new InputStreamReader(dc.getInputStream(), StandardCharsets.UTF_8)).readLine().split(" ")[2];
            JsonNode info = JSON.readTree(new BufferedReader(new InputStreamReader(mock.getInputStream(), StandardCharsets.UTF_8)).readLine());
            List<String> args = List.of("agent", "--graph-url", info.get("baseUrl").asText(), "--authority-host",
                    info.get("baseUrl").asText(), "--tenant", info.get("tenantId").asText(), "--client-id",
                    info.get("clientId").asText(), "--client-secret-env", "MOCK_SECRET", "--ca", info.get("caCertificate").asText(),
                    "--dc", dcUrl, "--bind-dn", ADMIN, "--bind-password-env", "DC_PASSWORD", "--once", "--json",
                    "--state", dir.resolve("agent-state.json").toString());
            Map<String, String> env = Map.of("MOCK_SECRET", info.get("clientSecret").asText(), "DC_PASSWORD", PASSWORD);
            JsonNode first = runAgent(args, env, dir.resolve("agent1.err"));
            assertThat(first.get("mode").asText()).isEqualTo("full");
            assertThat(first.get("usersScanned").asInt()).isEqualTo(10);
            assertThat(first.get("usersJoined").asInt()).isEqualTo(10);
            assertThat(first.get("keysAdded").asInt()).isPositive();
            assertThat(first.get("targetDc").asText()).isEqualTo(dcUrl);
            int port = Integer.parseInt(dcUrl.substring(dcUrl.lastIndexOf(':') + 1));
            int values = 0;
            try (LDAPConnection ldap = new LDAPConnection("127.0.0.1", port, ADMIN, PASSWORD)) {
                for (SearchResultEntry e : ldap.search("CN=Users,DC=corp,DC=example,DC=com", SearchScope.ONE,
                        "(msDS-KeyCredentialLink=*)", "msDS-KeyCredentialLink").getSearchEntries()) {
                    for (String v : e.getAttributeValues("msDS-KeyCredentialLink")) {
                        KeyCredential kc = KeyCredential.fromDnBinary(v);
                        assertThat(kc.source()).isEqualTo(KeySource.AZURE_AD);
                        assertThat(kc.ownerDn()).contains(e.getDN());
                        values++;
                    }
                }
            }
            assertThat(values).isEqualTo(first.get("keysAdded").asInt());

            Path argFile = dir.resolve("agent.args");
            Files.write(argFile, args.subList(1, args.size()));
            JsonNode second = runAgent(List.of("agent", "@" + argFile), env, dir.resolve("agent2.err"));
            assertThat(second.get("mode").asText()).isEqualTo("delta");
            assertThat(second.get("keysAdded").asInt() + second.get("keysRemoved").asInt()).isZero();
            assertThat(Files.readString(dir.resolve("agent1.err")) + Files.readString(dir.resolve("agent2.err")))
                    .doesNotContain(PASSWORD).doesNotContain(info.get("clientSecret").asText());
        } finally {
            dc.destroy();
            mock.destroy();
        }
        assertThat(dc.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(mock.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aTooShortIntervalIsAConfigurationErrorWithExitCode2(@TempDir Path dir) throws Exception {
        Process p = KeytrustProcess.start(List.of("agent", "--tenant", "t", "--client-id", "c", "--client-secret-env", "PATH", "--dc",
                "ldap://127.0.0.1:1", "--bind-dn", "cn=x", "--bind-password-env", "PATH", "--interval", "5m"), Map.of(), dir.resolve("err"));
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("err"))).contains("30-minute floor", "--allow-short-interval");
    }

    private static JsonNode runAgent(List<String> args, Map<String, String> env, Path err) throws Exception {
        Process agent = KeytrustProcess.start(args, env, err);
        String out = new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(agent.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).as(Files.readString(err)).isZero();
        return JSON.readTree(out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
    }
}
