/**
 * Reading WHfB keys from Microsoft Graph: {@link dev.keytrust.graph.GraphKeySource}, the sync agent's
 * {@link dev.keytrust.agent.source.KeySource} port implemented over the Graph SDK for Java and Azure Identity — the
 * same code for a real tenant and for the {@linkplain dev.keytrust.graph.mock.GraphMock Graph mock}.
 */
package dev.keytrust.graph;
