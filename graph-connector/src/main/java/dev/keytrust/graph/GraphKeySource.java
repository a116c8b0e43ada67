package dev.keytrust.graph;

import com.microsoft.graph.models.WindowsHelloForBusinessAuthenticationMethod;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.ApiException;
import com.microsoft.kiota.HttpMethod;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.serialization.Parsable;
import com.microsoft.kiota.serialization.ParsableFactory;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.agent.source.KeyRead;
import dev.keytrust.agent.source.KeySource;
import dev.keytrust.agent.source.SourceKey;
import dev.keytrust.agent.source.SourceUser;
import dev.keytrust.agent.source.SyncState;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link KeySource} over the Microsoft Graph SDK for Java and Azure Identity. Users and their beta
 * {@code deviceKeys} are read with {@code /beta/users/delta()} through the v1.0 SDK (its request adapter and a small
 * model of our own: the beta SDK is not shipped), so a full snapshot and later changes come from one delta chain;
 * device names, creation times and key strengths come from the v1.0 WHfB methods, looked up in {@code $batch}es of
 * 20 (a single method with {@code $expand=device} only when a user has several keys).
 *
 * <pre>{@code
 * try (GraphKeySource source = GraphKeySource.create(config)) {
 *     KeyRead read = source.fullSnapshot();
 *     read.users().forEach(u -> System.out.println(u.userPrincipalName() + " " + u.keys().size()));
 * }
 * }</pre>
 */
public final class GraphKeySource implements KeySource {
    private static final Logger LOG = LoggerFactory.getLogger(GraphKeySource.class);
    /** Users whose methods are looked up (and handed to a sink) together: 20 batches of method lists. */
    private static final int GROUP = 400;
    private static final String SELECT = "id,userPrincipalName,onPremisesImmutableId,onPremisesSecurityIdentifier,deviceKeys";
    private static final HashMap<String, ParsableFactory<? extends Parsable>> ERRORS = new HashMap<>(
            Map.of("XXX", ODataError::createFromDiscriminatorValue));

    private final GraphConnectorConfig config;
    private final GraphServiceClient graph;
    private final GraphCalls calls;
    private final MethodLookup methods;

    private final CachingCredential credential;

    private GraphKeySource(GraphConnectorConfig config) {
        this.config = config;
        CachingCredential credential = new CachingCredential(GraphClients.credential(config));
        this.credential = credential;
        this.graph = GraphClients.graph(config, credential);
        this.calls = new GraphCalls(config, credential::invalidate);
        this.methods = new MethodLookup(graph, calls, 4);
    }

    /** A source for the tenant and app in {@code config}; nothing is sent until the first read. */
    public static GraphKeySource create(GraphConnectorConfig config) {
        return new GraphKeySource(config);
    }

    /**
     * Signs in now (one token request), so bad credentials fail here rather than in the first read, and the first
     * read is not slowed by the identity stack starting.
     *
     * @throws KeyTrustException ({@code GRAPH_AUTHENTICATION_FAILED}) naming the authority's answer
     */
    public void signIn() {
        try {
            credential.getTokenSync(new com.azure.core.credential.TokenRequestContext().addScopes(GraphClients.SCOPE));
        } catch (RuntimeException e) {
            throw new KeyTrustException(ErrorCode.GRAPH_AUTHENTICATION_FAILED, "signing in to " + config.authorityHost()
                    + " failed: " + GraphCalls.rootMessage(e) + "; check tenant, client id and secret or certificate", e);
        }
    }

    @Override
    public synchronized KeyRead fullSnapshot() {
        return fullSnapshot(u -> { });
    }

    /** Users without keys go to {@code sink} once the pages are read; the others in groups as their methods arrive. */
    @Override
    public synchronized KeyRead fullSnapshot(java.util.function.Consumer<SourceUser> sink) {
        calls.resetCounters();
        return round(config.graphUrl() + "/beta/users/delta()?$select=" + SELECT, true, Optional.empty(), sink);
    }

    @Override
    public synchronized KeyRead changesSince(SyncState state) {
        calls.resetCounters();
        try {
            return round(state.deltaLink(), false, Optional.empty(), u -> { });
        } catch (KeyTrustException e) {
            if (e.getCause() instanceof ApiException api && isExpiredState(api)) {
                String reason = "the saved delta token is no longer valid (" + GraphCalls.describe(api) + ")";
                LOG.info("{}; reading everything again", reason);
                return round(config.graphUrl() + "/beta/users/delta()?$select=" + SELECT, true, Optional.of(reason), u -> { });
            }
            throw e;
        }
    }

    private static boolean isExpiredState(ApiException e) {
        return e.getResponseStatusCode() == 410 || "syncStateNotFound".equalsIgnoreCase(GraphCalls.code(e))
                || "resyncRequired".equalsIgnoreCase(GraphCalls.code(e));
    }

