package dev.keytrust.dc.schema;

import static dev.keytrust.dc.schema.AdAttribute.Syntax.BOOLEAN;
import static dev.keytrust.dc.schema.AdAttribute.Syntax.DIRECTORY_STRING;
import static dev.keytrust.dc.schema.AdAttribute.Syntax.DN;
import static dev.keytrust.dc.schema.AdAttribute.Syntax.DN_BINARY;
import static dev.keytrust.dc.schema.AdAttribute.Syntax.GENERALIZED_TIME;
import static dev.keytrust.dc.schema.AdAttribute.Syntax.INTEGER;
import static dev.keytrust.dc.schema.AdAttribute.Syntax.OCTET_STRING;

import dev.keytrust.dc.access.SecurityDescriptors;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The AD schema subset a domain controller serves, with AD's names and OIDs ([MS-ADA1..3], [MS-ADSC]).
 * Attributes ApacheDS already defines under the same name ({@code cn}, {@code sn}, {@code name},
 * {@code description}, {@code mail}, {@code givenName}, {@code displayName}, {@code member},
 * {@code distinguishedName}, {@code userPassword}) are reused; the rest are added by {@link SchemaInstaller}.
 */
public final class AdSchema {
    /**
     * The linked attributes the DC maintains, declared once: every part of the DC that needs links, back links or
     * per-value replication metadata reads this table (through the DC's config).
     */
    public static final List<LinkedAttribute> LINKED_ATTRIBUTES = List.of(
            new LinkedAttribute(AdSchema.KEY_CREDENTIAL_LINK, AdSchema.KEY_CREDENTIAL_LINK_BL, 2220, true),
            new LinkedAttribute("member", AdSchema.MEMBER_OF, 2, false));

    /** Arc for rootDSE attributes that AD does not define in its schema (UUID-based, RFC 4122 §2.25 style). */
    static final String ROOT_DSE_ARC = "2.25.248362751430281457393409312731286431245.1.";

