package dev.keytrust.graph.mock;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.graph.mock.admin.AdminRoutes;
import dev.keytrust.graph.mock.admin.InProcessAdmin;
import dev.keytrust.graph.mock.directory.GraphDirectory;
import dev.keytrust.graph.mock.directory.RequestJournal;
import dev.keytrust.graph.mock.directory.TestKeyPairs;
import dev.keytrust.graph.mock.fault.Faults;
import dev.keytrust.graph.mock.fault.Throttle;
import dev.keytrust.graph.mock.http.GraphError;
import dev.keytrust.graph.mock.http.MockRequest;
import dev.keytrust.graph.mock.http.MockResponse;
import dev.keytrust.graph.mock.routes.GraphRouter;
import dev.keytrust.graph.mock.token.TokenService;
import dev.keytrust.tls.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateful Microsoft Graph and Entra ID token endpoint over HTTPS: the slice of Graph a WHfB key sync needs
 * (users, delta, WHfB methods, beta deviceKeys, $batch), real RS256 tokens, throttling, simulated faults, and an
 * admin API — so the real Graph SDK and Azure Identity can be pointed at it.
 *
 * <pre>{@code
 * try (GraphMock mock = GraphMock.start(GraphMockConfig.builder().seed(7).build())) {
 *     GraphUser alice = mock.admin().addUser(GraphUser.named("alice@corp.example.com", "Alice"));
 *     mock.admin().addKey(alice.id(), GraphMockAdmin.KeyRequest.device("ALICE-PC"));
 *     // point Azure Identity at mock.authorityHost(), the Graph SDK at mock.graphUrl(), trust mock.certificatePem()
 * }
 * }</pre>
 */
