/** The mock's admin API: its route table, the in-process implementation, and the HTTP implementation of GraphMockAdmin. */
package dev.keytrust.graph.mock.admin;
