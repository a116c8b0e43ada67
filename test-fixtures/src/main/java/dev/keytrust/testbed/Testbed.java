package dev.keytrust.testbed;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.agent.AgentConfig;
import dev.keytrust.agent.SyncAgent;
import dev.keytrust.dc.DomainController;
import dev.keytrust.kdc.client.PkinitClient;
import dev.keytrust.graph.GraphConnectorConfig;
import dev.keytrust.graph.GraphKeySource;
import dev.keytrust.graph.mock.DeviceKey;
import dev.keytrust.graph.mock.FaultRule;
import dev.keytrust.graph.mock.GraphMock;
import dev.keytrust.graph.mock.GraphMockAdmin;
import dev.keytrust.graph.mock.GraphMockAdmin.KeyRequest;
import dev.keytrust.graph.mock.GraphMockConfig;
import dev.keytrust.graph.mock.GraphUser;
import dev.keytrust.graph.mock.SeededTenant;
import dev.keytrust.keycredential.KeyMaterial;
import dev.keytrust.persona.Personas;
import dev.keytrust.replication.ReplicationNetwork;
import dev.keytrust.time.ScaledScheduler;
import dev.keytrust.time.Scheduler;
import dev.keytrust.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole path on one clock: a replication topology of DCs, the Graph mock holding the same people, and the sync
 * agent between them. Register a key in Entra, move time, and see it arrive on each DC when AD would deliver it.
 *
 * <pre>{@code
 * try (Testbed testbed = Testbed.start(TestbedConfig.builder().users(5).seed(42).build())) {
 *     TestKey key = testbed.registerKey(testbed.users().get(0), "ALICE-PC");
 *     testbed.await().until(key).isVisibleOn("DC3");
 *     System.out.println(testbed.timeline(key));   // Entra -> agent (<= 30 min) -> DC1 -> DC2 (+15 s) -> DC3 (link interval)
 * }
 * }</pre>
 */
