package dev.keytrust.bench;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.schema.Schema;
import dev.keytrust.dc.DomainController;
import dev.keytrust.dc.DomainControllerConfig;
import dev.keytrust.dc.schema.AdAttribute;
import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeySource;
import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Our DC side by side with UnboundID's {@link InMemoryDirectoryServer} given the same AD schema subset, with bare
 * ApacheDS (the engine as our DC embeds it, without AD semantics) and with bare ApacheDS sent AD-shaped writes
 * ({@link AdShapedWrites}: what an AD DC stores, without our interceptor), all under the same workload over LDAP: add
 * users, add a msDS-KeyCredentialLink value to each, remove it again, search by sAMAccountName; with 1 and with 8
 * client connections. The servers take turns, run by run. Target: our DC at ≥ 0.8× the throughput of bare ApacheDS;
 * the other ratios are reported. Run: {@code mvn -B -pl ldap-server -am -DskipTests verify -Dbench=dc}.
 */
public final class DcThroughputBenchmark {
    private static final String BASE = "DC=corp,DC=example,DC=com";
    private static final String ADMIN = "CN=Administrator,CN=Users," + BASE;
    private static final String PASSWORD = "Passw0rd!Passw0rd";
    private static final int USERS = Integer.getInteger("bench.users", 2000);
    private static final String[] PHASES = {"add user", "add key", "remove key", "search"};
    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final String[] KINDS = {"KeyTrust DC", "UnboundID in-memory", "bare ApacheDS", "AD-shaped ApacheDS"};

    /** A directory server under test: its LDAP port and how to stop it. */
    private record Server(int port, Runnable stop) implements AutoCloseable {
        @Override
        public void close() {
            stop.run();
        }
    }

    private DcThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, double[]> results = new LinkedHashMap<>();
        for (int connections : new int[] {1, 8}) {
            for (String kind : KINDS) {
                run(kind, connections, USERS, "warm"); // warm-up run, discarded
            }
            // The servers take turns run by run, so load from elsewhere on a shared machine falls on all of them alike.
            Map<String, double[][]> runs = new LinkedHashMap<>();
            for (int r = 0; r < RUNS; r++) {
                for (String kind : KINDS) {
                    runs.computeIfAbsent(kind, k -> new double[RUNS][])[r] = run(kind, connections, USERS, "bench" + r);
                }
            }
            runs.forEach((kind, rates) -> results.put(kind + "|" + connections, median(rates)));
        }
        System.out.printf("%nLDAP throughput, %d users per run, median of %d runs, ops/s (%d cores)%n", USERS, RUNS,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("  %-12s %-4s %11s %10s %10s %10s %9s %9s %9s%n", "operation", "conn", "KeyTrust DC", "UnboundID",
                "bare ADS", "AD-shaped", "DC/UnbID", "DC/bare", "DC/AD-sh");
        for (int connections : new int[] {1, 8}) {
            double[][] rates = new double[KINDS.length][];
            for (int k = 0; k < KINDS.length; k++) {
                rates[k] = results.get(KINDS[k] + "|" + connections);
            }
            for (int i = 0; i <= PHASES.length; i++) {
                double[] row = new double[KINDS.length];
                for (int k = 0; k < KINDS.length; k++) {
                    row[k] = i < PHASES.length ? rates[k][i] : mixed(rates[k]);
                }
                System.out.printf("  %-12s %-4d %11.0f %10.0f %10.0f %10.0f %8.2fx %8.2fx %8.2fx%n",
                        i < PHASES.length ? PHASES[i] : "whole mix", connections, row[0], row[1], row[2], row[3],
                        row[0] / row[1], row[0] / row[2], row[0] / row[3]);
            }
        }
        System.out.println("  target: KeyTrust DC / bare ApacheDS (the engine alone, no AD semantics) >= 0.80x on the whole mix;"
                + " AD-shaped: bare ApacheDS sent the entries and writes an AD DC stores, without the AD interceptor");
    }

    /** Throughput of the whole workload: one of each operation per user, in sequence. */
    private static double mixed(double[] rates) {
        double secondsPerRound = 0;
        for (double r : rates) {
            secondsPerRound += 1 / r;
        }
        return rates.length / secondsPerRound;
    }

    private static double[] median(double[][] runs) {
        double[] out = new double[PHASES.length];
        for (int p = 0; p < PHASES.length; p++) {
            double[] column = new double[runs.length];
            for (int r = 0; r < runs.length; r++) {
                column[r] = runs[r][p];
            }
            java.util.Arrays.sort(column);
            out[p] = column[column.length / 2];
        }
        return out;
    }

