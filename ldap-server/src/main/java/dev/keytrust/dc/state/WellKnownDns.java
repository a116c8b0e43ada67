package dev.keytrust.dc.state;

import dev.keytrust.dc.DomainControllerConfig;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.schema.SchemaManager;

/**
 * The DNs one DC names again and again (its naming contexts, well-known groups, its own server objects), parsed once
 * against the schema, and the questions about naming contexts that the DC's parts ask of a DN.
 */
public final class WellKnownDns {
    private final SchemaManager schema;

    public final Dn baseDn;
    public final Dn configurationDn;
    public final Dn schemaDn;
    /** ApacheDS's subschema subentry (the rootDSE's subschemaSubentry), readable by bound clients. */
    public final Dn subschemaDn;
    public final Dn usersDn;
    public final Dn administratorDn;
    public final Dn domainAdminsDn;
    public final Dn keyAdminsDn;
    public final Dn enterpriseKeyAdminsDn;
    public final Dn serverDn;
    public final Dn ntdsSettingsDn;
    public final Dn computerAccountDn;
    /** Where each naming context keeps its tombstones: CN=Deleted Objects of the domain and of the configuration. */
    public final Dn deletedObjectsDn;
    public final Dn configurationDeletedObjectsDn;
    /** Where replication puts objects whose parent is gone: each naming context's LostAndFound container. */
    public final Dn lostAndFoundDn;
    public final Dn configurationLostAndFoundDn;

    WellKnownDns(DomainControllerConfig config, SchemaManager schema) throws LdapException {
        this.schema = schema;
        String base = config.baseDn();
        String sites = "CN=Sites,CN=Configuration," + base;
        String server = "CN=" + config.name() + ",CN=Servers,CN=" + config.site() + "," + sites;
        this.baseDn = dn(base);
        this.configurationDn = dn("CN=Configuration," + base);
        this.schemaDn = dn("CN=Schema,CN=Configuration," + base);
        this.subschemaDn = dn("cn=schema");
        this.usersDn = dn("CN=Users," + base);
        this.administratorDn = dn("CN=Administrator,CN=Users," + base);
        this.domainAdminsDn = dn("CN=Domain Admins,CN=Users," + base);
        this.keyAdminsDn = dn("CN=Key Admins,CN=Users," + base);
        this.enterpriseKeyAdminsDn = dn("CN=Enterprise Key Admins,CN=Users," + base);
        this.serverDn = dn(server);
        this.ntdsSettingsDn = dn("CN=NTDS Settings," + server);
        this.computerAccountDn = dn("CN=" + config.name() + ",OU=Domain Controllers," + base);
        this.deletedObjectsDn = dn("CN=Deleted Objects," + base);
        this.configurationDeletedObjectsDn = dn("CN=Deleted Objects,CN=Configuration," + base);
        this.lostAndFoundDn = dn("CN=LostAndFound," + base);
        this.configurationLostAndFoundDn = dn("CN=LostAndFoundConfig,CN=Configuration," + base);
    }

    /** {@code dn} parsed and normalised against this DC's schema. */
    public Dn dn(String dn) throws LdapException {
        return new Dn(schema, dn);
    }

    /** Whether {@code dn} is in a naming context this DC serves with AD semantics (domain, configuration). */
    public boolean isAdNamingContext(Dn dn) {
        return dn.isDescendantOf(baseDn) || dn.equals(baseDn);
    }

    /** The Deleted Objects container of the naming context {@code dn} is in. */
    public Dn deletedObjectsFor(Dn dn) {
        return inConfiguration(dn) ? configurationDeletedObjectsDn : deletedObjectsDn;
    }

    /** The LostAndFound container of the naming context {@code dn} is in. */
    public Dn lostAndFoundFor(Dn dn) {
        return inConfiguration(dn) ? configurationLostAndFoundDn : lostAndFoundDn;
    }

    private boolean inConfiguration(Dn dn) {
        return dn.isDescendantOf(configurationDn) || dn.equals(configurationDn);
    }

    /** Whether {@code dn} is a tombstone or a Deleted Objects container (hidden without the show-deleted control). */
    public boolean isDeletedObject(Dn dn) {
        return dn.isDescendantOf(deletedObjectsDn) || dn.equals(deletedObjectsDn)
                || dn.isDescendantOf(configurationDeletedObjectsDn) || dn.equals(configurationDeletedObjectsDn);
    }
}
