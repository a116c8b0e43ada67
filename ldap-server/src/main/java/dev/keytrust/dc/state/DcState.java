package dev.keytrust.dc.state;

import dev.keytrust.dc.DomainControllerConfig;
import dev.keytrust.encoding.Sid;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.schema.SchemaManager;

/**
 * What one DC's parts share, as small objects with one job each: its config and schema, the well-known DNs, the
 * looked-up attribute types, the change bookkeeping (USN, invocation id, GUIDs, clock), the object index and the
 * replication state. References run one way: from the parts of the DC to this, never back. Internal to the DC.
 */
public final class DcState {
    public final DomainControllerConfig config;
    public final SchemaManager schema;
    public final Sid domainSid;
    public final WellKnownDns dns;
    public final AdAttributeTypes types;
    public final ChangeStamps stamps;
    public final ObjectIndex objects;
    public final ReplicationState replication;

    /** The state of a DC with {@code config}, once {@code schema} is loaded. */
    public DcState(DomainControllerConfig config, SchemaManager schema) throws LdapException {
        this.config = config;
        this.schema = schema;
        this.domainSid = config.domainSid();
        this.dns = new WellKnownDns(config, schema);
        this.types = new AdAttributeTypes(schema);
        this.stamps = new ChangeStamps(config);
        this.objects = new ObjectIndex(dns);
        this.replication = new ReplicationState(stamps, dns);
    }
}
