/** The Graph routes of the mock (users, delta, authentication methods, $batch) and the router in front of them. */
package dev.keytrust.graph.mock.routes;
