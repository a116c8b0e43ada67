package dev.keytrust.dc.state;

import dev.keytrust.dc.DomainControllerConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * One DC's bookkeeping of changes: its USN counter, the invocation id naming its database, the RID pool, the
 * server-assigned GUIDs (reproducible from the seed) and the clock, and who is told after every committed write.
 */
public final class ChangeStamps {
    private static final DateTimeFormatter GENERALIZED_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'.0Z'").withZone(ZoneOffset.UTC);

    private final DomainControllerConfig config;
    private final SplittableRandom guidRandom;
    /** The highest USN this DC has given out. */
    public final AtomicLong usn = new AtomicLong();
    /** The next relative id for a new security principal's SID. */
    public final AtomicLong nextRid = new AtomicLong(1000);
    /**
     * Names this DC's database in replication metadata: new with every new database (an in-memory DC's every start,
     * a persistent DC's first), kept across restarts of a persistent one — so partners never mistake a new database's
     * changes for ones their up-to-dateness vectors already cover (AD gives a restored DC a new one for that reason).
     */
    public volatile UUID invocationId;
    private volatile LongConsumer writeListener = usn -> { };

    ChangeStamps(DomainControllerConfig config) {
        this.config = config;
        this.guidRandom = new SplittableRandom(config.seed() * 31 + config.name().toUpperCase().hashCode());
        newGuid(); // the stream's first draw was the invocation id; later server-assigned GUIDs stay as they were
        this.invocationId = UUID.nameUUIDFromBytes((config.seed() + "|" + config.name().toUpperCase(Locale.ROOT)
                + "|" + config.clock().instant()).getBytes(StandardCharsets.UTF_8));
    }

    /** A server-assigned GUID: random, but reproducible from the seed and DC name. */
    public synchronized UUID newGuid() {
        long msb = (guidRandom.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (guidRandom.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** Now, on the testbed's clock. */
    public Instant now() {
        return config.clock().instant();
    }

    /** Adds a listener told the new highest USN after every committed write in this DC's naming contexts. */
    public synchronized void addWriteListener(LongConsumer listener) {
        writeListener = writeListener.andThen(listener);
    }

    /** Tells every write listener that a write committed with {@code usn}. */
    public void committed(long usn) {
        writeListener.accept(usn);
    }

    /** {@code instant} as an LDAP GeneralizedTime with AD's {@code .0Z} ending. */
    public static String generalizedTime(Instant instant) {
        return GENERALIZED_TIME.format(instant);
    }
}
