package dev.keytrust.dc;

import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.encoding.Sid;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.api.ldap.model.schema.SchemaManager;

/**
 * What one DC's interceptor parts share: its config, counters, well-known DNs and looked-up attribute types
 * (looked up once after the schema is loaded; looking them up by name on every operation costs time and,
 * before the schema is loaded, silently fails to match).
 */
final class DcState {
    private static final DateTimeFormatter GENERALIZED_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'.0Z'").withZone(ZoneOffset.UTC);

    final DomainControllerConfig config;
    final SchemaManager schema;
    final Sid domainSid;
    /**
     * Names this DC's database in replication metadata: new with every new database (an in-memory DC's every start,
     * a persistent DC's first), kept across restarts of a persistent one — so partners never mistake a new database's
     * changes for ones their up-to-dateness vectors already cover (AD gives a restored DC a new one for that reason).
     */
    volatile UUID invocationId;

    final AtomicLong usn = new AtomicLong();
    final AtomicLong nextRid = new AtomicLong(1000);
    /** sAMAccountName (lower case) to the normalised DN of the object holding it. */
    final ConcurrentHashMap<String, String> samOwners = new ConcurrentHashMap<>();
    /** Told the new highest USN after every committed write in this DC's naming contexts (originating or replicated). */
    volatile java.util.function.LongConsumer writeListener = usn -> { };
    /**
     * What a rootDSE {@code keytrustReplicateNow} modify does with the partner's name: empty if accepted, else why not.
     * Set by whatever runs this DC's replication; by default the DC is in no topology.
     */
    volatile java.util.function.Function<String, java.util.Optional<String>> replicateNow =
            source -> java.util.Optional.of("this DC runs without a replication topology; start it with one (keytrust topology up, "
                    + "or keytrust dc --topology FILE --name NAME)");
    /**
     * What a rootDSE {@code keytrustReplicationFault} modify does: returns what it did (the success's diagnostic
     * message), or throws a KeyTrustException saying why not.
     */
    volatile java.util.function.Function<String, String> replicationFault = fault -> {
        throw new dev.keytrust.KeyTrustException(dev.keytrust.ErrorCode.INVALID_CONFIGURATION,
                "this DC runs without a replication topology");
    };
    /** DISABLE_OUTBOUND_REPL: partners' replication reads (which ask for the metadata) are refused. */
    volatile boolean outboundDisabled;
    /** Replication: per inbound partner (its NTDS Settings DN or address, lower case), the last pull's outcome. */
    final ConcurrentHashMap<String, PartnerStatus> partners = new ConcurrentHashMap<>();
    /** Held while a pull applies changes here: inbound replication is one pull at a time. */
    final Object inboundReplication = new Object();
    /** Replication: open connections to sources ({@code host:port}), and the source DSA behind each. */
    final ConcurrentHashMap<String, com.unboundid.ldap.sdk.LDAPConnection> sourceConnections = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, String> sourceDsas = new ConcurrentHashMap<>();
    /** Whether originating writes get replication metadata; off only to measure its cost (ReplicationBenchmark). */
    volatile boolean stampMetadata = true;
    /** Replication: per source database (its invocationId, lower case), the highest source USN pulled. */
    final ConcurrentHashMap<String, Long> highWaterMarks = new ConcurrentHashMap<>();
    /** Replication: the up-to-dateness vector, per originating database (invocationId) other than this DC's own. */
    final ConcurrentHashMap<UUID, ReplicationCursor> upToDateness = new ConcurrentHashMap<>();
    /** Normalised DN to the sAMAccountName it holds (the reverse of {@link #samOwners}, for committed writes). */
    final ConcurrentHashMap<String, String> samByOwner = new ConcurrentHashMap<>();
    private final SplittableRandom guidRandom;

