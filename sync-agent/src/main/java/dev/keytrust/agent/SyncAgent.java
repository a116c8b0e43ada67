package dev.keytrust.agent;

import com.unboundid.ldap.sdk.LDAPException;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.agent.AgentState.Join;
import dev.keytrust.agent.source.KeyRead;
import dev.keytrust.agent.source.SourceUser;
import dev.keytrust.time.ScheduledTask;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Entra Connect-like agent: each cycle reads WHfB keys from its {@link dev.keytrust.agent.source.KeySource} (full on
 * the first run, on request, or when the saved state is lost or expired; otherwise the changes since the last
 * cycle), joins each Graph user to its AD user, and writes the difference to msDS-KeyCredentialLink on the sync
 * target DC (or the first fallback that answers) in one LDAP modify per user. Values with KeySource AD and values
 * it cannot decode are never touched; a user deleted in Entra keeps its AD values. Cycles run on the testbed
 * scheduler every {@link AgentConfig#interval()} and never overlap.
 *
 * <pre>{@code
 * try (SyncAgent agent = SyncAgent.create(config)) {
 *     CycleReport first = agent.runCycle();        // full: nothing saved yet
 *     agent.start();                               // then every 30 minutes of testbed time
 * }
 * }</pre>
 */
public final class SyncAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncAgent.class);

    private final AgentConfig config;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean fullRequested;
    private volatile AgentState state;
    private volatile CycleReport lastReport;
    private volatile RuntimeException lastFailure;
    private volatile Consumer<CycleReport> listener = r -> { };
    private ScheduledTask schedule;

    private SyncAgent(AgentConfig config) {
        this.config = config;
        AgentState loaded;
        try {
            loaded = config.stateFile().map(AgentState::load).orElseGet(AgentState::empty);
        } catch (KeyTrustException e) {
            LOG.warn("{}; the next cycle is a full sync", e.getMessage());
            loaded = AgentState.empty();
        }
        this.state = loaded;
    }

    /** An agent with its saved state loaded (a damaged state file means a full sync); nothing runs yet. */
    public static SyncAgent create(AgentConfig config) {
        return new SyncAgent(config);
    }

    /** Runs a cycle now and then every interval, on the scheduler; returns this agent. */
    public synchronized SyncAgent start() {
        if (schedule == null) {
            schedule = config.scheduler().scheduleAtFixedRate(config.scheduler().now(), config.interval(), "sync agent cycle",
                    this::scheduledCycle);
        }
        return this;
    }

    /** Makes the next cycle a full sync. */
    public void requestFull() {
        fullRequested = true;
    }

    /** Called with each cycle's report (scheduled or not), on the thread that ran it. */
    public void onReport(Consumer<CycleReport> value) {
        this.listener = java.util.Objects.requireNonNull(value, "listener");
    }

    public Optional<CycleReport> lastReport() {
        return Optional.ofNullable(lastReport);
    }

    /** Why the last scheduled cycle failed, if it did (the next one runs as planned). */
    public Optional<RuntimeException> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /** When the last cycle completed, if one has. */
    public Optional<Instant> lastSuccess() {
        return state.lastSuccess();
    }

    /** Runs one cycle now: delta, or full if requested or nothing is saved. */
    public CycleReport runCycle() {
        return runCycle(false);
    }

    /**
     * Runs one cycle now.
     *
     * @throws KeyTrustException if another cycle is running, or the cycle failed as a whole (Graph or every DC
     *     unreachable, bad credentials); the saved state is then unchanged, so the next cycle repeats the work
     */
    public CycleReport runCycle(boolean full) {
        if (!running.compareAndSet(false, true)) {
            throw new KeyTrustException(ErrorCode.OPERATION_CONFLICT, "a cycle is already running; cycles never overlap");
        }
        try {
            boolean wantFull = full || fullRequested;
            CycleReport report = cycle(wantFull);
            if (wantFull) {
                fullRequested = false;
            }
            lastReport = report;
            lastFailure = null;
            LOG.info(report.summary());
            listener.accept(report);
            return report;
        } finally {
            running.set(false);
        }
    }

    private void scheduledCycle() {
        if (running.get()) {
            LOG.info("the previous cycle is still running; skipping this one");
            return;
        }
        try {
            runCycle(false);
        } catch (RuntimeException e) {
            lastFailure = e;
            LOG.error("sync cycle failed: {}", e.getMessage());
        }
    }

    private CycleReport cycle(boolean full) {
        long started = System.nanoTime();
        Instant startedAt = config.scheduler().now();
        AgentState before = state;
        boolean fullRead = full || before.syncState().isEmpty();
        try (TargetDc target = TargetDc.connect(config)) {
            try {
                return cycle(target, before, fullRead, startedAt, started);
            } catch (PipelinedWriter.WriterFailure e) {
                throw target.failed(e.ldap());
            } catch (LDAPException e) {
                throw target.failed(e);
            }
        }
    }

    private CycleReport cycle(TargetDc target, AgentState before, boolean fullRead, Instant startedAt, long started)
            throws LDAPException {
        AdDirectory ad = new AdDirectory(target.connection(), target.baseDn());
        Map<String, Join> joins = new LinkedHashMap<>();
        UserWriter writer = new UserWriter(config, target, ad, before.joins(), joins, config.scheduler().now());
        KeyRead read;
        if (fullRead) {
            // Every AD user is read while Graph is, and users are written as Graph completes them.
            java.util.concurrent.CompletableFuture<Integer> adLoad = loadInBackground(ad);
            PipelinedWriter pipeline = new PipelinedWriter(writer, adLoad);
            try {
                read = config.source().fullSnapshot(pipeline);
            } catch (RuntimeException e) {
                pipeline.abandon();
                throw e;
            }
            pipeline.finish();
            LOG.info("full sync: {} Graph users, {} AD users under {}", read.users().size(), join(adLoad), target.baseDn());
        } else {
            read = config.source().changesSince(before.syncState().get());
            if (read.full()) {
                ad.loadAll();
            } else {
                joins.putAll(before.joins());
            }
            read.removedUserIds().forEach(joins::remove);
            for (SourceUser u : read.users()) {
                writer.process(u);
            }
        }
        AgentState after = new AgentState(Optional.of(read.state()), Optional.of(config.scheduler().now()),
                Optional.of(target.url().toString()), joins);
        config.stateFile().ifPresent(after::save);
        state = after;
        return new CycleReport(startedAt, read.full() ? "full" : "delta", read.resyncReason().orElse(null), read.users().size(),
                writer.joined, writer.skipped, read.removedUserIds().size(), writer.added, writer.removed, writer.unchanged,
                writer.untouched, writer.problems, target.url().toString(), target.fallbackReason(), read.graphRequests(),
                read.throttleWaits(), (System.nanoTime() - started) / 1_000_000);
    }

    private static java.util.concurrent.CompletableFuture<Integer> loadInBackground(AdDirectory ad) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return ad.loadAll();
            } catch (LDAPException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    private static int join(java.util.concurrent.CompletableFuture<Integer> load) throws LDAPException {
        try {
            return load.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof LDAPException l) {
                throw l;
            }
            throw e;
        }
    }

    /** Stops the schedule; a running cycle finishes. */
    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.cancel();
            schedule = null;
        }
    }
}
