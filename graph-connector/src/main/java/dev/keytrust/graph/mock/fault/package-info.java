/** The mock's single fault model: fault kinds (what happens) apart from the rules that match requests, and throttling. */
package dev.keytrust.graph.mock.fault;
