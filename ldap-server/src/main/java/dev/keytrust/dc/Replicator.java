package dev.keytrust.dc;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.dc.changes.DirectRead;
import dev.keytrust.dc.changes.MovedObjects;
import dev.keytrust.dc.changes.ReplicaApplier;
import dev.keytrust.dc.changes.ReplicationMetadataXml;
import dev.keytrust.dc.changes.Tombstones;
import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.dc.state.DcState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * AD-style pull replication: the destination DC reads the source's up-to-dateness vector ({@code msDS-NCReplCursors})
 * and its changes since the high-water mark for the source's database, over plain LDAP (uSNChanged, with the stored
 * replication metadata an administrator may read); skips what its own vector already covers, so a change is applied
 * once however many paths it takes; applies the rest with AD's conflict rules — per attribute, and per value for
 * linked attributes, so concurrent key additions on two DCs merge — and, once all is applied, takes the source's
 * vector into its own.
 *
 * <p>Each DC owns its replicator ({@code dc.replicator()}): it writes only its own DC's state, and knows a source only
 * by its address and credentials.
 *
 * <pre>{@code
 * Replicator.PullResult r = dc2.pullFrom(dc1);   // DC2 pulls from DC1 (DomainController's convenience)
 * Replicator.PullResult s = dc2.replicator().pull("dc1.corp.example.com", 389, adminDn, password);
 * }</pre>
 */
