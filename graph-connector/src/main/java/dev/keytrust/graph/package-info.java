/**
 * The {@code KeySource} port and its adapter over the real Microsoft Graph SDK and Azure Identity, and the
 * stateful HTTPS Graph mock.
 *
 * <p>Status: the module exists so the build and dependency direction are fixed
 * ({@code core ← graph-connector ← test-fixtures}); its contents arrive with the Graph issue.
 */
package dev.keytrust.graph;
