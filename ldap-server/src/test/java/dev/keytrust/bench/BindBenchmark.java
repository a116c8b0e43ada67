package dev.keytrust.bench;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.BindResult;
import com.unboundid.ldap.sdk.GenericSASLBindRequest;
import com.unboundid.ldap.sdk.LDAPBindException;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import dev.keytrust.dc.DomainController;
import dev.keytrust.dc.DomainControllerConfig;
import dev.keytrust.dc.ntlm.NtlmTestClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * NTLM binds per second against simple binds per second on the same DC in the same run: each client connection binds
 * again and again as the Administrator, with a simple bind, or with a full NTLM exchange over SASL GSS-SPNEGO (bare
 * NTLMSSP, two rounds: NEGOTIATE, then AUTHENTICATE with MIC and key exchange). Target: NTLM ≥ 0.5× simple.
 * Run: {@code mvn -B -pl ldap-server -am -DskipTests verify -Dbench=binds}.
 */
public final class BindBenchmark {
    private static final String PASSWORD = "Passw0rd!Passw0rd";
    private static final long PHASE_MILLIS = Long.getLong("bench.millis", 4000);
    private static final int RUNS = Integer.getInteger("bench.runs", 3);

    private BindBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try (DomainController dc = DomainController.start(DomainControllerConfig.builder("DC1").adminPassword(PASSWORD)
                .build())) {
            System.out.printf("%nBinds per second on one DC, median of %d runs of %d ms after a warm-up (%d cores)%n", RUNS,
                    PHASE_MILLIS, Runtime.getRuntime().availableProcessors());
            System.out.printf("  %-5s %10s %10s %8s%n", "conn", "simple", "NTLM", "ratio");
            for (int connections : new int[] {1, 4}) {
                rate(dc, connections, false);
                rate(dc, connections, true); // warm-up, discarded
                double[] simple = new double[RUNS];
                double[] ntlm = new double[RUNS];
                for (int r = 0; r < RUNS; r++) {
                    simple[r] = rate(dc, connections, false);
                    ntlm[r] = rate(dc, connections, true);
                }
                double s = median(simple);
                double n = median(ntlm);
                System.out.printf("  %-5d %10.0f %10.0f %7.2fx%n", connections, s, n, n / s);
            }
        }
    }

    private static double rate(DomainController dc, int connections, boolean ntlm) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<Future<Long>> counts = new ArrayList<>();
            long end = System.nanoTime() + PHASE_MILLIS * 1_000_000;
            for (int c = 0; c < connections; c++) {
                counts.add(pool.submit(() -> {
                    long n = 0;
                    try (LDAPConnection ldap = new LDAPConnection(dc.host(), dc.port())) {
                        while (System.nanoTime() < end) {
                            if (ntlm) {
                                ntlmBind(ldap);
                            } else {
                                ldap.bind(new SimpleBindRequest(dc.administratorDn(), PASSWORD));
                            }
                            n++;
                        }
                    }
                    return n;
                }));
            }
            long total = 0;
            for (Future<Long> f : counts) {
                total += f.get();
            }
            return total * 1000.0 / PHASE_MILLIS;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void ntlmBind(LDAPConnection ldap) throws Exception {
        NtlmTestClient client = new NtlmTestClient("CORP", "Administrator", PASSWORD, NtlmTestClient.FLAGS
                & ~(dev.keytrust.dc.ntlm.NtlmFlags.SIGN | dev.keytrust.dc.ntlm.NtlmFlags.SEAL)); // no layer: rebind next
        ASN1OctetString challenge;
        try {
            ldap.bind(new GenericSASLBindRequest(null, "GSS-SPNEGO", new ASN1OctetString(client.negotiate())));
            throw new IllegalStateException("expected saslBindInProgress after NEGOTIATE");
        } catch (LDAPBindException e) {
            if (e.getResultCode() != ResultCode.SASL_BIND_IN_PROGRESS) {
                throw e;
            }
            challenge = e.getBindResult().getServerSASLCredentials();
        }
        BindResult done = ldap.bind(new GenericSASLBindRequest(null, "GSS-SPNEGO",
                new ASN1OctetString(client.authenticate(challenge.getValue()))));
        if (done.getResultCode() != ResultCode.SUCCESS) {
            throw new IllegalStateException("NTLM bind failed: " + done);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
