package dev.keytrust.dc.state;

import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.dc.schema.LinkedAttribute;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.api.ldap.model.schema.SchemaManager;

/**
 * The attribute types a DC's parts use on every operation, looked up once after the schema is loaded (looking them
 * up by name on every operation costs time and, before the schema is loaded, silently fails to match).
 */
public final class AdAttributeTypes {
    private final SchemaManager schema;

    public final AttributeType objectClass;
    public final AttributeType objectGuid;
    public final AttributeType objectSid;
    public final AttributeType objectCategory;
    public final AttributeType samAccountName;
    public final AttributeType userPrincipalName;
    public final AttributeType instanceType;
    public final AttributeType whenCreated;
    public final AttributeType whenChanged;
    public final AttributeType usnCreated;
    public final AttributeType usnChanged;
    public final AttributeType name;
    public final AttributeType distinguishedName;
    public final AttributeType keyCredentialLink;
    public final AttributeType keyCredentialLinkBl;
    public final AttributeType member;
    public final AttributeType memberOf;
    public final AttributeType userPassword;
    public final AttributeType isDeleted;
    public final AttributeType lastKnownParent;
    /**
     * The linked attributes (forward link to its back link), from {@link AdSchema#LINKED_ATTRIBUTES}, to iterate.
     * Look a back link up with {@link #backLinkOf}, not with this map's {@code get}: ApacheDS computes a schema
     * object's hash code when its registry locks it, so an attribute type can hash differently from the key it was
     * stored under (a renamed group's {@code member} values lost their back link that way).
     */
    public final Map<AttributeType, AttributeType> backLinks;
    private final Map<String, AttributeType> backLinksByOid;

    AdAttributeTypes(SchemaManager schema) throws LdapException {
        this.schema = schema;
        this.objectClass = lookup("objectClass");
        this.objectGuid = lookup(AdSchema.OBJECT_GUID);
        this.objectSid = lookup(AdSchema.OBJECT_SID);
        this.objectCategory = lookup(AdSchema.OBJECT_CATEGORY);
        this.samAccountName = lookup(AdSchema.SAM_ACCOUNT_NAME);
        this.userPrincipalName = lookup(AdSchema.USER_PRINCIPAL_NAME);
        this.instanceType = lookup(AdSchema.INSTANCE_TYPE);
        this.whenCreated = lookup(AdSchema.WHEN_CREATED);
        this.whenChanged = lookup(AdSchema.WHEN_CHANGED);
        this.usnCreated = lookup(AdSchema.USN_CREATED);
        this.usnChanged = lookup(AdSchema.USN_CHANGED);
        this.name = lookup("name");
        this.distinguishedName = lookup(AdSchema.DISTINGUISHED_NAME);
        this.keyCredentialLink = lookup(AdSchema.KEY_CREDENTIAL_LINK);
        this.keyCredentialLinkBl = lookup(AdSchema.KEY_CREDENTIAL_LINK_BL);
        this.member = lookup("member");
        this.memberOf = lookup(AdSchema.MEMBER_OF);
        this.userPassword = lookup("userPassword");
        this.isDeleted = lookup(AdSchema.IS_DELETED);
        this.lastKnownParent = lookup(AdSchema.LAST_KNOWN_PARENT);
        Map<AttributeType, AttributeType> links = new LinkedHashMap<>();
        Map<String, AttributeType> byOid = new HashMap<>();
        for (LinkedAttribute link : AdSchema.LINKED_ATTRIBUTES) {
            AttributeType forward = lookup(link.forward());
            links.put(forward, lookup(link.back()));
            byOid.put(forward.getOid(), lookup(link.back()));
        }
        this.backLinks = Collections.unmodifiableMap(links);
        this.backLinksByOid = Map.copyOf(byOid);
    }

    /** The back link of the forward link {@code forward}, or null when {@code forward} is not a linked attribute. */
    public AttributeType backLinkOf(AttributeType forward) {
        return backLinksByOid.get(forward.getOid());
    }

    /** The attribute type named {@code name} in this DC's schema. */
    public AttributeType lookup(String name) throws LdapException {
        return schema.lookupAttributeTypeRegistry(name);
    }
}
