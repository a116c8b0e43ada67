package dev.keytrust.dc.directory;

import dev.keytrust.dc.DomainControllerConfig;
import dev.keytrust.dc.access.Passwords;
import dev.keytrust.dc.changes.LinkMaintenance;
import dev.keytrust.dc.changes.MovedObjects;
import dev.keytrust.dc.changes.ReplicationHighWaterMarks;
import dev.keytrust.dc.changes.Tombstones;
import dev.keytrust.dc.changes.WriteStamper;
import dev.keytrust.dc.state.DcState;
import dev.keytrust.encoding.MsGuid;
import dev.keytrust.dc.schema.AdSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.directory.api.ldap.model.constants.LdapSecurityConstants;
import org.apache.directory.api.ldap.model.cursor.Cursor;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.DefaultEntry;
import org.apache.directory.api.ldap.model.entry.DefaultModification;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.filter.PresenceNode;
import org.apache.directory.api.ldap.model.message.AliasDerefMode;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.password.PasswordUtil;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.server.constants.ServerDNConstants;
import org.apache.directory.server.core.DefaultDirectoryService;
import org.apache.directory.server.core.api.CoreSession;
import org.apache.directory.server.core.api.InstanceLayout;
import org.apache.directory.server.core.api.interceptor.Interceptor;
import org.apache.directory.server.core.api.interceptor.context.AddOperationContext;
import org.apache.directory.server.core.api.partition.Partition;
import org.apache.directory.server.core.api.partition.PartitionTxn;
import org.apache.directory.server.core.api.schema.SchemaPartition;
import org.apache.directory.server.core.partition.impl.avl.AvlPartition;
import org.apache.directory.server.core.partition.impl.btree.AbstractBTreePartition;
import org.apache.directory.server.core.partition.impl.btree.jdbm.JdbmIndex;
import org.apache.directory.server.core.partition.impl.btree.jdbm.JdbmPartition;
import org.apache.directory.server.xdbm.Index;
import org.apache.directory.server.xdbm.impl.avl.AvlIndex;
import org.apache.directory.server.core.authn.AuthenticationInterceptor;
import org.apache.directory.server.core.authz.DefaultAuthorizationInterceptor;
import org.apache.directory.server.core.event.EventInterceptor;
import org.apache.directory.server.core.exception.ExceptionInterceptor;
import org.apache.directory.server.core.normalization.NormalizationInterceptor;
import org.apache.directory.server.core.operational.OperationalAttributeInterceptor;
import org.apache.directory.server.core.referral.ReferralInterceptor;
import org.apache.directory.server.core.schema.SchemaInterceptor;

/**
 * The ApacheDS directory behind one DC, built by hand (the stock factory reads global properties and always
 * uses disk): shared schema, in-memory (AVL) or persistent (JDBM) partitions, the interceptor chain with
 * {@link AdInterceptor} in it, the domain layout on first start, and USN/RID recovery on restart.
 */
public final class DirectoryInstance implements AutoCloseable {
    /**
     * Indexed attributes. Binary ones (objectGUID, objectSid) are left out: ApacheDS's AVL index fails to drop
     * binary values when an entry is deleted.
     */
    public static final List<String> INDEXED = List.of("objectClass", AdSchema.SAM_ACCOUNT_NAME,
            AdSchema.USER_PRINCIPAL_NAME, AdSchema.USN_CHANGED, AdSchema.SERVICE_PRINCIPAL_NAME);

    private final DefaultDirectoryService service;
    private final DcState state;
    private final AdInterceptor ad;
    private final DomainLayout layout;
    private final Path workDirectory;
    private final boolean temporary;
    private final boolean newDatabase;

    private DirectoryInstance(DefaultDirectoryService service, DcState state, AdInterceptor ad, DomainLayout layout, Path dir,
            boolean temporary, boolean newDatabase) {
        this.service = service;
        this.ad = ad;
        this.state = state;
        this.layout = layout;
        this.workDirectory = dir;
        this.temporary = temporary;
        this.newDatabase = newDatabase;
    }

