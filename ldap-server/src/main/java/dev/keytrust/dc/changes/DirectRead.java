package dev.keytrust.dc.changes;

import java.io.IOException;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapNoSuchObjectException;
import org.apache.directory.api.ldap.model.exception.LdapOtherException;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.server.core.api.DirectoryService;
import org.apache.directory.server.core.api.interceptor.context.HasEntryOperationContext;
import org.apache.directory.server.core.api.interceptor.context.LookupOperationContext;
import org.apache.directory.server.core.api.partition.Partition;
import org.apache.directory.server.core.api.partition.PartitionNexus;
import org.apache.directory.server.core.api.partition.PartitionTxn;

/**
 * Reads the DC makes while it handles a write (the current values of a linked attribute, whether a link target
 * exists) go straight to the partition: going through the whole interceptor chain again cost a third of a
 * write's time.
 */
public final class DirectRead {
    private final DirectoryService service;

    public DirectRead(DirectoryService service) {
        this.service = service;
    }

    /** The entry with the given attributes, or {@code null} if there is none. */
    public Entry lookup(Dn dn, String... attributes) throws LdapException {
        PartitionNexus nexus = service.getPartitionNexus();
        Partition partition = nexus.getPartition(dn);
        LookupOperationContext ctx = new LookupOperationContext(service.getAdminSession(), dn, attributes);
        ctx.setPartition(partition);
        try (PartitionTxn txn = partition.beginReadTransaction()) {
            ctx.setTransaction(txn);
            return partition.lookup(ctx);
        } catch (LdapNoSuchObjectException e) {
            return null;
        } catch (IOException e) {
            throw new LdapOtherException("cannot read " + dn + ": " + e.getMessage(), e);
        }
    }

    /**
     * An internal search (as the DC itself: no access rules, tombstones included) of everything under {@code base} in
     * {@code scope}, read in full before it returns — callers change what they find.
     */
    java.util.List<Entry> search(Dn base, org.apache.directory.api.ldap.model.message.SearchScope scope, String... attributes)
            throws LdapException {
        java.util.List<Entry> out = new java.util.ArrayList<>();
        try (org.apache.directory.api.ldap.model.cursor.Cursor<Entry> c = service.getAdminSession().search(base, scope,
                new org.apache.directory.api.ldap.model.filter.PresenceNode("objectClass"),
                org.apache.directory.api.ldap.model.message.AliasDerefMode.NEVER_DEREF_ALIASES, attributes)) {
            while (c.next()) {
                out.add(c.get());
            }
        } catch (LdapException e) {
            throw e;
        } catch (Exception e) {
            throw new LdapOtherException("cannot search under " + base + ": " + e, e);
        }
        return out;
    }

    /** Whether {@code dn} has child objects. */
    boolean hasChildren(Dn dn) throws LdapException {
        return !search(dn, org.apache.directory.api.ldap.model.message.SearchScope.ONELEVEL, "1.1").isEmpty();
    }

    boolean exists(Dn dn) throws LdapException {
        PartitionNexus nexus = service.getPartitionNexus();
        Partition partition;
        try {
            partition = nexus.getPartition(dn);
        } catch (LdapException e) {
            return false;
        }
        HasEntryOperationContext ctx = new HasEntryOperationContext(service.getAdminSession(), dn);
        ctx.setPartition(partition);
        try (PartitionTxn txn = partition.beginReadTransaction()) {
            ctx.setTransaction(txn);
            return partition.hasEntry(ctx);
        } catch (IOException e) {
            throw new LdapOtherException("cannot read " + dn + ": " + e.getMessage(), e);
        }
    }
}
