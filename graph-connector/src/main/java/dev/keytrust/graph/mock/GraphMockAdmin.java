package dev.keytrust.graph.mock;

import java.util.List;
import java.util.UUID;

/**
 * Controls a running {@link GraphMock}: the same operations as its HTTP admin API under {@code /_admin}. Every
 * operation validates its input first; a refused one ({@code GRAPH_MOCK_BAD_REQUEST}) changes nothing.
 *
 * <pre>{@code
 * GraphUser alice = mock.admin().addUser(GraphUser.named("alice@corp.example.com", "Alice"));
 * DeviceKey key = mock.admin().addKey(alice.id(), KeyRequest.device("ALICE-LAPTOP"));
 * mock.admin().addFault(FaultRule.status("/users*", 503).retryAfter(5).times(2));
 * }</pre>
 */
public interface GraphMockAdmin {
    /**
     * What to register as a WHfB key: all optional.
     *
     * @param deviceId the device id (default: a new one from the seed)
     * @param displayName the device name (default: DESKTOP-XXXXXXX)
     * @param publicKey an RSA public key (SPKI DER, PKCS#1 or RSA1 blob); default: a pair generated from the seed,
     *     whose private key is kept for tests
     * @param rawKeyMaterial bad data for tests: shown as {@code keyMaterial} exactly as given, never checked
     * @param keyType the key type Graph shows (default {@code NGC})
     */
    record KeyRequest(UUID deviceId, String displayName, byte[] publicKey, String rawKeyMaterial, String keyType) {
        /** A generated key on a new device with a default name. */
        public static KeyRequest generated() {
            return new KeyRequest(null, null, null, null, null);
        }

        /** A generated key on a new device called {@code name}. */
        public static KeyRequest device(String name) {
            return new KeyRequest(null, name, null, null, null);
        }

        /** A key whose Graph {@code keyMaterial} is {@code material} as given (garbage for bad-data tests). */
        public static KeyRequest malformed(String name, String material, String keyType) {
            return new KeyRequest(null, name, null, material, keyType);
        }
    }

    /** Adds a user (an id is assigned when absent); returns it as stored. */
    GraphUser addUser(GraphUser user);

    /**
     * Deletes a user as Graph's {@code DELETE /users/{id}} does: it goes to the deleted items (restorable), leaves
     * {@code /users}, and delta reports it {@code @removed} with reason {@code changed}.
     */
    void removeUser(String idOrUpn);

    /** Changes a user's profile (only the properties given); delta then reports the user. Returns it as stored. */
    GraphUser updateUser(String idOrUpn, UserUpdate update);

    /** Restores a deleted user (by id or UPN): back in {@code /users}, and in delta with all its properties. */
    GraphUser restoreUser(String idOrUpn);

    /** Deletes a user for good, active or deleted: delta reports it {@code @removed} with reason {@code deleted}. */
    void purgeUser(String idOrUpn);

    /** The users in the deleted items, in creation order. */
    List<GraphUser> deletedUsers();

    /** The current settings ({@link MockSettings}). */
    MockSettings settings();

    /** Applies the non-null values of {@code change}; returns the settings now in force. */
    MockSettings settings(MockSettings change);

    /** Every user, in creation order. */
    List<GraphUser> users();

    /** Registers a WHfB key for a user (by id or UPN). */
    DeviceKey addKey(String userIdOrUpn, KeyRequest request);

    /** Removes a key by its WHfB method id or KeyID; returns it. */
    DeviceKey removeKey(String userIdOrUpn, String keyOrMethodId);

    /** A user's keys. */
    List<DeviceKey> keys(String userIdOrUpn);

    /** Adds a fault; returns it with its id. */
    FaultRule addFault(FaultRule fault);

    /** Active faults (with their remaining {@code times}). */
    List<FaultRule> faults();

    /** Removes every fault. */
    void clearFaults();

    /**
     * Forgets users, keys, faults, throttling state and the journal, and restores the default settings; earlier
     * delta tokens become invalid.
     */
    void reset();

    /** The request journal, oldest first. */
    List<RecordedRequest> requests();
}
