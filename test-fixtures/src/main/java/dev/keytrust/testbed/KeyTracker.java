package dev.keytrust.testbed;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import dev.keytrust.KeyTrustException;
import dev.keytrust.agent.CycleReport;
import dev.keytrust.dc.DomainController;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.time.Scheduler;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each tracked key's timeline. A write on a DC (the agent's, or a replication pull's) schedules a check of
 * that DC at the same instant; the check reads the owners' msDS-KeyCredentialLink over LDAP and notes, for keys
 * that arrived, the instant of the write. Agent cycle reports give the read time.
 */
final class KeyTracker {
    private static final Logger LOG = LoggerFactory.getLogger(KeyTracker.class);

    private static final class Track {
        final TestKey key;
        volatile Instant readByAgent;
        final Map<String, Instant> visible = new LinkedHashMap<>();
        final Map<String, Instant> signedIn = new LinkedHashMap<>();

        Track(TestKey key) {
            this.key = key;
        }
    }

    private final Scheduler scheduler;
    private final Map<String, DomainController> dcs;
    private final String syncTarget;
    private final String password;
    private final Map<String, Track> tracks = new ConcurrentHashMap<>();
    private final Map<String, Instant> firstUncheckedWrite = new ConcurrentHashMap<>();
    private final Set<String> checkScheduled = ConcurrentHashMap.newKeySet();
    private final Map<String, String> dnByUpn = new ConcurrentHashMap<>();
    private volatile Instant lastCycleStart;
    private final KeySignIn signIns;

    KeyTracker(Scheduler scheduler, List<DomainController> dcs, String syncTarget, String password, KeySignIn signIns) {
        this.scheduler = scheduler;
        this.signIns = signIns;
        this.dcs = new LinkedHashMap<>();
        dcs.forEach(dc -> this.dcs.put(dc.name(), dc));
        this.syncTarget = syncTarget;
        this.password = password;
        for (DomainController dc : dcs) {
            dc.addWriteListener(usn -> written(dc.name()));
        }
    }

    void track(TestKey key) {
        tracks.put(key.keyId(), new Track(key));
    }

    boolean isTracked(String keyId) {
        return tracks.containsKey(keyId);
    }

    void forgetAll() {
        tracks.clear();
    }

    void cycleDone(CycleReport report) {
        lastCycleStart = report.started();
    }

    Optional<KeyTimeline> timeline(TestKey key) {
        Track t = tracks.get(key.keyId());
        if (t == null) {
            return Optional.empty();
        }
        synchronized (t) {
            return Optional.of(new KeyTimeline(t.key, t.key.registered(), Optional.ofNullable(t.readByAgent), t.visible,
                    t.signedIn));
        }
    }

    List<KeyTimeline> timelines() {
        return tracks.values().stream().map(t -> timeline(t.key).orElseThrow()).toList();
    }

    private void written(String dc) {
        if (tracks.values().stream().noneMatch(t -> !t.signedIn.containsKey(dc))) {
            return;
        }
        firstUncheckedWrite.putIfAbsent(dc, scheduler.now());
        if (checkScheduled.add(dc)) {
            scheduler.scheduleAt(scheduler.now(), "timeline check of " + dc, Scheduler.Kind.FOREGROUND, () -> check(dc));
        }
    }

    private void check(String dc) {
        checkScheduled.remove(dc);
        Instant when = firstUncheckedWrite.remove(dc);
        DomainController d = dcs.get(dc);
        if (when == null || d == null || !d.isServing()) {
            return;
        }
        try (LDAPConnection ldap = new LDAPConnection(d.host(), d.port(), d.administratorDn(), password)) {
            for (Track t : tracks.values()) {
                if (t.visible.containsKey(dc)) {
                    trySignIn(t, d, when);
                    continue;
                }
                String dn = dnByUpn.computeIfAbsent(t.key.userPrincipalName(), upn -> dn(ldap, d.baseDn(), upn));
                if (dn == null) {
                    continue;
                }
                SearchResultEntry e = ldap.getEntry(dn, "msDS-KeyCredentialLink");
                String[] values = e == null ? null : e.getAttributeValues("msDS-KeyCredentialLink");
                if (values != null && has(values, t.key.keyId())) {
                    synchronized (t) {
                        t.visible.put(dc, when);
                        if (dc.equalsIgnoreCase(syncTarget) && t.readByAgent == null) {
                            // The cycle that wrote it; on scaled time a cycle may have started just before the key was
                            // registered and read Graph after: never earlier than the registration.
                            Instant cycle = lastCycleStart != null && !lastCycleStart.isAfter(when) ? lastCycleStart : when;
                            t.readByAgent = cycle.isBefore(t.key.registered()) ? t.key.registered() : cycle;
                        }
                    }
                    LOG.info("{} visible on {} at {}", t.key, dc, when);
                }
                trySignIn(t, d, when); // whether or not LDAP shows it: the KDC decides
            }
        } catch (LDAPException e) {
            LOG.debug("cannot check {} for keys: {}", dc, e.getMessage());
        }
    }

    /**
     * The testbed's own PKINIT sign-in with the key at the DC's KDC; the first success is when the key became usable
     * there. A refusal (62 before the key has replicated) records nothing.
     */
    private void trySignIn(Track t, DomainController d, Instant when) {
        if (t.signedIn.containsKey(d.name()) || !KeySignIn.hasKdc(d) || t.key.privateKey() == null) { // a key registered elsewhere: no private half to sign in with
            return;
        }
        dev.keytrust.kdc.client.PkinitClient.Outcome outcome;
        try {
            outcome = signIns.signIn(t.key, d);
        } catch (KeyTrustException e) {
            LOG.debug("sign-in with {} on {} failed: {}", t.key, d.name(), e.getMessage());
            return;
        }
        if (outcome.succeeded()) {
            synchronized (t) {
                t.signedIn.put(d.name(), when);
            }
            LOG.info("{} signs in on {} at {}", t.key, d.name(), when);
        }
    }

    private static String dn(LDAPConnection ldap, String base, String upn) {
        try {
            SearchResultEntry e = ldap.searchForEntry(base, SearchScope.SUB, com.unboundid.ldap.sdk.Filter.createEqualityFilter("userPrincipalName", upn));
            return e == null ? null : e.getDN();
        } catch (LDAPException e) {
            return null;
        }
    }

    static boolean has(String[] values, String keyId) {
        for (String v : values) {
            try {
                if (KeyCredential.fromDnBinary(v).keyIdBase64().equals(keyId)) {
                    return true;
                }
            } catch (KeyTrustException ignored) {
                // not ours
            }
        }
        return false;
    }
}
