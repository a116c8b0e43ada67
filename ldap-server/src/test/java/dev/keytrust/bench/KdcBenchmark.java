package dev.keytrust.bench;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import dev.keytrust.dc.DomainController;
import dev.keytrust.dc.DomainControllerConfig;
import dev.keytrust.dc.kerberos.KdcService;
import dev.keytrust.dc.kerberos.MitKdc;
import dev.keytrust.kdc.client.PasswordClient;
import dev.keytrust.kdc.client.PkinitClient;
import dev.keytrust.kdc.client.UserKeyPair;
import dev.keytrust.kdc.pkinit.KdcCertificates;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeySource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * AS exchanges per second, PKINIT (key trust) and password (PA-ENC-TIMESTAMP), on one DC's KDC and on MIT's krb5kdc
 * in the same run, with the same Java load client ({@link PkinitClient}, {@link PasswordClient}): each client thread
 * opens a TCP connection per exchange, as kinit does. After a warm-up of each, the two KDCs take turns in slices
 * (ours, MIT, ours, ...) so that other load on the machine weighs on both alike. Figures, not a test.
 *
 * <pre>mvn -B -pl ldap-server -am -DskipTests verify -Dbench=kdc
 *     (-Dbench.jvmArgs="-Dbench.threads=4 -Dbench.seconds=10 -Dbench.rounds=5 -Dbench.warmup=5")</pre>
 */
public final class KdcBenchmark {
    private static final String REALM = "CORP.EXAMPLE.COM";

    private KdcBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.getInteger("bench.threads", 4);
        int seconds = Integer.getInteger("bench.seconds", 10);
        int rounds = Integer.getInteger("bench.rounds", 5);
        int warmup = Integer.getInteger("bench.warmup", 5);
        Path dir = Files.createTempDirectory("kdc-bench-");
        Clock clock = Clock.systemUTC();
        KdcCertificates.Credential ca = KdcCertificates.generateCa("KeyTrust Lab CA", clock.instant());
        UserKeyPair bob = UserKeyPair.generate("bob", clock.instant());
        byte[] aliceKey = PasswordClient.key(REALM, "alice", "Secret-Alice-1");
        try (DomainController dc = DomainController.start(DomainControllerConfig.builder("DC1").adminPassword("Passw0rd!Passw0rd")
                     .kdcPort(0).kdcCertificateAuthority(ca).build());
             MitKdc mit = MitKdc.start(dir.resolve("mit"), REALM, new MitKdc.Pkinit(
                     KdcCertificates.issueKdcCertificate(ca, REALM, "mit.corp.example.com", clock.instant()),
                     List.of(ca.certificate(), bob.certificate())), kdc -> {
                         kdc.addUser("alice", "Secret-Alice-1");
                         kdc.addPkinitUser("bob", "bob");
                     });
             LDAPConnection ldap = dc.connect()) {
            String base = dc.baseDn();
            ldap.add("CN=alice,CN=Users," + base, new Attribute("objectClass", "top", "person", "organizationalPerson", "user"),
                    new Attribute("sAMAccountName", "alice"), new Attribute("userPassword", "Secret-Alice-1"));
            ldap.add("CN=bob,CN=Users," + base, new Attribute("objectClass", "top", "person", "organizationalPerson", "user"),
                    new Attribute("sAMAccountName", "bob"), new Attribute("msDS-KeyCredentialLink", KeyCredential.builder()
                            .publicKey(bob.publicKey()).ownerDn("CN=bob,CN=Users," + base).deviceId(UUID.randomUUID())
                            .creationTime(Instant.now()).source(KeySource.AZURE_AD).build().toDnBinary()));
            int ours = dc.port(KdcService.NAME);
            System.out.printf("AS exchanges per second, %d client threads, %d s each in %d alternating slices after "
                    + "%d s of warm-up (TCP, a connection per exchange)%n", threads, seconds, rounds, warmup);
            System.out.printf("%-10s %12s %12s %8s%n", "exchange", "DC's KDC", "MIT krb5kdc", "ratio");
            report("password", threads, seconds, rounds, warmup,
                    () -> PasswordClient.signIn("127.0.0.1", ours, REALM, "alice", aliceKey, clock),
                    () -> PasswordClient.signIn("127.0.0.1", mit.port(), REALM, "alice", aliceKey, clock));
            report("PKINIT", threads, seconds, rounds, warmup,
                    () -> PkinitClient.signIn("127.0.0.1", ours, REALM, "bob", bob.privateKey(), bob.certificate(), clock),
                    () -> PkinitClient.signIn("127.0.0.1", mit.port(), REALM, "bob", bob.privateKey(), bob.certificate(), clock));
        }
    }

    /**
     * Both KDCs warmed up ({@code warmup} seconds each), then {@code rounds} alternating slices of each (ours, MIT, ours, ...) so that load from
     * elsewhere on the machine falls on both alike; the rates are the exchanges of all slices over their time.
     */
    private static void report(String name, int threads, int seconds, int rounds, int warmup, Supplier<PkinitClient.Outcome> ours,
                               Supplier<PkinitClient.Outcome> mit) throws Exception {
        long slice = seconds * 1_000_000_000L / rounds;
        run(ours, threads, warmup * 1_000_000_000L);
        run(mit, threads, warmup * 1_000_000_000L);
        long a = 0;
        long b = 0;
        StringBuilder slices = new StringBuilder();
        for (int i = 0; i < rounds; i++) {
            long x = run(ours, threads, slice);
            long y = run(mit, threads, slice);
            a += x;
            b += y;
            slices.append(String.format(" %.0f/%.0f", x * 1e9 / slice, y * 1e9 / slice));
        }
        double rateA = a / (double) seconds;
        double rateB = b / (double) seconds;
        System.out.printf("%-10s %12.0f %12.0f %8.2f   slices (ours/MIT):%s%n", name, rateA, rateB, rateA / rateB,
                slices);
    }

    /** The exchanges {@code threads} clients complete in {@code nanos}. */
    private static long run(Supplier<PkinitClient.Outcome> exchange, int threads, long nanos) throws Exception {
        PkinitClient.Outcome first = exchange.get();
        if (!first.succeeded()) {
            throw new IllegalStateException("the exchange fails before the run: " + first);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + nanos;
        try {
            List<Future<?>> running = new java.util.ArrayList<>();
            for (int i = 0; i < threads; i++) {
                running.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        if (!exchange.get().succeeded()) {
                            throw new IllegalStateException("an exchange failed during the run");
                        }
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return done.get();
    }
}
