package dev.keytrust.dc.changes;

import java.util.List;

/**
 * Marks a write the DC applies on behalf of replication: the interceptor skips client access rules and link
 * target checks, keeps the originating metadata given here (stamping only what is local: uSNChanged, local USNs,
 * whenChanged), and does not treat the write as originating.
 *
 * @param attributes the entry's complete attribute metadata after the write; stamps with local USN -1 get the
 *     write's local USN ({@link ReplicationMetadata#THIS_WRITE})
 * @param values the entry's complete linked-value metadata after the write, likewise
 */
public record ReplicatedWrite(List<ReplicationMetadata.AttributeStamp> attributes, List<ReplicationMetadata.ValueStamp> values) {
    /** Set while the current thread applies a replicated write. */
    public static final ThreadLocal<ReplicatedWrite> CURRENT = new ThreadLocal<>();
}
