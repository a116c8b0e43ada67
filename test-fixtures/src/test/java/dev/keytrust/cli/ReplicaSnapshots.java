package dev.keytrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import dev.keytrust.dc.schema.AdSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;

/**
 * What the DCs of {@link NetworkFaultsIT} hold, read over LDAP from the root namespace: the key values of a few
 * users, the users the test added, and the value metadata. Waits are bounded by a wall-clock deadline (the DCs run
 * in other processes, on real networks) and say what they waited for and what they saw last.
 */
final class ReplicaSnapshots {
    private static final Duration CONVERGENCE = Duration.ofSeconds(45);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration NUDGE = Duration.ofSeconds(2);

    private final NetworkNamespaces net;
    private final int port;
    private final String adminDn;
    private final String password;
    private final List<String> users;
    private final String base;

    ReplicaSnapshots(NetworkNamespaces net, int port, String adminDn, String password, List<String> users) {
        this.net = net;
        this.port = port;
        this.adminDn = adminDn;
        this.password = password;
        this.users = users;
        this.base = adminDn.substring(adminDn.indexOf(",DC=") + 1);
    }

    /** A bound connection to DC {@code i} at its address, with short timeouts (a cut network fails fast). */
    LDAPConnection connect(int i) throws LDAPException {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(2_000);
        options.setResponseTimeoutMillis(10_000);
        return new LDAPConnection(options, net.address(i), port, adminDn, password);
    }

    /** One DC's view: key values per user (canonical text) and the test's added users. */
    record Snapshot(Map<String, Set<String>> keys, Set<String> added) {
        boolean holds(NetworkFaultsIT.Written w) {
            return w.value() == null ? added.contains(w.dn().toLowerCase(Locale.ROOT))
                    : keys.getOrDefault(w.dn().toLowerCase(Locale.ROOT), Set.of()).contains(canonical(w.value()));
        }
    }

    Snapshot snapshot(int i) throws LDAPException {
        try (LDAPConnection ldap = connect(i)) {
            Map<String, Set<String>> keys = new TreeMap<>();
            for (String user : users) {
                SearchResultEntry e = ldap.getEntry(user, "msDS-KeyCredentialLink");
                Set<String> values = new TreeSet<>();
                String[] raw = e == null ? null : e.getAttributeValues("msDS-KeyCredentialLink");
                for (String v : raw == null ? new String[0] : raw) {
                    values.add(canonical(v));
                }
                keys.put(user.toLowerCase(Locale.ROOT), values);
            }
            Set<String> added = new TreeSet<>();
            for (SearchResultEntry e : ldap.search("CN=Users," + base, SearchScope.ONE, "(cn=net-*)", "cn").getSearchEntries()) {
                added.add(e.getDN().toLowerCase(Locale.ROOT));
            }
            return new Snapshot(keys, added);
        }
    }

    /**
     * Until every DC holds the same users and keys, including all of {@code expected}; every 2 seconds each DC
     * is asked to pull from each other one now (rootDSE {@code keytrustReplicateNow}, as {@code keytrust syncall}).
     */
    void awaitConvergence(List<NetworkFaultsIT.Written> expected, String what) {
        awaitConvergence(List.of(1, 2, 3), expected, what);
    }

