package dev.keytrust.testbed.journey;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.testbed.Testbed;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's live journey page, on 127.0.0.1 only: {@code GET /} the page, {@code GET /events} the view as Server-Sent
 * Events (pushed when it changes, at most four times a second; no polling), {@code GET /key?id=} a key's replication
 * metadata on each DC, {@code POST /control} the lab's fault controls ({@link LabControls}).
 *
 * <p>Each browser costs only its own connection: a client's queue holds one frame (the newest replaces an unsent
 * one), so a slow browser skips frames instead of holding the others back; at most {@value #MAX_STREAMS} event streams
 * at once; each connection has a thread of its own while it lasts, so a client slow to send its request holds up
 * nobody else. POSTs need the run's token (in the page, never in a URL) in {@code X-KeyTrust-Token} and, when the browser
 * sends one, an Origin of this page; every request needs a Host of this server (no DNS rebinding).
 *
 * <pre>{@code
 * try (JourneyServer page = JourneyServer.start(testbed, 0)) {   // 0: a free port
 *     System.out.println("watch the journey: " + page.url());
 * }
 * }</pre>
 */
public final class JourneyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JourneyServer.class);
    /** Event streams served at once; more get 503. */
    public static final int MAX_STREAMS = 8;
    private static final long PUSH_MILLIS = 250;
    private static final int MAX_BODY = 4096;
    private static final int KEEPALIVE_SECONDS = 2;

    private final Testbed testbed;
    private final LabControls controls;
    private final HttpServer http;
    private final ExecutorService workers;
    private final Thread pusher;
    private final String token;
    private final Set<BlockingQueue<String>> streams = ConcurrentHashMap.newKeySet();
    private volatile String lastView = "";
    private volatile boolean closed;

    private JourneyServer(Testbed testbed, HttpServer http) {
        this.testbed = testbed;
        this.controls = new LabControls(testbed);
        this.http = http;
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        // a thread per connection while it lasts (idle ones end after a minute): a client that sends its request slowly
        // holds its own thread only, never one the others need, as a fixed pool would let a few slow clients do
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "keytrust-journey-http");
            t.setDaemon(true);
            return t;
        });
        this.pusher = new Thread(this::push, "keytrust-journey-push");
        pusher.setDaemon(true);
    }

    /**
     * Serves {@code testbed}'s journey on 127.0.0.1:{@code port} ({@code 0} picks a free one; read it back with
     * {@link #url()}).
     */
    public static JourneyServer start(Testbed testbed, int port) {
        if (port < 0 || port > 65_535) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "web port: expected 0 (a free port) to 65535 but found " + port);
        }
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "cannot serve the journey page on 127.0.0.1:" + port + ": "
                    + e.getMessage() + "; choose another --web-port (0 picks a free one) or use --no-web", e);
        }
        JourneyServer server = new JourneyServer(testbed, http);
        http.setExecutor(server.workers);
        http.createContext("/", server::handle);
        http.start();
        server.pusher.start();
        LOG.info("journey page at {}", server.url());
        return server;
    }

    /** {@code http://127.0.0.1:PORT/}. */
    public String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/";
    }

    /** Event streams open now (a closed page's stream counts until its next write fails, within seconds). */
    int openStreams() {
        return streams.size();
    }

    /** The port it listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            if (!hostAllowed(ex.getRequestHeaders().getFirst("Host"))) {
                send(ex, 421, "text/plain", "this page answers to 127.0.0.1:" + port() + " or localhost:" + port() + " only");
                return;
            }
            String path = ex.getRequestURI().getPath();
            switch (path) {
                case "/" -> {
                    if (get(ex)) {
                        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; "
                                + "style-src 'unsafe-inline'; connect-src 'self'; img-src 'self'; frame-ancestors 'none'; form-action 'none'");
                        send(ex, 200, "text/html; charset=utf-8", JourneyPage.live(JourneySnapshots.of(testbed), token, testbed.users()));
                    }
                }
                case "/events" -> {
                    if (only(ex, "GET")) {
                        stream(ex);
                    }
                }
                case "/key" -> {
                    if (get(ex)) {
                        key(ex);
                    }
                }
                case "/control" -> {
                    if (only(ex, "POST")) {
                        control(ex);
                    }
                }
                default -> send(ex, 404, "text/plain", "no such page: " + path);
            }
        } catch (IOException e) {
            LOG.debug("journey page client gone: {}", e.getMessage());
        }
    }

    /** True for a GET or HEAD; else answers 405. */
    private boolean get(HttpExchange ex) throws IOException {
        return ex.getRequestMethod().equals("HEAD") || only(ex, "GET");
    }

    /** True when the request's method is {@code method}; else answers 405 allowing that one. */
    private boolean only(HttpExchange ex, String method) throws IOException {
        if (ex.getRequestMethod().equals(method)) {
            return true;
        }
        ex.getResponseHeaders().set("Allow", method);
        send(ex, 405, "text/plain", method + " only");
        return false;
    }

    private boolean hostAllowed(String host) {
        return host != null && (host.equals("127.0.0.1:" + port()) || host.equals("localhost:" + port()));
    }

    private void stream(HttpExchange ex) throws IOException {
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(1);
        synchronized (streams) {
            if (streams.size() >= MAX_STREAMS) {
                send(ex, 503, "text/plain", "already " + MAX_STREAMS + " pages open on this lab; close one");
                return;
            }
            streams.add(queue);
        }
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            String first = render();
            offer(queue, first);
            while (!closed) {
                // a comment line every few seconds when nothing changed: a closed page's stream fails on it and frees its slot
                String frame = queue.poll(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
                out.write((frame == null ? ": still here\n\n" : event(frame)).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.remove(queue);
        }
    }

    private static String event(String html) {
        StringBuilder b = new StringBuilder("event: view\n");
        for (String line : html.split("\n", -1)) {
            b.append("data: ").append(line).append('\n');
        }
        return b.append('\n').toString();
    }

    private static void offer(BlockingQueue<String> queue, String frame) {
        while (!queue.offer(frame)) {
            queue.poll(); // the newest frame replaces one the client has not taken yet
        }
    }

    private String render() {
        return JourneyPage.view(JourneySnapshots.of(testbed));
    }

    private void push() {
        while (!closed) {
            try {
                Thread.sleep(PUSH_MILLIS); // the page's own refresh rate (wall time), not testbed time
                if (!streams.isEmpty()) {
                    String view = render();
                    if (!view.equals(lastView)) {
                        lastView = view;
                        streams.forEach(q -> offer(q, view));
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.debug("journey view not rendered: {}", e.getMessage());
            }
        }
    }

    private void key(HttpExchange ex) throws IOException {
        String id = query(ex.getRequestURI().getRawQuery()).getOrDefault("id", "");
        Optional<JourneySnapshot.Key> key = JourneySnapshots.of(testbed).keys().stream().filter(k -> k.keyId().equals(id)).findFirst();
        if (key.isEmpty()) {
            send(ex, 404, "text/plain", "no tracked key with KeyID '" + id + "'");
            return;
        }
        send(ex, 200, "text/html; charset=utf-8", KeyDetails.read(testbed, key.get()).html());
    }

    private void control(HttpExchange ex) throws IOException {
        String origin = ex.getRequestHeaders().getFirst("Origin");
        if (origin != null && !origin.equals("http://127.0.0.1:" + port()) && !origin.equals("http://localhost:" + port())) {
            send(ex, 403, "text/plain", "refused: a control request from another site (" + origin + ")");
            return;
        }
        String given = ex.getRequestHeaders().getFirst("X-KeyTrust-Token");
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            send(ex, 403, "text/plain", "refused: a control request without this page's token");
            return;
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            send(ex, 413, "text/plain", "a control request is at most " + MAX_BODY + " bytes");
            return;
        }
        Map<String, String> params = query(new String(body, StandardCharsets.UTF_8));
        try {
            String done = controls.run(params.get("action"), params);
            LOG.info("journey page: {}", done);
            send(ex, 200, "text/plain; charset=utf-8", done);
        } catch (KeyTrustException | IllegalArgumentException e) {
            send(ex, 400, "text/plain; charset=utf-8", e.getMessage());
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                m.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a malformed escape: the parameter is ignored (and reported missing if it was needed)
            }
        }
        return m;
    }

    private static void send(HttpExchange ex, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    /** Stops serving: closes every event stream and the port. */
    @Override
    public void close() {
        closed = true;
        pusher.interrupt();
        http.stop(0);
        workers.shutdownNow();
    }
}
