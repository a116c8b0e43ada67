/**
 * Domain controllers: embedded ApacheDS servers, each a host of services (LDAP, LDAPS, the global catalog, a KDC)
 * with an AD-shaped schema subset, an AD-like rootDSE, USNs and replication metadata; AD-style pull replication
 * between them over LDAP. Start from {@link dev.keytrust.dc.DomainController} and
 * {@link dev.keytrust.dc.DomainControllerConfig}.
 *
 * <p>Inside, by feature: {@code state} (what one DC's parts share), {@code changes} (AD's write semantics: stamps,
 * replication metadata, links, tombstones, renames, applying replicated changes), {@code face} (what clients read:
 * rootDSE, filters, constructed attributes, result shaping), {@code access} (access rules, accounts, passwords,
 * binds), {@code service} (the plug-in points), {@code wire}, {@code schema}, and the protocols {@code ntlm},
 * {@code spnego}, {@code krb} and {@code kerberos}.
 */
package dev.keytrust.dc;
