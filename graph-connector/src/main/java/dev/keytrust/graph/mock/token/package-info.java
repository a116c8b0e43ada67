/** The identity-platform side of the mock: the token endpoint, client credentials and the check of bearer tokens. */
package dev.keytrust.graph.mock.token;
