/**
 * The Entra Connect-like sync agent: reads WHfB keys through a {@link dev.keytrust.agent.source.KeySource} and writes
 * {@code msDS-KeyCredentialLink} on the sync-target DC through the UnboundID LDAP SDK — never ApacheDS internals,
 * so it runs unchanged against the testbed's DCs, Samba or a real lab DC. Start with {@link dev.keytrust.agent.SyncAgent}.
 */
package dev.keytrust.agent;
