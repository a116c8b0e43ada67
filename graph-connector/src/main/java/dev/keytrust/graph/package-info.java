/**
 * Reading WHfB keys from Microsoft Graph: the {@link dev.keytrust.graph.KeySource} port and
 * {@link dev.keytrust.graph.GraphKeySource}, its implementation over the Graph SDK for Java and Azure Identity — the
 * same code for a real tenant and for the {@linkplain dev.keytrust.graph.mock.GraphMock Graph mock}.
 */
package dev.keytrust.graph;
