package dev.keytrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keytrust.testbed.TestKey;
import dev.keytrust.testbed.Testbed;
import dev.keytrust.testbed.TestbedConfig;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keytrust lab} as a process, and {@code keytrust probe} against a running testbed. */
class LabCommandIT {

    @Test
    void theLabOnStandardPortsWritesItsHostsLinesAndRemovesThemAtStop(@TempDir Path dir) throws Exception {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 localhost\n");
        Process p = KeytrustProcess.start(List.of("lab", "--virtual", "--until-converged", "--json", "--users", "2", "--keys", "1",
                "--standard-ports", "--write-hosts", "--hosts-file", hosts.toString()), java.util.Map.of(), dir.resolve("err"));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(dir.resolve("err"));
        if (!"root".equals(System.getProperty("user.name"))) {
            assertThat(err).contains("CAP_NET_BIND_SERVICE");
            return;
        }
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(err).contains("added to " + hosts, "127.0.0.11 dc1.corp.example.com dc1", "127.0.0.13 dc3.corp.example.com dc3");
        JsonNode report = new ObjectMapper().readTree(out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertThat(report.get("domainControllers").get(2).get("ldapUrl").asText()).isEqualTo("ldap://127.0.0.13:389");
        assertThat(Files.readString(hosts)).as("removed at stop").isEqualTo("127.0.0.1 localhost\n");
    }

    @Test
    void theVirtualLabRunsTheJourneyAndReportsItAsJson(@TempDir Path dir) throws Exception {
        Process p = KeytrustProcess.start(List.of("lab", "--virtual", "--until-converged", "--json"), java.util.Map.of(), dir.resolve("err"));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("err"))).isZero();
        JsonNode report = new ObjectMapper().readTree(out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertThat(report.get("converged").asBoolean()).isTrue();
        assertThat(report.get("simulated").asText()).isEqualTo("PT3H");
        assertThat(report.get("domainControllers")).hasSize(3);
        assertThat(report.get("domainControllers").get(0).get("syncTarget").asBoolean()).isTrue();
        assertThat(report.get("keys")).hasSize(3);
        JsonNode graph = report.get("graph");
        assertThat(graph.get("authority").asText()).isEqualTo(graph.get("baseUrl").asText() + "/" + graph.get("tenantId").asText());
        assertThat(graph.get("graphUrl").asText()).isEqualTo(graph.get("baseUrl").asText() + "/v1.0");
        assertThat(graph.get("clientId").asText()).isNotBlank();
        assertThat(graph.get("clientSecret").asText()).isNotBlank();
        assertThat(graph.get("caCertificate").asText()).endsWith(".pem");
        assertThat(graph.get("openIdConfiguration").asText()).endsWith("/v2.0/.well-known/openid-configuration");
        for (JsonNode k : report.get("keys")) {
            Instant registered = Instant.parse(k.get("registered").asText());
            assertThat(Instant.parse(k.get("readByAgent").asText())).isEqualTo(registered.plus(Duration.ofMinutes(30)));
            assertThat(Instant.parse(k.at("/visible/DC1").asText())).isEqualTo(registered.plus(Duration.ofMinutes(30)));
            assertThat(Instant.parse(k.at("/visible/DC2").asText())).isEqualTo(registered.plus(Duration.ofMinutes(30)).plusSeconds(15));
            assertThat(Instant.parse(k.at("/visible/DC3").asText())).isEqualTo(registered.plus(Duration.ofHours(3)));
            assertThat(k.get("keyId").asText()).hasSize(44);
            for (String dc : List.of("DC1", "DC2", "DC3")) {
                Instant signedIn = Instant.parse(k.at("/signedIn/" + dc).asText());
                assertThat(signedIn).as("a key-trust sign-in on " + dc + " never succeeds before LDAP shows the key there")
                        .isAfterOrEqualTo(Instant.parse(k.at("/visible/" + dc).asText()));
            }
            assertThat(Instant.parse(k.at("/signedIn/DC3").asText())).as("DC3 refused it (62) until replication")
                    .isEqualTo(registered.plus(Duration.ofHours(3)));
        }
    }

    @Test
    void probeSaysWhoOwnsAKeyOnADcOrThatItHasNotArrived() {
        try (Testbed testbed = Testbed.start(TestbedConfig.builder().users(3).build())) {
            TestKey key = testbed.registerKey(testbed.users().get(0), "PC");
            testbed.await().until(key).isVisibleOn("DC1");
            StringWriter out = new StringWriter();
            int found = KeyTrustCommand.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(new StringWriter()),
                    "probe", "--dc", testbed.dc("DC1").ldapUrl(), "--key-id", key.keyId());
            assertThat(found).isZero();
            assertThat(out.toString()).contains("the key belongs to CN=");
            StringWriter out3 = new StringWriter();
            int missing = KeyTrustCommand.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out3), new PrintWriter(new StringWriter()),
                    "probe", "--dc", testbed.dc("DC3").ldapUrl(), "--key-id", key.keyId());
            assertThat(missing).isEqualTo(1);
            assertThat(out3.toString()).contains("not yet replicated here");
        }
    }
}
