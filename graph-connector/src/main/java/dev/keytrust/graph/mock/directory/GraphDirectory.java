package dev.keytrust.graph.mock.directory;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.graph.mock.DeviceKey;
import dev.keytrust.graph.mock.GraphUser;
import dev.keytrust.keycredential.KeyMaterial;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * The mock tenant's state: users, their WHfB keys, and a change log for delta queries. Every change takes the next
 * sequence number; a delta token is a sequence number, so a round of delta returns exactly what changed after it.
 * Thread-safe (one lock); ids come from the seed, times from the testbed clock.
 */
public final class GraphDirectory {
    /**
     * A user with its keys and the sequence numbers of its last profile and key changes.
     *
     * @param baseSeq the sequence number when every property last changed together (creation, restore)
     * @param created when the user was created ({@code createdDateTime})
     * @param deleted when it was soft-deleted ({@code deletedDateTime}), or null while active
     * @param managerId its manager's object id, or null
     * @param changedAt the sequence number of the last change of each property (for {@code Prefer: return=minimal})
     */
    public record StoredUser(GraphUser user, List<DeviceKey> keys, long order, long profileSeq, long keySeq, long baseSeq,
            Instant created, Instant deleted, String managerId, Map<String, Long> changedAt) {
        public StoredUser {
            changedAt = Map.copyOf(changedAt);
        }

        /** An active user created at the epoch whose every property changed at {@code profileSeq} (tests). */
        public StoredUser(GraphUser user, List<DeviceKey> keys, long order, long profileSeq, long keySeq) {
            this(user, keys, order, profileSeq, keySeq, profileSeq, Instant.EPOCH, null, null, Map.of());
        }

        /** The last change a delta of this API version reports (beta also shows key changes). */
        public long seq(boolean beta) {
            return beta ? Math.max(profileSeq, keySeq) : profileSeq;
        }

        /** Whether the user is in the deleted items (soft-deleted, restorable). */
        public boolean softDeleted() {
            return deleted != null;
        }

        /** The sequence number of the last change of {@code property} ({@code deviceKeys}: the last key change). */
        public long changedAt(String property) {
            return "deviceKeys".equals(property) ? keySeq : changedAt.getOrDefault(property, baseSeq);
        }

        StoredUser withKeys(List<DeviceKey> newKeys, long seq) {
            return new StoredUser(user, List.copyOf(newKeys), order, profileSeq, seq, baseSeq, created, deleted, managerId,
                    changedAt);
        }
    }

    /** A deleted user, as delta reports it. */
    public record Deletion(String id, long seq) {
    }

    private final Clock clock;
    private final long seed;
    private Random ids;
    private TestKeyPairs keyPairs;
    private final Map<String, StoredUser> users = new LinkedHashMap<>();
    private final Map<String, String> idByUpn = new HashMap<>();
    private final List<Deletion> deletions = new ArrayList<>();
    private long sequence;
    private long order;
    private long generation;

    public GraphDirectory(Clock clock, long seed) {
        this.clock = clock;
        this.seed = seed;
        this.ids = new Random(seed);
        this.keyPairs = new TestKeyPairs(seed);
    }

    public synchronized long generation() {
        return generation;
    }

    public synchronized long sequence() {
        return sequence;
    }

