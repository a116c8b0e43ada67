/**
 * The Entra Connect-like sync agent: reads WHfB keys through the graph connector and writes
 * {@code msDS-KeyCredentialLink} on the sync-target DC through the UnboundID LDAP SDK.
 *
 * <p>Status: the module exists so the build and dependency direction are fixed
 * ({@code core ← sync-agent ← test-fixtures}); its contents arrive with the sync-agent issue.
 */
package dev.keytrust.agent;