    private KeyRead round(String firstUrl, boolean full, Optional<String> resyncReason, java.util.function.Consumer<SourceUser> sink) {
        long started = System.nanoTime();
        List<BetaUser> present = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        String url = firstUrl;
        String deltaLink = null;
        int pages = 0;
        while (url != null) {
            String pageUrl = url;
            BetaUser.Page page = calls.call("reading users (" + (full ? "full" : "changes") + ", page " + (pages + 1) + ")",
                    () -> graph.getRequestAdapter().send(get(pageUrl), ERRORS, BetaUser.Page::create));
            pages++;
            for (BetaUser u : page.value == null ? List.<BetaUser>of() : page.value) {
                if (u.removed != null) {
                    removed.add(u.id);
                } else {
                    present.add(u);
                }
            }
            url = page.nextLink;
            deltaLink = page.deltaLink;
            if (full && pages % 20 == 0) {
                LOG.info("read {} users so far ({} pages)", present.size(), pages);
            }
        }
        if (deltaLink == null) {
            throw new KeyTrustException(ErrorCode.GRAPH_REQUEST_FAILED, "Graph ended a delta round without a deltaLink "
                    + "(after " + pages + " pages); cannot resume from it");
        }
        List<BetaUser> withKeys = present.stream().filter(u -> u.deviceKeys != null && !u.deviceKeys.isEmpty()).toList();
        long paged = System.nanoTime();
        List<SourceUser> users = new ArrayList<>(present.size());
        for (BetaUser u : present) {
            if (u.deviceKeys == null || u.deviceKeys.isEmpty()) {
                SourceUser done = toSourceUser(u, null);
                users.add(done);
                sink.accept(done);
            }
        }
        for (int from = 0; from < withKeys.size(); from += GROUP) {
            List<BetaUser> group = withKeys.subList(from, Math.min(withKeys.size(), from + GROUP));
            Map<String, MethodLookup.Result> found = methods.lookUp(group);
            for (BetaUser u : group) {
                SourceUser done = toSourceUser(u, found.get(u.id));
                users.add(done);
                sink.accept(done);
            }
        }
        KeyRead read = new KeyRead(full, resyncReason, users, removed, new SyncState(deltaLink, config.scheduler().now()),
                calls.requests(), calls.waits());
        LOG.info("{} read: {} users ({} with keys), {} removed, {} Graph requests, {} throttling waits; users {} ms, methods {} ms",
                full ? "full" : "delta", users.size(), withKeys.size(), removed.size(), read.graphRequests(), read.throttleWaits(),
                (paged - started) / 1_000_000, (System.nanoTime() - paged) / 1_000_000);
        return read;
    }

    private static SourceUser toSourceUser(BetaUser u, MethodLookup.Result methods) {
        List<SourceKey> keys = new ArrayList<>();
        Optional<String> error = Optional.empty();
        if (u.deviceKeys != null) {
            Map<String, WindowsHelloForBusinessAuthenticationMethod> byDevice = methods == null ? Map.of() : methods.byDeviceId();
            for (BetaUser.DeviceKeyItem k : u.deviceKeys) {
                WindowsHelloForBusinessAuthenticationMethod m = k.deviceId == null ? null : byDevice.get(k.deviceId.toLowerCase(java.util.Locale.ROOT));
                keys.add(new SourceKey(k.deviceId, k.keyMaterial, k.keyType,
                        Optional.ofNullable(m).map(WindowsHelloForBusinessAuthenticationMethod::getCreatedDateTime).map(t -> t.toInstant()),
                        Optional.ofNullable(m).map(WindowsHelloForBusinessAuthenticationMethod::getDisplayName),
                        Optional.ofNullable(m).map(x -> x.getKeyStrength() == null ? null : x.getKeyStrength().getValue()),
                        Optional.ofNullable(m).map(WindowsHelloForBusinessAuthenticationMethod::getId)));
            }
            if (methods != null && methods.error() != null) {
                error = Optional.of(methods.error());
                keys.clear();
            }
        }
        return new SourceUser(u.id, u.userPrincipalName, Optional.ofNullable(u.onPremisesImmutableId),
                Optional.ofNullable(u.onPremisesSecurityIdentifier), keys, error);
    }

    private static RequestInformation get(String url) {
        RequestInformation info = new RequestInformation();
        info.httpMethod = HttpMethod.GET;
        info.setUri(URI.create(url));
        info.headers.add("Accept", "application/json");
        info.headers.add("Prefer", "odata.maxpagesize=999");
        return info;
    }

    @Override
    public void close() {
        methods.close();
    }

    /** Shown in logs and reports; never includes the secret. */
    @Override
    public String toString() {
        return "GraphKeySource[" + config + "]";
    }
}