    public static DirectoryInstance open(DomainControllerConfig config, SchemaManager schema, String adminPassword)
            throws Exception {
        boolean persistent = config.dataDirectory().isPresent();
        Path dir = persistent ? config.dataDirectory().get() : Files.createTempDirectory("keytrust-" + config.name().toLowerCase(java.util.Locale.ROOT) + "-");
        Files.createDirectories(dir);
        DefaultDirectoryService service = newService(config.name(), dir, schema);
        AvlPartition schemaStore = (AvlPartition) ((SchemaPartition) service.getSchemaPartition()).getWrappedPartition();
        try {
            service.setSystemPartition(partition(service, schema, "system", ServerDNConstants.SYSTEM_DN, dir, persistent,
                    List.of("objectClass")));
            service.addPartition(partition(service, schema, "domain", config.baseDn(), dir, persistent, INDEXED));
            service.addPartition(partition(service, schema, "configuration", "CN=Configuration," + config.baseDn(), dir,
                    persistent, INDEXED));

            DcState state = new DcState(config, schema);
            AdInterceptor ad = new AdInterceptor(state);
            service.setInterceptors(chain(ad, config));
            service.startup();

            CoreSession admin = service.getAdminSession();
            lockInternalAdministrator(service, state);
            addSchemaModificationsEntry(service, schemaStore, schema);
            DomainLayout layout = new DomainLayout(state, admin);
            boolean created = !admin.exists(state.dns.baseDn);
            if (created) {
                layout.create(adminPassword);
            } else {
                recoverCounters(admin, state, ad.stamper());
                ReplicationHighWaterMarks.load(dir, state);
                setAdministratorPassword(admin, state, ad.passwords(), adminPassword);
                if (!admin.exists(state.dns.ntdsSettingsDn)) {
                    layout.addSiteAndServer();
                }
                layout.addDeletedObjectsContainers();
                layout.addKrbtgt();
            }
            return new DirectoryInstance(service, state, ad, layout, dir, !persistent, created);
        } catch (Exception e) {
            try {
                service.shutdown();
            } catch (Exception ignored) {
                // the original failure is what matters
            }
            if (!persistent) {
                deleteRecursively(dir);
            }
            throw e;
        }
    }

    /**
     * A directory service as every DC's (and the throughput benchmark's bare ApacheDS) is set up: no shutdown hook,
     * access control off (the AD interceptor decides), anonymous binds allowed (for the rootDSE), no change log, the
     * shared schema over an in-memory schema partition.
     */
    public static DefaultDirectoryService newService(String id, Path dir, SchemaManager schema) throws Exception {
        DefaultDirectoryService service = new DefaultDirectoryService();
        service.setShutdownHookEnabled(false);
        service.setInstanceId(id);
        service.setInstanceLayout(new InstanceLayout(dir.toFile()));
        service.setSchemaManager(schema);
        service.setAccessControlEnabled(false);
        service.setAllowAnonymousAccess(true);
        service.getChangeLog().setEnabled(false);
        SchemaPartition schemaPartition = new SchemaPartition(schema);
        schemaPartition.setWrappedPartition(new AvlPartition(schema, service.getDnFactory()));
        service.setSchemaPartition(schemaPartition);
        return service;
    }

    public DefaultDirectoryService service() {
        return service;
    }

    public DcState state() {
        return state;
    }

    /** This DC's deletions and garbage collection. */
    public Tombstones tombstones() {
        return ad.tombstones();
    }

    /** What follows an object that moves. */
    public MovedObjects moves() {
        return ad.moves();
    }

    public DomainLayout layout() {
        return layout;
    }

    /** Whether this start created the database (always for an in-memory DC; a persistent one's first start). */
    public boolean newDatabase() {
        return newDatabase;
    }

    /** The instance's working directory (the data directory of a persistent DC). */
    public Path workDirectory() {
        return workDirectory;
    }

    @Override
    public void close() {
        try {
            service.shutdown();
            if (!temporary) {
                ReplicationHighWaterMarks.save(workDirectory, state); // the data is flushed: the marks match it
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot shut down the directory of " + state.config.name() + ": " + e, e);
        } finally {
            if (temporary) {
                deleteRecursively(workDirectory);
            }
        }
    }

    private static List<Interceptor> chain(AdInterceptor ad, DomainControllerConfig config) {
        List<Interceptor> list = new ArrayList<>();
        list.add(new NormalizationInterceptor());
        list.add(new AuthenticationInterceptor());
        list.add(new ReferralInterceptor()); // also sets up the referral manager the LDAP layer needs
        list.add(new DefaultAuthorizationInterceptor());
        list.add(ad);
        config.interceptors().forEach(added -> list.add(added.get()));
        list.add(new ExceptionInterceptor());
        list.add(new SchemaInterceptor());
        list.add(new OperationalAttributeInterceptor());
        list.add(new EventInterceptor());
        return list;
    }

    public static Partition partition(DefaultDirectoryService service, SchemaManager schema, String id, String suffix,
            Path dir, boolean persistent, List<String> indexed) throws LdapException {
        AbstractBTreePartition p = persistent ? new JdbmPartition(schema, service.getDnFactory())
                : new AvlPartition(schema, service.getDnFactory());
        p.setId(id);
        p.setSuffixDn(new Dn(schema, suffix));
        p.setPartitionPath(dir.resolve("partitions").resolve(id).toUri());
        Set<Index<?, String>> indexes = new HashSet<>();
        for (String name : indexed) {
            String oid = schema.lookupAttributeTypeRegistry(name).getOid();
            indexes.add(persistent ? new JdbmIndex<>(oid, false) : new AvlIndex<>(oid, false));
        }
        p.setIndexedAttributes(indexes);
        return p;
    }

    /** ApacheDS's own uid=admin,ou=system gets a random password no client knows: only in-process code acts as it. */
    private static void lockInternalAdministrator(DefaultDirectoryService service, DcState state) throws LdapException {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        service.getAdminSession().modify(state.dns.dn(ServerDNConstants.ADMIN_SYSTEM_DN),
                new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, "userPassword",
                        PasswordUtil.createStoragePassword(secret, LdapSecurityConstants.HASH_METHOD_SSHA256)));
    }