    public static final String OBJECT_GUID = "objectGUID";
    public static final String OBJECT_SID = "objectSid";
    public static final String OBJECT_CATEGORY = "objectCategory";
    public static final String SAM_ACCOUNT_NAME = "sAMAccountName";
    public static final String USER_PRINCIPAL_NAME = "userPrincipalName";
    public static final String USER_ACCOUNT_CONTROL = "userAccountControl";
    public static final String CONSISTENCY_GUID = "mS-DS-ConsistencyGuid";
    public static final String MEMBER_OF = "memberOf";
    public static final String INSTANCE_TYPE = "instanceType";
    public static final String WHEN_CREATED = "whenCreated";
    public static final String WHEN_CHANGED = "whenChanged";
    public static final String USN_CREATED = "uSNCreated";
    public static final String USN_CHANGED = "uSNChanged";
    public static final String KEY_CREDENTIAL_LINK = "msDS-KeyCredentialLink";
    public static final String KEY_CREDENTIAL_LINK_BL = "msDS-KeyCredentialLink-BL";
    public static final String GROUP_TYPE = "groupType";
    public static final String DNS_HOST_NAME = "dNSHostName";
    public static final String SERVER_REFERENCE = "serverReference";
    public static final String INVOCATION_ID = "invocationId";
    public static final String OPTIONS = "options";
    public static final String DISTINGUISHED_NAME = "distinguishedName";
    public static final String IS_DELETED = "isDeleted";
    public static final String LAST_KNOWN_PARENT = "lastKnownParent";
    /** LDAP_SERVER_SHOW_DELETED_OID: searches with this control also return tombstones. */
    public static final String SHOW_DELETED_CONTROL = "1.2.840.113556.1.4.417";
    public static final String NT_SECURITY_DESCRIPTOR = "nTSecurityDescriptor";
    public static final String TOKEN_GROUPS = "tokenGroups";
    public static final String PRIMARY_GROUP_TOKEN = "primaryGroupToken";
    public static final String PRIMARY_GROUP_ID = "primaryGroupID";
    public static final String SAM_ACCOUNT_TYPE = "sAMAccountType";
    public static final String PWD_LAST_SET = "pwdLastSet";
    public static final String SERVICE_PRINCIPAL_NAME = "servicePrincipalName";
    public static final String MACHINE_ACCOUNT_QUOTA = "ms-DS-MachineAccountQuota";
    public static final String CREATOR_SID = "mS-DS-CreatorSID";
    /** LDAP_SERVER_SD_FLAGS_OID: which parts of nTSecurityDescriptor a search returns (owner 1, group 2, DACL 4, SACL 8). */
    public static final String SD_FLAGS_CONTROL = "1.2.840.113556.1.4.801";
    /** Hidden per-entry store of replication metadata (never returned to clients). */
    public static final String REPL_METADATA = "keytrustReplMetadata";
    /** rootDSE modify operation: the value names the partner DC to pull from now. */
    public static final String REPLICATE_NOW = "keytrustReplicateNow";
    /**
     * rootDSE modify operation for replication faults: {@code partition DC3}, {@code isolate}, {@code heal},
     * {@code disableInbound}, {@code enableInbound}, {@code disableOutbound}, {@code enableOutbound}, and in a
     * one-process topology {@code stop DC3} / {@code start DC3}.
     */
    public static final String REPLICATION_FAULT = "keytrustReplicationFault";
    /** rootDSE attribute: one JSON object per inbound partner (last attempt, last success, result, high-water mark). */
    public static final String REPLICATION_STATUS = "keytrustReplicationStatus";
    public static final String REPL_ATTRIBUTE_METADATA = "msDS-ReplAttributeMetaData";
    public static final String REPL_VALUE_METADATA = "msDS-ReplValueMetaData";
    /** Constructed, on a naming-context head: the DC's up-to-dateness vector, one DS_REPL_CURSOR XML value per entry. */
    public static final String NC_REPL_CURSORS = "msDS-NCReplCursors";
    /** Write-only password (a quoted UTF-16LE string on write); stored as the NT hash, never returned to a client. */
    public static final String UNICODE_PWD = "unicodePwd";
    /** The Kerberos long-term keys derived when a password is set; system-only, never returned to a client. */
    public static final String SUPPLEMENTAL_CREDENTIALS = "supplementalCredentials";

