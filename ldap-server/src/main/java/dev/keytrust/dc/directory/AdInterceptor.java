package dev.keytrust.dc.directory;

import dev.keytrust.dc.access.AccessPolicy;
import dev.keytrust.dc.access.PasswordChanges;
import dev.keytrust.dc.access.Passwords;
import dev.keytrust.dc.changes.DirectRead;
import dev.keytrust.dc.changes.LinkMaintenance;
import dev.keytrust.dc.changes.MovedObjects;
import dev.keytrust.dc.changes.Renames;
import dev.keytrust.dc.changes.ReplicatedWrite;
import dev.keytrust.dc.changes.ReplicationMetadata;
import dev.keytrust.dc.changes.Tombstones;
import dev.keytrust.dc.changes.WriteStamper;
import dev.keytrust.dc.face.AdFilters;
import dev.keytrust.dc.face.RequestedAttributes;
import dev.keytrust.dc.face.ResultShaper;
import dev.keytrust.dc.face.RootDse;
import dev.keytrust.dc.state.DcState;
import java.util.List;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.DefaultAttribute;
import org.apache.directory.api.ldap.model.entry.DefaultModification;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapOperationException;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.server.core.api.CoreSession;
import org.apache.directory.server.core.api.DirectoryService;
import org.apache.directory.server.core.api.filtering.EntryFilteringCursor;
import org.apache.directory.server.core.api.interceptor.BaseInterceptor;
import org.apache.directory.server.core.api.interceptor.context.AddOperationContext;
import org.apache.directory.server.core.api.interceptor.context.CompareOperationContext;
import org.apache.directory.server.core.api.interceptor.context.DeleteOperationContext;
import org.apache.directory.server.core.api.interceptor.context.LookupOperationContext;
import org.apache.directory.server.core.api.interceptor.context.ModifyOperationContext;
import org.apache.directory.server.core.api.interceptor.context.MoveAndRenameOperationContext;
import org.apache.directory.server.core.api.interceptor.context.MoveOperationContext;
import org.apache.directory.server.core.api.interceptor.context.OperationContext;
import org.apache.directory.server.core.api.interceptor.context.RenameOperationContext;
import org.apache.directory.server.core.api.interceptor.context.SearchOperationContext;

/**
 * The interceptor that gives a DC its AD semantics: access rules ({@link AccessPolicy}), originating-write
 * stamps ({@link WriteStamper}), linked attributes ({@link LinkMaintenance}) and AD-shaped results
 * ({@link ResultShaper}). One per DC, placed after authentication and before ApacheDS's schema checks.
 */
final class AdInterceptor extends BaseInterceptor {
    private final DcState state;
    private AccessPolicy policy;
    private WriteStamper stamper;
    private LinkMaintenance links;
    private ResultShaper shaper;
    private ResultShaper replicationShaper;
    private RootDse rootDse;
    private ReplicationMetadata metadata;
    private Tombstones tombstones;
    private Renames renames;
    private MovedObjects moves;
    private Passwords passwords;
    private PasswordChanges passwordChanges;
    private AdFilters filters;

    AdInterceptor(DcState state) {
        super("adSemanticsInterceptor");
        this.state = state;
    }

    @Override
    public void init(DirectoryService service) throws LdapException {
        super.init(service);
        policy = new AccessPolicy(state);
        stamper = new WriteStamper(state);
        DirectRead read = new DirectRead(service);
        links = new LinkMaintenance(state, read);
        metadata = new ReplicationMetadata(state, read);
        moves = new MovedObjects(state, read);
        tombstones = new Tombstones(state, read, links, moves);
        renames = new Renames(state, read, moves, tombstones);
        rootDse = new RootDse(state, service);
        filters = new AdFilters(state);
        shaper = new ResultShaper(state, rootDse, metadata, false);
        replicationShaper = new ResultShaper(state, rootDse, metadata, true);
        passwords = new Passwords(state);
        passwordChanges = new PasswordChanges(state);
    }

    Passwords passwords() {
        return passwords;
    }

    /** The schema naming context's DN (where object categories live). */
    String schemaDn() {
        return state.dns.schemaDn.getName();
    }

    WriteStamper stamper() {
        return stamper;
    }

    Tombstones tombstones() {
        return tombstones;
    }

    MovedObjects moves() {
        return moves;
    }

    /**
     * Whether an operation goes straight to ApacheDS: the DC's own silent writes, and the DC's own operations outside
     * the naming contexts. A client's operation outside them (ApacheDS's ou=system, ou=schema, ou=config) is refused
     * as AD answers for a DN it does not hold: 1 before a bind, 32 after.
     */
    private boolean bypass(OperationContext ctx) throws LdapException {
        if (LinkMaintenance.SILENT.get()) {
            return true;
        }
        if (state.dns.isAdNamingContext(ctx.getDn())) {
            return false;
        }
        if (policy.role(ctx) == AccessPolicy.Role.INTERNAL) {
            return true;
        }
        throw policy.outsideNamingContexts(ctx);
    }

    private CoreSession admin() {
        return directoryService.getAdminSession();
    }