public final class Replicator {
    /** How long a DC waits for a partner to accept a replication connection. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long a DC waits for each response from a partner (each entry of a search) before giving the pull up. */
    public static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);

    /** What one pull did. */
    public record PullResult(String source, String destination, int objectsRead, int objectsAdded, int objectsChanged,
            long highWaterMark) {
    }

    private final DcState state;
    private final org.apache.directory.server.core.api.DirectoryService service;
    private final String name;
    private final Tombstones tombstones;
    private final MovedObjects moves;

    Replicator(DcState state, org.apache.directory.server.core.api.DirectoryService service, Tombstones tombstones,
            MovedObjects moves) {
        this.state = state;
        this.service = service;
        this.tombstones = tombstones;
        this.moves = moves;
        this.name = state.config.name();
    }

    /**
     * Options for a DC's connections to its partners (pulls and change notifications): a partner whose network is cut
     * fails the attempt within {@link #CONNECT_TIMEOUT} or {@link #RESPONSE_TIMEOUT} (wall time, as sockets wait),
     * instead of holding this DC's inbound replication, and the timers behind it, for the LDAP SDK's default of five
     * minutes while its other partners wait.
     */
    public static LDAPConnectionOptions partnerConnectionOptions() {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis((int) CONNECT_TIMEOUT.toMillis());
        options.setResponseTimeoutMillis(RESPONSE_TIMEOUT.toMillis());
        return options;
    }

    private static int depth(String dn) {
        try {
            return new com.unboundid.ldap.sdk.DN(dn).getRDNs().length;
        } catch (LDAPException e) {
            return Integer.MAX_VALUE;
        }
    }

    /**
     * The destination's open connection to a source, bound; made on first use and after a failure. A pull costs a
     * search then, not a connect, a bind and a rootDSE read as well.
     */
    private static LDAPConnection connection(DcState state, String address, String host, int port, String bindDn, String password)
            throws LDAPException {
        LDAPConnection c = state.replication.sourceConnections.get(address);
        if (c != null && c.isConnected()) {
            return c;
        }
        if (c != null) {
            c.close();
        }
        c = new LDAPConnection(partnerConnectionOptions(), host, port, bindDn, password);
        state.replication.sourceConnections.put(address, c);
        return c;
    }

    private static void forget(DcState state, String address) {
        LDAPConnection c = state.replication.sourceConnections.remove(address);
        if (c != null) {
            c.close();
        }
        state.replication.sourceDsas.remove(address);
    }

    private static String dsa(LDAPConnection ldap) {
        try {
            return ldap.getRootDSE().getAttributeValue("dsServiceName");
        } catch (LDAPException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Records a failed attempt: against the partner known at {@code address} (its DSA name, from an earlier pull)
     * when the failure came before its name was read, so one partner is one line of {@code showrepl}.
     */
    private static void failed(DcState state, String source, String address, java.time.Instant attempt, String why) {
        PartnerStatus before = state.replication.partners.get(source.toLowerCase(Locale.ROOT));
        if (before == null) {
            before = state.replication.partners.values().stream().filter(p -> p.address().equalsIgnoreCase(address)).findFirst().orElse(null);
        }
        String name = before != null && source.equalsIgnoreCase(address) ? before.source() : source;
        if (before != null && !before.source().equalsIgnoreCase(name)) {
            state.replication.partners.remove(before.source().toLowerCase(Locale.ROOT));
        }
        state.replication.partners.put(name.toLowerCase(Locale.ROOT), new PartnerStatus(name, address, attempt,
                before == null ? null : before.lastSuccess(), "failed: " + why, before == null ? 0 : before.highWaterMark(),
                before == null ? 1 : before.failures() + 1));
    }

    /**
     * Records a pull of {@code destination} from the DC at {@code host:port} that did not run because a fault refused
     * it ({@code why}, e.g. a partition): {@code showrepl} shows it as the last attempt, failed, as repadmin shows an
     * inbound neighbour it could not reach.
     */
    public void refused(String host, int port, String why) {
        String address = host + ":" + port;
        failed(state, state.replication.sourceDsas.getOrDefault(address, address), address, state.stamps.now(), why);
    }

    /** A DC's up-to-dateness vector, from {@code msDS-NCReplCursors} on its domain head. */
    private static List<ReplicationCursor> vector(LDAPConnection ldap, DcState state) throws LDAPException {
        SearchResultEntry head = ldap.getEntry(state.dns.baseDn.getName(), AdSchema.NC_REPL_CURSORS);
        List<ReplicationCursor> out = new ArrayList<>();
        String[] values = head == null ? null : head.getAttributeValues(AdSchema.NC_REPL_CURSORS);
        if (values != null) {
            for (String xml : values) {
                out.add(ReplicationMetadataXml.parseCursor(xml));
            }
        }
        return out;
    }

    /**
     * Replication is between DCs of one domain: the same domain head (objectGUID), as when a DC is promoted from a
     * partner. Testbed DCs build their domain from the domain name and seed, so a different seed is another domain.
     */
    private void sameDomain(LDAPConnection ldap, String address)
            throws LDAPException, org.apache.directory.api.ldap.model.exception.LdapException {
        SearchResultEntry head = ldap.getEntry(state.dns.baseDn.getName(), AdSchema.OBJECT_GUID);
        byte[] theirs = head == null ? null : head.getAttributeValueBytes(AdSchema.OBJECT_GUID);
        org.apache.directory.api.ldap.model.entry.Entry local = new DirectRead(service)
                .lookup(state.dns.baseDn, AdSchema.OBJECT_GUID);
        java.util.UUID ours = local == null || local.get(state.types.objectGuid) == null ? null
                : dev.keytrust.encoding.MsGuid.fromBytes(local.get(state.types.objectGuid).getBytes());
        if (theirs == null || ours == null || !ours.equals(dev.keytrust.encoding.MsGuid.fromBytes(theirs))) {
            throw new KeyTrustException(ErrorCode.REPLICATION_FAILED, name + " cannot replicate from " + address
                    + ": it is not the same domain (" + state.dns.baseDn.getName() + " has objectGUID "
                    + (theirs == null ? "none" : dev.keytrust.encoding.MsGuid.fromBytes(theirs)) + " there and " + ours
                    + " here). DCs of one domain must be started with the same domain name and seed.");
        }
    }

    /** This DC pulls from the DC at {@code host:port}. */
    public PullResult pull(String host, int port, String bindDn, String password) {
        // One inbound pull at a time per destination, as AD serialises inbound replication: two pulls bringing the same
        // new object (a forced one and a notified one on another thread) would both try to add it.
        synchronized (state.replication.inboundReplication) {
            return pullSerialised(host, port, bindDn, password);
        }
    }

    private PullResult pullSerialised(String host, int port, String bindDn, String password) {
        String address = host + ":" + port;
        if (state.replication.sourceConnections.containsKey(address)) {
            try {
                return pullOnce(host, port, bindDn, password);
            } catch (KeyTrustException e) {
                if (!(e.getCause() instanceof LDAPException l) || l.getResultCode().isConnectionUsable()
                        || l.getResultCode() == ResultCode.TIMEOUT) {
                    throw e;
                }
                // the source restarted since the connection was made: once more, on a new connection (not when it
                // did not answer in time: its network is likely cut, and another wait would hold the other partners)
            }
        }
        return pullOnce(host, port, bindDn, password);
    }

    private PullResult pullOnce(String host, int port, String bindDn, String password) {
        java.time.Instant attempt = state.stamps.now();
        String address = host + ":" + port;
        String sourceDsa = address;
        try {
            LDAPConnection ldap = connection(state, address, host, port, bindDn, password);
            if (!state.replication.sourceDsas.containsKey(address)) {
                sameDomain(ldap, address);
            }
            sourceDsa = state.replication.sourceDsas.computeIfAbsent(address, a -> dsa(ldap));
            String key = sourceDsa.toLowerCase(Locale.ROOT);
            // The source's up-to-dateness vector, read before its changes: once they are applied, all it covers is here.
            List<ReplicationCursor> sourceVector = vector(ldap, state);
            String dsa = sourceDsa;
            ReplicationCursor source = sourceVector.stream().filter(c -> c.dsaDn().equalsIgnoreCase(dsa)).findFirst()
                    .orElseThrow(() -> new KeyTrustException(ErrorCode.REPLICATION_FAILED, "the DC at " + address
                            + " did not list itself (" + dsa + ") in its msDS-NCReplCursors"));
            // The mark is per source database: a source with a new database (new invocationId) is read from the start.
            String mark = source.invocationId().toString();
            long from = state.replication.highWaterMarks.getOrDefault(mark, 0L);
            java.util.Map<java.util.UUID, Long> covered = new java.util.HashMap<>();
            state.replication.upToDateness.forEach((id, c) -> covered.put(id, c.usn()));
            covered.put(state.stamps.invocationId, Long.MAX_VALUE); // this DC's own changes are here, or newer ones
            List<SearchResultEntry> changes = new ArrayList<>();
            for (String base : List.of(state.dns.baseDn.getName(), state.dns.configurationDn.getName())) {
                SearchRequest request = new SearchRequest(base, SearchScope.SUB,
                        Filter.createGreaterOrEqualFilter(AdSchema.USN_CHANGED, String.valueOf(from + 1)),
                        "*", AdSchema.REPL_METADATA);
                changes.addAll(ldap.search(request).getSearchEntries());
            }
            // Parents before children (a parent may have changed after its child was created), then in USN order.
            changes.sort(Comparator.<SearchResultEntry>comparingInt(e -> depth(e.getDN()))
                    .thenComparingLong(e -> e.getAttributeValueAsLong(AdSchema.USN_CHANGED)));
            ReplicaApplier applier = new ReplicaApplier(state, service, tombstones, moves);
            int added = 0;
            int changed = 0;
            long highest = from;
            for (SearchResultEntry e : changes) {
                switch (applier.apply(e, covered)) {
                    case ADDED -> added++;
                    case CHANGED -> changed++;
                    default -> { }
                }
                highest = Math.max(highest, e.getAttributeValueAsLong(AdSchema.USN_CHANGED));
            }
            applier.finish();
            state.replication.highWaterMarks.put(mark, highest);
            java.time.Instant now = state.stamps.now();
            for (ReplicationCursor c : sourceVector) {
                if (!c.invocationId().equals(state.stamps.invocationId)) {
                    state.replication.upToDateness.merge(c.invocationId(), new ReplicationCursor(c.invocationId(), c.dsaDn(), c.usn(), now),
                            (held, offered) -> offered.usn() > held.usn() ? offered : held);
                }
            }
            state.replication.partners.remove(address.toLowerCase(Locale.ROOT));
            state.replication.partners.put(key, new PartnerStatus(sourceDsa, address, attempt, state.stamps.now(), "successful", highest, 0));
            return new PullResult(sourceDsa, state.dns.ntdsSettingsDn.getName(), changes.size(), added, changed, highest);
        } catch (LDAPException e) {
            forget(state, address);
            failed(state, sourceDsa, address, attempt, e.getResultCode() + " " + e.getDiagnosticMessage());
            throw new KeyTrustException(ErrorCode.LDAP_UNREACHABLE, name + " cannot pull from " + host + ":" + port
                    + ": " + e.getResultCode() + " " + e.getDiagnosticMessage(), e);
        } catch (KeyTrustException e) {
            forget(state, address);
            failed(state, sourceDsa, address, attempt, e.getMessage());
            throw e;
        } catch (Exception e) {
            forget(state, address);
            failed(state, sourceDsa, address, attempt, e.toString());
            throw new KeyTrustException(ErrorCode.REPLICATION_FAILED, name + " failed to apply changes from "
                    + host + ":" + port + ": " + e, e);
        }
    }
}
