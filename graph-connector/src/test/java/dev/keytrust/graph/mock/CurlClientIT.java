package dev.keytrust.graph.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A non-Java client: curl (OpenSSL) gets a token with the client secret and pages through /users following
 * {@code @odata.nextLink}, trusting only the PEM the mock wrote. Skipped on a machine without curl, failed in CI.
 */
class CurlClientIT {
    @Test
    void curlGetsATokenAndPagesThroughUsers() throws Exception {
        requireCurl();
        try (GraphMock mock = GraphMock.start(GraphMockConfig.builder().seed(3).build())) {
            SeededTenant.populate(mock.admin(), 3, 9, "corp.example.com");
            JsonNode token = curl(mock, "-X", "POST", mock.tokenUrl(),
                    "--data-urlencode", "grant_type=client_credentials",
                    "--data-urlencode", "client_id=" + mock.clientId(),
                    "--data-urlencode", "client_secret=" + mock.config().clientSecret().orElseThrow(),
                    "--data-urlencode", "scope=https://graph.microsoft.com/.default");
            assertThat(token.get("token_type").asText()).isEqualTo("Bearer");
            String bearer = "Authorization: Bearer " + token.get("access_token").asText();
            List<String> upns = new ArrayList<>();
            String url = mock.graphUrl() + "/users?$top=4&$select=id,userPrincipalName";
            int pages = 0;
            while (url != null) {
                JsonNode page = curl(mock, "-H", bearer, url);
                page.get("value").forEach(u -> upns.add(u.get("userPrincipalName").asText()));
                url = page.has("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
                pages++;
            }
            assertThat(pages).isEqualTo(3);
            assertThat(upns).hasSize(9).doesNotHaveDuplicates().allMatch(u -> u.endsWith("@corp.example.com"));
        }
    }

    private static JsonNode curl(GraphMock mock, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--fail-with-body", "--cacert", mock.certificatePem().toString(), "-g"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("curl %s answered %s", args[args.length - 1], out).isZero();
        return RawGraphClient.JSON.readTree(out);
    }

    private static void requireCurl() {
        boolean present;
        try {
            present = new ProcessBuilder("curl", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            present = false;
        }
        if (!present && System.getenv("CI") != null) {
            throw new AssertionError("curl is required in CI (.ci/run installs it)");
        }
        assumeTrue(present, "curl is not installed");
    }
}
