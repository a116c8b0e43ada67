package dev.keytrust.dc;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.ArrayList;
import java.util.List;

/** User accounts for tests, added over LDAP as AD tools add them (objectClass top, person, organizationalPerson, user). */
public final class TestUsers {
    private TestUsers() {
    }

    /** Adds the user {@code dn} with {@code sAMAccountName} and the {@code more} attributes; its DN. */
    public static String add(LDAPConnection ldap, String dn, String samAccountName, Attribute... more) throws LDAPException {
        List<Attribute> attributes = new ArrayList<>(List.of(
                new Attribute("objectClass", "top", "person", "organizationalPerson", "user"),
                new Attribute("sAMAccountName", samAccountName)));
        attributes.addAll(List.of(more));
        ldap.add(dn, attributes);
        return dn;
    }
}
