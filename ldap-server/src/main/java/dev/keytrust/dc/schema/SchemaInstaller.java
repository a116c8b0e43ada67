package dev.keytrust.dc.schema;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.util.ArrayList;
import java.util.List;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.api.ldap.model.schema.LdapComparator;
import org.apache.directory.api.ldap.model.schema.LdapSyntax;
import org.apache.directory.api.ldap.model.schema.ObjectClass;
import org.apache.directory.api.ldap.model.schema.ObjectClassTypeEnum;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.api.ldap.model.schema.UsageEnum;
import org.apache.directory.api.ldap.model.schema.comparators.NormalizingComparator;
import org.apache.directory.api.ldap.schema.manager.impl.DefaultSchemaManager;

/**
 * Loads ApacheDS's bundled schema from the class path and adds the AD subset of {@link AdSchema}: the
 * DN-Binary syntax, AD attributes and classes, AD's looser {@code person} (MUST cn only), AD's common
 * attributes on {@code top} and AD's single-valued {@code distinguishedName}.
 */
final class SchemaInstaller {
    private static final String SCHEMA_NAME = "other";

    private SchemaInstaller() {
    }

    static SchemaManager load() {
        try {
            DefaultSchemaManager sm = new DefaultSchemaManager();
            sm.loadAllEnabled();
            for (LdapComparator<?> comparator : sm.getComparatorRegistry()) {
                if (comparator instanceof NormalizingComparator normalizing) {
                    normalizing.setOnServer();
                }
            }
            // Relaxed while adding: in strict mode ApacheDS copies and checks the whole registries for every single
            // addition (about a second of a cold start for ~50 of them); the result is checked once, below.
            sm.setRelaxed();
            sm.getRegistries().setRelaxed();
            addDnBinarySyntax(sm);
            for (AdAttribute a : AdSchema.ATTRIBUTES) {
                // The metadata store is operational: '*' never returns it, and a request can name it.
                addAttribute(sm, a, a.name().equals(AdSchema.REPL_METADATA) ? UsageEnum.DIRECTORY_OPERATION
                        : UsageEnum.USER_APPLICATIONS);
            }
            for (AdAttribute a : AdSchema.ROOT_DSE_ATTRIBUTES) {
                addAttribute(sm, a, UsageEnum.DSA_OPERATION);
            }
            for (AdAttribute a : AdSchema.CONSTRUCTED) {
                addAttribute(sm, a, UsageEnum.DIRECTORY_OPERATION);
            }
            loosenStandardClasses(sm);
            for (AdSchema.AdClass c : AdSchema.CLASSES) {
                addClass(sm, c);
            }
            check(sm, "AD schema subset");
            verifyAdded(sm);
            sm.getRegistries().setStrict();
            sm.setStrict();
            return sm;
        } catch (LdapException e) {
            throw new KeyTrustException(ErrorCode.INTERNAL_ERROR,
                    "cannot load the directory schema: " + e.getMessage(), e);
        }
    }

    private static void addDnBinarySyntax(SchemaManager sm) throws LdapException {
        DnBinarySyntaxChecker checker = DnBinarySyntaxChecker.INSTANCE;
        if (sm.getSyntaxCheckerRegistry().contains(checker.getOid())) {
            return;
        }
        checker.setSchemaName(SCHEMA_NAME);
        checker.setFqcn(DnBinarySyntaxChecker.class.getName());
        sm.add(checker);
        LdapSyntax syntax = new LdapSyntax(AdAttribute.Syntax.DN_BINARY.oid(), "Object(DN-Binary)", true);
        syntax.setSchemaName(SCHEMA_NAME);
        syntax.setSyntaxChecker(checker);
        sm.add(syntax);
        check(sm, "DN-Binary syntax");
    }