    private static double[] run(String kind, int connections, int users, String tag) throws Exception {
        try (Server server = kind.startsWith("KeyTrust") ? keyTrust() : kind.startsWith("UnboundID") ? inMemory() : bare()) {
            List<LDAPConnection> pool = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                pool.add(new LDAPConnection("127.0.0.1", server.port(), ADMIN, PASSWORD));
            }
            RSAPublicKey key = fixedKey();
            String[] dns = new String[users];
            String[] values = new String[users];
            for (int i = 0; i < users; i++) {
                dns[i] = "CN=" + tag + i + ",CN=Users," + BASE;
                values[i] = KeyCredential.builder().publicKey(key).ownerDn(dns[i]).deviceId(new UUID(i, i))
                        .creationTime(Instant.parse("2026-01-01T00:00:00Z")).source(KeySource.AZURE_AD).build().toDnBinary();
            }
            ExecutorService threads = Executors.newFixedThreadPool(connections);
            AdShapedWrites ad = kind.startsWith("AD-shaped") ? new AdShapedWrites(BASE) : null;
            try {
                double[] rates = new double[PHASES.length];
                rates[0] = phase(threads, pool, users, (c) -> i -> {
                    if (ad != null) {
                        ad.addUser(c, dns[i], tag + i, i);
                    } else {
                        c.add(dns[i], new Attribute("objectClass", "top", "person", "organizationalPerson", "user"),
                                new Attribute("cn", tag + i), new Attribute("sn", "Bench"), new Attribute("sAMAccountName", tag + i));
                    }
                });
                rates[1] = phase(threads, pool, users, (c) -> i -> {
                    if (ad != null) {
                        ad.addKey(c, dns[i], values[i], i);
                    } else {
                        c.modify(dns[i], new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", values[i]));
                    }
                });
                rates[2] = phase(threads, pool, users, (c) -> i -> {
                    if (ad != null) {
                        ad.removeKey(c, dns[i], values[i], i);
                    } else {
                        c.modify(dns[i], new Modification(ModificationType.DELETE, "msDS-KeyCredentialLink", values[i]));
                    }
                });
                rates[3] = phase(threads, pool, users, (c) -> i -> {
                    if (c.search(BASE, SearchScope.SUB, "(sAMAccountName=" + tag + ((i * 7919) % users) + ")", "cn").getEntryCount() != 1) {
                        throw new IllegalStateException("search by sAMAccountName did not find its user");
                    }
                });
                return rates;
            } finally {
                threads.shutdown();
                pool.forEach(LDAPConnection::close);
            }
        }
    }

    private interface Op {
        void run(int i) throws LDAPException;
    }

    /** Runs ops 0..n-1 split over the connections; returns ops per second. */
    private static double phase(ExecutorService threads, List<LDAPConnection> pool, int n,
            java.util.function.Function<LDAPConnection, Op> opFor) throws Exception {
        int k = pool.size();
        long t0 = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            int offset = t;
            Op op = opFor.apply(pool.get(t));
            futures.add(threads.submit(() -> {
                for (int i = offset; i < n; i += k) {
                    op.run(i);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static Server keyTrust() {
        DomainController dc = DomainController.start(DomainControllerConfig.builder("DC1").adminPassword(PASSWORD).build());
        return new Server(dc.port(), dc::close);
    }

    private static Server bare() throws Exception {
        dev.keytrust.dc.BareApacheDs ds = dev.keytrust.dc.BareApacheDs.start(BASE, ADMIN, PASSWORD);
        return new Server(ds.port(), ds::close);
    }

    private static Server inMemory() throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", 0));
        config.addAdditionalBindCredentials(ADMIN, PASSWORD);
        config.setSchema(Schema.mergeSchemas(Schema.getDefaultStandardSchema(), adSchema()));
        config.setEqualityIndexAttributes("sAMAccountName"); // our DC indexes it too: compare like with like
        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        server.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: corp");
        server.add("dn: CN=Users," + BASE, "objectClass: top", "objectClass: container", "cn: Users");
        server.startListening();
        return new Server(server.getListenPort(), () -> server.shutDown(true));
    }

    /** The same AD attributes and classes, as RFC 4512 definitions for UnboundID. */
    private static Schema adSchema() throws Exception {
        List<String> lines = new ArrayList<>(List.of("dn: cn=schema", "objectClass: top", "objectClass: subschema", "cn: schema"));
        for (AdAttribute a : AdSchema.ATTRIBUTES) {
            lines.add("attributeTypes: ( " + a.oid() + " NAME '" + a.name() + "' EQUALITY " + a.syntax().equality()
                    + " SYNTAX " + a.syntax().oid() + (a.singleValued() ? " SINGLE-VALUE" : "") + " )");
        }
        lines.add("objectClasses: ( 1.2.840.113556.1.3.23 NAME 'container' SUP top STRUCTURAL MUST cn )");
        StringBuilder may = new StringBuilder();
        for (AdAttribute a : AdSchema.ATTRIBUTES) {
            may.append(may.length() == 0 ? "" : " $ ").append(a.name());
        }
        lines.add("objectClasses: ( 1.2.840.113556.1.5.9 NAME 'user' SUP organizationalPerson STRUCTURAL MAY ( " + may + " ) )");
        return new Schema(new com.unboundid.ldap.sdk.Entry(lines.toArray(new String[0])));
    }

    private static RSAPublicKey fixedKey() throws Exception {
        BigInteger modulus = BigInteger.ONE.shiftLeft(2047).add(BigInteger.valueOf(0x1234567));
        return (RSAPublicKey) java.security.KeyFactory.getInstance("RSA")
                .generatePublic(new java.security.spec.RSAPublicKeySpec(modulus, BigInteger.valueOf(65537)));
    }
}
