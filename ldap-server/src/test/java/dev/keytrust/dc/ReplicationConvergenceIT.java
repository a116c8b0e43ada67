package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import dev.keytrust.time.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded convergence: random writes (users added, renamed and deleted, new users under names another DC may still hold, key
 * values added and removed, attributes changed) on random DCs, interleaved with random pulls, DCs going down and
 * coming back, and pairs of DCs cut off from each other; after healing and quiescing, every DC holds the same
 * objects (tombstones and name-conflict losers included, at the same DNs), values and metadata. A failure prints its
 * seed; replay one with {@code -Dkeytrust.convergence.seed=N}.
 */
class ReplicationConvergenceIT {
    private static final String PASSWORD = "Passw0rd!Passw0rd";
    private static final int SEEDS = Integer.getInteger("keytrust.convergence.seeds", 200);
    private static final Long ONLY_SEED = Long.getLong("keytrust.convergence.seed");
    /** With {@code -Dkeytrust.convergence.trace=true}, a replayed seed prints every step. */
    private static final boolean TRACE = Boolean.getBoolean("keytrust.convergence.trace");
    private static final int OPERATIONS = 12;
    private static final VirtualClock CLOCK = new VirtualClock(Instant.parse("2026-05-01T00:00:00Z"));
    private static final List<DomainController> DCS = new ArrayList<>();
    private static final List<LDAPConnection> LDAP = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        for (String name : List.of("DC1", "DC2", "DC3")) {
            DomainController dc = DomainController.start(DomainControllerConfig.builder(name).adminPassword(PASSWORD)
                    .clock(CLOCK).seed(3).build());
            DCS.add(dc);
            LDAP.add(dc.connect());
        }
        quiesce();
    }

    @AfterAll
    static void stop() {
        LDAP.forEach(LDAPConnection::close);
        DCS.forEach(DomainController::close);
    }

    @Test
    void everyDcConvergesAfterRandomWritesAndPulls() throws Exception {
        long first = ONLY_SEED != null ? ONLY_SEED : 1;
        long last = ONLY_SEED != null ? ONLY_SEED : SEEDS;
        for (long seed = first; seed <= last; seed++) {
            try {
                round(seed);
                quiesce();
                assertConverged("(|(sAMAccountName=s" + seed + "u*)(ou=s" + seed + "o*)(sAMAccountName=Administrator))");
            } catch (Exception | AssertionError e) {
                fail("replication did not converge for seed " + seed + " (replay: -Dkeytrust.convergence.seed=" + seed + ")", e);
            }
        }
    }

    private static void round(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> users = new ArrayList<>();
        List<String> ous = new ArrayList<>();
        java.util.Set<Integer> down = new java.util.HashSet<>();
        java.util.Set<String> cut = new java.util.HashSet<>();
        for (int op = 0; op < OPERATIONS; op++) {
            CLOCK.advance(Duration.ofSeconds(random.nextInt(3)));
            switch (random.nextInt(8)) { // faults: a DC goes down or comes back, a pair is cut or healed
                case 0 -> {
                    int d = random.nextInt(DCS.size());
                    if (down.remove(d)) {
                        DCS.get(d).resume();
                        LDAP.set(d, DCS.get(d).connect());
                    } else if (down.size() < DCS.size() - 1) {
                        LDAP.get(d).close();
                        DCS.get(d).suspend();
                        down.add(d);
                    }
                }
                case 1 -> {
                    String pair = random.nextInt(DCS.size()) + "|" + random.nextInt(DCS.size());
                    if (!cut.remove(pair)) {
                        cut.add(pair);
                    }
                }
                default -> { }
            }
            int dc = random.nextInt(DCS.size());
            if (down.contains(dc)) {
                continue;
            }
            LDAPConnection ldap = LDAP.get(dc);
            switch (users.isEmpty() ? 0 : random.nextInt(11)) {
                case 0 -> {
                    String dn = addUser(ldap, "CN=Users," + DCS.get(0).baseDn(), "s" + seed + "u" + op);
                    users.add(dn);
                    trace(op, dc, "add " + dn);
                }
                case 5 -> {
                    String dn = held(ldap, users, random);
                    if (dn != null) {
                        ldap.delete(dn);
                        trace(op, dc, "delete " + dn);
                    }
                }
                case 8 -> { // containers: made, filled and deleted on different DCs, so objects are orphaned
                    String ou = "OU=s" + seed + "o" + op + "," + DCS.get(0).baseDn();
                    ldap.add(ou, new Attribute("objectClass", "organizationalUnit"), new Attribute("ou", "s" + seed + "o" + op));
                    ous.add(ou);
                    trace(op, dc, "add " + ou);
                }
                case 9 -> {
                    String ou = held(ldap, ous, random);
                    if (ou != null) {
                        String dn = addUser(ldap, ou, "s" + seed + "u" + op);
                        users.add(dn);
                        trace(op, dc, "add " + dn);
                    }
                }
                case 10 -> {
                    String ou = held(ldap, ous, random);
                    if (ou != null) {
                        try {
                            ldap.delete(ou);
                            trace(op, dc, "delete " + ou);
                        } catch (LDAPException e) {
                            assertThat(e.getResultCode().intValue()).as("only a container with children is refused").isEqualTo(66);
                        }
                    }
                }
                case 7 -> { // a rename: the same object, a new DN (its key values follow)
                    String dn = held(ldap, users, random);
                    if (dn != null) {
                        String rdn = "CN=r" + seed + "u" + op;
                        ldap.modifyDN(dn, rdn, true);
                        users.add(rdn + dn.substring(dn.indexOf(',')));
                        trace(op, dc, "rename " + dn + " to " + rdn);
                    }
                }
                case 6 -> { // a new object under a name this DC does not hold now: elsewhere it may, so names conflict
                    String dn = users.get(random.nextInt(users.size()));
                    if (ldap.getEntry(dn) == null) {
                        try {
                            ldap.add(dn, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", "s" + seed + "u" + op));
                            trace(op, dc, "re-add " + dn);
                        } catch (LDAPException e) {
                            assertThat(e.getResultCode().intValue()).as("only a name whose container is gone is refused").isEqualTo(32);
                        }
                    }
                }
                case 1, 2 -> {
                    String dn = held(ldap, users, random);
                    if (dn != null) {
                        try {
                            ldap.modify(dn, new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", value(dn, random.nextInt(4))));
                            trace(op, dc, "add key to " + dn);
                        } catch (LDAPException e) {
                            assertThat(e.getResultCode().intValue()).as("only a value already there is refused").isEqualTo(20);
                        }
                    }
                }
                case 3 -> {
                    String dn = users.get(random.nextInt(users.size()));
                    SearchResultEntry e = ldap.getEntry(dn, "msDS-KeyCredentialLink");
                    String[] values = e == null ? null : e.getAttributeValues("msDS-KeyCredentialLink");
                    if (values != null && values.length > 0) {
                        ldap.modify(dn, new Modification(ModificationType.DELETE, "msDS-KeyCredentialLink",
                                values[random.nextInt(values.length)]));
                        trace(op, dc, "remove a key from " + dn);
                    }
                }
                default -> {
                    String dn = held(ldap, users, random);
                    if (dn != null) {
                        ldap.modify(dn, new Modification(ModificationType.REPLACE, "description", "seed " + seed + " op " + op + " on DC" + (dc + 1)));
                        trace(op, dc, "description of " + dn);
                    }
                }
            }
            if (random.nextInt(3) == 0) {
                int destination = random.nextInt(DCS.size());
                int source = (destination + 1 + random.nextInt(DCS.size() - 1)) % DCS.size();
                boolean blocked = down.contains(source) || down.contains(destination)
                        || cut.contains(source + "|" + destination) || cut.contains(destination + "|" + source);
                if (!blocked) {
                    Replicator.PullResult r = DCS.get(destination).pullFrom(DCS.get(source));
                    trace(op, destination, "pulled from DC" + (source + 1) + ": " + r);
                }
            }
        }
        for (int d : down) { // heal: every DC back, every cut mended, before quiescing
            DCS.get(d).resume();
            LDAP.set(d, DCS.get(d).connect());
        }
    }

    private static String addUser(LDAPConnection ldap, String container, String sam) throws LDAPException {
        String dn = "CN=" + sam + "," + container;
        ldap.add(dn, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", sam));
        return dn;
    }

    /** One of {@code dns} drawn at random (no draw when there are none), if {@code ldap}'s DC holds it now; else null. */
    private static String held(LDAPConnection ldap, List<String> dns, SplittableRandom random) throws LDAPException {
        if (dns.isEmpty()) {
            return null;
        }
        String dn = dns.get(random.nextInt(dns.size()));
        return ldap.getEntry(dn) != null ? dn : null;
    }

    private static void trace(int op, int dc, String what) {
        if (TRACE) {
            System.out.println("TRACE op " + op + " at " + CLOCK.instant() + " on DC" + (dc + 1) + ": " + what);
        }
    }

    private static String value(String dn, int device) {
        return TestKeys.value(dn, new UUID(device, dn.hashCode()));
    }

    /** Full-mesh pulls until a round changes nothing. */
    private static void quiesce() {
        for (int round = 0; round < 6; round++) {
            int changes = 0;
            for (DomainController destination : DCS) {
                for (DomainController source : DCS) {
                    if (destination != source) {
                        Replicator.PullResult r = destination.pullFrom(source);
                        changes += r.objectsAdded() + r.objectsChanged();
                    }
                }
            }
            if (changes == 0) {
                return;
            }
        }
        throw new AssertionError("still changing after 6 full-mesh rounds");
    }

    private static void assertConverged(String filter) throws LDAPException {
        Map<String, String> reference = snapshot(LDAP.get(0), filter);
        for (int i = 1; i < LDAP.size(); i++) {
            Map<String, String> other = snapshot(LDAP.get(i), filter);
            for (String dn : reference.keySet()) {
                if (!reference.get(dn).equals(other.get(dn))) {
                    throw new AssertionError("DC" + (i + 1) + " differs from DC1 on " + dn + "\nDC1: " + reference.get(dn)
                            + "\nDC" + (i + 1) + ": " + other.get(dn));
                }
            }
            assertThat(other.keySet()).as("DC%d against DC1", i + 1).isEqualTo(reference.keySet());
        }
    }

    /** The seed's users and the Administrator: their replicated attributes and value metadata, without what is local to a DC (its USNs). */
    private static Map<String, String> snapshot(LDAPConnection ldap, String filter) throws LDAPException {
        Map<String, String> out = new TreeMap<>();
        com.unboundid.ldap.sdk.SearchRequest request = new com.unboundid.ldap.sdk.SearchRequest(DCS.get(0).baseDn(), SearchScope.SUB,
                filter, "objectGUID", "description", "msDS-KeyCredentialLink", "msDS-KeyCredentialLink-BL", "isDeleted", "msDS-ReplValueMetaData",
                "msDS-ReplAttributeMetaData");
        request.addControl(new com.unboundid.ldap.sdk.Control("1.2.840.113556.1.4.417", true)); // tombstones too
        for (SearchResultEntry e : ldap.search(request).getSearchEntries()) {
            StringBuilder s = new StringBuilder(java.util.Base64.getEncoder().encodeToString(e.getAttributeValueBytes("objectGUID")));
            s.append('|').append(e.getAttributeValue("description")).append('|').append(e.getAttributeValue("isDeleted"));
            s.append('|').append(sorted(e.getAttributeValues("msDS-KeyCredentialLink")));
            s.append('|').append(sorted(e.getAttributeValues("msDS-KeyCredentialLink-BL"))); // kept locally: must agree too
            s.append('|').append(sorted(e.getAttributeValues("msDS-ReplValueMetaData")));
            s.append('|').append(sorted(e.getAttributeValues("msDS-ReplAttributeMetaData")));
            out.put(e.getDN(), s.toString().replaceAll("<usnLocalChange>\\d+</usnLocalChange>", ""));
        }
        return out;
    }

    private static List<String> sorted(String[] values) {
        List<String> list = values == null ? new ArrayList<>() : new ArrayList<>(List.of(values));
        list.sort(null);
        return list;
    }
}
