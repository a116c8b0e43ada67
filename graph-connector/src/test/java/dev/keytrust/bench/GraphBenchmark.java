package dev.keytrust.bench;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.keytrust.agent.source.KeyRead;
import dev.keytrust.graph.GraphConnectorConfig;
import dev.keytrust.graph.GraphKeySource;
import dev.keytrust.graph.mock.GraphMock;
import dev.keytrust.graph.mock.GraphMockConfig;
import dev.keytrust.graph.mock.SeededTenant;
import dev.keytrust.time.VirtualScheduler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Two figures for issue 5, printed side by side (a benchmark reports, it does not gate CI):
 * <ol>
 *   <li>{@code GET /users} pages (100 users, the body the mock really serves) over HTTPS keep-alive: the mock vs
 *   WireMock 3 (defaults, HTTPS) serving the same static body, same client (JDK HttpClient, 4 threads), 3 alternating
 *   rounds of 5 s each after a warm-up; the median of each and the ratio;</li>
 *   <li>a full snapshot of 10,000 users with keys (about half have 1-2) through the real Graph SDK and Azure
 *   Identity, best and median of 3.</li>
 * </ol>
 * Run: {@code mvn -B -pl graph-connector -am -DskipTests verify -Dbench=graph}
 */
public final class GraphBenchmark {
    private static final int CLIENT_THREADS = 4;
    private static final long ROUND_MILLIS = 5_000;

    private GraphBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
        pages();
        snapshot();
        System.exit(0);
    }

    private static void pages() throws Exception {
        try (GraphMock mock = GraphMock.start(GraphMockConfig.builder().seed(1).build())) {
            SeededTenant.populate(mock.admin(), 1, 250, "corp.example.com");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trustAll()).build();
            String token = token(http, mock);
            String path = "/v1.0/users";
            byte[] body = http.send(HttpRequest.newBuilder(URI.create(mock.baseUrl() + path)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            WireMockServer wiremock = new WireMockServer(WireMockConfiguration.options().httpDisabled(true).dynamicHttpsPort());
            wiremock.start();
            try {
                wiremock.stubFor(WireMock.get(WireMock.urlEqualTo(path)).willReturn(WireMock.aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json;odata.metadata=minimal").withBody(body)));
                String mockUrl = mock.baseUrl() + path;
                String wireUrl = "https://localhost:" + wiremock.httpsPort() + path;
                run(http, mockUrl, token, 5_000);
                run(http, wireUrl, token, 5_000);
                List<Double> ours = new ArrayList<>();
                List<Double> theirs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    ours.add(run(http, mockUrl, token, ROUND_MILLIS));
                    theirs.add(run(http, wireUrl, token, ROUND_MILLIS));
                }
                double a = median(ours);
                double b = median(theirs);
                System.out.printf(Locale.ROOT, "GET /users page (%d bytes, 100 users) over HTTPS keep-alive, %d client threads:%n",
                        body.length, CLIENT_THREADS);
                System.out.printf(Locale.ROOT, "  Graph mock   %8.0f req/s  (rounds %s)%n", a, ours);
                System.out.printf(Locale.ROOT, "  WireMock     %8.0f req/s  (rounds %s)%n", b, theirs);
                System.out.printf(Locale.ROOT, "  ratio mock/WireMock = %.2f (target >= 1.0)%n", a / b);
            } finally {
                wiremock.stop();
            }
        }
    }

    private static void snapshot() throws Exception {
        VirtualScheduler time = new VirtualScheduler();
        try (GraphMock mock = GraphMock.start(GraphMockConfig.builder().seed(2).clock(time.clock()).build())) {
            long t0 = System.nanoTime();
            SeededTenant.populate(mock.admin(), 2, 10_000, "corp.example.com");
            System.out.printf(Locale.ROOT, "mock populated with 10,000 users in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            List<Double> seconds = new ArrayList<>();
            KeyRead read = null;
            for (int i = 0; i < 3; i++) {
                try (GraphKeySource source = GraphKeySource.create(GraphConnectorConfig.builder(mock.tenantId(), mock.clientId())
                        .clientSecret(mock.config().clientSecret().orElseThrow()).graphUrl(mock.baseUrl())
                        .authorityHost(mock.authorityHost()).trust(mock.certificate()).scheduler(time).build())) {
                    long start = System.nanoTime();
                    read = source.fullSnapshot();
                    seconds.add((System.nanoTime() - start) / 1e9);
                }
            }
            long keys = read.users().stream().mapToLong(u -> u.keys().size()).sum();
            System.out.printf(Locale.ROOT, "connector full snapshot: %d users, %d keys, %d Graph requests: best %.2f s, median %.2f s "
                    + "(runs %s; target <= 5 s)%n", read.users().size(), keys, read.graphRequests(),
                    seconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), median(seconds), seconds);
        }
    }

    private static double run(HttpClient http, String url, String token, long millis) throws InterruptedException {
        LongAdder done = new LongAdder();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + millis * 1_000_000L; // a wall-clock window: the figure is requests per real second
        for (int i = 0; i < CLIENT_THREADS; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    try {
                        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException(url + " answered " + r.statusCode());
                        }
                        done.increment();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return done.sum() / ((System.nanoTime() - start) / 1e9);
    }

    private static String token(HttpClient http, GraphMock mock) throws Exception {
        String form = "grant_type=client_credentials&client_id=" + mock.clientId() + "&client_secret="
                + URLEncoder.encode(mock.config().clientSecret().orElseThrow(), StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode("https://graph.microsoft.com/.default", StandardCharsets.UTF_8);
        String json = http.send(HttpRequest.newBuilder(URI.create(mock.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        int at = json.indexOf("\"access_token\":\"") + 16;
        return json.substring(at, json.indexOf('"', at));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    private static SSLContext trustAll() throws Exception {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return c;
    }
}
