/**
 * What a domain controller hosts, as plug-ins of its {@link dev.keytrust.dc.DomainControllerConfig}: protocol
 * services with their own ports ({@link ProtocolService}), SASL bind mechanisms ({@link SaslMechanism}) and the
 * context each gets ({@link DcContext}: the DC's names, clock and a read-only {@link DirectoryView} of its directory).
 * A new service (a KDC, say) is a new class plus one line where the DC's config is assembled.
 */
package dev.keytrust.dc.service;