    /** The attributes added to ApacheDS's schema. */
    public static final List<AdAttribute> ATTRIBUTES = List.of(
            new AdAttribute(OBJECT_GUID, "1.2.840.113556.1.4.2", OCTET_STRING, true, true),
            new AdAttribute(OBJECT_SID, "1.2.840.113556.1.4.146", OCTET_STRING, true, true),
            new AdAttribute(OBJECT_CATEGORY, "1.2.840.113556.1.4.782", DN, true, false),
            new AdAttribute(SAM_ACCOUNT_NAME, "1.2.840.113556.1.4.221", DIRECTORY_STRING, true, false),
            new AdAttribute(USER_PRINCIPAL_NAME, "1.2.840.113556.1.4.656", DIRECTORY_STRING, true, false),
            new AdAttribute(USER_ACCOUNT_CONTROL, "1.2.840.113556.1.4.8", INTEGER, true, false),
            new AdAttribute(CONSISTENCY_GUID, "1.2.840.113556.1.4.1360", OCTET_STRING, true, false),
            new AdAttribute(MEMBER_OF, "1.2.840.113556.1.2.102", DN, false, true),
            new AdAttribute(INSTANCE_TYPE, "1.2.840.113556.1.2.1", INTEGER, true, true),
            new AdAttribute(WHEN_CREATED, "1.2.840.113556.1.2.2", GENERALIZED_TIME, true, true),
            new AdAttribute(WHEN_CHANGED, "1.2.840.113556.1.2.3", GENERALIZED_TIME, true, true),
            new AdAttribute(USN_CREATED, "1.2.840.113556.1.2.19", INTEGER, true, true),
            new AdAttribute(USN_CHANGED, "1.2.840.113556.1.2.120", INTEGER, true, true),
            new AdAttribute(KEY_CREDENTIAL_LINK, "1.2.840.113556.1.4.2328", DN_BINARY, false, false),
            new AdAttribute(KEY_CREDENTIAL_LINK_BL, "1.2.840.113556.1.4.2329", DN, false, true),
            new AdAttribute(GROUP_TYPE, "1.2.840.113556.1.4.750", INTEGER, true, false),
            new AdAttribute(DNS_HOST_NAME, "1.2.840.113556.1.4.619", DIRECTORY_STRING, true, false),
            new AdAttribute(SERVER_REFERENCE, "1.2.840.113556.1.4.515", DN, true, false),
            new AdAttribute(INVOCATION_ID, "1.2.840.113556.1.2.115", OCTET_STRING, true, true),
            new AdAttribute(OPTIONS, "1.2.840.113556.1.4.307", INTEGER, true, false),
            new AdAttribute(IS_DELETED, "1.2.840.113556.1.2.48", BOOLEAN, true, true),
            new AdAttribute(LAST_KNOWN_PARENT, "1.2.840.113556.1.4.781", DN, true, true),
            // What AD tools read first (Python ldap3, impacket, BloodHound-style collectors), [MS-ADA1..3].
            new AdAttribute(PRIMARY_GROUP_ID, "1.2.840.113556.1.4.98", INTEGER, true, false),
            new AdAttribute(SAM_ACCOUNT_TYPE, "1.2.840.113556.1.4.302", INTEGER, true, true),
            new AdAttribute(PWD_LAST_SET, "1.2.840.113556.1.4.96", INTEGER, true, false),
            new AdAttribute("lastLogon", "1.2.840.113556.1.4.52", INTEGER, true, true),
            new AdAttribute("lastLogonTimestamp", "1.2.840.113556.1.4.1696", INTEGER, true, true),
            new AdAttribute("lastLogoff", "1.2.840.113556.1.4.51", INTEGER, true, true),
            new AdAttribute("badPwdCount", "1.2.840.113556.1.4.12", INTEGER, true, true),
            new AdAttribute("badPasswordTime", "1.2.840.113556.1.4.49", INTEGER, true, true),
            new AdAttribute("logonCount", "1.2.840.113556.1.4.169", INTEGER, true, true),
            new AdAttribute("lockoutTime", "1.2.840.113556.1.4.662", INTEGER, true, false),
            new AdAttribute("accountExpires", "1.2.840.113556.1.4.159", INTEGER, true, false),
            new AdAttribute("adminCount", "1.2.840.113556.1.4.150", INTEGER, true, false),
            new AdAttribute(SERVICE_PRINCIPAL_NAME, "1.2.840.113556.1.4.771", DIRECTORY_STRING, false, false),
            new AdAttribute("msDS-SupportedEncryptionTypes", "1.2.840.113556.1.4.1963", INTEGER, true, false),
            new AdAttribute(MACHINE_ACCOUNT_QUOTA, "1.2.840.113556.1.4.1411", INTEGER, true, false),
            new AdAttribute("msDS-AllowedToActOnBehalfOfOtherIdentity", "1.2.840.113556.1.4.2182", OCTET_STRING, true, false),
            new AdAttribute("msDS-AllowedToDelegateTo", "1.2.840.113556.1.4.1787", DIRECTORY_STRING, false, false),
            new AdAttribute("sIDHistory", "1.2.840.113556.1.4.609", OCTET_STRING, false, true),
            new AdAttribute(CREATOR_SID, "1.2.840.113556.1.4.1410", OCTET_STRING, true, true),
            new AdAttribute("systemFlags", "1.2.840.113556.1.4.375", INTEGER, true, true),
            new AdAttribute("operatingSystem", "1.2.840.113556.1.4.363", DIRECTORY_STRING, true, false),
            new AdAttribute("operatingSystemVersion", "1.2.840.113556.1.4.364", DIRECTORY_STRING, true, false),
            new AdAttribute("operatingSystemServicePack", "1.2.840.113556.1.4.365", DIRECTORY_STRING, true, false),
            new AdAttribute("gPLink", "1.2.840.113556.1.4.891", DIRECTORY_STRING, true, false),
            new AdAttribute("trustDirection", "1.2.840.113556.1.4.132", INTEGER, true, false),
            new AdAttribute("trustType", "1.2.840.113556.1.4.136", INTEGER, true, false),
            new AdAttribute("trustAttributes", "1.2.840.113556.1.4.470", INTEGER, true, false),
            new AdAttribute("trustPartner", "1.2.840.113556.1.4.133", DIRECTORY_STRING, true, false),
            new AdAttribute("flatName", "1.2.840.113556.1.4.511", DIRECTORY_STRING, true, false),
            new AdAttribute("securityIdentifier", "1.2.840.113556.1.4.121", OCTET_STRING, true, false),
            new AdAttribute("homeDirectory", "1.2.840.113556.1.4.44", DIRECTORY_STRING, true, false),
            new AdAttribute("scriptPath", "1.2.840.113556.1.4.62", DIRECTORY_STRING, true, false),
            new AdAttribute("managedBy", "1.2.840.113556.1.4.653", DN, true, false),
            new AdAttribute("gPOptions", "1.2.840.113556.1.4.892", INTEGER, true, false),
            new AdAttribute("gPCFileSysPath", "1.2.840.113556.1.4.894", DIRECTORY_STRING, true, false),
            new AdAttribute("msDS-GroupMSAMembership", "1.2.840.113556.1.4.2200", OCTET_STRING, true, false),
            new AdAttribute(UNICODE_PWD, "1.2.840.113556.1.4.90", OCTET_STRING, true, false),
            new AdAttribute(SUPPLEMENTAL_CREDENTIALS, "1.2.840.113556.1.4.125", OCTET_STRING, false, true),
            new AdAttribute(REPL_METADATA, "2.25.248362751430281457393409312731286431245.2.1", OCTET_STRING, true, true));

