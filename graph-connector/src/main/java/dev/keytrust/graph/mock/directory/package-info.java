/** The mock tenant's state: users, WHfB keys, the delta change log, seeded ids and key pairs, and the request journal. */
package dev.keytrust.graph.mock.directory;