    private static void addAttribute(SchemaManager sm, AdAttribute a, UsageEnum usage) throws LdapException {
        AttributeType at = new AttributeType(a.oid());
        at.setNames(a.name());
        at.setSchemaName(SCHEMA_NAME);
        at.setSyntaxOid(a.syntax().oid());
        at.setEqualityOid(a.syntax().equality());
        if (a.syntax().substring() != null) {
            at.setSubstringOid(a.syntax().substring());
        }
        if (a.syntax().ordering() != null) {
            at.setOrderingOid(a.syntax().ordering());
        }
        at.setSingleValued(a.singleValued());
        at.setUsage(usage);
        if (!sm.add(at)) {
            check(sm, "attribute " + a.name());
        }
    }

    private static void addClass(SchemaManager sm, AdSchema.AdClass c) throws LdapException {
        ObjectClass oc = new ObjectClass(c.oid());
        oc.setNames(c.name());
        oc.setSchemaName(SCHEMA_NAME);
        oc.setType(ObjectClassTypeEnum.STRUCTURAL);
        oc.setSuperiorOids(new ArrayList<>(List.of(sm.lookupObjectClassRegistry(c.superior()).getOid())));
        oc.setMustAttributeTypeOids(oids(sm, c.must()));
        oc.setMayAttributeTypeOids(oids(sm, c.may()));
        if (!sm.add(oc)) {
            check(sm, "class " + c.name());
        }
    }

    /** AD's person needs only cn; AD puts its bookkeeping attributes on top. */
    private static void loosenStandardClasses(SchemaManager sm) throws LdapException {
        ObjectClass person = sm.lookupObjectClassRegistry("person");
        AttributeType cn = sm.lookupAttributeTypeRegistry("cn");
        AttributeType sn = sm.lookupAttributeTypeRegistry("sn");
        person.unlock();
        person.setMustAttributeTypes(new ArrayList<>(List.of(cn)));
        List<AttributeType> may = new ArrayList<>(person.getMayAttributeTypes());
        may.add(sn);
        person.setMayAttributeTypes(may);
        person.lock();

        ObjectClass top = sm.lookupObjectClassRegistry("top");
        top.unlock();
        List<AttributeType> topMay = new ArrayList<>(top.getMayAttributeTypes());
        for (String name : AdSchema.TOP_MAY) {
            topMay.add(sm.lookupAttributeTypeRegistry(name));
        }
        top.setMayAttributeTypes(topMay);
        top.lock();

        // AD's distinguishedName is single-valued (clients such as ldap3 then give it as a string, not a list).
        AttributeType dn = sm.lookupAttributeTypeRegistry(AdSchema.DISTINGUISHED_NAME);
        dn.unlock();
        dn.setSingleValued(true);
        dn.lock();
    }

    private static List<String> oids(SchemaManager sm, List<String> names) throws LdapException {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            out.add(sm.lookupAttributeTypeRegistry(name).getOid());
        }
        return out;
    }

    /** What strict mode would have checked per addition: every AD attribute and class resolves completely. */
    private static void verifyAdded(SchemaManager sm) throws LdapException {
        for (java.util.List<AdAttribute> list : java.util.List.of(AdSchema.ATTRIBUTES, AdSchema.ROOT_DSE_ATTRIBUTES, AdSchema.CONSTRUCTED)) {
            for (AdAttribute a : list) {
                org.apache.directory.api.ldap.model.schema.AttributeType at = sm.lookupAttributeTypeRegistry(a.name());
                if (at.getSyntax() == null || (a.syntax().equality() != null && at.getEquality() == null)) {
                    throw new KeyTrustException(ErrorCode.INTERNAL_ERROR, "the AD attribute " + a.name()
                            + " did not resolve its syntax " + a.syntax().oid() + " or matching rule " + a.syntax().equality());
                }
            }
        }
        for (AdSchema.AdClass c : AdSchema.CLASSES) {
            if (sm.lookupObjectClassRegistry(c.name()).getSuperiors().isEmpty()) {
                throw new KeyTrustException(ErrorCode.INTERNAL_ERROR, "the AD class " + c.name()
                        + " did not resolve its superior " + c.superior());
            }
        }
    }

    private static void check(SchemaManager sm, String what) {
        if (!sm.getErrors().isEmpty()) {
            throw new KeyTrustException(ErrorCode.INTERNAL_ERROR,
                    "cannot install " + what + " into the directory schema: " + sm.getErrors());
        }
    }
}