    /** Constructed attributes: computed on read, returned only when asked for by name, as in AD. */
    public static final List<AdAttribute> CONSTRUCTED = List.of(
            new AdAttribute(REPL_ATTRIBUTE_METADATA, "1.2.840.113556.1.4.1707", DIRECTORY_STRING, false, true),
            new AdAttribute(REPL_VALUE_METADATA, "1.2.840.113556.1.4.1708", DIRECTORY_STRING, false, true),
            new AdAttribute(NC_REPL_CURSORS, "1.2.840.113556.1.4.1704", DIRECTORY_STRING, false, true),
            // Computed from the class's defaultSecurityDescriptor (see SecurityDescriptors); writes are refused.
            new AdAttribute(NT_SECURITY_DESCRIPTOR, "1.2.840.113556.1.2.281", OCTET_STRING, true, true),
            new AdAttribute(TOKEN_GROUPS, "1.2.840.113556.1.4.1301", OCTET_STRING, false, true),
            // A group's RID (what a member's primaryGroupID names), on groups only.
            new AdAttribute(PRIMARY_GROUP_TOKEN, "1.2.840.113556.1.4.1412", INTEGER, true, true));

    /** rootDSE attributes AD returns (not in AD's schema; names as AD shows them). */
    public static final List<AdAttribute> ROOT_DSE_ATTRIBUTES = List.of(
            rootDse("defaultNamingContext", 1, DN),
            rootDse("rootDomainNamingContext", 2, DN),
            rootDse("configurationNamingContext", 3, DN),
            rootDse("schemaNamingContext", 4, DN),
            rootDse("dsServiceName", 5, DN),
            rootDse("serverName", 6, DN),
            rootDse("highestCommittedUSN", 8, INTEGER),
            rootDse("currentTime", 9, GENERALIZED_TIME),
            rootDse("isSynchronized", 10, BOOLEAN),
            rootDse("domainFunctionality", 11, INTEGER),
            rootDse("forestFunctionality", 12, INTEGER),
            rootDse("domainControllerFunctionality", 13, INTEGER),
            rootDse("isGlobalCatalogReady", 14, BOOLEAN),
            rootDse("ldapServiceName", 15, DIRECTORY_STRING),
            rootDse("supportedCapabilities", 19, DIRECTORY_STRING),
            rootDse("supportedLDAPPolicies", 20, DIRECTORY_STRING),
            // Ours, in AD's style of rootDSE modify operations: "pull from this partner now" (repadmin /replicate),
            // and each inbound partner's status (repadmin /showrepl), returned only when asked for by name.
            rootDse(REPLICATE_NOW, 16, DIRECTORY_STRING),
            rootDse(REPLICATION_STATUS, 17, DIRECTORY_STRING),
            rootDse(REPLICATION_FAULT, 18, DIRECTORY_STRING));