    @Override
    public void add(AddOperationContext ctx) throws LdapException {
        if (bypass(ctx)) {
            next(ctx);
            return;
        }
        ReplicatedWrite replicated = ReplicatedWrite.CURRENT.get();
        if (replicated == null) {
            policy.checkAdd(ctx, ctx.getEntry());
            passwords.onAdd(ctx.getEntry()); // clear text in, hash + NT hash + Kerberos keys stored
        }
        LinkMaintenance.Pending pending = links.prepareAdd(admin(), ctx.getEntry());
        WriteStamper.Stamp stamp = stamper.stampAdd(ctx.getEntry(), replicated != null);
        if (replicated == null) {
            if (state.replication.stampMetadata) {
                metadata.onAdd(ctx.getEntry(), stamp);
            }
        } else {
            ctx.getEntry().put(metadata.attributeType(), metadata.pack(replicated.attributes(), replicated.values(), stamp.usn()));
        }
        Attribute sam = ctx.getEntry().get(state.types.samAccountName);
        try {
            next(ctx);
        } catch (LdapException | RuntimeException e) {
            if (sam != null) {
                stamper.releaseSam(sam.getString(), ctx.getDn());
            }
            throw e;
        }
        stamper.committed(ctx.getDn(), sam == null ? null : sam.getString());
        state.objects.objectsByGuid.put(dev.keytrust.encoding.MsGuid.fromBytes(ctx.getEntry().get(state.types.objectGuid).getBytes()), ctx.getDn());
        links.apply(admin(), pending);
        policy.invalidateIfGroup(ctx.getDn());
        state.stamps.committed(stamp.usn());
    }

