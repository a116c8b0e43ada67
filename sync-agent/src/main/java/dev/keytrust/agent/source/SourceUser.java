package dev.keytrust.agent.source;

import java.util.List;
import java.util.Optional;

/**
 * A Graph user with its WHfB keys.
 *
 * @param id the Entra object id
 * @param userPrincipalName the UPN
 * @param onPremisesImmutableId base64 of the AD anchor (objectGUID or mS-DS-ConsistencyGuid), if synced
 * @param onPremisesSecurityIdentifier the AD objectSid, if synced
 * @param keys the user's keys (empty if it has none, or if {@code keyError} is set)
 * @param keyError why the user's keys could not be loaded completely, if they could not
 */
public record SourceUser(String id, String userPrincipalName, Optional<String> onPremisesImmutableId,
        Optional<String> onPremisesSecurityIdentifier, List<SourceKey> keys, Optional<String> keyError) {
    public SourceUser {
        keys = List.copyOf(keys);
    }
}