    /** A new GUID from the seeded sequence. */
    public synchronized UUID nextGuid() {
        return new UUID((ids.nextLong() & ~0xF000L) | 0x4000L, (ids.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L);
    }

    public synchronized GraphUser addUser(GraphUser user) {
        if (user == null || user.userPrincipalName() == null || !user.userPrincipalName().contains("@")) {
            throw bad("a user needs a userPrincipalName like alice@corp.example.com but got "
                    + (user == null ? "nothing" : user.userPrincipalName()));
        }
        checkUpnFree(user.userPrincipalName(), null);
        if (user.id() != null) {
            try {
                UUID.fromString(user.id());
            } catch (IllegalArgumentException e) {
                throw bad("a user id must be a GUID but got '" + user.id() + "'; leave it out to have one assigned");
            }
            if (users.containsKey(user.id())) {
                throw bad("user id " + user.id() + " already exists");
            }
        }
        checkImmutableId(user.onPremisesImmutableId());
        if (user.onPremisesSecurityIdentifier() != null && !user.onPremisesSecurityIdentifier().matches("S-1(-\\d+)+")) {
            throw bad("onPremisesSecurityIdentifier must be a SID like S-1-5-21-1-2-3-1104 but got '"
                    + user.onPremisesSecurityIdentifier() + "'");
        }
        GraphUser stored = user.withId(user.id() != null ? user.id() : nextGuid().toString());
        long seq = ++sequence;
        users.put(stored.id(), new StoredUser(stored, List.of(), order++, seq, 0, seq, clock.instant(), null, null, Map.of()));
        idByUpn.put(stored.userPrincipalName().toLowerCase(Locale.ROOT), stored.id());
        return stored;
    }

    /**
     * Changes the properties {@code update} gives; each takes the next sequence number, so delta reports the user
     * (with {@code Prefer: return=minimal}, only those properties). Nothing changes if any value is refused.
     */
    public synchronized GraphUser updateUser(String idOrUpn, dev.keytrust.graph.mock.UserUpdate update) {
        StoredUser u = require(idOrUpn);
        if (update == null || update.properties().isEmpty() && update.managerId() == null) {
            throw bad("an update must set at least one of " + dev.keytrust.graph.mock.UserUpdate.JSON_SHAPE);
        }
        String upn = update.userPrincipalName();
        if (upn != null) {
            if (!upn.contains("@")) {
                throw bad("userPrincipalName must look like alice@corp.example.com but got '" + upn + "'");
            }
            checkUpnFree(upn, u.user().id());
        }
        checkImmutableId(update.onPremisesImmutableId());
        String manager = u.managerId();
        if (update.managerId() != null) {
            manager = update.managerId().isEmpty() ? null : require(update.managerId()).user().id();
            if (u.user().id().equals(manager)) {
                throw bad("a user cannot be its own manager");
            }
        }
        GraphUser old = u.user();
        GraphUser changed = new GraphUser(old.id(), upn != null ? upn : old.userPrincipalName(),
                or(update.displayName(), old.displayName()), or(update.givenName(), old.givenName()),
                or(update.surname(), old.surname()), or(update.mail(), old.mail()),
                update.accountEnabled() != null ? update.accountEnabled() : old.accountEnabled(),
                or(update.onPremisesImmutableId(), old.onPremisesImmutableId()), old.onPremisesSecurityIdentifier(),
                old.onPremisesSyncEnabled(), old.onPremisesSamAccountName(), old.onPremisesDistinguishedName(),
                old.onPremisesDomainName());
        long seq = ++sequence;
        Map<String, Long> at = new HashMap<>(u.changedAt());
        update.properties().keySet().forEach(p -> at.put(p, seq));
        if (upn != null) {
            idByUpn.remove(old.userPrincipalName().toLowerCase(Locale.ROOT));
            idByUpn.put(upn.toLowerCase(Locale.ROOT), old.id());
        }
        users.put(old.id(), new StoredUser(changed, u.keys(), u.order(), seq, u.keySeq(), u.baseSeq(), u.created(), u.deleted(),
                manager, at));
        return changed;
    }

    /**
     * Deletes a user as Graph's {@code DELETE /users/{id}} does: to the deleted items, restorable for 30 days. It leaves
     * {@code /users}; delta reports it {@code @removed} with reason {@code changed}.
     */
    public synchronized void removeUser(String idOrUpn) {
        StoredUser u = require(idOrUpn);
        users.put(u.user().id(), new StoredUser(u.user(), u.keys(), u.order(), ++sequence, u.keySeq(), u.baseSeq(), u.created(),
                clock.instant(), u.managerId(), u.changedAt()));
    }

    /** Restores a soft-deleted user: it is back in {@code /users}, and delta shows it again with all its properties. */
    public synchronized GraphUser restoreUser(String id) {
        StoredUser u = requireAny(id);
        if (!u.softDeleted()) {
            throw bad("user " + u.user().userPrincipalName() + " is not deleted; only a deleted user can be restored");
        }
        long seq = ++sequence;
        users.put(u.user().id(), new StoredUser(u.user(), u.keys(), u.order(), seq, u.keySeq(), seq, u.created(), null,
                u.managerId(), Map.of()));
        return u.user();
    }

    /** Deletes a user for good (active or soft-deleted): delta reports it {@code @removed} with reason {@code deleted}. */
    public synchronized void purgeUser(String id) {
        StoredUser gone = users.remove(requireAny(id).user().id());
        idByUpn.remove(gone.user().userPrincipalName().toLowerCase(Locale.ROOT));
        deletions.add(new Deletion(gone.user().id(), ++sequence));
        for (StoredUser u : List.copyOf(users.values())) {
            if (gone.user().id().equals(u.managerId())) {
                users.put(u.user().id(), new StoredUser(u.user(), u.keys(), u.order(), u.profileSeq(), u.keySeq(),
                        u.baseSeq(), u.created(), u.deleted(), null, u.changedAt()));
            }
        }
    }

    /** The users in the deleted items (soft-deleted), in creation order. */
    public synchronized List<StoredUser> deletedUsers() {
        return users.values().stream().filter(StoredUser::softDeleted).toList();
    }

    private void checkUpnFree(String upn, String self) {
        String owner = idByUpn.get(upn.toLowerCase(Locale.ROOT));
        if (owner != null && !owner.equals(self)) {
            throw bad("userPrincipalName " + upn + " is already used by user " + owner
                    + "; choose another or delete that user for good first");
        }
    }

    private static void checkImmutableId(String immutableId) {
        if (immutableId != null) {
            try {
                Base64.getDecoder().decode(immutableId);
            } catch (IllegalArgumentException e) {
                throw bad("onPremisesImmutableId must be base64 (of the AD objectGUID bytes) but got '" + immutableId + "'");
            }
        }
    }

    private static String or(String value, String otherwise) {
        return value != null ? value : otherwise;
    }

    /**
     * Registers a key for a user: a generated pair unless {@code publicKey} (SPKI DER or an RSA1 blob) is given.
     */
    public synchronized DeviceKey addKey(String userId, UUID deviceId, String displayName, byte[] publicKey, String rawMaterial,
            String keyType) {
        StoredUser owner = require(userId);
        byte[] material;
        Optional<java.security.PrivateKey> privateKey = Optional.empty();
        if (rawMaterial != null) {
            material = rawMaterial.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } else if (publicKey != null) {
            material = rsa1(publicKey);
        } else {
            KeyPair pair = keyPairs.next();
            material = KeyMaterial.rsa1Blob((RSAPublicKey) pair.getPublic());
            privateKey = Optional.of(pair.getPrivate());
        }
        UUID device = deviceId != null ? deviceId : nextGuid();
        String name = displayName != null && !displayName.isBlank() ? displayName
                : "DESKTOP-" + device.toString().substring(0, 7).toUpperCase(Locale.ROOT);
        for (DeviceKey k : owner.keys()) {
            if (k.deviceId().equals(device)) {
                throw bad("user " + owner.user().userPrincipalName() + " already has a key for device " + device
                        + "; remove it first (one WHfB key per user and device)");
            }
        }
        DeviceKey key = new DeviceKey(nextGuid().toString(), device, name, material, clock.instant(), "normal", privateKey,
                keyType == null || keyType.isBlank() ? "NGC" : keyType, rawMaterial);
        List<DeviceKey> keys = new ArrayList<>(owner.keys());
        keys.add(key);
        users.put(owner.user().id(), owner.withKeys(keys, ++sequence));
        return key;
    }

    /** Removes a key by its method id or KeyID (base64 or base64url); returns it. */
    public synchronized DeviceKey removeKey(String userId, String keyOrMethodId) {
        StoredUser owner = require(userId);
        String wanted = keyOrMethodId.replace('-', '+').replace('_', '/');
        for (DeviceKey k : owner.keys()) {
            if (k.id().equalsIgnoreCase(keyOrMethodId) || k.keyId().equals(wanted) || k.keyId().equals(keyOrMethodId)) {
                List<DeviceKey> keys = new ArrayList<>(owner.keys());
                keys.remove(k);
                users.put(owner.user().id(), owner.withKeys(keys, ++sequence));
                return k;
            }
        }
        throw new KeyTrustException(ErrorCode.GRAPH_MOCK_BAD_REQUEST, "user " + owner.user().userPrincipalName()
                + " has no key with method id or KeyID '" + keyOrMethodId + "'; it has " + owner.keys());
    }

    /** A user by object id or userPrincipalName (case-insensitive). */
    public synchronized Optional<StoredUser> find(String idOrUpn) {
        return findAny(idOrUpn).filter(u -> !u.softDeleted());
    }

    /** A user by object id or userPrincipalName, also a soft-deleted one. */
    public synchronized Optional<StoredUser> findAny(String idOrUpn) {
        StoredUser byId = users.get(idOrUpn);
        if (byId != null) {
            return Optional.of(byId);
        }
        String id = idByUpn.get(idOrUpn.toLowerCase(Locale.ROOT));
        return Optional.ofNullable(id == null ? null : users.get(id));
    }

    /** Every active (not deleted) user, in creation order. */
    public synchronized List<StoredUser> users() {
        return users.values().stream().filter(u -> !u.softDeleted()).toList();
    }

    /**
     * Users (soft-deleted ones too) whose change, as this version sees it, is after {@code afterSeq} and at most
     * {@code upTo}, by seq.
     */
    public synchronized List<StoredUser> changedBetween(long afterSeq, long upTo, boolean beta) {
        List<StoredUser> out = new ArrayList<>();
        for (StoredUser u : users.values()) {
            long s = u.seq(beta);
            if (s > afterSeq && s <= upTo) {
                out.add(u);
            }
        }
        out.sort(Comparator.comparingLong(u -> u.seq(beta)));
        return out;
    }

    public synchronized List<Deletion> deletedBetween(long afterSeq, long upTo) {
        return deletions.stream().filter(d -> d.seq() > afterSeq && d.seq() <= upTo).toList();
    }

    /** Forgets everything; delta tokens issued before are no longer valid. Ids and keys restart from the seed. */
    public synchronized void reset() {
        users.clear();
        idByUpn.clear();
        deletions.clear();
        generation++;
        ids = new Random(seed);
        keyPairs = new TestKeyPairs(seed);
    }

    private StoredUser requireAny(String idOrUpn) {
        return findAny(idOrUpn).orElseThrow(() -> new KeyTrustException(ErrorCode.GRAPH_MOCK_BAD_REQUEST,
                "no user, active or deleted, with id or userPrincipalName '" + idOrUpn + "'"));
    }

    private StoredUser require(String idOrUpn) {
        return find(idOrUpn).orElseThrow(() -> new KeyTrustException(ErrorCode.GRAPH_MOCK_BAD_REQUEST,
                "no user with id or userPrincipalName '" + idOrUpn + "'"));
    }

    private static byte[] rsa1(byte[] publicKey) {
        Optional<RSAPublicKey> rsa = KeyMaterial.describe(publicKey).rsaPublicKey();
        if (rsa.isEmpty()) {
            throw bad("publicKey must be an RSA public key (base64 of a SubjectPublicKeyInfo, a PKCS#1 RSAPublicKey, or an "
                    + "RSA1 blob) but it is none of these (" + publicKey.length + " bytes)");
        }
        return KeyMaterial.rsa1Blob(rsa.get());
    }

    private static KeyTrustException bad(String message) {
        return new KeyTrustException(ErrorCode.GRAPH_MOCK_BAD_REQUEST, message);
    }
}
