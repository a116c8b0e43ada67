/**
 * The port the sync agent reads WHfB keys through, owned by the agent: {@link dev.keytrust.agent.source.KeySource},
 * what a read returns ({@link dev.keytrust.agent.source.KeyRead} of {@link dev.keytrust.agent.source.SourceUser}s
 * with their {@link dev.keytrust.agent.source.SourceKey}s) and where to resume
 * ({@link dev.keytrust.agent.source.SyncState}). The graph-connector module implements it over Microsoft Graph
 * ({@code dev.keytrust.graph.GraphKeySource}); the agent itself depends on no Graph code.
 */
package dev.keytrust.agent.source;
