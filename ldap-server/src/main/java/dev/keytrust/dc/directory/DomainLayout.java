package dev.keytrust.dc.directory;

import dev.keytrust.dc.DomainControllerConfig;
import dev.keytrust.dc.access.AccountDefaults;
import dev.keytrust.dc.access.Passwords;
import dev.keytrust.dc.state.DcState;
import dev.keytrust.encoding.MsGuid;
import dev.keytrust.persona.Persona;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.directory.api.ldap.model.entry.DefaultEntry;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.server.core.api.CoreSession;

/**
 * Creates what a fresh AD domain has, on a DC's first start: the domain head, CN=Users, CN=Computers,
 * OU=Domain Controllers, the Administrator (RID 500), Domain Admins (512), Domain Users (513), Domain Computers
 * (515), Domain Controllers (516), Key Admins (526), Enterprise Key Admins (527), ms-DS-MachineAccountQuota 10 on
 * the domain head, and CN=Configuration with the DC's site, server and NTDS Settings objects and its computer
 * account. GUIDs of domain-wide objects are derived from the seed and DN, so every DC built with the same seed
 * agrees on them.
 */
public final class DomainLayout {
    /** groupType of a global security group. */
    private static final String GLOBAL_SECURITY = "-2147483646";
    /** groupType of a universal security group. */
    private static final String UNIVERSAL_SECURITY = "-2147483640";
    /** How many computers a user without other rights may add to the domain (AD's default, on the domain head). */
    static final int MACHINE_ACCOUNT_QUOTA = 10;
    /** userAccountControl of an enabled normal account whose password never expires. */
    static final String NORMAL_ACCOUNT = "66048";
    /** userAccountControl of a disabled normal account (krbtgt). */
    private static final String DISABLED_ACCOUNT = "514";
    /** userAccountControl of a DC's computer account (SERVER_TRUST_ACCOUNT | TRUSTED_FOR_DELEGATION). */
    private static final String SERVER_TRUST = "532480";

    private final DcState state;
    private final CoreSession admin;

    DomainLayout(DcState state, CoreSession admin) {
        this.state = state;
        this.admin = admin;
    }

    void create(String adminPassword) throws LdapException {
        String base = state.dns.baseDn.getName();
        String label = state.config.domain().split("\\.")[0];
        add(base, "objectClass: top", "objectClass: domain", "objectClass: domainDNS", "dc: " + label,
                sid(state.domainSid.toBytes()), "ms-DS-MachineAccountQuota: " + MACHINE_ACCOUNT_QUOTA);
        add("CN=Users," + base, "objectClass: top", "objectClass: container", "cn: Users",
                "description: Default container for upgraded user accounts");
        add("CN=Computers," + base, "objectClass: top", "objectClass: container", "cn: Computers",
                "description: Default container for upgraded computer accounts");
        add("OU=Domain Controllers," + base, "objectClass: top", "objectClass: organizationalUnit",
                "ou: Domain Controllers", "description: Default container for domain controllers");
        Entry administrator = entry(state.dns.administratorDn.getName(), "objectClass: top", "objectClass: person",
                "objectClass: organizationalPerson", "objectClass: user", "cn: Administrator",
                "sAMAccountName: Administrator", "userAccountControl: " + NORMAL_ACCOUNT,
                "userPrincipalName: Administrator@" + state.config.domain(),
                "description: Built-in account for administering the computer/domain");
        administrator.add(state.types.objectSid, state.domainSid.withRid(500).toBytes());
        administrator.add(state.types.userPassword, adminPassword); // the DC keeps its hash, NT hash and keys (Passwords)
        admin.add(administrator);
        group(state.dns.domainAdminsDn, "Domain Admins", 512, GLOBAL_SECURITY, "Designated administrators of the domain",
                state.dns.administratorDn.getName());
        group(state.dns.dn("CN=Domain Users," + state.dns.usersDn.getName()), "Domain Users", AccountDefaults.DOMAIN_USERS,
                GLOBAL_SECURITY, "All domain users", null);
        group(state.dns.dn("CN=Domain Computers," + state.dns.usersDn.getName()), "Domain Computers",
                AccountDefaults.DOMAIN_COMPUTERS, GLOBAL_SECURITY, "All workstations and servers joined to the domain", null);
        group(state.dns.dn("CN=Domain Controllers," + state.dns.usersDn.getName()), "Domain Controllers",
                AccountDefaults.DOMAIN_CONTROLLERS, GLOBAL_SECURITY, "All domain controllers in the domain", null);
        group(state.dns.keyAdminsDn, "Key Admins", 526, GLOBAL_SECURITY,
                "Members of this group can perform administrative actions on key objects within the domain.", null);
        group(state.dns.enterpriseKeyAdminsDn, "Enterprise Key Admins", 527, UNIVERSAL_SECURITY,
                "Members of this group can perform administrative actions on key objects within the forest.", null);

        addKrbtgt();

        add(state.dns.configurationDn.getName(), "objectClass: top", "objectClass: configuration", "cn: Configuration");
        add(state.dns.schemaDn.getName(), "objectClass: top", "objectClass: dMD", "cn: Schema", "dmdName: Schema");
        add("CN=Sites," + state.dns.configurationDn.getName(), "objectClass: top", "objectClass: sitesContainer", "cn: Sites");
        addDeletedObjectsContainers();
        addSiteAndServer();
    }

