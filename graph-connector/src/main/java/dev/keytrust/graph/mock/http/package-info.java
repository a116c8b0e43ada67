/** The mock's HTTP vocabulary: requests, responses, Graph-shaped errors and the route table (method + path template to handler). */
package dev.keytrust.graph.mock.http;