    final Dn baseDn;
    final Dn configurationDn;
    final Dn schemaDn;
    /** ApacheDS's subschema subentry (the rootDSE's subschemaSubentry), readable by bound clients. */
    final Dn subschemaDn;
    final Dn usersDn;
    final Dn administratorDn;
    final Dn domainAdminsDn;
    final Dn keyAdminsDn;
    final Dn enterpriseKeyAdminsDn;
    final Dn serverDn;
    final Dn ntdsSettingsDn;
    final Dn computerAccountDn;
    /** Where each naming context keeps its tombstones: CN=Deleted Objects of the domain and of the configuration. */
    final Dn deletedObjectsDn;
    final Dn configurationDeletedObjectsDn;
    /** Where replication puts objects whose parent is gone: each naming context's LostAndFound container. */
    final Dn lostAndFoundDn;
    final Dn configurationLostAndFoundDn;
    /** objectGUID to the object's current DN (tombstones included): replication matches objects by GUID, as AD does. */
    final ConcurrentHashMap<UUID, Dn> objectsByGuid = new ConcurrentHashMap<>();

    final AttributeType objectClass;
    final AttributeType objectGuid;
    final AttributeType objectSid;
    final AttributeType objectCategory;
    final AttributeType samAccountName;
    final AttributeType userPrincipalName;
    final AttributeType instanceType;
    final AttributeType whenCreated;
    final AttributeType whenChanged;
    final AttributeType usnCreated;
    final AttributeType usnChanged;
    final AttributeType name;
    final AttributeType distinguishedName;
    final AttributeType keyCredentialLink;
    final AttributeType keyCredentialLinkBl;
    final AttributeType member;
    final AttributeType memberOf;
    final AttributeType userPassword;
    final AttributeType isDeleted;
    final AttributeType lastKnownParent;
    /** The linked attributes (forward link to its back link), from {@link AdSchema#LINKED_ATTRIBUTES}. */
    final java.util.Map<AttributeType, AttributeType> backLinks;

    DcState(DomainControllerConfig config, SchemaManager schema) throws LdapException {
        this.config = config;
        this.schema = schema;
        this.domainSid = config.domainSid();
        this.guidRandom = new SplittableRandom(config.seed() * 31 + config.name().toUpperCase().hashCode());
        newGuid(); // the stream's first draw was the invocation id; later server-assigned GUIDs stay as they were
        this.invocationId = UUID.nameUUIDFromBytes((config.seed() + "|" + config.name().toUpperCase(java.util.Locale.ROOT)
                + "|" + config.clock().instant()).getBytes(java.nio.charset.StandardCharsets.UTF_8));

        String base = config.baseDn();
        String sites = "CN=Sites,CN=Configuration," + base;
        this.baseDn = dn(base);
        this.configurationDn = dn("CN=Configuration," + base);
        this.schemaDn = dn("CN=Schema,CN=Configuration," + base);
        this.subschemaDn = dn("cn=schema");
        this.usersDn = dn("CN=Users," + base);
        this.administratorDn = dn("CN=Administrator,CN=Users," + base);
        this.domainAdminsDn = dn("CN=Domain Admins,CN=Users," + base);
        this.keyAdminsDn = dn("CN=Key Admins,CN=Users," + base);
        this.enterpriseKeyAdminsDn = dn("CN=Enterprise Key Admins,CN=Users," + base);
        this.serverDn = dn("CN=" + config.name() + ",CN=Servers,CN=" + config.site() + "," + sites);
        this.ntdsSettingsDn = dn("CN=NTDS Settings,CN=" + config.name() + ",CN=Servers,CN=" + config.site() + "," + sites);
        this.computerAccountDn = dn("CN=" + config.name() + ",OU=Domain Controllers," + base);
        this.deletedObjectsDn = dn("CN=Deleted Objects," + base);
        this.configurationDeletedObjectsDn = dn("CN=Deleted Objects,CN=Configuration," + base);
        this.lostAndFoundDn = dn("CN=LostAndFound," + base);
        this.configurationLostAndFoundDn = dn("CN=LostAndFoundConfig,CN=Configuration," + base);

        this.objectClass = at("objectClass");
        this.objectGuid = at(AdSchema.OBJECT_GUID);
        this.objectSid = at(AdSchema.OBJECT_SID);
        this.objectCategory = at(AdSchema.OBJECT_CATEGORY);
        this.samAccountName = at(AdSchema.SAM_ACCOUNT_NAME);
        this.userPrincipalName = at(AdSchema.USER_PRINCIPAL_NAME);
        this.instanceType = at(AdSchema.INSTANCE_TYPE);
        this.whenCreated = at(AdSchema.WHEN_CREATED);
        this.whenChanged = at(AdSchema.WHEN_CHANGED);
        this.usnCreated = at(AdSchema.USN_CREATED);
        this.usnChanged = at(AdSchema.USN_CHANGED);
        this.name = at("name");
        this.distinguishedName = at(AdSchema.DISTINGUISHED_NAME);
        this.keyCredentialLink = at(AdSchema.KEY_CREDENTIAL_LINK);
        this.keyCredentialLinkBl = at(AdSchema.KEY_CREDENTIAL_LINK_BL);
        this.member = at("member");
        this.memberOf = at(AdSchema.MEMBER_OF);
        this.userPassword = at("userPassword");
        this.isDeleted = at(AdSchema.IS_DELETED);
        this.lastKnownParent = at(AdSchema.LAST_KNOWN_PARENT);
        java.util.Map<AttributeType, AttributeType> links = new java.util.LinkedHashMap<>();
        for (dev.keytrust.dc.schema.LinkedAttribute link : AdSchema.LINKED_ATTRIBUTES) {
            links.put(at(link.forward()), at(link.back()));
        }
        this.backLinks = java.util.Collections.unmodifiableMap(links);
    }

