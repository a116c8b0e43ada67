package dev.keytrust.replication;

import dev.keytrust.dc.DomainController;
import dev.keytrust.dc.DomainControllerConfig;
import dev.keytrust.dc.DomainControllerConfigBuilder;
import dev.keytrust.dc.Replicator;
import dev.keytrust.time.ScheduledTask;
import dev.keytrust.time.Scheduler;
import dev.keytrust.topology.Connection;
import dev.keytrust.topology.DcSpec;
import dev.keytrust.topology.KnowledgeConsistencyChecker;
import dev.keytrust.topology.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A topology's DCs, started on one {@link Scheduler}, replicating with AD's timing: after a write, a DC waits
 * the first notification delay (15 s) and then notifies its intra-site partners (and those across USE_NOTIFY
 * links), each further one the subsequent delay (3 s) later, and each notified partner pulls at once; inside a
 * site, every connection also pulls hourly; across sites, each connection pulls every {@code replInterval} while
 * its link's schedule is open. Time zero — the anchor of periodic pulls — is when every DC is serving.
 *
 * <pre>{@code
 * VirtualScheduler time = new VirtualScheduler();
 * try (ReplicationNetwork lab = ReplicationNetwork.start(TopologyYaml.read(path), time, 42, "Passw0rd!")) {
 *     // write to lab.dc("DC1") over LDAP ...
 *     time.advance(Duration.ofSeconds(15));   // DC2, DC1's first partner, has it now
 * }
 * }</pre>
 */