    /** Object classes: name, OID, superior, structural, MUST, MAY. */
    public record AdClass(String name, String oid, String superior, List<String> must, List<String> may) {
    }

    private static final List<String> SECURITY_PRINCIPAL = List.of(OBJECT_SID, SAM_ACCOUNT_NAME, SAM_ACCOUNT_TYPE,
            "adminCount", "sIDHistory");
    /** What AD's user class (and so computer) may hold for sign-in and delegation. */
    private static final List<String> ACCOUNT = List.of(PRIMARY_GROUP_ID, PWD_LAST_SET, "lastLogon", "lastLogonTimestamp",
            "lastLogoff", "badPwdCount", "badPasswordTime", "logonCount", "lockoutTime", "accountExpires",
            SERVICE_PRINCIPAL_NAME, "msDS-SupportedEncryptionTypes", "msDS-AllowedToActOnBehalfOfOtherIdentity",
            "msDS-AllowedToDelegateTo", CREATOR_SID, "homeDirectory", "scriptPath", "managedBy");

    public static final List<AdClass> CLASSES = List.of(
            new AdClass("domainDNS", "1.2.840.113556.1.5.67", "domain", List.of("dc"), List.of(OBJECT_SID, "description",
                    MACHINE_ACCOUNT_QUOTA, "gPLink", "gPOptions")),
            new AdClass("container", "1.2.840.113556.1.3.23", "top", List.of("cn"), List.of("description")),
            new AdClass("configuration", "1.2.840.113556.1.5.12", "top", List.of("cn"), List.of()),
            new AdClass("sitesContainer", "1.2.840.113556.1.5.107", "top", List.of("cn"), List.of()),
            new AdClass("site", "1.2.840.113556.1.5.31", "top", List.of("cn"), List.of(OPTIONS)),
            new AdClass("serversContainer", "1.2.840.113556.1.5.7000.48", "top", List.of("cn"), List.of()),
            new AdClass("server", "1.2.840.113556.1.5.17", "top", List.of("cn"), List.of(DNS_HOST_NAME, SERVER_REFERENCE)),
            new AdClass("nTDSDSA", "1.2.840.113556.1.5.7000.47", "top", List.of("cn"), List.of(INVOCATION_ID, OPTIONS)),
            new AdClass("group", "1.2.840.113556.1.5.8", "top", List.of(), concat(SECURITY_PRINCIPAL,
                    List.of(GROUP_TYPE, "member", "mail", "cn", "description", "managedBy"))),
            new AdClass("user", "1.2.840.113556.1.5.9", "organizationalPerson", List.of(), concat(SECURITY_PRINCIPAL,
                    List.of(USER_PRINCIPAL_NAME, USER_ACCOUNT_CONTROL, CONSISTENCY_GUID, KEY_CREDENTIAL_LINK, "mail",
                            "givenName", "userPassword", DNS_HOST_NAME, UNICODE_PWD, SUPPLEMENTAL_CREDENTIALS), ACCOUNT)),
            new AdClass("computer", "1.2.840.113556.1.3.30", "user", List.of(), List.of(DNS_HOST_NAME, "operatingSystem",
                    "operatingSystemVersion", "operatingSystemServicePack")),
            new AdClass("trustedDomain", "1.2.840.113556.1.5.34", "top", List.of(), List.of("cn", "trustDirection",
                    "trustType", "trustAttributes", "trustPartner", "flatName", "securityIdentifier")));

