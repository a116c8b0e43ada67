package dev.keytrust.agent.source;

/**
 * Where the agent reads WHfB keys from: users with their keys, in full or as changes since a saved
 * {@link SyncState}. Implementations handle paging, throttling and retries themselves; a user whose keys cannot be
 * loaded comes back with {@link SourceUser#keyError()} set instead of failing the whole read. The agent owns this port;
 * the graph-connector module implements it over Microsoft Graph ({@code dev.keytrust.graph.GraphKeySource}).
 *
 * <pre>{@code
 * try (KeySource source = GraphKeySource.create(config)) {
 *     KeyRead first = source.fullSnapshot();
 *     KeyRead later = source.changesSince(first.state());   // full again if the state has expired
 * }
 * }</pre>
 */
public interface KeySource extends AutoCloseable {
    /**
     * Every user with its keys, and the state to resume from.
     *
     * @throws dev.keytrust.KeyTrustException {@code GRAPH_UNAVAILABLE}, {@code GRAPH_AUTHENTICATION_FAILED} or
     *     {@code GRAPH_REQUEST_FAILED} when the read as a whole fails
     */
    KeyRead fullSnapshot();

    /**
     * Like {@link #fullSnapshot()}, also handing each user to {@code sink} as soon as it is complete (on the calling
     * thread), so a caller can start writing before the read ends. The default hands them over at the end.
     */
    default KeyRead fullSnapshot(java.util.function.Consumer<SourceUser> sink) {
        KeyRead read = fullSnapshot();
        read.users().forEach(sink);
        return read;
    }

    /** Users changed or deleted since {@code state}; a full snapshot (with the reason) if the state is no longer valid. */
    KeyRead changesSince(SyncState state);

    @Override
    void close();
}