    /**
     * Each naming context's CN=Deleted Objects, where deletions leave their tombstones (itself marked deleted, so
     * hidden without the show-deleted control, as in AD), and its LostAndFound, where replication puts an object whose
     * parent was deleted meanwhile on another DC. Added to data directories made before they existed.
     */
    void addDeletedObjectsContainers() throws LdapException {
        for (Dn dn : java.util.List.of(state.dns.deletedObjectsDn, state.dns.configurationDeletedObjectsDn)) {
            if (!admin.exists(dn)) {
                add(dn.getName(), "objectClass: top", "objectClass: container", "cn: Deleted Objects",
                        "description: Default container for deleted objects", "isDeleted: TRUE");
            }
        }
        for (Dn dn : java.util.List.of(state.dns.lostAndFoundDn, state.dns.configurationLostAndFoundDn)) {
            if (!admin.exists(dn)) {
                add(dn.getName(), "objectClass: top", "objectClass: container", "cn: " + dn.getRdn().getValue(),
                        "description: Default container for orphaned objects");
            }
        }
    }

    /**
     * The domain's {@code krbtgt} account (RID 502, disabled as in AD: it never signs in, its keys sign tickets), with
     * a random password the DC turns into keys like any other. Every DC creates it at its first start under the same
     * GUID; replication then leaves one version of its keys on all of them, so a TGT from one DC is honoured by all.
     * Added to data directories made before it existed.
     */
    void addKrbtgt() throws LdapException {
        Dn krbtgt = state.dns.dn("CN=krbtgt,CN=Users," + state.dns.baseDn.getName());
        if (admin.exists(krbtgt)) {
            return;
        }
        Entry e = entry(krbtgt.getName(), "objectClass: top", "objectClass: person", "objectClass: organizationalPerson",
                "objectClass: user", "cn: krbtgt", "sAMAccountName: krbtgt", "userAccountControl: " + DISABLED_ACCOUNT,
                "description: Key Distribution Center Service Account");
        e.add(state.types.objectSid, state.domainSid.withRid(502).toBytes());
        e.add(state.types.userPassword, randomPassword());
        admin.add(e);
    }

    /** A long random password for an account no one signs in to with a password (krbtgt, a DC's computer account). */
    private static String randomPassword() {
        byte[] random = new byte[48];
        new java.security.SecureRandom().nextBytes(random);
        return java.util.Base64.getEncoder().encodeToString(random);
    }

    /**
     * The service principal names AD registers on a DC's computer account: LDAP, host and SMB names for its DNS name
     * and NetBIOS name, and the global catalog and replication names the KDC may be asked for.
     */
    static List<String> dcServicePrincipalNames(DomainControllerConfig config) {
        String host = config.dnsHostName();
        String domain = config.domain();
        String name = config.name();
        return List.of("ldap/" + host, "ldap/" + host + "/" + domain, "ldap/" + name, "ldap/" + host + "/"
                + config.netbiosDomain(), "host/" + host, "host/" + name, "host/" + host + "/" + domain,
                "cifs/" + host, "GC/" + host + "/" + domain, "RestrictedKrbHost/" + host, "RestrictedKrbHost/" + name);
    }

