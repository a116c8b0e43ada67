package dev.keytrust.replication;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.dc.DomainController;
import dev.keytrust.dc.Replicator;
import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.time.ScheduledTask;
import dev.keytrust.time.Scheduler;
import dev.keytrust.topology.Connection;
import dev.keytrust.topology.DcSpec;
import dev.keytrust.topology.KnowledgeConsistencyChecker;
import dev.keytrust.topology.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replication for one DC running in its own process ({@code keytrust dc --topology FILE --name DC3}): the same KCC
 * connections, timers and notification delays as {@link ReplicationNetwork}, with partners reached at their
 * addresses in the topology. A change notification is a rootDSE modify ({@code keytrustReplicateNow: <this DC>})
 * sent to each partner, which then pulls from this DC over LDAP — as AD notifies and its partners pull.
 *
 * <pre>{@code
 * RemoteReplication r = RemoteReplication.start(topology, "DC3", dc3, scheduler, password);
 * }</pre>
 */
public final class RemoteReplication implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteReplication.class);

    private final Topology topology;
    private final DomainController local;
    private final Scheduler scheduler;
    private final String password;
    private final List<Connection> connections;
    private final List<ScheduledTask> periodic = new ArrayList<>();
    private final ReplicationTimers timers;
    private final java.util.Set<String> cut = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean inboundDisabled;
    private volatile boolean outboundDisabled;

    private RemoteReplication(Topology topology, DomainController local, Scheduler scheduler, String password, long seed) {
        this.topology = topology;
        this.local = local;
        this.scheduler = scheduler;
        this.password = password;
        this.connections = KnowledgeConsistencyChecker.connections(topology, seed);
        this.timers = new ReplicationTimers(topology, connections, scheduler, new ReplicationTimers.Actions() {
            @Override
            public void pull(String source, String destination) {
                RemoteReplication.this.pull(source);
            }

            @Override
            public void notify(String source, String destination) {
                RemoteReplication.this.notify(destination);
            }
        });
    }

    /**
     * Starts replication for {@code local}, named {@code name} in {@code topology}.
     *
     * @throws KeyTrustException ({@code INVALID_TOPOLOGY}) if a partner has no fixed port in the topology
     */
    public static RemoteReplication start(Topology topology, String name, DomainController local, Scheduler scheduler,
            String password, long seed) {
        RemoteReplication r = new RemoteReplication(topology, local, scheduler, password, seed);
        for (Connection c : r.connections) {
            boolean mine = c.source().equalsIgnoreCase(name) || c.destination().equalsIgnoreCase(name);
            String partner = c.source().equalsIgnoreCase(name) ? c.destination() : c.source();
            if (mine && r.spec(partner).port() == 0) {
                throw new KeyTrustException(ErrorCode.INVALID_TOPOLOGY, partner + " has no port in the topology; a DC in its "
                        + "own process finds its partners at the host and port the topology gives them");
            }
        }
        r.startTimers(name);
        return r;
    }

    /** The connections this DC takes part in. */
    public List<Connection> connections() {
        return connections.stream().filter(c -> c.source().equalsIgnoreCase(local.name())
                || c.destination().equalsIgnoreCase(local.name())).toList();
    }

    private void startTimers(String name) {
        Instant zero = scheduler.now();
        local.addWriteListener(usn -> changed());
        local.onReplicateNow(source -> {
            if (topology.dc(source).isEmpty()) {
                return Optional.of("no DC named '" + source + "' in the topology");
            }
            Optional<String> why = blocked(source);
            if (why.isPresent()) {
                refused(source, why.get());
                return why;
            }
            scheduler.schedule(Duration.ZERO, "replicate " + name + " from " + source + " on request", () -> pull(source));
            return Optional.empty();
        });
        local.onReplicationFault(this::fault);
        periodic.addAll(timers.startPeriodicPulls(zero, destination -> destination.equalsIgnoreCase(name)));
        periodic.add(timers.startGarbageCollection(zero, local));
    }

    /** A write here: a notification round to each partner that pulls from this DC. */
    private void changed() {
        timers.changed(local.name());
    }

    /** Why this DC may not pull from {@code source} now, if a fault forbids it. */
    private Optional<String> blocked(String source) {
        if (inboundDisabled) {
            return Optional.of("inbound replication is disabled on " + local.name() + " (DISABLE_INBOUND_REPL)");
        }
        if (cut.contains(key(source))) {
            return Optional.of(local.name() + " is partitioned from " + source);
        }
        return Optional.empty();
    }

    /** Records that a pull from {@code source} was refused by a fault: showrepl shows it as the last attempt. */
    private void refused(String source, String why) {
        DcSpec spec = spec(source);
        local.replicator().refused(spec.host(), spec.port(), com.unboundid.ldap.sdk.ResultCode.UNWILLING_TO_PERFORM + " " + why);
    }

    /**
     * A fault asked for over LDAP on this DC's rootDSE: applies it and says what it did. A partition, an isolation and
     * a heal concern both sides: this DC applies its own and tells the other DCs concerned to apply theirs (unless the
     * fault came from one of them, ending in {@code local}); a heal without a DC tells every other DC of the topology,
     * so whatever cut with this DC any of them holds is undone.
     */
    private String fault(String text) {
        ReplicationFault fault;
        try {
            fault = ReplicationFault.parse(text, name -> topology.dc(name).isPresent());
        } catch (IllegalArgumentException e) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, e.getMessage());
        }
        String me = local.name();
        List<String> everyOther = topology.domainControllers().stream().map(DcSpec::name).filter(n -> !n.equalsIgnoreCase(me)).toList();
        List<String> others = fault.other().map(o -> List.of(spec(o).name())).orElse(everyOther);
        String done = switch (fault.verb()) {
            case PARTITION, ISOLATE -> {
                List<String> from = fault.verb() == ReplicationFault.Verb.ISOLATE ? everyOther : others;
                from.forEach(o -> cut.add(key(o)));
                yield FaultReport.cut(connections, me, from) + (fault.local() ? "" : tell(from, "partition " + me).unreached());
            }
            case HEAL -> {
                List<String> healed = new ArrayList<>(others.stream().filter(o -> cut.remove(key(o))).toList());
                Told told = fault.local() ? new Told(List.of(), "") : tell(others, "heal " + me);
                told.healedThere().stream().filter(o -> !healed.contains(o)).forEach(healed::add);
                yield FaultReport.restored(connections, me, healed) + told.unreached();
            }
            case DISABLE_INBOUND, ENABLE_INBOUND -> {
                inboundDisabled = fault.verb() == ReplicationFault.Verb.DISABLE_INBOUND;
                yield FaultReport.inbound(connections, me, !inboundDisabled);
            }
            case DISABLE_OUTBOUND, ENABLE_OUTBOUND -> {
                outboundDisabled = fault.verb() == ReplicationFault.Verb.DISABLE_OUTBOUND;
                local.setOutboundReplicationRefused(outboundDisabled);
                yield FaultReport.outbound(connections, me, !outboundDisabled);
            }
            case STOP, START -> throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "a DC in its own process is "
                    + "stopped by stopping its process, and started by starting it again (with --data its data and "
                    + "replication state survive)");
        };
        LOG.info("fault on {} at {}: {}: {}", me, scheduler.now(), text, done);
        return done;
    }

    /**
     * What telling other DCs their side of a fault came to.
     *
     * @param healedThere the DCs that answered a heal by restoring a cut they held
     * @param unreached "" when all were told, else which were not and what that means
     */
    private record Told(List<String> healedThere, String unreached) {
    }

    /** Sends {@code fault + " local"} to each of {@code dcs}: their side of a partition or heal. */
    private Told tell(List<String> dcs, String fault) {
        List<String> healed = new ArrayList<>();
        List<String> unreached = new ArrayList<>();
        com.unboundid.ldap.sdk.LDAPConnectionOptions options = new com.unboundid.ldap.sdk.LDAPConnectionOptions();
        options.setConnectTimeoutMillis(5_000);
        options.setResponseTimeoutMillis(10_000);
        for (String dc : dcs) {
            DcSpec spec = spec(dc);
            try (LDAPConnection ldap = new LDAPConnection(options, spec.host(), spec.port(), local.administratorDn(), password)) {
                String reply = ldap.modify("", new Modification(ModificationType.REPLACE, AdSchema.REPLICATION_FAULT,
                        fault + " " + ReplicationFault.LOCAL)).getDiagnosticMessage();
                if (reply != null && !reply.startsWith(FaultReport.NOTHING_TO_HEAL)) {
                    healed.add(spec.name());
                }
            } catch (LDAPException e) {
                unreached.add(spec.name() + " (" + e.getResultCode() + ")");
            }
        }
        return new Told(healed, unreached.isEmpty() ? "" : "; not told, so their side is unchanged until this is repeated "
                + "or they restart: " + String.join(", ", unreached));
    }

    /** Sends a change notification: the partner pulls from this DC when it gets it. */
    private void notify(String destination) {
        if (outboundDisabled || cut.contains(key(destination))) {
            return;
        }
        DcSpec spec = spec(destination);
        try (LDAPConnection ldap = new LDAPConnection(Replicator.partnerConnectionOptions(), spec.host(), spec.port(),
                local.administratorDn(), password)) {
            ldap.modify("", new Modification(ModificationType.REPLACE, AdSchema.REPLICATE_NOW, local.name()));
        } catch (LDAPException e) {
            LOG.info("{} could not notify {} at {}:{}: {}", local.name(), destination, spec.host(), spec.port(), e.getMessage());
        }
    }

    private void pull(String source) {
        Optional<String> why = blocked(source);
        if (why.isPresent()) {
            LOG.info("{} does not pull from {} at {}: {}", local.name(), source, scheduler.now(), why.get());
            refused(source, why.get());
            return;
        }
        DcSpec spec = spec(source);
        try {
            Replicator.PullResult r = local.replicator().pull(spec.host(), spec.port(), local.administratorDn(), password);
            if (r.objectsAdded() + r.objectsChanged() > 0) {
                LOG.info("{} pulled {} new and {} changed objects from {} at {}", local.name(), r.objectsAdded(),
                        r.objectsChanged(), source, scheduler.now());
            }
        } catch (KeyTrustException e) {
            LOG.info("{} cannot pull from {} at {}: {}", local.name(), source, scheduler.now(), e.getMessage());
        }
    }

    private DcSpec spec(String name) {
        return topology.dc(name).orElseThrow(() -> new KeyTrustException(ErrorCode.INVALID_TOPOLOGY,
                "no DC named '" + name + "' in the topology"));
    }

    @Override
    public void close() {
        periodic.forEach(ScheduledTask::cancel);
    }

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
