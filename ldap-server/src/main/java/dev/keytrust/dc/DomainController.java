package dev.keytrust.dc;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.dc.access.SaslBinds;
import dev.keytrust.dc.changes.Tombstones;
import dev.keytrust.dc.directory.ApacheDsLogging;
import dev.keytrust.dc.directory.DirectoryInstance;
import dev.keytrust.dc.directory.InternalDirectoryView;
import dev.keytrust.dc.schema.SharedSchema;
import dev.keytrust.dc.state.DcState;
import dev.keytrust.dc.wire.WireGuard;
import dev.keytrust.persona.Persona;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.keytrust.dc.service.DcContext;
import java.util.List;
import java.util.Optional;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AD-like domain controller: an embedded ApacheDS server with its own LDAP port, AD's schema subset,
 * domain layout, rootDSE, USNs, and msDS-KeyCredentialLink rules. Several can run in one JVM; they share the
 * loaded schema. Close it (try-with-resources) to stop it and free its port and threads.
 *
 * <pre>{@code
 * try (DomainController dc = DomainController.start(DomainControllerConfig.builder("DC1").build())) {
 *     LDAPConnection ldap = dc.connect();               // bound as CN=Administrator,CN=Users,...
 *     System.out.println(dc.ldapUrl());                // ldap://127.0.0.1:40213
 * }
 * }</pre>
 */