    Dn dn(String dn) throws LdapException {
        return new Dn(schema, dn);
    }

    private AttributeType at(String name) throws LdapException {
        return schema.lookupAttributeTypeRegistry(name);
    }

    /** A server-assigned GUID: random, but reproducible from the seed and DC name. */
    synchronized UUID newGuid() {
        long msb = (guidRandom.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (guidRandom.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** Whether {@code dn} is in a naming context this DC serves with AD semantics (domain, configuration). */
    boolean isAdNamingContext(Dn dn) {
        return dn.isDescendantOf(baseDn) || dn.equals(baseDn);
    }

    /** The Deleted Objects container of the naming context {@code dn} is in. */
    Dn deletedObjectsFor(Dn dn) {
        return dn.isDescendantOf(configurationDn) || dn.equals(configurationDn) ? configurationDeletedObjectsDn : deletedObjectsDn;
    }

    /** The LostAndFound container of the naming context {@code dn} is in. */
    Dn lostAndFoundFor(Dn dn) {
        return dn.isDescendantOf(configurationDn) || dn.equals(configurationDn) ? configurationLostAndFoundDn : lostAndFoundDn;
    }

    /** Whether {@code dn} is a tombstone or a Deleted Objects container (hidden without the show-deleted control). */
    boolean isDeletedObject(Dn dn) {
        return dn.isDescendantOf(deletedObjectsDn) || dn.equals(deletedObjectsDn)
                || dn.isDescendantOf(configurationDeletedObjectsDn) || dn.equals(configurationDeletedObjectsDn);
    }

    /**
     * Records that {@code owner} now holds {@code sam} ({@code null}: none) in the sAMAccountName index. A tombstone
     * keeps its sAMAccountName but no longer holds it: the name may be used again.
     */
    void samHeld(Dn owner, String sam) {
        String held = isDeletedObject(owner) ? null : sam;
        String norm = owner.getNormName();
        String old = held == null ? samByOwner.remove(norm) : samByOwner.put(norm, held);
        if (old != null && (held == null || !old.equalsIgnoreCase(held))) {
            samOwners.remove(old.toLowerCase(java.util.Locale.ROOT), norm);
        }
        if (held != null) {
            samOwners.put(held.toLowerCase(java.util.Locale.ROOT), norm);
        }
    }

    /** The up-to-dateness vector as clients see it: this DC's own entry (its current USN, now) first. */
    java.util.List<ReplicationCursor> upToDatenessVector() {
        java.util.List<ReplicationCursor> out = new java.util.ArrayList<>();
        out.add(new ReplicationCursor(invocationId, ntdsSettingsDn.getName(), usn.get(), now()));
        upToDateness.values().stream().filter(c -> !c.invocationId().equals(invocationId))
                .sorted(java.util.Comparator.comparing(ReplicationCursor::dsaDn).thenComparing(c -> c.invocationId().toString()))
                .forEach(out::add);
        return out;
    }

    Instant now() {
        return config.clock().instant();
    }

    static String generalizedTime(Instant instant) {
        return GENERALIZED_TIME.format(instant);
    }
}
