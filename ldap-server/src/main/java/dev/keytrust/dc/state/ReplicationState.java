package dev.keytrust.dc.state;

import com.unboundid.ldap.sdk.LDAPConnection;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.dc.PartnerStatus;
import dev.keytrust.dc.ReplicationCursor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One DC's side of replication: its inbound partners' last outcomes, the open connections to sources, the high-water
 * marks and up-to-dateness vector, and the switches that whatever runs the DC's topology sets (replicate now, faults,
 * outbound replication off).
 */
public final class ReplicationState {
    private final ChangeStamps stamps;
    private final WellKnownDns dns;
    /**
     * What a rootDSE {@code keytrustReplicateNow} modify does with the partner's name: empty if accepted, else why not.
     * Set by whatever runs this DC's replication; by default the DC is in no topology.
     */
    public volatile Function<String, Optional<String>> replicateNow =
            source -> Optional.of("this DC runs without a replication topology; start it with one (keytrust topology up, "
                    + "or keytrust dc --topology FILE --name NAME)");
    /**
     * What a rootDSE {@code keytrustReplicationFault} modify does: returns what it did (the success's diagnostic
     * message), or throws a KeyTrustException saying why not.
     */
    public volatile Function<String, String> replicationFault = fault -> {
        throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "this DC runs without a replication topology");
    };
    /** DISABLE_OUTBOUND_REPL: partners' replication reads (which ask for the metadata) are refused. */
    public volatile boolean outboundDisabled;
    /** Whether originating writes get replication metadata; off only to measure its cost (ReplicationBenchmark). */
    public volatile boolean stampMetadata = true;
    /** Per inbound partner (its NTDS Settings DN or address, lower case), the last pull's outcome. */
    public final ConcurrentHashMap<String, PartnerStatus> partners = new ConcurrentHashMap<>();
    /** Held while a pull applies changes here: inbound replication is one pull at a time. */
    public final Object inboundReplication = new Object();
    /** Open connections to sources ({@code host:port}), and the source DSA behind each. */
    public final ConcurrentHashMap<String, LDAPConnection> sourceConnections = new ConcurrentHashMap<>();
    public final ConcurrentHashMap<String, String> sourceDsas = new ConcurrentHashMap<>();
    /** Per source database (its invocationId, lower case), the highest source USN pulled. */
    public final ConcurrentHashMap<String, Long> highWaterMarks = new ConcurrentHashMap<>();
    /** The up-to-dateness vector, per originating database (invocationId) other than this DC's own. */
    public final ConcurrentHashMap<UUID, ReplicationCursor> upToDateness = new ConcurrentHashMap<>();

    ReplicationState(ChangeStamps stamps, WellKnownDns dns) {
        this.stamps = stamps;
        this.dns = dns;
    }

    /** The up-to-dateness vector as clients see it: this DC's own entry (its current USN, now) first. */
    public List<ReplicationCursor> upToDatenessVector() {
        UUID own = stamps.invocationId;
        List<ReplicationCursor> out = new ArrayList<>();
        out.add(new ReplicationCursor(own, dns.ntdsSettingsDn.getName(), stamps.usn.get(), stamps.now()));
        upToDateness.values().stream().filter(c -> !c.invocationId().equals(own))
                .sorted(Comparator.comparing(ReplicationCursor::dsaDn).thenComparing(c -> c.invocationId().toString()))
                .forEach(out::add);
        return out;
    }
}