public final class DomainController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DomainController.class);

    private final DomainControllerConfig config;
    private final String adminPassword;
    private final boolean passwordGenerated;
    private final DirectoryInstance instance;
    private final HostedServices services;
    private volatile boolean suspended;
    private volatile boolean stopped;
    private boolean replicateNowSet;
    private boolean replicationFaultSet;
    private final WireGuard guard;
    private final Replicator replicator;
    private final DcContext context;

    private DomainController(DomainControllerConfig config, String adminPassword, boolean generated,
            DirectoryInstance instance, WireGuard guard, DcContext context) {
        this.config = config;
        this.adminPassword = adminPassword;
        this.passwordGenerated = generated;
        this.instance = instance;
        this.guard = guard;
        this.context = context;
        this.replicator = new Replicator(instance.state(), instance.service(), instance.tombstones(), instance.moves());
        this.services = new HostedServices(config, context, new LdapService(config, instance, guard,
                new SaslBinds(config.saslMechanisms(), context, instance.state(), instance.service())));
    }

    /**
     * Starts a DC: loads (or reuses) the schema, opens its storage, creates the domain layout on first start,
     * and listens for LDAP.
     *
     * @throws KeyTrustException ({@code DC_START_FAILED}) saying what failed, e.g. a port in use
     */
    public static DomainController start(DomainControllerConfig config) {
        ApacheDsLogging.quiet();
        SchemaManager schema = SharedSchema.get();
        boolean generated = config.adminPassword().isEmpty();
        String password = config.adminPassword().orElseGet(StartFailures::generatePassword);
        DirectoryInstance instance = null;
        try {
            instance = DirectoryInstance.open(config, schema, password);
            DcContext context = new DcContext(config.name(), config.host(), config.domain(), config.baseDn(),
                    config.clock(), new InternalDirectoryView(instance.state(), instance.service().getAdminSession()));
            DomainController dc = new DomainController(config, password, generated, instance,
                    new WireGuard(config.protocolLimits(), config.name(), schema), context);
            dc.services.start();
            LOG.info("{} serving {} on {} (site {}, highestCommittedUSN {})", config.name(), config.baseDn(),
                    dc.ldapUrl(), config.site(), dc.highestCommittedUsn());
            return dc;
        } catch (Exception e) {
            if (instance != null) {
                instance.close();
            }
            throw new KeyTrustException(ErrorCode.DC_START_FAILED, "cannot start " + config.name() + " on "
                    + config.host() + ":" + config.port() + ": " + StartFailures.rootMessage(e) + StartFailures.portAdvice(config, e), e);
        }
    }

    /**
     * What this DC's hosted services see of it: its names, clock and a read-only view of its own directory, including
     * the accounts' {@link dev.keytrust.dc.service.DirectoryView#credentials credentials} (in process only; never over
     * LDAP).
     */
    public DcContext context() {
        return context;
    }

    public DomainControllerConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    public String host() {
        return config.host();
    }

    /** The LDAP port actually listened on (the configured one, or the one picked for port 0). */
    public int port() {
        return services.ldapPort();
    }

    /**
     * The port a service of this DC listens on: {@code ldap}, {@code ldaps} (when on), or the name of a
     * {@link dev.keytrust.dc.service.ProtocolService} of its config.
     *
     * @throws KeyTrustException ({@code INVALID_CONFIGURATION}) naming the services there are, for another name
     */
    public int port(String service) {
        return services.port(service);
    }

    /** The names of the services this DC hosts: {@code ldap}, {@code ldaps} when on, then its config's services. */
    public List<String> services() {
        return services.names();
    }

    /** {@code ldap://host:port}. */
    public String ldapUrl() {
        return "ldap://" + config.host() + ":" + port();
    }

    /** {@code ldaps://host:port}, when LDAPS is on. */
    public Optional<String> ldapsUrl() {
        return ldapsPort().map(p -> "ldaps://" + config.host() + ":" + p);
    }

    /** The LDAPS port actually listened on, when LDAPS is on. */
    public Optional<Integer> ldapsPort() {
        int ldapsPort = services.ldapsPort();
        return ldapsPort < 0 ? Optional.empty() : Optional.of(ldapsPort);
    }

    /**
     * The generated server certificate as a PEM file (trust it in clients: {@code LDAPTLS_CACERT=...}), when
     * LDAPS or StartTLS is on and no key store was supplied. Deleted when an in-memory DC stops.
     */
    public Optional<Path> certificatePem() {
        return Optional.ofNullable(services.certificate());
    }

    /** The domain's DN. */
    public String baseDn() {
        return config.baseDn();
    }

    /** {@code CN=Administrator,CN=Users,<base>}. */
    public String administratorDn() {
        return "CN=Administrator,CN=Users," + config.baseDn();
    }

    /** The administrator password (the configured one, or the one generated at start). */
    public String administratorPassword() {
        return adminPassword;
    }

    /** Whether the administrator password was generated (and so should be shown to the user once). */
    public boolean passwordGenerated() {
        return passwordGenerated;
    }

    /** The DN of this DC's NTDS Settings object (its rootDSE dsServiceName). */
    public String dsServiceName() {
        return instance.state().dns.ntdsSettingsDn.getName();
    }

    /** The highest USN this DC has committed. */
    public long highestCommittedUsn() {
        return instance.state().stamps.usn.get();
    }

    /** An UnboundID connection bound as the Administrator; the caller closes it. */
    public LDAPConnection connect() {
        try {
            return new LDAPConnection(config.host(), port(), administratorDn(), adminPassword);
        } catch (LDAPException e) {
            throw dev.keytrust.LdapFailures.of("connect as " + administratorDn() + " to", name() + " at " + ldapUrl()
                    + (stopped ? " (the DC is stopped)" : ""), e.getResultCode().intValue(), e.getResultCode().getName(),
                    e.getDiagnosticMessage(), e);
        }
    }

    /**
     * Whether this start created the DC's database: always for an in-memory DC, only the first start for a persistent
     * one ({@code --data}); a restart opens what is there. Seeding (users, LDIF) is for a new database.
     */
    public boolean isNewDatabase() {
        return instance.newDatabase();
    }

    /** Adds deterministic users (see {@link dev.keytrust.persona.Personas}) with an optional password. */
    public void addUsers(List<Persona> people, Optional<String> password) {
        try {
            instance.layout().addUsers(people, password.orElse(null));
        } catch (LdapException e) {
            throw new KeyTrustException(ErrorCode.LDAP_OPERATION_FAILED, "cannot add users to " + name() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Adds a listener called after every committed write (originating or replicated) with the DC's new highest USN,
     * on the writing thread, after those already registered. Keep it short: schedule work rather than do it there.
     */
    public synchronized void addWriteListener(java.util.function.LongConsumer listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        DcState state = instance.state();
        state.stamps.addWriteListener(listener);
    }

    /**
     * What a rootDSE {@code keytrustReplicateNow: <partner>} modify (from {@code keytrust replicate}, or a partner's
     * change notification in another process) does: {@code handler} returns empty to accept, or why it refuses. Set
     * once, by what runs this DC's replication.
     *
     * @throws IllegalStateException if a handler is already set (one replication owner per DC)
     */
    public synchronized void onReplicateNow(java.util.function.Function<String, java.util.Optional<String>> handler) {
        java.util.Objects.requireNonNull(handler, "handler");
        requireNoHandlerYet(replicateNowSet, "replicate-now");
        replicateNowSet = true;
        instance.state().replication.replicateNow = handler;
    }

    /**
     * What a rootDSE {@code keytrustReplicationFault: <fault>} modify ({@code keytrust fault}) does: {@code handler}
     * applies the fault and returns what it did (sent back as the diagnostic message of the success), or throws a
     * {@link KeyTrustException} saying why it refuses (sent back with 53). Set once, by what runs this DC's replication.
     *
     * @throws IllegalStateException if a handler is already set (one replication owner per DC)
     */
    public synchronized void onReplicationFault(java.util.function.Function<String, String> handler) {
        java.util.Objects.requireNonNull(handler, "handler");
        requireNoHandlerYet(replicationFaultSet, "replication-fault");
        replicationFaultSet = true;
        instance.state().replication.replicationFault = handler;
    }

    private void requireNoHandlerYet(boolean set, String handler) {
        if (set) {
            throw new IllegalStateException(name() + " already has a " + handler + " handler: one replication network "
                    + "or remote replication runs a DC; start a new DC to run it in another");
        }
    }

    /** DISABLE_OUTBOUND_REPL: refuse partners' replication reads (searches asking for the replication metadata). */
    public void setOutboundReplicationRefused(boolean refused) {
        instance.state().replication.outboundDisabled = refused;
    }

    /**
     * This DC pulls from {@code source} over LDAP, bound as the source's Administrator:
     * {@code replicator().pull(source.host(), source.port(), ...)}.
     */
    public Replicator.PullResult pullFrom(DomainController source) {
        return replicator.pull(source.host(), source.port(), source.administratorDn(), source.administratorPassword());
    }

    /** This DC's inbound replication: its pulls from partners (they change this DC's state only). */
    public Replicator replicator() {
        return replicator;
    }

    /** The inbound partners' status as of their last pulls ({@code repadmin /showrepl}). */
    public java.util.List<PartnerStatus> partners() {
        return java.util.List.copyOf(instance.state().replication.partners.values());
    }

    /**
     * What one garbage collection removed.
     *
     * @param tombstones tombstones older than the tombstone lifetime, removed for good
     * @param absentValues ABSENT linked-value records as old, dropped from their objects' metadata
     */
    public record GarbageCollection(int tombstones, int absentValues) {
    }

    /**
     * Runs AD's garbage collection now (the replication timers run it every {@value #GARBAGE_COLLECTION_HOURS} hours
     * of testbed time): removes what has been deleted for longer than the tombstone lifetime. Local to this DC.
     */
    public GarbageCollection collectGarbage() {
        try {
            Tombstones.Collected c = instance.tombstones().collect(instance.service().getAdminSession());
            return new GarbageCollection(c.tombstones(), c.absentValues());
        } catch (Exception e) {
            throw new KeyTrustException(ErrorCode.REPLICATION_FAILED, "garbage collection failed on " + name() + ": " + e, e);
        }
    }

    /** AD's garbage collection period (garbageCollPeriod), in hours. */
    public static final int GARBAGE_COLLECTION_HOURS = 12;

    DirectoryInstance instance() {
        return instance;
    }

    /**
     * How many client connections this DC has closed for breaking its {@link DomainControllerConfig#protocolLimits()
     * protocol limits} (nesting, request size, unread responses) since it started.
     */
    public long connectionsClosedByLimits() {
        return guard.connectionsClosed();
    }

    /** Whether the DC has been stopped. */
    public boolean isStopped() {
        return stopped;
    }

    /** Stops the LDAP listener and the directory; idempotent. Persistent data is flushed. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        instance.state().replication.sourceConnections.values().forEach(com.unboundid.ldap.sdk.LDAPConnection::close);
        instance.state().replication.sourceConnections.clear();
        try {
            if (!suspended) {
                services.stop();
            }
        } finally {
            instance.close();
        }
        LOG.info("{} stopped", config.name());
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return name() + " " + config.site() + " " + (stopped ? "(stopped)" : ldapUrl());
    }

    /**
     * Takes the DC off the network, as a DC that is down: its LDAP port closes (clients and replication partners
     * cannot reach it) while its directory, USN counter and metadata stay as they are. {@link #resume()} brings it
     * back on the same ports.
     */
    public synchronized void suspend() {
        if (stopped || suspended) {
            return;
        }
        services.stop();
        suspended = true;
        LOG.info("{} is down (suspended)", config.name());
    }

    /** Listens again on the same ports after {@link #suspend()}. */
    public synchronized void resume() {
        if (stopped) {
            throw new IllegalStateException(config.name() + " is stopped for good; start a new DC instead");
        }
        if (!suspended) {
            return;
        }
        try {
            services.resume();
        } catch (Exception e) {
            throw new KeyTrustException(ErrorCode.DC_START_FAILED, "cannot bring " + config.name() + " back on "
                    + config.host() + ":" + port() + ": " + StartFailures.rootMessage(e), e);
        }
        suspended = false;
        LOG.info("{} is back on {}", config.name(), ldapUrl());
    }

    /** Whether the DC answers LDAP now (not stopped, not suspended). */
    public boolean isServing() {
        return !stopped && !suspended;
    }
}
