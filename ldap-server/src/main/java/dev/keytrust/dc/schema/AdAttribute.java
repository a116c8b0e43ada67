package dev.keytrust.dc.schema;

/**
 * One attribute of the AD schema subset a domain controller serves.
 *
 * @param name the AD lDAPDisplayName
 * @param oid the AD attributeID (or, for rootDSE-only attributes, an OID under this project's UUID arc)
 * @param syntax what kind of value it holds
 * @param singleValued whether AD allows one value only
 * @param systemOnly whether only the DC itself writes it (clients' writes are refused)
 */
public record AdAttribute(String name, String oid, Syntax syntax, boolean singleValued, boolean systemOnly) {
    /** AD attribute syntaxes, with the LDAP syntax and matching rules ApacheDS uses for them. */
    public enum Syntax {
        DIRECTORY_STRING("1.3.6.1.4.1.1466.115.121.1.15", "2.5.13.2", "2.5.13.4", null),
        DN("1.3.6.1.4.1.1466.115.121.1.12", "2.5.13.1", null, null),
        OCTET_STRING("1.3.6.1.4.1.1466.115.121.1.40", "2.5.13.17", null, null),
        INTEGER("1.3.6.1.4.1.1466.115.121.1.27", "2.5.13.14", null, "2.5.13.15"),
        GENERALIZED_TIME("1.3.6.1.4.1.1466.115.121.1.24", "2.5.13.27", null, "2.5.13.28"),
        BOOLEAN("1.3.6.1.4.1.1466.115.121.1.7", "2.5.13.13", null, null),
        /** Object(DN-Binary): {@code B:<count>:<hex>:<DN>}; caseExactMatch (the DC canonicalises hex to upper case). */
        DN_BINARY("1.2.840.113556.1.4.903", "2.5.13.5", null, null);

        private final String oid;
        private final String equality;
        private final String substring;
        private final String ordering;

        Syntax(String oid, String equality, String substring, String ordering) {
            this.oid = oid;
            this.equality = equality;
            this.substring = substring;
            this.ordering = ordering;
        }

        public String oid() {
            return oid;
        }

        public String equality() {
            return equality;
        }

        public String substring() {
            return substring;
        }

        public String ordering() {
            return ordering;
        }
    }
}
