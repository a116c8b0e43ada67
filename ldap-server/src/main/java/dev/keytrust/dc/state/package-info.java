/**
 * What one DC's parts share, split by job: {@link dev.keytrust.dc.state.DcState} holds the well-known DNs, the
 * looked-up attribute types, the change bookkeeping, the object index and the replication state. Internal to the DC.
 */
package dev.keytrust.dc.state;
