package dev.keytrust.graph.mock.admin;

import dev.keytrust.graph.mock.DeviceKey;
import dev.keytrust.graph.mock.FaultRule;
import dev.keytrust.graph.mock.GraphMockAdmin;
import dev.keytrust.graph.mock.GraphUser;
import dev.keytrust.graph.mock.MockSettings;
import dev.keytrust.graph.mock.UserUpdate;
import dev.keytrust.graph.mock.RecordedRequest;
import dev.keytrust.graph.mock.directory.GraphDirectory;
import dev.keytrust.graph.mock.directory.RequestJournal;
import dev.keytrust.graph.mock.fault.Faults;
import dev.keytrust.graph.mock.fault.Throttle;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link GraphMockAdmin} over the mock's own state, in the same JVM. */
public final class InProcessAdmin implements GraphMockAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessAdmin.class);
    private final GraphDirectory directory;
    private final Faults faults;
    private final Throttle throttle;
    private final RequestJournal journal;
    private final AtomicReference<MockSettings> settings;

    /** {@code settings} is shared with the routes that read it. */
    public InProcessAdmin(GraphDirectory directory, Faults faults, Throttle throttle, RequestJournal journal,
            AtomicReference<MockSettings> settings) {
        this.settings = settings;
        this.directory = directory;
        this.faults = faults;
        this.throttle = throttle;
        this.journal = journal;
    }

    @Override
    public GraphUser addUser(GraphUser user) {
        return directory.addUser(user);
    }

    @Override
    public void removeUser(String idOrUpn) {
        directory.removeUser(idOrUpn);
    }

    @Override
    public GraphUser updateUser(String idOrUpn, UserUpdate update) {
        return directory.updateUser(idOrUpn, update);
    }

    @Override
    public GraphUser restoreUser(String idOrUpn) {
        return directory.restoreUser(idOrUpn);
    }

    @Override
    public void purgeUser(String idOrUpn) {
        directory.purgeUser(idOrUpn);
    }

    @Override
    public List<GraphUser> deletedUsers() {
        return directory.deletedUsers().stream().map(GraphDirectory.StoredUser::user).toList();
    }

    @Override
    public MockSettings settings() {
        return settings.get();
    }

    @Override
    public MockSettings settings(MockSettings change) {
        if (change == null) {
            throw new dev.keytrust.KeyTrustException(dev.keytrust.ErrorCode.GRAPH_MOCK_BAD_REQUEST,
                    "settings need at least one of batchOrder (inOrder, shuffled) and throttleHeaders (graph, rateLimit)");
        }
        return settings.updateAndGet(s -> s.with(change));
    }

    @Override
    public List<GraphUser> users() {
        return directory.users().stream().map(GraphDirectory.StoredUser::user).toList();
    }

    @Override
    public DeviceKey addKey(String userIdOrUpn, KeyRequest request) {
        KeyRequest r = request == null ? KeyRequest.generated() : request;
        DeviceKey key = directory.addKey(userIdOrUpn, r.deviceId(), r.displayName(), r.publicKey(), r.rawKeyMaterial(), r.keyType());
        LOG.debug("registered WHfB key {} for {} on {}", key.keyId(), userIdOrUpn, key.displayName());
        return key;
    }

    @Override
    public DeviceKey removeKey(String userIdOrUpn, String keyOrMethodId) {
        return directory.removeKey(userIdOrUpn, keyOrMethodId);
    }

    @Override
    public List<DeviceKey> keys(String userIdOrUpn) {
        return directory.find(userIdOrUpn).map(GraphDirectory.StoredUser::keys)
                .orElseThrow(() -> new dev.keytrust.KeyTrustException(dev.keytrust.ErrorCode.GRAPH_MOCK_BAD_REQUEST,
                        "no user with id or userPrincipalName '" + userIdOrUpn + "'"));
    }

    @Override
    public FaultRule addFault(FaultRule fault) {
        return faults.add(fault);
    }

    @Override
    public List<FaultRule> faults() {
        return faults.rules();
    }

    @Override
    public void clearFaults() {
        faults.clear();
    }

    @Override
    public void reset() {
        directory.reset();
        faults.reset();
        throttle.reset();
        journal.clear();
        settings.set(MockSettings.DEFAULTS);
    }

    @Override
    public List<RecordedRequest> requests() {
        return journal.entries();
    }
}
