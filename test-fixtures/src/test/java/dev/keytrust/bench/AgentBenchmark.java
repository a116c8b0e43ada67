package dev.keytrust.bench;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import dev.keytrust.agent.AgentConfig;
import dev.keytrust.agent.CycleReport;
import dev.keytrust.agent.SyncAgent;
import dev.keytrust.dc.DomainController;
import dev.keytrust.dc.DomainControllerConfig;
import dev.keytrust.graph.GraphConnectorConfig;
import dev.keytrust.graph.GraphKeySource;
import dev.keytrust.graph.mock.DeviceKey;
import dev.keytrust.graph.mock.GraphMock;
import dev.keytrust.graph.mock.GraphMockAdmin.KeyRequest;
import dev.keytrust.graph.mock.GraphMockConfig;
import dev.keytrust.graph.mock.GraphUser;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeySource;
import dev.keytrust.persona.Persona;
import dev.keytrust.persona.Personas;
import dev.keytrust.time.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Issue 6's figures, side by side in one run (a benchmark reports, it does not gate CI):
 * <ol>
 *   <li>a full sync of 10,000 users with 2 keys each (20,000 values) into one DC, against that DC's raw LDAP modify
 *   throughput for the same values (one modify per user adding its 2 values, on an identical fresh DC);</li>
 *   <li>delta cycles with 10 changed users out of 10,000 (median of 5).</li>
 * </ol>
 * Both paths first run once with 2,000 users (not reported), so neither is measured on a cold JIT.
 * Run: {@code mvn -B -pl test-fixtures -am -DskipTests verify -Dbench=agent}
 */
public final class AgentBenchmark {
    private static final int USERS = Integer.getInteger("bench.users", 10_000);
    private static final long SEED = 5;
    private static final String PASSWORD = "Bench-Passw0rd!";

    private AgentBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        run(Math.min(2_000, USERS), false); // warm-up: both paths once, so neither is measured on a cold JIT
        run(USERS, true);
        System.exit(0);
    }

    private static void run(int userCount, boolean report) throws Exception {
        final int USERS = userCount;
        java.io.PrintStream out = report ? System.out : new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        VirtualScheduler time = new VirtualScheduler();
        List<Persona> people = Personas.generate(SEED, USERS);
        DomainController raw = dc("DC9", time);
        DomainController target = dc("DC1", time);
        try (GraphMock mock = GraphMock.start(GraphMockConfig.builder().seed(SEED).clock(time.clock()).build())) {
            long t0 = System.nanoTime();
            raw.addUsers(people, Optional.empty());
            target.addUsers(people, Optional.empty());
            List<GraphUser> users = new ArrayList<>();
            List<List<DeviceKey>> keys = new ArrayList<>();
            for (Persona p : people) {
                String upn = p.userPrincipalName("corp.example.com");
                GraphUser u = mock.admin().addUser(GraphUser.named(upn, p.displayName()).withOnPremises(p.immutableId(),
                        null, p.samAccountName(), p.distinguishedName(target.baseDn()), "corp.example.com"));
                users.add(u);
                keys.add(List.of(mock.admin().addKey(u.id(), KeyRequest.device("PC")), mock.admin().addKey(u.id(), KeyRequest.device("LAPTOP"))));
            }
            out.printf(Locale.ROOT, "set-up: 2 DCs and the mock with %,d users, %,d keys in %.1f s%n", USERS, USERS * 2,
                    (System.nanoTime() - t0) / 1e9);

            double rawSeconds = rawModifies(raw, people, keys, time);
            out.printf(Locale.ROOT, "raw LDAP modifies: %,d users x 2 values in %.2f s = %,.0f values/s%n", USERS, rawSeconds,
                    USERS * 2 / rawSeconds);

            try (GraphKeySource source = GraphKeySource.create(GraphConnectorConfig.builder(mock.tenantId(), mock.clientId())
                    .clientSecret(mock.config().clientSecret().orElseThrow()).graphUrl(mock.baseUrl())
                    .authorityHost(mock.authorityHost()).trust(mock.certificate()).scheduler(time).build());
                 SyncAgent agent = SyncAgent.create(AgentConfig.builder(source, time).dc(target.ldapUrl())
                         .bind(target.administratorDn(), PASSWORD).build())) {
                long start = System.nanoTime();
                CycleReport full = agent.runCycle();
                double agentSeconds = (System.nanoTime() - start) / 1e9;
                out.printf(Locale.ROOT, "agent full sync: %,d values added in %.2f s = %,.0f values/s (%d Graph requests)%n",
                        full.keysAdded(), agentSeconds, full.keysAdded() / agentSeconds, full.graphRequests());
                out.printf(Locale.ROOT, "  ratio agent / raw modify throughput = %.2f (target >= 0.50)%n", rawSeconds / agentSeconds);

                List<Long> deltas = new ArrayList<>();
                for (int round = 0; round < 5; round++) {
                    time.advance(Duration.ofMinutes(30));
                    for (int i = 0; i < 10; i++) {
                        GraphUser u = users.get(round * 10 + i);
                        mock.admin().removeKey(u.id(), keys.get(round * 10 + i).get(0).id());
                    }
                    long s = System.nanoTime();
                    CycleReport delta = agent.runCycle();
                    deltas.add((System.nanoTime() - s) / 1_000_000);
                    if (delta.usersScanned() != 10 || delta.keysRemoved() != 10) {
                        throw new IllegalStateException("unexpected delta: " + delta.summary());
                    }
                }
                List<Long> sorted = new ArrayList<>(deltas);
                sorted.sort(Long::compare);
                out.printf(Locale.ROOT, "delta cycle, 10 changed users of %,d: median %d ms (runs %s; target <= 200 ms)%n",
                        USERS, sorted.get(2), deltas);
            }
        } finally {
            raw.stop();
            target.stop();
        }
    }

    private static double rawModifies(DomainController dc, List<Persona> people, List<List<DeviceKey>> keys, VirtualScheduler time)
            throws Exception {
        List<String[]> values = new ArrayList<>();
        for (int i = 0; i < people.size(); i++) {
            String dn = people.get(i).distinguishedName(dc.baseDn());
            String[] v = new String[2];
            for (int k = 0; k < 2; k++) {
                DeviceKey key = keys.get(i).get(k);
                v[k] = KeyCredential.builder().rawKeyMaterial(key.keyMaterial()).ownerDn(dn).deviceId(key.deviceId())
                        .creationTime(key.createdDateTime()).source(KeySource.AZURE_AD).build().toDnBinary();
            }
            values.add(v);
        }
        try (LDAPConnection ldap = new LDAPConnection("127.0.0.1", dc.port(), dc.administratorDn(), PASSWORD)) {
            long start = System.nanoTime();
            for (int i = 0; i < people.size(); i++) {
                ldap.modify(people.get(i).distinguishedName(dc.baseDn()),
                        new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", values.get(i)));
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static DomainController dc(String name, VirtualScheduler time) {
        return DomainController.start(DomainControllerConfig.builder(name).clock(time.clock()).seed(SEED).adminPassword(PASSWORD).build());
    }
}
