package dev.keytrust.dc;

import static dev.keytrust.dc.DifferentialSteps.step;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everyday writes an administrator's tool makes on accounts and groups (duplicate names, group membership edits,
 * stamped attributes a client may not write), as the Administrator: {@link SambaDifferentialIT} runs it against our
 * DC and a real Samba AD DC, which must record the same result codes.
 */
final class AccountWritesScript {
    private AccountWritesScript() {
    }

    static Map<String, String> run(String host, int port, String tag) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        String u1 = "CN=" + tag + "u1," + DifferentialSteps.USERS;
        String u2 = "CN=" + tag + "u2," + DifferentialSteps.USERS;
        String group = "CN=" + tag + "g," + DifferentialSteps.USERS;
        try (LDAPConnection ldap = DifferentialSteps.administrator(host, port)) {
            step(out, "add user", () -> ldap.add(u1, new Attribute("objectClass", "user"),
                    new Attribute("sAMAccountName", tag + "u1")));
            step(out, "add a second user with the same sAMAccountName", () -> ldap.add(u2,
                    new Attribute("objectClass", "user"), new Attribute("sAMAccountName", tag + "u1")));
            step(out, "add the second user", () -> ldap.add(u2, new Attribute("objectClass", "user"),
                    new Attribute("sAMAccountName", tag + "u2")));
            step(out, "rename a sAMAccountName onto another's", () -> ldap.modify(u2,
                    new Modification(ModificationType.REPLACE, "sAMAccountName", tag + "u1")));
            step(out, "add the same DN again", () -> ldap.add(u1, new Attribute("objectClass", "user"),
                    new Attribute("sAMAccountName", tag + "u3")));
            step(out, "give user 1 a userPrincipalName", () -> ldap.modify(u1, new Modification(ModificationType.REPLACE,
                    "userPrincipalName", tag + "@corp.example.com")));
            step(out, "give user 2 the same userPrincipalName", () -> ldap.modify(u2, new Modification(
                    ModificationType.REPLACE, "userPrincipalName", tag + "@corp.example.com")));
            step(out, "give user 1 a servicePrincipalName", () -> ldap.modify(u1, new Modification(
                    ModificationType.ADD, "servicePrincipalName", "http/" + tag + ".corp.example.com")));
            step(out, "give user 2 the same servicePrincipalName", () -> ldap.modify(u2, new Modification(
                    ModificationType.ADD, "servicePrincipalName", "http/" + tag + ".corp.example.com")));
            step(out, "add a user with user 1's userPrincipalName", () -> ldap.add("CN=" + tag + "u4,"
                    + DifferentialSteps.USERS, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", tag + "u4"),
                    new Attribute("userPrincipalName", tag.toUpperCase(java.util.Locale.ROOT) + "@corp.example.com")));
            step(out, "user 1 keeps its own userPrincipalName", () -> ldap.modify(u1, new Modification(
                    ModificationType.REPLACE, "userPrincipalName", tag + "@corp.example.com")));
            step(out, "add group", () -> ldap.add(group, new Attribute("objectClass", "group"),
                    new Attribute("sAMAccountName", tag + "g")));
            step(out, "add a member", () -> ldap.modify(group, new Modification(ModificationType.ADD, "member", u1)));
            step(out, "add the same member again", () -> ldap.modify(group,
                    new Modification(ModificationType.ADD, "member", u1)));
            step(out, "remove a member that is not one", () -> ldap.modify(group,
                    new Modification(ModificationType.DELETE, "member", u2)));
            step(out, "add a member that does not exist", () -> ldap.modify(group,
                    new Modification(ModificationType.ADD, "member", "CN=" + tag + "nobody," + DifferentialSteps.USERS)));
            step(out, "write objectGUID", () -> ldap.modify(u1, new Modification(ModificationType.REPLACE, "objectGUID",
                    new byte[16])));
            step(out, "write objectSid", () -> ldap.modify(u1, new Modification(ModificationType.REPLACE, "objectSid",
                    new byte[] {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0})));
            step(out, "write whenCreated", () -> ldap.modify(u1, new Modification(ModificationType.REPLACE,
                    "whenCreated", "20200101000000.0Z")));
            step(out, "write uSNChanged", () -> ldap.modify(u1, new Modification(ModificationType.REPLACE, "uSNChanged",
                    "5")));
            step(out, "write memberOf", () -> ldap.modify(u2, new Modification(ModificationType.ADD, "memberOf", group)));
            step(out, "write msDS-KeyCredentialLink-BL", () -> ldap.modify(u2, new Modification(ModificationType.ADD,
                    "msDS-KeyCredentialLink-BL", u1)));
            step(out, "replace sAMAccountName with no value", () -> ldap.modify(u2,
                    new Modification(ModificationType.REPLACE, "sAMAccountName")));
            step(out, "change a user's structural class to group", () -> ldap.modify(u2,
                    new Modification(ModificationType.REPLACE, "objectClass", "group")));
            step(out, "delete the user's sAMAccountName", () -> ldap.modify(u2,
                    new Modification(ModificationType.DELETE, "sAMAccountName")));
            step(out, "add an entry under a user", () -> ldap.add("CN=child," + u1, new Attribute("objectClass",
                    "container")));
            String ou = "OU=" + tag + "ou," + DifferentialSteps.BASE;
            step(out, "add an OU", () -> ldap.add(ou, new Attribute("objectClass", "organizationalUnit")));
            step(out, "move a member into the OU", () -> ldap.modifyDN(u1, "CN=" + tag + "u1", true, ou));
            out.put("the group names the moved member", String.valueOf(ldap.getEntry(group, "member")
                    .getAttributeValue("member").equalsIgnoreCase("CN=" + tag + "u1," + ou)));
            out.put("the moved member's memberOf", ldap.getEntry("CN=" + tag + "u1," + ou, "memberOf")
                    .getAttributeValue("memberOf").replace(tag, "T"));
            step(out, "move it onto an existing name", () -> ldap.modifyDN("CN=" + tag + "u1," + ou, "CN=" + tag + "u2",
                    true, DifferentialSteps.USERS));
            step(out, "move it under a user", () -> ldap.modifyDN("CN=" + tag + "u1," + ou, "CN=" + tag + "u1", true, u2));
            step(out, "move it back", () -> ldap.modifyDN("CN=" + tag + "u1," + ou, "CN=" + tag + "u1", true,
                    DifferentialSteps.USERS));
            step(out, "delete the OU", () -> ldap.delete(ou));
            // Sign-in state a simple bind must honour (AD answers 49 with data 701, 773 and 775).
            String b = "CN=" + tag + "b," + DifferentialSteps.USERS;
            step(out, "add an enabled user with a password", () -> ldap.add(b, new Attribute("objectClass", "user"),
                    new Attribute("sAMAccountName", tag + "b"), new Attribute("userAccountControl", "512"),
                    new Attribute("unicodePwd", ("\"Bind-Secret-1\"").getBytes(java.nio.charset.StandardCharsets.UTF_16LE))));
            step(out, "bind as it", () -> new LDAPConnection(host, port, b, "Bind-Secret-1").close());
            step(out, "let its account expire", () -> ldap.modify(b, new Modification(ModificationType.REPLACE,
                    "accountExpires", "116444736000000000")));
            step(out, "bind as the expired account", () -> new LDAPConnection(host, port, b, "Bind-Secret-1").close());
            step(out, "renew it and require a new password", () -> ldap.modify(b, new Modification(ModificationType.REPLACE,
                    "accountExpires", "9223372036854775807"), new Modification(ModificationType.REPLACE, "pwdLastSet", "0")));
            step(out, "bind with a password that must change", () -> new LDAPConnection(host, port, b, "Bind-Secret-1").close());
            step(out, "delete it", () -> ldap.delete(b));
            step(out, "delete a member's group", () -> ldap.delete(group));
            step(out, "delete user 1", () -> ldap.delete(u1));
            step(out, "delete user 2", () -> ldap.delete(u2));
        }
        return out;
    }
}
