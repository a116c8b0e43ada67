package dev.keytrust.testbed;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.graph.mock.DeviceKey;
import dev.keytrust.graph.mock.GraphMockAdmin;
import dev.keytrust.graph.mock.GraphMockAdmin.KeyRequest;
import dev.keytrust.graph.mock.GraphUser;
import dev.keytrust.kdc.client.UserKeyPair;
import dev.keytrust.keycredential.KeyMaterial;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The testbed's key operations in Entra (the Graph mock): register, follow and remove keys, each followed by the tracker. */
final class TestbedKeys {
    /** Logged under the testbed's own category ({@code dev.keytrust.testbed.Testbed}), which users filter on. */
    private static final Logger LOG = LoggerFactory.getLogger("dev.keytrust.testbed.Testbed");

    private final GraphMockAdmin admin;
    private final KeyTracker tracker;
    private final List<String> users;

    TestbedKeys(GraphMockAdmin admin, KeyTracker tracker, List<String> users) {
        this.admin = admin;
        this.tracker = tracker;
        this.users = users;
    }

    /** See {@link Testbed#registerKey(String, String)}. */
    TestKey register(String user, String deviceName) {
        GraphUser owner = user(user);
        DeviceKey k = admin.addKey(owner.id(), KeyRequest.device(deviceName));
        return track(owner, k, k.privateKey().orElseThrow());
    }

    /** See {@link Testbed#registerKey(String, String, UserKeyPair)}. */
    TestKey register(String user, String deviceName, UserKeyPair pair) {
        GraphUser owner = user(user);
        DeviceKey k = admin.addKey(owner.id(), new KeyRequest(null, deviceName, pair.publicKey().getEncoded(), null, null));
        return track(owner, k, pair.privateKey());
    }

    private TestKey track(GraphUser owner, DeviceKey k, PrivateKey privateKey) {
        TestKey key = testKey(owner, k, privateKey);
        tracker.track(key);
        LOG.info("registered {} at {}", key, key.registered());
        return key;
    }

    private static TestKey testKey(GraphUser owner, DeviceKey k, PrivateKey privateKey) {
        return new TestKey(owner.userPrincipalName(), owner.id(), k.displayName(), k.deviceId(), k.id(), k.keyId(),
                k.keyMaterial(), KeyMaterial.describe(k.keyMaterial()).rsaPublicKey().orElseThrow(), privateKey,
                k.createdDateTime());
    }

    /** See {@link Testbed#followKeysRegisteredElsewhere()}. */
    List<TestKey> followRegisteredElsewhere() {
        List<TestKey> followed = new ArrayList<>();
        for (GraphUser u : admin.users()) {
            for (DeviceKey k : admin.keys(u.id())) {
                if (!tracker.isTracked(k.keyId()) && k.rawKeyMaterial() == null
                        && KeyMaterial.describe(k.keyMaterial()).rsaPublicKey().isPresent()) {
                    TestKey key = testKey(u, k, k.privateKey().orElse(null));
                    tracker.track(key);
                    followed.add(key);
                    LOG.info("following {}, registered at {} through the mock's admin API", key, key.registered());
                }
            }
        }
        return followed;
    }

    /** Removes a key from Entra. */
    void remove(TestKey key) {
        admin.removeKey(key.userId(), key.methodId());
    }

    private GraphUser user(String user) {
        String wanted = user.toLowerCase(Locale.ROOT);
        return admin.users().stream().filter(u -> u.userPrincipalName().equalsIgnoreCase(wanted)
                || u.userPrincipalName().toLowerCase(Locale.ROOT).startsWith(wanted + "@")).findFirst()
                .orElseThrow(() -> new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "no user '" + user
                        + "' in the testbed; users: " + users.subList(0, Math.min(5, users.size())) + (users.size() > 5 ? "..." : "")));
    }
}
