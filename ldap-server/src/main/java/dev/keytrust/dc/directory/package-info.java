/**
 * One DC's embedded ApacheDS directory: the instance with its partitions, indexes and interceptor chain, the AD
 * interceptor that gives every operation AD's semantics, the domain's initial layout, the view hosted services read
 * through, and ApacheDS's logging. Internal to the DC.
 */
package dev.keytrust.dc.directory;