    /**
     * The in-memory schema partition starts empty; ApacheDS builds the subschema subentry (cn=schema, which
     * clients such as ldap3 read) from the registries plus this one entry.
     */
    private static void addSchemaModificationsEntry(DefaultDirectoryService service, AvlPartition wrapped,
            SchemaManager schema) throws Exception {
        Dn modifications = new Dn(schema, "ou=schemaModifications,ou=schema");
        if (service.getAdminSession().exists(modifications)) {
            return;
        }
        Entry root = new DefaultEntry(schema, new Dn(schema, "ou=schema"), "objectClass: top",
                "objectClass: organizationalUnit", "ou: schema");
        Entry mods = new DefaultEntry(schema, modifications, "objectClass: top",
                "objectClass: schemaModificationAttributes", "ou: schemaModifications",
                "schemaModifiersName: " + ServerDNConstants.ADMIN_SYSTEM_DN, "schemaModifyTimestamp: 20260101000000Z",
                "subschemaSubentryName: cn=schema", "createTimestamp: 20260101000000Z",
                "creatorsName: " + ServerDNConstants.ADMIN_SYSTEM_DN, "modifyTimestamp: 20260101000000Z",
                "modifiersName: " + ServerDNConstants.ADMIN_SYSTEM_DN);
        for (Entry e : List.of(root, mods)) {
            e.add("entryUUID", java.util.UUID.randomUUID().toString());
            e.add("entryCSN", service.getCSN().toString());
            AddOperationContext add = new AddOperationContext(service.getAdminSession(), e);
            add.setPartition(wrapped);
            try (PartitionTxn txn = wrapped.beginWriteTransaction()) {
                add.setTransaction(txn);
                wrapped.add(add);
                txn.commit();
            }
        }
    }

    /**
     * On a restart with a given password: the Administrator's password becomes it, silently (no USN, no metadata: a
     * restart is not a change to replicate). The hash, NT hash and keys are derived again only if it changed.
     */
    private static void setAdministratorPassword(CoreSession admin, DcState state, Passwords passwords, String password)
            throws LdapException {
        Entry current = admin.lookup(state.dns.administratorDn, Passwords.attributesNeeded());
        org.apache.directory.api.ldap.model.entry.Attribute stored = current.get(state.types.userPassword);
        if (stored != null && current.containsAttribute(AdSchema.SUPPLEMENTAL_CREDENTIALS)
                && PasswordUtil.compareCredentials(password.getBytes(StandardCharsets.UTF_8), stored.get().getBytes())) {
            return;
        }
        List<Modification> mods = new ArrayList<>();
        mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE, state.types.userPassword, password));
        passwords.onModify(current, mods);
        LinkMaintenance.SILENT.set(true);
        try {
            admin.modify(state.dns.administratorDn, mods);
        } finally {
            LinkMaintenance.SILENT.set(false);
        }
    }

    /**
     * After a restart: the USN counter continues from the highest uSNChanged, RIDs from the highest RID; the
     * sAMAccountName and objectGUID indexes are rebuilt; the DC keeps the invocationId its database was made with.
     */
    private static void recoverCounters(CoreSession admin, DcState state, WriteStamper stamper) throws Exception {
        long highest = 0;
        for (Dn context : List.of(state.dns.baseDn, state.dns.configurationDn)) { // two partitions: a search covers one
            try (Cursor<Entry> cursor = admin.search(context, SearchScope.SUBTREE, new PresenceNode(state.types.usnChanged),
                    AliasDerefMode.NEVER_DEREF_ALIASES, state.types.usnChanged.getName(), state.types.objectSid.getName(),
                    state.types.samAccountName.getName(), state.types.objectGuid.getName())) {
                while (cursor.next()) {
                    highest = Math.max(highest, recover(cursor.get(), state, stamper));
                }
            }
        }
        state.stamps.usn.set(highest);
        Entry ntds = admin.lookup(state.dns.ntdsSettingsDn, AdSchema.INVOCATION_ID);
        Attribute invocation = ntds == null ? null : ntds.get(AdSchema.INVOCATION_ID);
        if (invocation != null) {
            state.stamps.invocationId = MsGuid.fromBytes(invocation.getBytes());
        }
    }

    /** One object's part of {@link #recoverCounters}; returns its uSNChanged. */
    private static long recover(Entry e, DcState state, WriteStamper stamper) throws LdapException {
        Attribute sid = e.get(state.types.objectSid);
        if (sid != null) {
            stamper.noteRid(sid.getBytes());
        }
        Attribute sam = e.get(state.types.samAccountName);
        if (sam != null) {
            stamper.committed(e.getDn(), sam.getString()); // a tombstone's name is free again: not claimed
        }
        Attribute guid = e.get(state.types.objectGuid);
        if (guid != null) {
            state.objects.objectsByGuid.put(MsGuid.fromBytes(guid.getBytes()), e.getDn());
        }
        Attribute usn = e.get(state.types.usnChanged);
        return usn == null ? 0 : Long.parseLong(usn.getString());
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // A temporary directory left behind is harmless; the DC itself is stopped.
        }
    }
}