public final class Testbed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Testbed.class);

    private final TestbedConfig config;
    private final Scheduler scheduler;
    private final ReplicationNetwork network;
    private final GraphMock mock;
    private final GraphKeySource source;
    private final SyncAgent agent;
    private final KeyTracker tracker;
    private final List<String> users;
    private final KeySignIn signIns;

    private Testbed(TestbedConfig config, Scheduler scheduler, ReplicationNetwork network, GraphMock mock, GraphKeySource source,
            SyncAgent agent, KeyTracker tracker, List<String> users, KeySignIn signIns) {
        this.config = config;
        this.scheduler = scheduler;
        this.network = network;
        this.mock = mock;
        this.source = source;
        this.agent = agent;
        this.tracker = tracker;
        this.users = users;
        this.signIns = signIns;
    }

    /** Starts everything; on failure, stops what had started and says what failed. */
    public static Testbed start(TestbedConfig config) {
        Scheduler scheduler = config.timeScale() == 0 ? new VirtualScheduler(config.start())
                : ScaledScheduler.startingNow(config.timeScale());
        List<AutoCloseable> started = new ArrayList<>();
        started.add(scheduler);
        // The Graph side (mock, its users, the SDK's classes) starts while the DCs do: start-up is mostly class loading.
        java.util.concurrent.CompletableFuture<GraphSide> graphSide = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            GraphMock m = GraphMock.start(GraphMockConfig.builder().seed(config.seed()).clock(scheduler.clock()).build());
            try {
                SeededTenant.populate(m.admin(), config.seed(), config.users(), config.topology().domain(), false);
                GraphKeySource source = GraphKeySource.create(GraphConnectorConfig.builder(m.tenantId(), m.clientId())
                        .clientSecret(m.config().clientSecret().orElseThrow()).graphUrl(m.baseUrl())
                        .authorityHost(m.authorityHost()).trust(m.certificate()).scheduler(scheduler).build());
                source.signIn();
                return new GraphSide(m, source);
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
        });
        try {
            ReplicationNetwork network = ReplicationNetwork.start(config.topology(), scheduler, config.seed(), config.adminPassword());
            started.add(0, network);
            DomainController target = network.dc(config.syncTarget());
            target.addUsers(Personas.generate(config.seed(), config.users()), Optional.empty());
            for (DomainController dc : network.domainControllers()) {
                if (dc != target) {
                    network.replicate(target.name(), dc.name()); // an established domain: every DC has the users
                }
            }
            GraphSide graph = joinGraphSide(graphSide);
            GraphMock mock = graph.mock();
            started.add(0, mock);
            List<String> upns = mock.admin().users().stream().map(GraphUser::userPrincipalName).toList();
            GraphKeySource source = graph.source();
            started.add(0, source);
            KeySignIn signIns = new KeySignIn(scheduler.clock());
            KeyTracker tracker = new KeyTracker(scheduler, network.domainControllers(), target.name(), config.adminPassword(),
                    signIns);
            AgentConfig.Builder agentConfig = AgentConfig.builder(source, scheduler).dc(target.ldapUrl())
                    .bind(target.administratorDn(), config.adminPassword()).interval(config.agentInterval()).allowShortInterval();
            SyncAgent agent = SyncAgent.create(agentConfig.build());
            started.add(0, agent);
            agent.onReport(tracker::cycleDone);
            config.graphFaults().forEach(mock.admin()::addFault);
            agent.start();
            if (scheduler instanceof VirtualScheduler v) {
                v.advance(Duration.ZERO); // the agent's first (full) cycle, at time zero
            }
            return new Testbed(config, scheduler, network, mock, source, agent, tracker, upns, signIns);
        } catch (RuntimeException e) {
            graphSide.thenAccept(g -> {
                g.source().close();
                g.mock().close();
            });
            for (AutoCloseable c : started) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
            throw e;
        }
    }

    private record GraphSide(GraphMock mock, GraphKeySource source) {
    }

    private static GraphSide joinGraphSide(java.util.concurrent.CompletableFuture<GraphSide> graphSide) {
        try {
            return graphSide.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    public TestbedConfig config() {
        return config;
    }

    /** The testbed's scheduler (its one clock). */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** Now, on the testbed clock. */
    public Instant now() {
        return scheduler.now();
    }

    /** The UPNs of the seeded users (the same people on every DC and in Entra). */
    public List<String> users() {
        return users;
    }

    /** Registers a WHfB key for {@code user} (UPN, or the sAMAccountName part) on a new device called {@code deviceName}. */
    public TestKey registerKey(String user, String deviceName) {
        GraphUser owner = user(user);
        DeviceKey k = mock.admin().addKey(owner.id(), KeyRequest.device(deviceName));
        return track(owner, k, k.privateKey().orElseThrow());
    }

    /**
     * Registers the public half of {@code pair} (e.g. from {@code keytrust keypair}) for {@code user} on a new device:
     * the user holds the private half, so MIT kinit can sign in with it once the key has reached a DC.
     */
    public TestKey registerKey(String user, String deviceName, dev.keytrust.kdc.client.UserKeyPair pair) {
        GraphUser owner = user(user);
        DeviceKey k = mock.admin().addKey(owner.id(), new KeyRequest(null, deviceName, pair.publicKey().getEncoded(), null, null));
        return track(owner, k, pair.privateKey());
    }

    private TestKey track(GraphUser owner, DeviceKey k, java.security.PrivateKey privateKey) {
        TestKey key = new TestKey(owner.userPrincipalName(), owner.id(), k.displayName(), k.deviceId(), k.id(), k.keyId(),
                k.keyMaterial(), KeyMaterial.describe(k.keyMaterial()).rsaPublicKey().orElseThrow(), privateKey,
                k.createdDateTime());
        tracker.track(key);
        LOG.info("registered {} at {}", key, key.registered());
        return key;
    }

    private static TestKey testKey(GraphUser owner, DeviceKey k) {
        return new TestKey(owner.userPrincipalName(), owner.id(), k.displayName(), k.deviceId(), k.id(), k.keyId(),
                k.keyMaterial(), KeyMaterial.describe(k.keyMaterial()).rsaPublicKey().orElseThrow(), k.privateKey().orElse(null),
                k.createdDateTime());
    }

    /**
     * Starts following keys registered in the Graph mock other than through {@link #registerKey} (its admin API:
     * {@code keytrust key register}, curl), so their journey is recorded too; returns the keys newly followed. A key
     * registered with a public key only has no private key ({@link TestKey#privateKey()} is null: a probe finds its owner but checks no signature).
     * Keys whose material is not an RSA key (bad-data tests) are left alone.
     */
    public List<TestKey> followKeysRegisteredElsewhere() {
        List<TestKey> followed = new ArrayList<>();
        for (GraphUser u : mock.admin().users()) {
            for (DeviceKey k : mock.admin().keys(u.id())) {
                if (!tracker.isTracked(k.keyId()) && k.rawKeyMaterial() == null
                        && KeyMaterial.describe(k.keyMaterial()).rsaPublicKey().isPresent()) {
                    TestKey key = testKey(u, k);
                    tracker.track(key);
                    followed.add(key);
                    LOG.info("following {}, registered at {} through the mock's admin API", key, key.registered());
                }
            }
        }
        return followed;
    }

    /** Removes a key from Entra (the agent removes it from AD on its next cycle). */
    public void removeKey(TestKey key) {
        mock.admin().removeKey(key.userId(), key.methodId());
    }

    /** Moves time forward: on virtual time at once, running everything due; on scaled time by waiting. */
    public Instant advance(Duration duration) {
        scheduler.sleep(duration);
        return now();
    }

    /** Runs until no foreground work (notifications, pulls they cause) is pending; virtual time only. */
    public Instant runUntilQuiet() {
        if (scheduler instanceof VirtualScheduler v) {
            return v.runUntilQuiet(Duration.ofDays(7));
        }
        throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "runUntilQuiet() needs virtual time; this testbed runs "
                + "at time scale " + config.timeScale() + " — use await() instead");
    }

    /** Waits (moving virtual time) until something holds; see {@link TestbedAwait}. */
    public TestbedAwait await() {
        return new TestbedAwait(this);
    }

    /** A DC by name. */
    public TestbedDc dc(String name) {
        return new TestbedDc(network.dc(name), config.adminPassword());
    }

    /** Every DC, in topology order. */
    public List<TestbedDc> dcs() {
        return network.domainControllers().stream().map(d -> new TestbedDc(d, config.adminPassword())).toList();
    }

    /** When the key was registered, read by the agent, and became visible on each DC. */
    public KeyTimeline timeline(TestKey key) {
        return tracker.timeline(key).orElseThrow(() -> new KeyTrustException(ErrorCode.INVALID_CONFIGURATION,
                key + " was not registered through this testbed (or it was reset since)"));
    }

    /** Every tracked key's timeline. */
    public List<KeyTimeline> timelines() {
        return tracker.timelines();
    }

    /**
     * A real key-trust PKINIT sign-in with {@code key}'s private half at {@code dc}'s KDC now (testbed clock): what the
     * KDC answered (62, KDC_ERR_CLIENT_NOT_TRUSTED, until the key has replicated there), with the user's DN on that DC
     * when its msDS-KeyCredentialLink holds the key.
     */
    public ProbeResult probe(String dc, TestKey key) {
        TestbedDc d = dc(dc);
        Optional<String> owner;
        try (LDAPConnection ldap = d.connect()) {
            owner = KeyProbe.find(ldap, d.baseDn(), key.keyId()).map(KeyProbe.Found::userDn);
        } catch (LDAPException e) {
            throw dev.keytrust.LdapFailures.of("probe", dc, e.getResultCode().intValue(),
                    e.getResultCode().getName(), e.getDiagnosticMessage(), e);
        }
        Instant at = now();
        PkinitClient.Outcome outcome = signIn(key, dc);
        String conclusion = outcome.succeeded() ? "PKINIT sign-in on " + d.name() + " succeeded: " + outcome
                : "PKINIT sign-in on " + d.name() + " refused: " + outcome + (owner.isEmpty()
                ? " (no user on " + d.name() + " has the key: not yet replicated here)" : "");
        return new ProbeResult(d.name(), at, owner, outcome.succeeded(), conclusion);
    }

    /** Signs in with {@code key} (key-trust PKINIT, its private half) at {@code dc}'s KDC now: a TGT or the KRB-ERROR. */
    public PkinitClient.Outcome signIn(TestKey key, String dc) {
        return signIns.signIn(key, network.dc(dc));
    }

    /**
     * Waits (moving virtual time) until a sign-in with {@code key} succeeds on {@code dc}, as the timeline records it;
     * returns the timeline. Fails after 24 hours of testbed time with what was seen.
     */
    public KeyTimeline awaitSignIn(TestKey key, String dc) {
        return await().until(key).canSignInOn(dc);
    }

    /** The replication network, for faults: stopDc, startDc, partition, isolate, heal, replicate. */
    public ReplicationNetwork network() {
        return network;
    }

    /** The Graph mock's root URL ({@code https://127.0.0.1:PORT}; Graph under /v1.0 and /beta, tokens under /{tenant}). */
    public String graphUrl() {
        return mock.baseUrl();
    }

    /** The Graph mock's certificate as a PEM file (what {@code keytrust key register --ca} and curl's --cacert take). */
    public java.nio.file.Path graphCertificatePem() {
        return mock.certificatePem();
    }

    /** The Graph mock's admin API, for Graph faults and direct changes. */
    public GraphMockAdmin graph() {
        return mock.admin();
    }

    /** Throttles a share of Graph requests with 429 and Retry-After until {@link #healGraph()}. */
    public void throttleGraph(double probability, int retryAfterSeconds) {
        mock.admin().addFault(FaultRule.status("/v1.0/*", 429).retryAfter(retryAfterSeconds).probability(probability));
        mock.admin().addFault(FaultRule.status("/beta/*", 429).retryAfter(retryAfterSeconds).probability(probability));
    }

    public void healGraph() {
        mock.admin().clearFaults();
    }

    /** The Graph mock itself: its URLs, tenant, client id, secret and CA file, for clients of your own. */
    public GraphMock graphMock() {
        return mock;
    }

    /** The agent (its last report, a forced cycle). */
    public SyncAgent agent() {
        return agent;
    }

    /**
     * Back to a clean slate between tests, keeping servers and time: Graph faults cleared and every key removed from
     * Entra (earlier delta tokens become invalid, so the agent's next cycle is a full one), msDS-KeyCredentialLink
     * cleared on every DC, DCs started, the network healed, timelines forgotten.
     */
    public void reset() {
        network.heal();
        for (DomainController dc : network.domainControllers()) {
            if (!dc.isServing()) {
                network.startDc(dc.name());
            }
            network.setInboundReplication(dc.name(), true);
            network.setOutboundReplication(dc.name(), true);
        }
        mock.admin().reset();
        SeededTenant.populate(mock.admin(), config.seed(), config.users(), config.topology().domain(), false);
        config.graphFaults().forEach(mock.admin()::addFault);
        for (DomainController dc : network.domainControllers()) {
            clearKeys(dc);
        }
        tracker.forgetAll();
    }

    private void clearKeys(DomainController dc) {
        try (LDAPConnection ldap = new LDAPConnection(dc.host(), dc.port(), dc.administratorDn(), config.adminPassword())) {
            for (SearchResultEntry e : ldap.search(dc.baseDn(), SearchScope.SUB, "(msDS-KeyCredentialLink=*)", "1.1").getSearchEntries()) {
                ldap.modify(e.getDN(), new Modification(ModificationType.DELETE, "msDS-KeyCredentialLink"));
            }
        } catch (LDAPException e) {
            throw dev.keytrust.LdapFailures.of("reset", dc.name(), e.getResultCode().intValue(),
                    e.getResultCode().getName(), e.getDiagnosticMessage(), e);
        }
    }

    private GraphUser user(String user) {
        String wanted = user.toLowerCase(Locale.ROOT);
        return mock.admin().users().stream().filter(u -> u.userPrincipalName().equalsIgnoreCase(wanted)
                || u.userPrincipalName().toLowerCase(Locale.ROOT).startsWith(wanted + "@")).findFirst()
                .orElseThrow(() -> new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "no user '" + user
                        + "' in the testbed; users: " + users.subList(0, Math.min(5, users.size())) + (users.size() > 5 ? "..." : "")));
    }

    /**
     * What is going on, as text for a person debugging: testbed time, pending work, failed scaled-time tasks, each
     * DC's replication partners, the last Graph requests and each key's journey. The JUnit extension attaches it to
     * a failed test.
     */
    public String diagnostics() {
        return TestbedDiagnostics.describe(this, scheduler, network.domainControllers(), mock.admin());
    }

    /**
     * Writes the journey so far as one self-contained HTML file (topology, each key's steps on a time axis, each key's
     * replication metadata per DC; no network needed to open it); returns the file.
     */
    public java.nio.file.Path writeReport(java.nio.file.Path file) {
        return dev.keytrust.testbed.journey.JourneyReport.write(this, file);
    }

    /** Failures of scheduled tasks on scaled time so far (always empty on virtual time, where they throw). */
    public List<RuntimeException> taskFailures() {
        return scheduler.failures();
    }

    /** Stops the agent, the mock, every DC and the clock; frees every port and thread. */
    @Override
    public void close() {
        agent.close();
        source.close();
        mock.close();
        network.close();
        scheduler.close();
    }
}
