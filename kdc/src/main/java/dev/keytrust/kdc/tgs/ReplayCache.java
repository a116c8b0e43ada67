package dev.keytrust.kdc.tgs;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticators seen by one KDC instance within the allowed skew (RFC 4120 3.2.3). An entry is kept until its
 * authenticator's time plus the skew has passed; older authenticators are refused for skew anyway. Bounded: when
 * full after dropping expired entries, new authenticators are refused rather than old ones forgotten.
 */
public final class ReplayCache {
    private final Duration skew;
    private final int capacity;
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();

    /** A cache for authenticators within {@code skew}, holding at most {@code capacity} of them. */
    public ReplayCache(Duration skew, int capacity) {
        this.skew = skew;
        this.capacity = capacity;
    }

    /**
     * Records the authenticator identified by {@code key} made at {@code ctime}.
     *
     * @return false if it was seen before (a replay) or the cache is full
     */
    public boolean firstSeen(String key, Instant ctime, Instant now) {
        if (seen.size() >= capacity) {
            purge(now);
            if (seen.size() >= capacity) {
                return false;
            }
        }
        return seen.putIfAbsent(key, ctime.plus(skew)) == null;
    }

    private void purge(Instant now) {
        for (Iterator<Instant> it = seen.values().iterator(); it.hasNext(); ) {
            if (it.next().isBefore(now.minus(skew))) {
                it.remove();
            }
        }
    }

    /** How many authenticators are remembered. */
    public int size() {
        return seen.size();
    }
}