public final class ReplicationNetwork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationNetwork.class);
    /** AD's periodic pull inside a site when nothing was notified. */
    public static final Duration INTRA_SITE_PULL = ReplicationTimers.INTRA_SITE_PULL;

    private final Topology topology;
    private final Scheduler scheduler;
    private final Map<String, DomainController> dcs;
    private final List<Connection> connections;
    private final Instant timeZero;
    private final Set<String> cut = ConcurrentHashMap.newKeySet();
    private final Set<String> inboundDisabled = ConcurrentHashMap.newKeySet();
    private final Set<String> outboundDisabled = ConcurrentHashMap.newKeySet();
    private final List<ScheduledTask> periodic = new ArrayList<>();
    private final ReplicationTimers timers;

    private ReplicationNetwork(Topology topology, Scheduler scheduler, Map<String, DomainController> dcs, List<Connection> connections) {
        this.topology = topology;
        this.scheduler = scheduler;
        this.dcs = dcs;
        this.connections = connections;
        this.timeZero = scheduler.now();
        this.timers = new ReplicationTimers(topology, connections, scheduler, new ReplicationTimers.Actions() {
            @Override
            public void pull(String source, String destination) {
                ReplicationNetwork.this.pull(source, destination);
            }

            @Override
            public void notify(String source, String destination) {
                ReplicationNetwork.this.pull(source, destination); // in one process, a notification is the pull itself
            }
        });
    }

    /** Starts every DC of the topology (ports as given, 0 picks one) and the replication timers. */
    public static ReplicationNetwork start(Topology topology, Scheduler scheduler, long seed, String adminPassword) {
        return start(topology, scheduler, seed, adminPassword, java.util.function.UnaryOperator.identity());
    }

    /**
     * As {@link #start(Topology, Scheduler, long, String)}, each DC's config passing through {@code hosting} first: where
     * the services, bind mechanisms and interceptors every DC of the lab hosts are added (e.g. {@code b -> b.service(kdc)}).
     */
    public static ReplicationNetwork start(Topology topology, Scheduler scheduler, long seed, String adminPassword,
            java.util.function.UnaryOperator<DomainControllerConfigBuilder> hosting) {
        Map<String, DomainController> started = new LinkedHashMap<>();
        // Every DC hosts a KDC (on its kdcPort, else a free port); one lab CA issues their KDC certificates.
        dev.keytrust.kdc.pkinit.KdcCertificates.Credential labCa =
                dev.keytrust.kdc.pkinit.KdcCertificates.generateCa("KeyTrust Lab CA", scheduler.clock().instant());
        try {
            for (DcSpec spec : topology.domainControllers()) {
                DomainControllerConfigBuilder config = topology.configure(DomainControllerConfig.builder(spec.name()), spec)
                        .adminPassword(adminPassword).clock(scheduler.clock()).seed(seed)
                        .kdcPort(spec.kdcPort() == null ? 0 : spec.kdcPort()).kdcCertificateAuthority(labCa);
                started.put(key(spec.name()), DomainController.start(hosting.apply(config).build()));
            }
        } catch (RuntimeException e) {
            started.values().forEach(DomainController::close);
            throw e;
        }
        ReplicationNetwork network = new ReplicationNetwork(topology, scheduler, started,
                KnowledgeConsistencyChecker.connections(topology, seed));
        network.startTimers();
        return network;
    }

    public DomainController dc(String name) {
        DomainController dc = dcs.get(key(name));
        if (dc == null) {
            throw new IllegalArgumentException("no DC named '" + name + "' in the topology; DCs: " + dcs.keySet());
        }
        return dc;
    }

    public List<DomainController> domainControllers() {
        return List.copyOf(dcs.values());
    }

    /** The inbound connections the KCC generated (destination pulls from source). */
    public List<Connection> connections() {
        return connections;
    }

    /** When every DC was serving; periodic pulls are anchored here. */
    public Instant timeZero() {
        return timeZero;
    }

    /**
     * Cuts the network between two DCs: neither pulls from the other until {@link #heal}; both keep taking
     * writes. Healing does not replicate by itself: the next notification or periodic pull does.
     */
    public void partition(String a, String b) {
        cut.add(pair(dc(a).name(), dc(b).name()));
    }

    /** Cuts {@code dc} off from every other DC. */
    public void isolate(String name) {
        for (DomainController other : dcs.values()) {
            if (!other.name().equalsIgnoreCase(name)) {
                partition(name, other.name());
            }
        }
    }

    /**
     * Takes a DC down: it stops answering LDAP (clients and partners cannot reach it) but keeps its data. Writes
     * made elsewhere meanwhile reach it after {@link #startDc}, at its next notification or periodic pull.
     */
    public void stopDc(String name) {
        dc(name).suspend();
    }

    /** Brings a DC taken down with {@link #stopDc} back on its ports. */
    public void startDc(String name) {
        dc(name).resume();
    }

    /** Undoes every partition. */
    public void heal() {
        cut.clear();
    }

    /** Undoes the partitions {@code name} is in (both sides: a cut is between two DCs); returns the DCs it was cut from. */
    public List<String> heal(String name) {
        List<String> healed = new ArrayList<>();
        for (DomainController other : dcs.values()) {
            if (!other.name().equalsIgnoreCase(name) && cut.remove(pair(dc(name).name(), other.name()))) {
                healed.add(other.name());
            }
        }
        return healed;
    }

    /** Undoes the partition between {@code a} and {@code b} only; returns whether they were cut. */
    public boolean heal(String a, String b) {
        return cut.remove(pair(dc(a).name(), dc(b).name()));
    }

    /** Stops or resumes {@code dc} pulling from its partners (repadmin /options +DISABLE_INBOUND_REPL). */
    public void setInboundReplication(String name, boolean enabled) {
        toggle(inboundDisabled, dc(name).name(), !enabled);
    }

    /** Stops or resumes partners pulling from {@code dc} (repadmin /options +DISABLE_OUTBOUND_REPL). */
    public void setOutboundReplication(String name, boolean enabled) {
        toggle(outboundDisabled, dc(name).name(), !enabled);
    }

    /** Whether {@code destination} may pull from {@code source} now, and if not, why. */
    public java.util.Optional<String> blocked(String source, String destination) {
        if (cut.contains(pair(source, destination))) {
            return java.util.Optional.of(destination + " is partitioned from " + source);
        }
        if (inboundDisabled.contains(key(destination))) {
            return java.util.Optional.of("inbound replication is disabled on " + destination);
        }
        if (outboundDisabled.contains(key(source))) {
            return java.util.Optional.of("outbound replication is disabled on " + source);
        }
        return java.util.Optional.empty();
    }

    /**
     * A fault asked for over LDAP on {@code dc}'s rootDSE ({@code keytrust fault}): applies it and says what it did to
     * the replication connections. A partition, an isolation and a heal are on both sides at once in one process.
     */
    private String fault(String dc, String text) {
        ReplicationFault fault;
        try {
            fault = ReplicationFault.parse(text, name -> dcs.containsKey(key(name)));
        } catch (IllegalArgumentException e) {
            throw new dev.keytrust.KeyTrustException(dev.keytrust.ErrorCode.INVALID_CONFIGURATION, e.getMessage());
        }
        String other = fault.other().orElse(dc);
        List<String> others = dcs.values().stream().map(DomainController::name).filter(n -> !n.equalsIgnoreCase(dc)).toList();
        String done = switch (fault.verb()) {
            case PARTITION -> {
                partition(dc, other);
                yield FaultReport.cut(connections, dc(dc).name(), List.of(dc(other).name()));
            }
            case ISOLATE -> {
                isolate(dc);
                yield FaultReport.cut(connections, dc(dc).name(), others);
            }
            case HEAL -> {
                List<String> healed = fault.other().isEmpty() ? heal(dc)
                        : heal(dc, other) ? List.of(dc(other).name()) : List.of();
                yield FaultReport.restored(connections, dc(dc).name(), healed);
            }
            case DISABLE_INBOUND, ENABLE_INBOUND -> {
                boolean enabled = fault.verb() == ReplicationFault.Verb.ENABLE_INBOUND;
                setInboundReplication(dc, enabled);
                yield FaultReport.inbound(connections, dc(dc).name(), enabled);
            }
            case DISABLE_OUTBOUND, ENABLE_OUTBOUND -> {
                boolean enabled = fault.verb() == ReplicationFault.Verb.ENABLE_OUTBOUND;
                setOutboundReplication(dc, enabled);
                yield FaultReport.outbound(connections, dc(dc).name(), enabled);
            }
            case STOP -> {
                scheduler.schedule(Duration.ZERO, "stop " + other, () -> stopDc(other));
                yield dc(other).name() + " stopping (down for LDAP, data kept; start " + dc(other).name() + " brings it back)";
            }
            case START -> {
                startDc(other);
                yield dc(other).name() + " started";
            }
        };
        LOG.info("fault on {} at {}: {}: {}", dc, scheduler.now(), text, done);
        return done;
    }

    /** Makes {@code destination} pull from {@code source} now (like {@code repadmin /replicate}). */
    public Replicator.PullResult replicate(String source, String destination) {
        blocked(source, destination).ifPresent(why -> {
            throw new dev.keytrust.KeyTrustException(dev.keytrust.ErrorCode.REPLICATION_FAILED,
                    destination + " cannot replicate from " + source + ": " + why);
        });
        return dc(destination).pullFrom(dc(source));
    }

    private void startTimers() {
        for (DomainController dc : dcs.values()) {
            String name = dc.name();
            dc.addWriteListener(usn -> changed(name));
            dc.onReplicateNow(source -> {
                if (!dcs.containsKey(key(source))) {
                    return java.util.Optional.of("no DC named '" + source + "' in the topology; DCs: " + dcs.keySet());
                }
                java.util.Optional<String> why = blocked(source, name);
                if (why.isPresent()) {
                    refused(source, name, why.get());
                    return why;
                }
                scheduler.schedule(Duration.ZERO, "replicate " + name + " from " + source + " on request", () -> pull(source, name));
                return java.util.Optional.empty();
            });
            dc.onReplicationFault(fault -> fault(name, fault));
        }
        periodic.addAll(timers.startPeriodicPulls(timeZero, destination -> true));
        for (DomainController dc : dcs.values()) {
            periodic.add(timers.startGarbageCollection(timeZero, dc));
        }
    }

    private void changed(String source) {
        timers.changed(source);
    }

    private void pull(String source, String destination) {
        DomainController s = dc(source);
        DomainController d = dc(destination);
        if (!s.isServing() || !d.isServing()) {
            LOG.info("{} cannot pull from {} at {}: {} is down", destination, source, scheduler.now(),
                    s.isServing() ? destination : source);
            if (d.isServing()) {
                d.replicator().refused(s.host(), s.port(), com.unboundid.ldap.sdk.ResultCode.CONNECT_ERROR + " " + source + " is down");
            }
            return;
        }
        java.util.Optional<String> why = blocked(source, destination);
        if (why.isPresent()) {
            LOG.info("{} cannot pull from {} at {}: {}", destination, source, scheduler.now(), why.get());
            refused(source, destination, why.get());
            return;
        }
        Replicator.PullResult r = d.pullFrom(s);
        if (r.objectsAdded() + r.objectsChanged() > 0) {
            LOG.info("{} pulled {} new and {} changed objects from {} at {}", destination, r.objectsAdded(), r.objectsChanged(),
                    source, scheduler.now());
        }
    }

    /** Records on {@code destination} that its pull from {@code source} was refused by a fault (showrepl shows it). */
    private void refused(String source, String destination, String why) {
        DomainController s = dc(source);
        dc(destination).replicator().refused(s.host(), s.port(), com.unboundid.ldap.sdk.ResultCode.UNWILLING_TO_PERFORM + " " + why);
    }

    @Override
    public void close() {
        periodic.forEach(ScheduledTask::cancel);
        dcs.values().forEach(DomainController::close);
    }

    private static void toggle(Set<String> set, String name, boolean on) {
        if (on) {
            set.add(key(name));
        } else {
            set.remove(key(name));
        }
    }

    private static String pair(String a, String b) {
        String x = key(a);
        String y = key(b);
        return x.compareTo(y) < 0 ? x + "|" + y : y + "|" + x;
    }

    private static String key(String name) {
        return name.toUpperCase(Locale.ROOT);
    }
}
