package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import dev.keytrust.persona.Persona;
import dev.keytrust.persona.Personas;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nobody but the DC itself reads or writes what lies outside its naming contexts (ApacheDS's ou=system, ou=schema,
 * ou=config), and only the domain's users sign in: anonymous clients get 1, a normal user and the Administrator 32,
 * as AD and Samba answer for a DN they do not hold.
 */
class OutsideNamingContextsIT {
    private static final String PASSWORD = "Passw0rd!Passw0rd";
    private static DomainController dc;
    private static String userDn;

    @BeforeAll
    static void start() {
        dc = DomainController.start(DomainControllerConfig.builder("DC1").adminPassword(PASSWORD).seed(5).build());
        Persona alice = Personas.generate(5, 1).get(0);
        dc.addUsers(List.of(alice), Optional.of(PASSWORD));
        userDn = "CN=" + alice.commonName() + ",CN=Users," + dc.baseDn();
    }

    @AfterAll
    static void stop() {
        dc.close();
    }

    @Test
    void anonymousClientsAreToldToBindAndNothingTheyAskIsDone() throws Exception {
        try (LDAPConnection anonymous = new LDAPConnection("127.0.0.1", dc.port())) {
            assertThat(everyOperationOutside(anonymous)).allSatisfy((op, code) ->
                    assertThat(code).as(op).isEqualTo(ResultCode.OPERATIONS_ERROR));
        }
        assertThat(bind("cn=x,ou=system", "secret")).isEqualTo(ResultCode.INVALID_CREDENTIALS);
    }

    @Test
    void aNormalUserAndTheAdministratorFindNothingThereAndChangeNothing() throws Exception {
        for (String who : List.of(userDn, dc.administratorDn())) {
            try (LDAPConnection ldap = new LDAPConnection("127.0.0.1", dc.port(), who, PASSWORD)) {
                assertThat(everyOperationOutside(ldap)).as(who).allSatisfy((op, code) ->
                        assertThat(code).as(op).isEqualTo(ResultCode.NO_SUCH_OBJECT));
                assertThat(ldap.getEntry("cn=schema", "objectClasses")).as("the subschema, which ldap3 reads")
                        .isNotNull();
                assertThat(ldap.getEntry(userDn, "cn")).isNotNull();
                assertThat(code(() -> ldap.search("ou=config", SearchScope.SUB, "(objectClass=*)")))
                        .isEqualTo(ResultCode.NO_SUCH_OBJECT);
            }
        }
        try (LDAPConnection internal = dc.connect()) {
            assertThat(internal.search(dc.baseDn(), SearchScope.SUB, "(cn=x)").getEntryCount()).isZero();
        }
    }

    @Test
    void onlyTheDomainsUsersSignInAndNeverWithAnEmptyPassword() throws Exception {
        assertThat(bind(userDn, PASSWORD)).isEqualTo(ResultCode.SUCCESS);
        assertThat(bind("uid=admin,ou=system", "secret")).isEqualTo(ResultCode.INVALID_CREDENTIALS);
        assertThat(bind("CN=Users," + dc.baseDn(), PASSWORD)).isEqualTo(ResultCode.INVALID_CREDENTIALS);
        assertThat(bind(dc.baseDn(), PASSWORD)).isEqualTo(ResultCode.INVALID_CREDENTIALS);
        assertThat(bind("not a dn", PASSWORD)).isEqualTo(ResultCode.INVALID_CREDENTIALS);
        com.unboundid.ldap.sdk.LDAPConnectionOptions options = new com.unboundid.ldap.sdk.LDAPConnectionOptions();
        options.setBindWithDNRequiresPassword(false);
        try (LDAPConnection c = new LDAPConnection(options, "127.0.0.1", dc.port())) {
            LDAPException e = catchThrowableOfType(LDAPException.class, () -> c.bind(userDn, ""));
            assertThat(e.getResultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS);
            assertThat(e.getDiagnosticMessage()).contains("data 52e");
            assertThat(catchThrowableOfType(LDAPException.class, () -> c.search(dc.baseDn(), SearchScope.BASE,
                    "(objectClass=*)")).getResultCode()).as("still anonymous").isEqualTo(ResultCode.OPERATIONS_ERROR);
        }
    }

    @Test
    void aNormalUserMayNotWriteTheRootDseAndIsToldWhy() throws Exception {
        try (LDAPConnection ldap = new LDAPConnection("127.0.0.1", dc.port(), userDn, PASSWORD)) {
            LDAPException unknown = catchThrowableOfType(LDAPException.class, () -> ldap.modify("",
                    new Modification(ModificationType.REPLACE, "highestCommittedUSN", "5")));
            assertThat(unknown.getResultCode()).isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
            LDAPException ours = catchThrowableOfType(LDAPException.class, () -> ldap.modify("",
                    new Modification(ModificationType.REPLACE, "keytrustReplicationFault", "isolate")));
            assertThat(ours.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
        }
    }

    private static Map<String, ResultCode> everyOperationOutside(LDAPConnection ldap) {
        Map<String, ResultCode> out = new LinkedHashMap<>();
        out.put("add", code(() -> ldap.add("cn=x,ou=system", new Attribute("objectClass", "top", "person"),
                new Attribute("cn", "x"), new Attribute("sn", "x"), new Attribute("userPassword", "secret"))));
        out.put("modify", code(() -> ldap.modify("ou=schemaModifications,ou=schema",
                new Modification(ModificationType.REPLACE, "description", "x"))));
        out.put("delete", code(() -> ldap.delete("ou=users,ou=system")));
        out.put("rename", code(() -> ldap.modifyDN("ou=users,ou=system", "ou=people", true)));
        out.put("base read", code(() -> ldap.search("uid=admin,ou=system", SearchScope.BASE, "(objectClass=*)")));
        out.put("subtree search", code(() -> ldap.search("ou=system", SearchScope.SUB, "(objectClass=*)")));
        out.put("search from the empty DN", code(() -> ldap.search("", SearchScope.SUB, "(objectClass=user)")));
        out.put("one-level search from the empty DN", code(() -> ldap.search("", SearchScope.ONE, "(objectClass=*)")));
        out.put("compare", code(() -> ldap.compare("uid=admin,ou=system", "uid", "admin")));
        return out;
    }

    private interface Call {
        void run() throws LDAPException;
    }

    private static ResultCode code(Call call) {
        try {
            call.run();
            return ResultCode.SUCCESS;
        } catch (LDAPException e) {
            return e.getResultCode();
        }
    }

    private static ResultCode bind(String dn, String password) {
        return code(() -> new LDAPConnection("127.0.0.1", dc.port(), dn, password).close());
    }
}
