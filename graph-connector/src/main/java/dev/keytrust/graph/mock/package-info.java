/**
 * The Graph mock's public API: {@link dev.keytrust.graph.mock.GraphMock}, its configuration, the admin interface
 * {@link dev.keytrust.graph.mock.GraphMockAdmin} and the values it takes and returns. Sub-packages hold the parts
 * by feature (http, directory, token, fault, routes, admin); they depend on this package, never the other way but
 * for {@code GraphMock}, which assembles them.
 */
package dev.keytrust.graph.mock;