    /** Attributes every AD object may carry (AD puts them on {@code top}). */
    public static final List<String> TOP_MAY = List.of(OBJECT_GUID, OBJECT_CATEGORY, INSTANCE_TYPE, WHEN_CREATED,
            WHEN_CHANGED, USN_CREATED, USN_CHANGED, "name", DISTINGUISHED_NAME, "displayName", "description", "cn",
            MEMBER_OF, KEY_CREDENTIAL_LINK_BL, REPL_METADATA, IS_DELETED, LAST_KNOWN_PARENT, "systemFlags");

    /** AD's rangeLower/rangeUpper, in characters, of a string attribute. */
    public record Range(int lower, int upper) {
    }

    /**
     * rangeLower/rangeUpper of the string attributes a DC knows, as the Windows Server 2016 schema sets them (AD and
     * Samba refuse values outside them with 21).
     */
    private static final Map<String, Range> RANGES = Map.ofEntries(
            Map.entry("description", new Range(0, 1024)), Map.entry("cn", new Range(1, 64)),
            Map.entry("sn", new Range(1, 64)), Map.entry("givenname", new Range(1, 64)),
            Map.entry("displayname", new Range(0, 256)), Map.entry("mail", new Range(0, 256)),
            Map.entry("samaccountname", new Range(0, 256)), Map.entry("userprincipalname", new Range(0, 1024)),
            Map.entry("name", new Range(1, 255)), Map.entry("dnshostname", new Range(0, 2048)),
            Map.entry("ou", new Range(1, 64)));

    /**
     * Why {@code value} is outside the range AD's schema gives {@code attribute}, or {@code null} when it is inside
     * (or the attribute has no range).
     */
    public static String outOfRange(String attribute, String value) {
        Range range = RANGES.get(attribute.toLowerCase(Locale.ROOT));
        int length = value.codePointCount(0, value.length());
        if (range == null || (length >= range.lower() && length <= range.upper())) {
            return null;
        }
        return "0000200B: AtrErr: attribute '" + attribute + "' has a value of " + length + " characters; AD's schema "
                + "allows " + range.lower() + " to " + range.upper() + " (rangeLower/rangeUpper)";
    }

    private static final Map<String, AdAttribute> BY_NAME = java.util.stream.Stream
            .concat(java.util.stream.Stream.concat(ATTRIBUTES.stream(), ROOT_DSE_ATTRIBUTES.stream()), CONSTRUCTED.stream())
            .collect(Collectors.toUnmodifiableMap(a -> a.name().toLowerCase(Locale.ROOT), Function.identity()));

    private AdSchema() {
    }

    /** The attribute with this name (case-insensitive), or {@code null} if it is not one added by this schema. */
    public static AdAttribute attribute(String name) {
        return BY_NAME.get(name.toLowerCase(Locale.ROOT));
    }

    /** The objectCategory short name of the most specific class among {@code objectClasses}. */
    public static String categoryFor(List<String> objectClasses) {
        List<String> lower = objectClasses.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        if (lower.contains("computer")) {
            return "Computer";
        }
        if (lower.contains("user") || lower.contains("person")) {
            return "Person";
        }
        if (lower.contains("group")) {
            return "Group";
        }
        if (lower.contains("organizationalunit")) {
            return "Organizational-Unit";
        }
        if (lower.contains("domaindns")) {
            return "Domain-DNS";
        }
        if (lower.contains("ntdsdsa")) {
            return "NTDS-DSA";
        }
        if (lower.contains("server")) {
            return "Server";
        }
        if (lower.contains("trusteddomain")) {
            return "Trusted-Domain";
        }
        if (lower.contains("site")) {
            return "Site";
        }
        if (lower.contains("sitescontainer")) {
            return "Sites-Container";
        }
        if (lower.contains("serverscontainer")) {
            return "Servers-Container";
        }
        if (lower.contains("configuration")) {
            return "Configuration";
        }
        if (lower.contains("dmd")) {
            return "DMD";
        }
        return "Container";
    }

    private static AdAttribute rootDse(String name, int n, AdAttribute.Syntax syntax) {
        return new AdAttribute(name, ROOT_DSE_ARC + n, syntax, false, true);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
