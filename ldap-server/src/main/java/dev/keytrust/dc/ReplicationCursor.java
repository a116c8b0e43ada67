package dev.keytrust.dc;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of a DC's up-to-dateness vector (AD's {@code DS_REPL_CURSOR}): this DC holds every change the database
 * {@code invocationId} (the DC {@code dsaDn}) originated up to {@code usn}, as of its last successful pull that
 * brought the vector forward. A pull skips the changes its destination's vector already covers, so a change is applied
 * once however many paths it takes. Clients read a DC's vector as {@code msDS-NCReplCursors} on a naming-context head
 * ({@code keytrust showutdvec}).
 *
 * @param invocationId the originating database
 * @param dsaDn its DC's NTDS Settings DN
 * @param usn the highest of its USNs covered
 * @param lastSyncSuccess when this entry last moved forward (for the DC itself: now)
 */
public record ReplicationCursor(UUID invocationId, String dsaDn, long usn, Instant lastSyncSuccess) {
}