    @Override
    public void modify(ModifyOperationContext ctx) throws LdapException {
        if (bypass(ctx)) {
            next(ctx);
            return;
        }
        List<Modification> mods = ctx.getModItems();
        ReplicatedWrite replicated = ReplicatedWrite.CURRENT.get();
        if (replicated == null) {
            boolean client = policy.checkModify(ctx, mods) != AccessPolicy.Role.INTERNAL;
            if (state.dns.isDeletedObject(ctx.getDn()) && client) {
                throw new org.apache.directory.api.ldap.model.exception.LdapNoSuchObjectException("0000208D: NameErr: "
                        + ctx.getDn().getName() + " is a deleted object (a tombstone); tombstones cannot be modified");
            }
            if (passwords.touchesPassword(mods)) {
                Entry before = admin().exists(ctx.getDn()) ? admin().lookup(ctx.getDn(), Passwords.attributesNeeded()) : null;
                if (before != null) {
                    if (client) {
                        passwordChanges.check(before, mods); // AD's reset and change forms, as a client must use them
                    }
                    passwords.onModify(before, mods);
                }
            }
        }
        // ApacheDS's operation manager has read the whole entry, under the write lock, before the chain ran: reading
        // it again here cost a twentieth of a modify. (A context without it, which the manager never makes, reads.)
        Entry current = ctx.getEntry() != null ? ctx.getEntry() : metadata.before(ctx.getDn(), mods);
        if (current == null) {
            next(ctx); // no such object: ApacheDS answers 32
            return;
        }
        LinkMaintenance.Pending pending = links.prepareModify(admin(), ctx.getDn(), mods, current);
        WriteStamper.Stamp stamp = stamper.stampModify(ctx.getDn(), mods);
        if (replicated == null) {
            if (state.replication.stampMetadata) {
                metadata.onModify(current, mods, stamp);
            }
        } else {
            mods.add(new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE,
                    new DefaultAttribute(metadata.attributeType(), metadata.pack(replicated.attributes(), replicated.values(), stamp.usn()))));
        }
        try {
            next(ctx);
        } catch (LdapException | RuntimeException e) {
            stamper.releaseSam(stamp.reservedSam(), ctx.getDn());
            throw e;
        }
        stamper.committedModify(ctx.getDn(), mods);
        links.apply(admin(), pending);
        policy.invalidateIfGroup(ctx.getDn());
        state.stamps.committed(stamp.usn());
    }

    @Override
    public void delete(DeleteOperationContext ctx) throws LdapException {
        if (bypass(ctx)) {
            next(ctx);
            return;
        }
        policy.checkStructuralWrite(ctx, "delete");
        tombstones.delete(admin(), ctx.getDn()); // not removed: turned into a tombstone, which replicates
        policy.invalidateIfGroup(ctx.getDn());
    }

    @Override
    public void rename(RenameOperationContext ctx) throws LdapException {
        if (bypass(ctx)) {
            next(ctx);
            return;
        }
        Dn to = ctx.getDn().getParent().add(ctx.getNewRdn());
        before(ctx, to);
        ctx.setDelOldDn(true); // AD replaces the RDN value
        next(ctx);
        renames.renamed(admin(), ctx.getDn(), to);
    }

    @Override
    public void move(MoveOperationContext ctx) throws LdapException {
        if (bypass(ctx)) {
            next(ctx);
            return;
        }
        Dn to = ctx.getNewSuperior().add(ctx.getDn().getRdn());
        before(ctx, to);
        next(ctx);
        renames.renamed(admin(), ctx.getDn(), to);
    }

    @Override
    public void moveAndRename(MoveAndRenameOperationContext ctx) throws LdapException {
        if (bypass(ctx)) {
            next(ctx);
            return;
        }
        Dn to = ctx.getNewSuperiorDn().add(ctx.getNewRdn());
        before(ctx, to);
        ctx.setDelOldDn(true);
        next(ctx);
        renames.renamed(admin(), ctx.getDn(), to);
    }

    private void before(OperationContext ctx, Dn to) throws LdapException {
        if (ReplicatedWrite.CURRENT.get() != null) {
            throw new LdapOperationException(ResultCodeEnum.OTHER, "replication moves objects silently, not by modify DN");
        }
        if (policy.checkStructuralWrite(ctx, "rename") != AccessPolicy.Role.INTERNAL) {
            policy.checkParent(to);
        }
        renames.check(admin(), ctx.getDn(), to);
    }

    @Override
    public EntryFilteringCursor search(SearchOperationContext ctx) throws LdapException {
        Dn base = ctx.getDn();
        boolean rootDse = base.isEmpty() && ctx.getScope() == SearchScope.OBJECT;
        if (!rootDse) {
            policy.requireBound(ctx);
        }
        AccessPolicy.Role role = policy.role(ctx);
        boolean internal = role == AccessPolicy.Role.INTERNAL;
        if (!internal && !rootDse && !state.dns.isAdNamingContext(base) && !isSubschemaRead(base, ctx.getScope())) {
            throw policy.outsideNamingContexts(ctx);
        }
        if (!internal && state.dns.isDeletedObject(base) && !ctx.hasRequestControl(dev.keytrust.dc.schema.AdSchema.SHOW_DELETED_CONTROL)
                && !RequestedAttributes.byName(ctx, metadata.attributeType())) {
            throw new org.apache.directory.api.ldap.model.exception.LdapNoSuchObjectException("0000208D: NameErr: no object "
                    + base.getName() + " (it is a deleted object; search with the show-deleted control "
                    + dev.keytrust.dc.schema.AdSchema.SHOW_DELETED_CONTROL + " to see tombstones)");
        }
        if (!internal && !rootDse && state.replication.outboundDisabled && RequestedAttributes.byName(ctx, metadata.attributeType())) {
            throw new org.apache.directory.api.ldap.model.exception.LdapUnwillingToPerformException(
                    org.apache.directory.api.ldap.model.message.ResultCodeEnum.UNWILLING_TO_PERFORM,
                    "outbound replication is disabled on " + state.config.name() + " (DISABLE_OUTBOUND_REPL)");
        }
        if (!internal && !rootDse) {
            shaper.includeMetadataIfAsked(ctx);
            ctx.setFilter(Passwords.hideSecrets(ctx.getFilter(), new org.apache.directory.api.ldap.model.filter.EqualityNode<byte[]>(
                    state.types.objectGuid, new org.apache.directory.api.ldap.model.entry.Value(state.types.objectGuid, new byte[] {0}))));
        }
        if (!rootDse) {
            ctx.setFilter(filters.rewrite(admin(), ctx.getFilter()));
        }
        EntryFilteringCursor cursor = next(ctx);
        if (!internal) {
            boolean replicating = role == AccessPolicy.Role.ADMIN && RequestedAttributes.byName(ctx, metadata.attributeType());
            cursor.addEntryFilter(replicating ? replicationShaper : shaper);
        }
        return cursor;
    }

    /** The subschema subentry (rootDSE subschemaSubentry), which bound clients such as ldap3 read. */
    private boolean isSubschemaRead(Dn base, SearchScope scope) {
        return scope == SearchScope.OBJECT && base.equals(state.dns.subschemaDn);
    }

    /** The LDAP layer serves base-scope (objectClass=*) reads of the rootDSE and the subschema as lookups. */
    @Override
    public Entry lookup(LookupOperationContext ctx) throws LdapException {
        Dn dn = ctx.getDn();
        if (!dn.isEmpty() && !state.dns.isAdNamingContext(dn) && policy.role(ctx) != AccessPolicy.Role.INTERNAL
                && !(dn.equals(state.dns.subschemaDn) && policy.role(ctx) != AccessPolicy.Role.ANONYMOUS)) {
            throw policy.outsideNamingContexts(ctx);
        }
        Entry entry = next(ctx);
        if (ctx.getDn().isEmpty() && policy.role(ctx) != AccessPolicy.Role.INTERNAL) {
            rootDse.fill(ctx, entry);
        }
        return entry;
    }

    @Override
    public boolean compare(CompareOperationContext ctx) throws LdapException {
        policy.requireBound(ctx);
        if (Passwords.secret(ctx.getAttributeType().getName()) && policy.role(ctx) != AccessPolicy.Role.INTERNAL) {
            throw new org.apache.directory.api.ldap.model.exception.LdapUnwillingToPerformException(ResultCodeEnum.UNWILLING_TO_PERFORM,
                    "0000209A: " + ctx.getOid() + " is a secret attribute: the DC never reveals it, not even by compare");
        }
        bypass(ctx);
        return next(ctx);
    }
}
