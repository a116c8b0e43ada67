package dev.keytrust.testbed;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.agent.SyncAgent;
import dev.keytrust.dc.DomainController;
import dev.keytrust.kdc.client.PkinitClient;
import dev.keytrust.graph.GraphKeySource;
import dev.keytrust.graph.mock.FaultRule;
import dev.keytrust.graph.mock.GraphMock;
import dev.keytrust.graph.mock.GraphMockAdmin;
import dev.keytrust.graph.mock.SeededTenant;
import dev.keytrust.replication.ReplicationNetwork;
import dev.keytrust.time.Scheduler;
import dev.keytrust.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
    private final TestbedConfig config;
    private final Scheduler scheduler;
    private final ReplicationNetwork network;
    private final GraphMock mock;
    private final GraphKeySource source;
    private final SyncAgent agent;
    private final KeyTracker tracker;
    private final List<String> users;
    private final KeySignIn signIns;
    private final TestbedKeys keys;

    private Testbed(TestbedAssembly.Parts parts) {
        this.config = parts.config();
        this.scheduler = parts.scheduler();
        this.network = parts.network();
        this.mock = parts.mock();
        this.source = parts.source();
        this.agent = parts.agent();
        this.tracker = parts.tracker();
        this.users = parts.users();
        this.signIns = parts.signIns();
        this.keys = new TestbedKeys(mock.admin(), tracker, users);
    }

    /** Starts everything; on failure, stops what had started and says what failed. */
    public static Testbed start(TestbedConfig config) {
        return new Testbed(TestbedAssembly.start(config));
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
        return keys.register(user, deviceName);
    }

    /**
     * Registers the public half of {@code pair} (e.g. from {@code keytrust keypair}) for {@code user} on a new device:
     * the user holds the private half, so MIT kinit can sign in with it once the key has reached a DC.
     */
    public TestKey registerKey(String user, String deviceName, dev.keytrust.kdc.client.UserKeyPair pair) {
        return keys.register(user, deviceName, pair);
    }

    /**
     * Starts following keys registered in the Graph mock other than through {@link #registerKey} (its admin API:
     * {@code keytrust key register}, curl), so their journey is recorded too; returns the keys newly followed. A key
     * registered with a public key only has no private key ({@link TestKey#privateKey()} is null: a probe finds its owner but checks no signature).
     * Keys whose material is not an RSA key (bad-data tests) are left alone.
     */
    public List<TestKey> followKeysRegisteredElsewhere() {
        return keys.followRegisteredElsewhere();
    }

    /** Removes a key from Entra (the agent removes it from AD on its next cycle). */
    public void removeKey(TestKey key) {
        keys.remove(key);
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

    /**
     * What is going on, as text for a person debugging: testbed time, pending work, failed scaled-time tasks, each
     * DC's replication partners, the last Graph requests and each key's journey. The JUnit extension attaches it to
     * a failed test.
     */
    public String diagnostics() {
        return TestbedDiagnostics.describe(config.seed(), scheduler, network.domainControllers(), mock.admin(),
                tracker.timelines());
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
