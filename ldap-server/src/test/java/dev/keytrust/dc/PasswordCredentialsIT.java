package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.CompareRequest;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import dev.keytrust.dc.service.AccountCredentials;
import dev.keytrust.encoding.Hex;
import dev.keytrust.time.VirtualClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A password set on a DC becomes its NT hash and Kerberos keys (AD's salts), which no LDAP client reads and which
 * replicate with the password. The expected keys are MIT's: {@code ktutil addent -password} for
 * {@code alice@CORP.EXAMPLE.COM} (default salt = AD's user salt) and {@code host/dc1.corp.example.com} (= AD's
 * computer salt for DC1$), printed by {@code klist -kteK}.
 */
class PasswordCredentialsIT {
    private static final String ADMIN = "Passw0rd!Passw0rd";
    /** MIT ktutil: alice@CORP.EXAMPLE.COM, password Secret-Alice-1. */
    private static final String ALICE_AES256 = "b27f5b25277a6235b52488b01396e43b156748f42165b56221dd0e8e4a8e0099";
    private static final String ALICE_AES128 = "9d458dafb672b566dbed7a6f20f8b51f";
    private static final String ALICE_RC4 = "bf22ddb72cebccc5929c4b8064cbd4d8";
    /** MIT ktutil: host/dc1.corp.example.com@CORP.EXAMPLE.COM, password Machine-Pw-1 (salt CORP.EXAMPLE.COMhostdc1.corp.example.com). */
    private static final String DC1_MACHINE_AES256 = "1dea8aaba13a2fa172505de30d76f9708065054890c5231d896c2e00fbb2710f";

    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-03-01T10:00:00Z"));

    @Test
    void aPasswordSetOverLdapBecomesAdsKeysThatNoClientReadsAndThatReplicate() throws Exception {
        try (DomainController dc1 = start("DC1"); DomainController dc3 = start("DC3");
             LDAPConnection one = dc1.connect()) {
            String alice = TestUsers.add(one, "CN=Alice,CN=Users," + dc1.baseDn(), "alice",
                    new Attribute("userPrincipalName", "alice@corp.example.com"), new Attribute("userPassword", "Secret-Alice-1"));

            AccountCredentials c = dc1.context().directory().credentials("alice").orElseThrow();
            assertThat(c.salt()).isEqualTo("CORP.EXAMPLE.COMalice");
            assertThat(Hex.encode(c.key(18).orElseThrow().keyBytes())).isEqualToIgnoringCase(ALICE_AES256);
            assertThat(Hex.encode(c.key(17).orElseThrow().keyBytes())).isEqualToIgnoringCase(ALICE_AES128);
            assertThat(Hex.encode(c.ntHash())).isEqualToIgnoringCase(ALICE_RC4);
            assertThat(c.kvno()).isEqualTo(1);
            assertThat(dc1.context().directory().credentials("alice@corp.example.com")).contains(c);
            assertThat(dc1.context().directory().credentials("CORP\\ALICE").map(AccountCredentials::salt)).contains(c.salt());
            assertThat(c.toString()).doesNotContain(ALICE_RC4).doesNotContainIgnoringCase(ALICE_AES128.substring(0, 8));

            // The password still works for a simple bind, and nothing derived from it is readable, not even by the
            // Administrator asking for everything or by name.
            try (LDAPConnection asAlice = new LDAPConnection(dc1.host(), dc1.port(), "alice@corp.example.com", "Secret-Alice-1")) {
                assertThat(asAlice.getConnectedPort()).isEqualTo(dc1.port());
            }
            for (String[] asked : new String[][] {{"*", "+"}, {"unicodePwd", "supplementalCredentials", "userPassword"}}) {
                SearchResultEntry e = one.searchForEntry(alice, SearchScope.BASE, "(objectClass=*)", asked);
                assertThat(e.getAttribute("unicodePwd")).isNull();
                assertThat(e.getAttribute("supplementalCredentials")).isNull();
                assertThat(e.getAttribute("userPassword")).isNull();
            }
            for (String filter : new String[] {"(unicodePwd=*)", "(supplementalCredentials=*)", "(userPassword=*)",
                "(&(sAMAccountName=alice)(|(unicodePwd=*)(userPassword=*)))"}) {
                assertThat(one.search(dc1.baseDn(), SearchScope.SUB, filter, "1.1").getEntryCount())
                        .as("a filter on a secret finds nothing: " + filter).isZero();
            }
            assertThat(one.search(dc1.baseDn(), SearchScope.SUB, "(&(sAMAccountName=alice)(!(unicodePwd=*)))", "1.1")
                    .getEntryCount()).as("to a client the secrets are absent").isEqualTo(1);
            assertThatThrownBy(() -> one.compare(new CompareRequest(alice, "unicodePwd", Hex.decode(ALICE_RC4))))
                    .isInstanceOfSatisfying(LDAPException.class,
                            e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.UNWILLING_TO_PERFORM));
            assertThatThrownBy(() -> one.modify(alice, new Modification(ModificationType.REPLACE,
                    "supplementalCredentials", new byte[] {1, 2, 3})))
                    .isInstanceOfSatisfying(LDAPException.class,
                            e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.CONSTRAINT_VIOLATION));

            // AD's own way: unicodePwd = "password" in UTF-16LE; the kvno goes one up.
            one.modify(alice, new Modification(ModificationType.REPLACE, "unicodePwd",
                    "\"Secret-Alice-2\"".getBytes(StandardCharsets.UTF_16LE)));
            AccountCredentials second = dc1.context().directory().credentials("alice").orElseThrow();
            assertThat(second.kvno()).isEqualTo(2);
            assertThat(Hex.encode(second.ntHash())).isNotEqualToIgnoringCase(ALICE_RC4);
            assertThatThrownBy(() -> one.modify(alice, new Modification(ModificationType.REPLACE, "unicodePwd",
                    "Secret-Alice-3".getBytes(StandardCharsets.UTF_16LE))))
                    .as("unquoted unicodePwd is refused and changes nothing")
                    .isInstanceOfSatisfying(LDAPException.class,
                            e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.CONSTRAINT_VIOLATION));
            assertThat(dc1.context().directory().credentials("alice")).contains(second);

            assertThat(dc3.context().directory().credentials("alice")).as("not replicated yet").isEmpty();
            dc3.pullFrom(dc1);
            assertThat(dc3.context().directory().credentials("alice")).as("replicated with the password").contains(second);
            try (LDAPConnection asAlice = new LDAPConnection(dc3.host(), dc3.port(), "alice@corp.example.com", "Secret-Alice-2")) {
                assertThat(asAlice.getConnectedPort()).isEqualTo(dc3.port());
            }
            try (LDAPConnection three = dc3.connect()) {
                SearchResultEntry e = three.searchForEntry(alice, SearchScope.BASE, "(objectClass=*)", "*", "unicodePwd",
                        "supplementalCredentials");
                assertThat(e.getAttribute("unicodePwd")).isNull();
                assertThat(e.getAttribute("supplementalCredentials")).isNull();
            }

            one.modify(alice, new Modification(ModificationType.DELETE, "userPassword"));
            assertThat(dc1.context().directory().credentials("alice")).as("no password, no keys").isEmpty();
        }
    }

    /**
     * AD's two ways to write unicodePwd: a reset (replace) at any time, and a change (delete the old password, add the
     * new) that needs the right old password and a password at least a day old on the DC's clock; anything else is 53.
     */
    @Test
    void aPasswordChangeNeedsTheOldPasswordAndADayWhileAResetDoesNot() throws Exception {
        try (DomainController dc1 = start("DC1"); LDAPConnection one = dc1.connect()) {
            String bob = TestUsers.add(one, "CN=Bob,CN=Users," + dc1.baseDn(), "bob",
                    new Attribute("userPrincipalName", "bob@corp.example.com"));
            one.modify(bob, new Modification(ModificationType.REPLACE, "unicodePwd", quoted("Secret-Bob-1")));
            assertThat(dc1.context().directory().credentials("bob").orElseThrow().kvno()).isEqualTo(1);

            assertThat(code(() -> one.modify(bob, change("Secret-Bob-1", "Secret-Bob-2"))))
                    .as("a password set just now is too young to change").isEqualTo(ResultCode.CONSTRAINT_VIOLATION);
            clock.advance(java.time.Duration.ofDays(1).plusSeconds(1));
            assertThat(code(() -> one.modify(bob, change("Not-Bobs-9", "Secret-Bob-2"))))
                    .as("a wrong old password").isEqualTo(ResultCode.CONSTRAINT_VIOLATION);
            assertThat(code(() -> one.modify(bob, new Modification(ModificationType.ADD, "unicodePwd",
                    quoted("Secret-Bob-2"))))).as("an add alone").isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
            assertThat(code(() -> one.modify(bob, new Modification(ModificationType.DELETE, "unicodePwd",
                    quoted("Secret-Bob-1"))))).as("a delete alone").isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
            assertThat(dc1.context().directory().credentials("bob").orElseThrow().kvno())
                    .as("nothing refused changed the password").isEqualTo(1);

            one.modify(bob, change("Secret-Bob-1", "Secret-Bob-2"));
            assertThat(dc1.context().directory().credentials("bob").orElseThrow().kvno()).isEqualTo(2);
            try (LDAPConnection asBob = new LDAPConnection(dc1.host(), dc1.port(), "bob@corp.example.com", "Secret-Bob-2")) {
                assertThat(asBob.getConnectedPort()).isEqualTo(dc1.port());
            }
            one.modify(bob, new Modification(ModificationType.REPLACE, "unicodePwd", quoted("Secret-Bob-3")));
            assertThat(dc1.context().directory().credentials("bob").orElseThrow().kvno())
                    .as("a reset right after a change").isEqualTo(3);
        }
    }

    /**
     * A user changes its own password with Python ldap3's {@code ad_modify_password} (AD's change form, bound as
     * itself): refused with a wrong old password, accepted with the right one once the password is a day old; the
     * user may not reset its own password or anyone else's.
     */
    @Test
    void aUserChangesItsOwnPasswordWithLdap3(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (DomainController dc1 = start("DC1"); LDAPConnection one = dc1.connect()) {
            String carol = TestUsers.add(one, "CN=Carol,CN=Users," + dc1.baseDn(), "carol",
                    new Attribute("userPrincipalName", "carol@corp.example.com"), new Attribute("userPassword", "Secret-Carol-1"));
            clock.advance(java.time.Duration.ofDays(2));
            com.fasterxml.jackson.databind.JsonNode out = ExternalTool.ldap3Script(dir, dc1, java.util.List.of(
                    "from ldap3 import Server, Connection, MODIFY_REPLACE",
                    "from ldap3.extend.microsoft.modifyPassword import ad_modify_password",
                    "host, port, user, dn, admin = sys.argv[1:6]",
                    "c = Connection(Server(host, port=int(port)), user, 'Secret-Carol-1', auto_bind=True)",
                    "result = lambda ok: 'True' if ok is True else str(c.result['result'])",
                    "out['wrongOld'] = result(ad_modify_password(c, dn, 'Secret-Carol-2', 'Not-Carols-9'))",
                    "out['reset'] = result(ad_modify_password(c, dn, 'Secret-Carol-2', None))",
                    "out['others'] = result(ad_modify_password(c, admin, 'Secret-Carol-2', 'whatever'))",
                    "out['change'] = result(ad_modify_password(c, dn, 'Secret-Carol-2', 'Secret-Carol-1'))",
                    "out['newBind'] = Connection(Server(host, port=int(port)), user, 'Secret-Carol-2').bind()"),
                    "carol@corp.example.com", carol, dc1.administratorDn());
            assertThat(out.get("wrongOld").asText()).isEqualTo("19");
            assertThat(out.get("reset").asText()).as("a reset takes an administrator").isEqualTo("50");
            assertThat(out.get("others").asText()).as("another account's password").isEqualTo("50");
            assertThat(out.get("change").asText()).isEqualTo("True");
            assertThat(out.get("newBind").asBoolean()).isTrue();
            assertThat(dc1.context().directory().credentials("carol").orElseThrow().kvno()).isEqualTo(2);
        }
    }

    private static Modification[] change(String old, String now) {
        return new Modification[] {new Modification(ModificationType.DELETE, "unicodePwd", quoted(old)),
            new Modification(ModificationType.ADD, "unicodePwd", quoted(now))};
    }

    private static byte[] quoted(String password) {
        return ("\"" + password + "\"").getBytes(StandardCharsets.UTF_16LE);
    }

    private static ResultCode code(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        try {
            call.call();
            return ResultCode.SUCCESS;
        } catch (LDAPException e) {
            return e.getResultCode();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Test
    void computerAccountsGetAdsComputerSaltAndTheAdministratorHasKeys() throws Exception {
        try (DomainController dc1 = start("DC1"); LDAPConnection one = dc1.connect()) {
            String computer = "CN=DC1,OU=Domain Controllers," + dc1.baseDn();
            one.modify(computer, new Modification(ModificationType.REPLACE, "userPassword", "Machine-Pw-1"));
            AccountCredentials c = dc1.context().directory().credentials("DC1$").orElseThrow();
            assertThat(c.salt()).isEqualTo("CORP.EXAMPLE.COMhostdc1.corp.example.com");
            assertThat(Hex.encode(c.key(18).orElseThrow().keyBytes())).isEqualToIgnoringCase(DC1_MACHINE_AES256);

            AccountCredentials admin = dc1.context().directory().credentials("Administrator").orElseThrow();
            assertThat(admin.salt()).isEqualTo("CORP.EXAMPLE.COMAdministrator");
            assertThat(Hex.encode(admin.ntHash())).isEqualToIgnoringCase(
                    Hex.encode(dev.keytrust.kdc.crypto.KerberosKeys.ntHash(ADMIN)));
            assertThat(dc1.context().directory().credentials("nobody")).isEmpty();
        }
    }

    private DomainController start(String name) {
        return DomainController.start(DomainControllerConfig.builder(name).adminPassword(ADMIN).clock(clock).build());
    }
}
