package dev.keytrust.testbed.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keytrust.testbed.TestKey;
import dev.keytrust.testbed.Testbed;
import dev.keytrust.testbed.TestbedConfig;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The live page's server over real HTTP: what it serves, its event stream, and how its controls are protected. */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class JourneyServerIT {
    private static Testbed testbed;
    private static JourneyServer server;
    private static TestKey key;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        testbed = Testbed.start(TestbedConfig.builder().users(3).seed(5).build());
        key = testbed.registerKey(testbed.users().get(0), "PC");
        testbed.await().until(key).isVisibleOn("DC2");
        server = JourneyServer.start(testbed, 0);
    }

    @AfterAll
    static void stop() {
        server.close();
        testbed.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String body, String token, String origin) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(server.url() + "control"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/x-www-form-urlencoded");
        if (token != null) {
            r.header("X-KeyTrust-Token", token);
        }
        if (origin != null) {
            r.header("Origin", origin);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token() throws Exception {
        Matcher m = Pattern.compile("const TOKEN='([^']+)'").matcher(get("").body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void thePageIsOnLoopbackAndShowsTheKeyOnItsWay() throws Exception {
        assertThat(server.url()).startsWith("http://127.0.0.1:");
        HttpResponse<String> page = get("");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("default-src 'none'"));
        assertThat(page.body()).contains("data-key-id=\"" + key.keyId() + "\"", "data-dc=\"DC1\"", "class=\"pending\" data-dc=\"DC3\"",
                "new EventSource('events')");
    }

    @Test
    void aKeysDetailsGiveItsReplicationMetadataOnEachDc() throws Exception {
        HttpResponse<String> details = get("key?id=" + java.net.URLEncoder.encode(key.keyId(), StandardCharsets.UTF_8));
        assertThat(details.statusCode()).isEqualTo(200);
        assertThat(details.body()).contains(key.keyId(), key.userPrincipalName(), "PC", "data-dc=\"DC1\" data-state=\"present\"",
                "data-dc=\"DC2\" data-state=\"present\"", "data-dc=\"DC3\" data-state=\"not-yet\"");
        assertThat(get("key?id=nope").statusCode()).isEqualTo(404);
    }

    @Test
    void theEventStreamPushesTheView() throws Exception {
        HttpResponse<Stream<String>> events = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "events")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(events.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        try (Stream<String> lines = events.body()) {
            List<String> first = lines.takeWhile(l -> !l.isEmpty()).toList();
            assertThat(first.get(0)).isEqualTo("event: view");
            assertThat(String.join("\n", first)).contains("data: ", "data-key-id=\"" + key.keyId() + "\"");
        }
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // last: a closed stream's thread notices at its next write
    void streamsBeyondTheLimitAreRefusedAndTheOthersKeepBeingServed() throws Exception {
        // streams of earlier tests free their slots at their next keep-alive write, seconds after their client left
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (server.openStreams() > 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
        }
        assertThat(server.openStreams()).as("streams left open by earlier tests").isZero();
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < JourneyServer.MAX_STREAMS; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                s.setSoTimeout(10_000);
                assertThat(statusLine(s.getInputStream())).contains("200");
                open.add(s); // never read again: a slow browser
            }
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "events")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(503);
            assertThat(get("").statusCode()).isEqualTo(200);
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void clientsThatNeverFinishTheirRequestHoldUpNobodyElse() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 32; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1".getBytes(StandardCharsets.US_ASCII)); // and nothing more
                slow.add(s);
            }
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(server.url())).timeout(java.time.Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void aRequestForAnotherHostIsRefused() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: rebound.example:" + server.port() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(statusLine(s.getInputStream())).contains("421");
        }
    }

    @Test
    void controlsNeedThePagesTokenAndOriginAndBadInputChangesNothing() throws Exception {
        String origin = "http://127.0.0.1:" + server.port();
        HttpResponse<String> noToken = post("action=stop-dc&dc=DC2", null, origin);
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("token");
        HttpResponse<String> otherSite = post("action=stop-dc&dc=DC2", token(), "http://evil.example");
        assertThat(otherSite.statusCode()).isEqualTo(403);
        assertThat(otherSite.body()).contains("another site");
        assertThat(testbed.dc("DC2").isServing()).isTrue();
        HttpResponse<String> unknown = post("action=stop-dc&dc=DC9", token(), origin);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("no DC named 'DC9'");
        assertThat(post("action=format-disk", token(), origin).body()).contains("unknown action");
        assertThat(get("control").statusCode()).isEqualTo(405);
    }

    @Test
    void theControlsStopAndStartADcAndPartitionAndHealTheSiteLink() throws Exception {
        String origin = "http://127.0.0.1:" + server.port();
        assertThat(post("action=stop-dc&dc=DC2", token(), origin).statusCode()).isEqualTo(200);
        assertThat(testbed.dc("DC2").isServing()).isFalse();
        assertThat(get("").body()).contains("data-dc=\"DC2\" data-site=\"HQ\" data-serving=\"false\"");
        assertThat(post("action=start-dc&dc=DC2", token(), origin).statusCode()).isEqualTo(200);
        assertThat(testbed.dc("DC2").isServing()).isTrue();
        assertThat(post("action=partition-link&link=HQ-Branch", token(), origin).body()).contains("partitioned");
        assertThat(testbed.network().blocked("DC2", "DC3")).isPresent();
        assertThat(get("").body()).contains("data-faulted=\"true\"");
        assertThat(post("action=heal-link&link=HQ-Branch", token(), origin).body()).contains("healed");
        assertThat(testbed.network().blocked("DC2", "DC3")).isEmpty();
        int before = testbed.timelines().size();
        assertThat(post("action=register-key&user=" + testbed.users().get(1), token(), null).statusCode()).isEqualTo(200);
        assertThat(testbed.timelines()).hasSize(before + 1);
    }

    private static String statusLine(InputStream in) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            b.append((char) c);
        }
        return b.toString();
    }

}
