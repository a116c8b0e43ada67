package dev.keytrust.agent.source;

import java.util.List;
import java.util.Optional;

/**
 * What one read from a {@link KeySource} returned.
 *
 * @param full true for a full snapshot ({@code users} is every user); false for changes ({@code users} is the
 *     users that changed, {@code removedUserIds} those deleted)
 * @param resyncReason why a full snapshot was returned although changes were asked for (an expired or unknown
 *     delta token), if it was
 * @param users users with their keys
 * @param removedUserIds users deleted since the saved state (changes only)
 * @param state the state to resume from next time
 * @param graphRequests HTTP requests made to Graph (a $batch counts once), retries included
 * @param throttleWaits how many times the source waited for Retry-After or backed off
 */
public record KeyRead(boolean full, Optional<String> resyncReason, List<SourceUser> users, List<String> removedUserIds,
        SyncState state, int graphRequests, int throttleWaits) {
    public KeyRead {
        users = List.copyOf(users);
        removedUserIds = List.copyOf(removedUserIds);
    }
}