    /** As {@link #awaitConvergence(List, String)}, among the DCs {@code among} only (the others may be off the network). */
    void awaitConvergence(List<Integer> among, List<NetworkFaultsIT.Written> expected, String what) {
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        long nextNudge = System.nanoTime();
        String last = "nothing read yet";
        while (true) {
            if (System.nanoTime() - nextNudge >= 0) {
                nudge(among);
                nextNudge = System.nanoTime() + NUDGE.toNanos();
            }
            try {
                List<Snapshot> views = new ArrayList<>();
                for (int i : among) {
                    views.add(snapshot(i));
                }
                List<String> missing = new ArrayList<>();
                for (NetworkFaultsIT.Written w : expected) {
                    for (int k = 0; k < among.size(); k++) {
                        int i = among.get(k);
                        if (!views.get(k).holds(w)) {
                            missing.add("DC" + i + " lacks DC" + w.dc() + "'s " + (w.value() == null ? "user " + w.dn()
                                    : "key on " + w.dn()));
                        }
                    }
                }
                boolean same = views.stream().distinct().count() == 1;
                if (missing.isEmpty() && same && allUsersPresent(among)) {
                    return;
                }
                last = missing.isEmpty() ? (same ? "DC1's users not yet on every DC" : "the DCs still differ: " + views)
                        : missing.size() + " missing, first " + missing.subList(0, Math.min(5, missing.size()));
            } catch (LDAPException e) {
                last = "a DC did not answer: " + e.getResultCode() + " " + e.getDiagnosticMessage();
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("expected " + what + " within " + CONVERGENCE.toSeconds() + " s but they had not; "
                        + "last seen: " + last);
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    private boolean allUsersPresent(List<Integer> among) throws LDAPException {
        for (int i : among) {
            try (LDAPConnection ldap = connect(i)) {
                for (String user : users) {
                    if (ldap.getEntry(user, "1.1") == null) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Asks each DC of {@code among} to pull from each other one now; one that cannot be asked is left for the next round. */
    void nudge(List<Integer> among) {
        for (int i : among) {
            try (LDAPConnection ldap = connect(i)) {
                for (int j : among) {
                    if (j != i) {
                        ldap.modify("", new Modification(ModificationType.REPLACE, AdSchema.REPLICATE_NOW, "DC" + j));
                    }
                }
            } catch (LDAPException e) {
                // unreachable now; asked again on the next round
            }
        }
    }

    /**
     * For {@code window} (wall time), with every DC asked to pull from the others meanwhile, no DC holds a write made
     * on another one: the network between them is really cut.
     */
    void assertStaysSeparate(List<NetworkFaultsIT.Written> writes, Duration window, String when) throws LDAPException {
        nudge(List.of(1, 2, 3));
        long end = System.nanoTime() + window.toNanos();
        do {
            for (int i = 1; i <= 3; i++) {
                Snapshot view = snapshot(i);
                for (NetworkFaultsIT.Written w : writes) {
                    if (w.dc() != i) {
                        assertThat(view.holds(w)).as("%s, DC%d holds DC%d's write on %s", when, i, w.dc(), w.dn()).isFalse();
                    } else {
                        assertThat(view.holds(w)).as("DC%d holds its own acknowledged write on %s", i, w.dn()).isTrue();
                    }
                }
            }
            LockSupport.parkNanos(POLL.toNanos());
        } while (System.nanoTime() - end < 0);
    }

    /**
     * Every DC shows the same value metadata for the users' keys (all but usnLocalChange, which is each DC's own),
     * and each acknowledged key's metadata names the DC it was written on as its originating DC.
     */
    void assertSameValueMetadata(List<NetworkFaultsIT.Written> writes) throws LDAPException {
        for (String user : users) {
            List<Set<String>> views = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                try (LDAPConnection ldap = connect(i)) {
                    SearchResultEntry e = ldap.getEntry(user, AdSchema.REPL_VALUE_METADATA);
                    Set<String> stamps = new TreeSet<>();
                    for (String xml : Objects.requireNonNullElse(e.getAttributeValues(AdSchema.REPL_VALUE_METADATA), new String[0])) {
                        stamps.add(xml.replaceAll("\\s*<usnLocalChange>\\d+</usnLocalChange>", ""));
                    }
                    views.add(stamps);
                }
            }
            assertThat(views.get(1)).as("DC2's value metadata of %s, against DC1's", user).isEqualTo(views.get(0));
            assertThat(views.get(2)).as("DC3's value metadata of %s, against DC1's", user).isEqualTo(views.get(0));
            for (NetworkFaultsIT.Written w : writes) {
                if (w.value() != null && w.dn().equalsIgnoreCase(user)) {
                    String hex = canonical(w.value()).split(":")[2];
                    assertThat(views.get(0)).as("value metadata of DC%d's key on %s", w.dc(), user)
                            .anySatisfy(xml -> assertThat(xml).containsIgnoringCase("<pbData>" + hex + "</pbData>")
                                    .contains("<pszLastOriginatingDsaDN>CN=NTDS Settings,CN=DC" + w.dc() + ","));
                }
            }
        }
    }

    /** A DN-binary value with its hex in upper case (as the DCs store it). */
    static String canonical(String dnBinary) {
        String[] parts = dnBinary.split(":", 4);
        return parts.length == 4 ? parts[0] + ":" + parts[1] + ":" + parts[2].toUpperCase(Locale.ROOT) + ":" + parts[3] : dnBinary;
    }
}
