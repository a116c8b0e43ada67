/**
 * AD's write semantics on one DC: what every originating write is stamped with, per-attribute and per-value
 * replication metadata, linked attributes and back links, tombstones, renames and moves, and applying changes
 * pulled from a partner. Internal to the DC.
 */
package dev.keytrust.dc.changes;