public final class GraphMock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GraphMock.class);

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY every keep-alive response waits for
        // the client's delayed ACK (~40 ms). Read once, when the JDK's server classes load.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final GraphMockConfig config;
    private final HttpsServer server;
    private final ExecutorService executor;
    private final GraphRouter router;
    private final InProcessAdmin admin;
    private final X509Certificate certificate;
    private final Path certificatePem;
    private final String baseUrl;

    private GraphMock(GraphMockConfig config, UnaryOperator<GraphMockAdmin> httpAdmin) throws IOException {
        this.config = config;
        GraphDirectory directory = new GraphDirectory(config.clock(), config.seed());
        Faults faults = new Faults(config.seed());
        java.util.concurrent.atomic.AtomicReference<MockSettings> settings = new java.util.concurrent.atomic.AtomicReference<>(
                MockSettings.DEFAULTS);
        Throttle throttle = new Throttle(config.clock(), config.rateLimit(), () -> settings.get().throttleHeaders(),
                config.tenantId());
        RequestJournal journal = new RequestJournal();
        this.admin = new InProcessAdmin(directory, faults, throttle, journal, settings);
        TokenService tokens = new TokenService(config, new TestKeyPairs(config.seed() ^ 0x70CE_4E5L).next());
        this.router = new GraphRouter(config, directory, tokens, faults, throttle, journal,
                new AdminRoutes(httpAdmin.apply(admin), config.clock(), config.adminToken()), settings::get);

        SSLContext tls;
        if (config.keyStore().isPresent()) {
            Object[] loaded = loadKeyStore(config.keyStore().get(), config.keyStorePassword().orElse("").toCharArray());
            tls = (SSLContext) loaded[0];
            this.certificate = (X509Certificate) loaded[1];
        } else {
            SelfSignedCertificate generated = SelfSignedCertificate.generate(List.of(config.host()));
            tls = generated.serverContext();
            this.certificate = generated.certificate();
        }
        this.certificatePem = config.certificatePemFile().orElse(Files.createTempFile("keytrust-graph-mock-", ".pem"));
        if (config.certificatePemFile().isEmpty()) {
            certificatePem.toFile().deleteOnExit();
        }
        Files.writeString(certificatePem, SelfSignedCertificate.pem(certificate));

        this.server = HttpsServer.create(new InetSocketAddress(config.host(), config.port()), 512);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "keytrust-graph-mock-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        this.baseUrl = "https://" + host + ":" + server.getAddress().getPort();
        router.baseUrl(baseUrl);
    }

    /**
     * Starts a mock.
     *
     * @throws KeyTrustException ({@code GRAPH_MOCK_START_FAILED}) if the port is taken or the key store unreadable
     */
    public static GraphMock start(GraphMockConfig config) {
        return start(config, UnaryOperator.identity());
    }

    /** A mock whose HTTP admin API goes through {@code httpAdmin} (tests put failures there). */
    static GraphMock start(GraphMockConfig config, UnaryOperator<GraphMockAdmin> httpAdmin) {
        try {
            GraphMock mock = new GraphMock(config, httpAdmin);
            LOG.info("Graph mock serving {} (tenant {}, client {})", mock.baseUrl, config.tenantId(), config.clientId());
            if (!config.loopbackOnly() && config.adminToken().isEmpty()) {
                LOG.warn("the Graph mock listens on {}, reachable from other hosts, and its admin API (/_admin) needs no "
                        + "token: anyone who reaches the port can change users, keys and faults; set an admin token",
                        config.host());
            }
            return mock;
        } catch (IOException e) {
            throw new KeyTrustException(ErrorCode.GRAPH_MOCK_START_FAILED, "cannot start the Graph mock on "
                    + config.host() + ":" + config.port() + ": " + e.getMessage()
                    + "; choose another port (0 picks a free one)", e);
        }
    }

    /** {@code https://127.0.0.1:PORT}: the authority host for Azure Identity. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The authority host Azure Identity's credentials take ({@link #baseUrl()}). */
    public String authorityHost() {
        return baseUrl;
    }

    /** {@code https://127.0.0.1:PORT/v1.0}. */
    public String graphUrl() {
        return baseUrl + "/v1.0";
    }

    /** {@code https://127.0.0.1:PORT/beta}. */
    public String betaUrl() {
        return baseUrl + "/beta";
    }

    /** The token endpoint of the tenant. */
    public String tokenUrl() {
        return baseUrl + "/" + config.tenantId() + "/oauth2/v2.0/token";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public GraphMockConfig config() {
        return config;
    }

    public String tenantId() {
        return config.tenantId();
    }

    public String clientId() {
        return config.clientId();
    }

    /** The served certificate, for clients to trust. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The served certificate as a PEM file ({@code curl --cacert}, {@code --ca}). */
    public Path certificatePem() {
        return certificatePem;
    }

    /** The in-process admin API. */
    public GraphMockAdmin admin() {
        return admin;
    }

    /** Stops serving and frees the port and threads; idempotent. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.isEmpty() ? "" : v.get(0)));
            String query = exchange.getRequestURI().getRawQuery();
            String target = exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query);
            MockResponse response = answerSafely(() -> router.dispatch(
                    MockRequest.of(exchange.getRequestMethod(), target, headers, body, false)), headers.get("client-request-id"));
            if (response.status() == 0) {
                return; // closing without a response drops the connection
            }
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            boolean empty = response.body().length == 0;
            exchange.sendResponseHeaders(response.status(), empty ? -1 : response.body().length);
            if (!empty) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Graph mock failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
            throw e;
        }
    }

    /** No request ends without an answer: whatever a route throws (even StackOverflowError) becomes a Graph 500. */
    private MockResponse answerSafely(java.util.function.Supplier<MockResponse> route, String clientRequestId) {
        try {
            return route.get();
        } catch (GraphError e) {
            String requestId = java.util.UUID.randomUUID().toString();
            return e.toResponse(date(), requestId, clientRequestId != null ? clientRequestId : requestId)
                    .withHeader("request-id", requestId);
        } catch (Throwable t) {
            LOG.error("the Graph mock failed to answer a request", t);
            String requestId = java.util.UUID.randomUUID().toString();
            return GraphError.internal().toResponse(date(), requestId, clientRequestId != null ? clientRequestId : requestId)
                    .withHeader("request-id", requestId);
        }
    }

    private String date() {
        return config.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    private static Object[] loadKeyStore(Path file, char[] password) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            X509Certificate cert = null;
            for (String alias : java.util.Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    cert = (X509Certificate) store.getCertificate(alias);
                    break;
                }
            }
            if (cert == null) {
                throw new IOException("the key store " + file + " holds no private key entry");
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return new Object[] {context, cert};
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot use the key store " + file + ": " + e.getMessage(), e);
        }
    }
}
