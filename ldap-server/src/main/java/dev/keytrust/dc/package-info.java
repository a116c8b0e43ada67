/**
 * Domain controllers: embedded ApacheDS servers, each with its own LDAP port, an AD-shaped schema subset, an
 * AD-like rootDSE, USNs and replication metadata; AD-style pull replication between them over LDAP.
 *
 * <p>Status: the module exists so the build and dependency direction are fixed
 * ({@code core ← ldap-server ← test-fixtures}); its contents arrive with the domain-controller and
 * replication issues.
 */
package dev.keytrust.dc;