    /** The DC's own objects: its site (if new), server, NTDS Settings and computer account. */
    void addSiteAndServer() throws LdapException {
        String site = "CN=" + state.config.site() + ",CN=Sites," + state.dns.configurationDn.getName();
        if (!admin.exists(state.dns.dn(site))) {
            add(site, "objectClass: top", "objectClass: site", "cn: " + state.config.site());
            add("CN=Servers," + site, "objectClass: top", "objectClass: serversContainer", "cn: Servers");
        }
        Entry computer = entry(state.dns.computerAccountDn.getName(), "objectClass: top", "objectClass: person",
                "objectClass: organizationalPerson", "objectClass: user", "objectClass: computer",
                "cn: " + state.config.name(), "sAMAccountName: " + state.config.name() + "$",
                "userAccountControl: " + SERVER_TRUST, "dNSHostName: " + state.config.dnsHostName());
        for (String spn : dcServicePrincipalNames(state.config)) {
            computer.add(dev.keytrust.dc.schema.AdSchema.SERVICE_PRINCIPAL_NAME, spn);
        }
        computer.add(state.types.userPassword, randomPassword()); // the machine password: keys for its service tickets
        admin.add(computer);
        add(state.dns.serverDn.getName(), "objectClass: top", "objectClass: server", "cn: " + state.config.name(),
                "dNSHostName: " + state.config.dnsHostName(), "serverReference: " + state.dns.computerAccountDn.getName());
        Entry ntds = entry(state.dns.ntdsSettingsDn.getName(), "objectClass: top", "objectClass: nTDSDSA",
                "cn: NTDS Settings", "options: 1");
        ntds.add(state.schema.lookupAttributeTypeRegistry("invocationId"), MsGuid.toBytes(state.stamps.invocationId));
        ntds.put(state.types.objectGuid, MsGuid.toBytes(state.stamps.newGuid()));
        admin.add(ntds);
    }

    /** Adds deterministic users under CN=Users (objectGUID and objectSid from the personas). */
    public void addUsers(List<Persona> people, String password) throws LdapException {
        for (Persona p : people) {
            Entry e = new DefaultEntry(state.schema, state.dns.dn(p.distinguishedName(state.dns.baseDn.getName())));
            e.add(state.types.objectClass, "top", "person", "organizationalPerson", "user");
            e.add("cn", p.commonName());
            e.add("givenName", p.givenName());
            e.add("sn", p.surname());
            e.add("displayName", p.displayName());
            e.add(state.types.samAccountName, p.samAccountName());
            e.add(state.types.userPrincipalName, p.userPrincipalName(state.config.domain()));
            e.add("mail", p.userPrincipalName(state.config.domain()));
            e.add("userAccountControl", NORMAL_ACCOUNT);
            e.add(state.types.objectGuid, MsGuid.toBytes(p.objectGuid()));
            e.add(state.types.objectSid, p.sid(state.domainSid).toBytes());
            if (password != null) {
                e.add(state.types.userPassword, password); // the DC keeps its hash, NT hash and keys (Passwords)
            }
            admin.add(e);
        }
    }

    private void group(Dn dn, String name, int rid, String groupType, String description, String member)
            throws LdapException {
        Entry e = entry(dn.getName(), "objectClass: top", "objectClass: group", "cn: " + name,
                "sAMAccountName: " + name, "groupType: " + groupType, "description: " + description);
        e.add(state.types.objectSid, state.domainSid.withRid(rid).toBytes());
        if (member != null) {
            e.add(state.types.member, member);
        }
        admin.add(e);
    }

    private void add(String dn, Object... attributes) throws LdapException {
        admin.add(entry(dn, attributes));
    }

    private Entry entry(String dn, Object... attributes) throws LdapException {
        Entry e = new DefaultEntry(state.schema, state.dns.dn(dn));
        for (Object a : attributes) {
            if (a instanceof byte[][] pair) {
                e.add(state.types.objectSid, pair[0]);
                continue;
            }
            String line = (String) a;
            int colon = line.indexOf(": ");
            e.add(line.substring(0, colon), line.substring(colon + 2));
        }
        UUID guid = UUID.nameUUIDFromBytes((state.config.seed() + "|" + e.getDn().getNormName()).getBytes(StandardCharsets.UTF_8));
        e.put(state.types.objectGuid, MsGuid.toBytes(guid));
        return e;
    }

    private static byte[][] sid(byte[] sid) {
        return new byte[][] {sid};
    }
}
