package dev.keytrust.dc;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeySource;
import dev.keytrust.persona.Persona;
import dev.keytrust.persona.Personas;
import dev.keytrust.replication.ReplicationNetwork;
import dev.keytrust.time.VirtualScheduler;
import dev.keytrust.topology.Topology;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Issue 4's figures (a benchmark reports, it does not gate CI), each measured side by side in one run:
 * <ol>
 *   <li>a pull of 10,000 key-value changes from DC1 to DC2, against DC2's raw LDAP modify throughput for the same
 *   values (one modify per value, on an identical DC);</li>
 *   <li>the cost of replication metadata stamping: the same modifies with stamping switched off;</li>
 *   <li>24 simulated hours of a 6-DC, 3-site topology taking 1,000 changes, on virtual time.</li>
 * </ol>
 * Every measured phase runs once first as a warm-up. Run: {@code mvn -B -pl ldap-server -am -DskipTests verify -Dbench=repl}
 */
public final class ReplicationBenchmark {
    private static final String PASSWORD = "Passw0rd!Passw0rd";
    private static final int VALUES = Integer.getInteger("bench.values", 10_000);

    private ReplicationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (Boolean.getBoolean("bench.stampOnly")) {
            stamping(2_000, false);
            stamping(VALUES, true);
            System.exit(0);
        }
        if (Boolean.getBoolean("bench.dayOnly")) {
            day(100, false);
            day(1_000, true);
            System.exit(0);
        }
        pullVersusRaw(2_000, false);
        pullVersusRaw(VALUES, true);
        stamping(2_000, false);
        stamping(VALUES, true);
        day(100, false);
        day(1_000, true);
        System.exit(0);
    }

    private static void pullVersusRaw(int n, boolean report) throws Exception {
        VirtualScheduler time = new VirtualScheduler();
        List<Persona> people = Personas.generate(1, n);
        try (DomainController dc1 = dc("DC1", time); DomainController dc2 = dc("DC2", time); DomainController raw = dc("DC9", time)) {
            for (DomainController dc : List.of(dc1, dc2, raw)) {
                dc.addUsers(people, Optional.empty());
            }
            dc2.pullFrom(dc1); // the users; only key values are left to pull
            List<String> values = values(people, dc1.baseDn());
            modify(dc1, people, values);
            double rawSeconds = modify(raw, people, values);
            long t = System.nanoTime();
            Replicator.PullResult r = dc2.pullFrom(dc1);
            double pullSeconds = (System.nanoTime() - t) / 1e9;
            if (report) {
                System.out.printf(Locale.ROOT, "pull of %,d key-value changes DC1 -> DC2: %.2f s = %,.0f values/s (%d objects read)%n",
                        n, pullSeconds, n / pullSeconds, r.objectsRead());
                System.out.printf(Locale.ROOT, "raw LDAP modifies of the same values on an identical DC: %.2f s = %,.0f values/s%n",
                        rawSeconds, n / rawSeconds);
                System.out.printf(Locale.ROOT, "  ratio pull / raw = %.2f (target >= 0.50)%n", rawSeconds / pullSeconds);
            }
        } finally {
            time.close();
        }
    }

    private static void stamping(int n, boolean report) throws Exception {
        List<Persona> people = Personas.generate(2, n);
        double on = 0;
        double off = 0;
        for (boolean stampFirst : new boolean[] {true, false}) { // both orders, each on fresh DCs, summed
            for (boolean stamp : stampFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                VirtualScheduler time = new VirtualScheduler();
                try (DomainController dc = dc(stamp ? "DC1" : "DC2", time)) {
                    dc.addUsers(people, Optional.empty());
                    dc.instance().state().replication.stampMetadata = stamp;
                    double seconds = modify(dc, people, values(people, dc.baseDn()));
                    if (stamp) {
                        on += seconds;
                    } else {
                        off += seconds;
                    }
                } finally {
                    time.close();
                }
            }
        }
        if (report) {
            System.out.printf(Locale.ROOT, "local modifies (add one key value) x %,d, two runs each: %,.0f/s with metadata stamping, %,.0f/s without%n",
                    n, 2 * n / on, 2 * n / off);
            System.out.printf(Locale.ROOT, "  stamping costs %.1f%% of local write throughput (target <= 15%%)%n", 100 * (1 - off / on));
        }
    }

    private static void day(int changes, boolean report) throws Exception {
        Topology t = Topology.builder().domain("corp.example.com").site("HQ").site("Branch").site("Lab")
                .siteLink("HQ-Branch", List.of("HQ", "Branch"), 100, Duration.ofMinutes(180), false, List.of())
                .siteLink("HQ-Lab", List.of("HQ", "Lab"), 100, Duration.ofMinutes(60), false, List.of())
                .dc("DC1", "HQ").dc("DC2", "HQ").dc("DC3", "Branch").dc("DC4", "Branch").dc("DC5", "Lab").dc("DC6", "Lab").build();
        VirtualScheduler time = new VirtualScheduler();
        List<Persona> people = Personas.generate(3, 50);
        try (ReplicationNetwork net = ReplicationNetwork.start(t, time, 3, PASSWORD)) {
            DomainController first = net.dc("DC1");
            first.addUsers(people, Optional.empty());
            time.advance(Duration.ofHours(4)); // every DC has pulled the users (the slowest link is 180 minutes)
            Instant end = time.now().plus(Duration.ofHours(24));
            SplittableRandom random = new SplittableRandom(42);
            List<LDAPConnection> clients = new ArrayList<>();
            for (DomainController dc : net.domainControllers()) {
                clients.add(dc.connect());
            }
            long start = System.nanoTime();
            for (int i = 0; i < changes; i++) {
                Instant at = time.now().plus(Duration.ofSeconds(86_400 / changes));
                time.advanceTo(at);
                int d = random.nextInt(6);
                int u = random.nextInt(people.size());
                clients.get(d).modify(people.get(u).distinguishedName(first.baseDn()), new Modification(ModificationType.REPLACE,
                        "description", "change " + i));
            }
            time.advanceTo(end);
            clients.forEach(LDAPConnection::close);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (report) {
                System.out.printf(Locale.ROOT, "24 simulated hours, 6 DCs in 3 sites, %,d changes: %.2f s wall (target <= 10 s)%n",
                        changes, seconds);
            }
        } finally {
            time.close();
        }
    }

    private static List<String> values(List<Persona> people, String base) throws Exception {
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        SplittableRandom random = new SplittableRandom(7);
        List<String> out = new ArrayList<>(people.size());
        for (Persona p : people) {
            byte[] modulus = new byte[256];
            for (int i = 0; i < modulus.length; i++) {
                modulus[i] = (byte) random.nextInt(256);
            }
            modulus[0] |= (byte) 0x80;
            RSAPublicKey key = (RSAPublicKey) rsa.generatePublic(new RSAPublicKeySpec(new BigInteger(1, modulus), BigInteger.valueOf(65_537)));
            out.add(KeyCredential.builder().publicKey(key).ownerDn(p.distinguishedName(base)).creationTime(Instant.EPOCH.plusSeconds(1_700_000_000))
                    .source(KeySource.AZURE_AD).build().toDnBinary());
        }
        return out;
    }

    private static double modify(DomainController dc, List<Persona> people, List<String> values) throws Exception {
        try (LDAPConnection ldap = dc.connect()) {
            long t = System.nanoTime();
            for (int i = 0; i < people.size(); i++) {
                ldap.modify(people.get(i).distinguishedName(dc.baseDn()),
                        new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", values.get(i)));
            }
            return (System.nanoTime() - t) / 1e9;
        }
    }

    private static DomainController dc(String name, VirtualScheduler time) {
        return DomainController.start(DomainControllerConfig.builder(name).clock(time.clock()).seed(1).adminPassword(PASSWORD).build());
    }
}
