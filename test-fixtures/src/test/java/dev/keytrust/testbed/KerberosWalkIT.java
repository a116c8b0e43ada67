package dev.keytrust.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import dev.keytrust.dc.kerberos.Krb5Files;
import dev.keytrust.dc.kerberos.MitKerberos;
import dev.keytrust.kdc.client.PkinitClient;
import dev.keytrust.kdc.client.UserKeyPair;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Kerberos walk with real clients over sockets: a key registered in the Graph mock (the user holds the
 * private half), carried by the agent to DC1; MIT kinit gets a TGT from DC1 while DC3 answers 62 (Client not
 * trusted); after replication DC3 gives one too; kvno ldap/&lt;dc&gt; on each; a password set on DC1 signs in on DC3
 * only after it replicated. Virtual time that starts now and hardly moves, so MIT's wall clock is within the skew.
 */
class KerberosWalkIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void mit() {
        MitKerberos.assumeInstalled();
    }

    @Test
    void aKeyFromEntraSignsInOnDc1ThenOnDc3AfterReplication() throws Exception {
        try (Testbed testbed = Testbed.start(TestbedConfig.builder().users(3).seed(5).start(Instant.now()).build())) {
            String upn = testbed.users().get(0);
            String sam = samAccountName(testbed, upn);
            String realm = testbed.config().topology().domain().toUpperCase(Locale.ROOT);
            Krb5Files.writeCa(dir, testbed.network().dc("DC1").config().kdcCertificateAuthority().orElseThrow().certificate());
            MitKerberos dc1 = client(testbed, "DC1", realm);
            MitKerberos dc3 = client(testbed, "DC3", realm);

            UserKeyPair pair = UserKeyPair.generate(sam, testbed.now());
            pair.write(dir);
            TestKey key = testbed.registerKey(upn, "WALK-PC", pair);
            testbed.agent().runCycle(); // the agent's next cycle, now (its schedule is every 30 minutes)
            assertThat(testbed.dc("DC1").hasKey(key)).isTrue();

            Path cert = pair.certificateFile(dir);
            Path privateKey = pair.keyFile(dir);
            Path ca = dir.resolve(Krb5Files.CA_FILE);
            MitKerberos.Result onDc1 = dc1.pkinit(sam, cert, privateKey, ca);
            assertThat(onDc1.ok()).as(onDc1.output() + dc1.trace()).isTrue();
            MitKerberos.Result onDc3 = dc3.pkinit(sam, cert, privateKey, ca);
            assertThat(onDc3.ok()).isFalse();
            assertThat(onDc3.output() + dc3.trace()).contains("Client not trusted");
            assertThat(testbed.probe("DC3", key).conclusion()).contains("KRB-ERROR 62").contains("not yet replicated here");

            testbed.network().replicate("DC1", "DC3");
            MitKerberos.Result afterReplication = dc3.pkinit(sam, cert, privateKey, ca);
            assertThat(afterReplication.ok()).as(afterReplication.output() + dc3.trace()).isTrue();
            assertThat(testbed.signIn(key, "DC3")).isInstanceOf(PkinitClient.Ticket.class);
            KeyTimeline timeline = testbed.awaitSignIn(key, "DC3");
            assertThat(timeline.signedInOn("DC3").orElseThrow()).isAfterOrEqualTo(timeline.visibleOn("DC3").orElseThrow());

            for (String[] each : new String[][] {{"DC1", "dc1"}, {"DC3", "dc3"}}) {
                MitKerberos c = each[0].equals("DC1") ? dc1 : dc3;
                MitKerberos.Result kvno = c.kvno("ldap/" + each[1] + "." + testbed.config().topology().domain());
                assertThat(kvno.ok()).as(kvno.output() + c.trace()).isTrue();
            }

            // A password set on DC1 signs in on DC1 now, on DC3 only after it has replicated.
            try (LDAPConnection ldap = testbed.dc("DC1").connect()) {
                ldap.modify(dn(ldap, testbed, upn), new Modification(ModificationType.REPLACE, "userPassword", "Walk-Secret-1"));
            }
            dc1.kdestroy();
            dc3.kdestroy();
            MitKerberos.Result passwordDc1 = dc1.kinit(sam, "Walk-Secret-1");
            assertThat(passwordDc1.ok()).as(passwordDc1.output() + dc1.trace()).isTrue();
            assertThat(dc3.kinit(sam, "Walk-Secret-1").ok()).as("not replicated yet").isFalse();
            testbed.network().replicate("DC1", "DC3");
            MitKerberos.Result passwordDc3 = dc3.kinit(sam, "Walk-Secret-1");
            assertThat(passwordDc3.ok()).as(passwordDc3.output() + dc3.trace()).isTrue();
        }
    }

    private MitKerberos client(Testbed testbed, String dc, String realm) throws Exception {
        return new MitKerberos(Krb5Files.writeConfig(dir, dc, realm, "127.0.0.1", testbed.dc(dc).kdcPort()),
                dir.resolve("ccache-" + dc));
    }

    private static String samAccountName(Testbed testbed, String upn) throws Exception {
        try (LDAPConnection ldap = testbed.dc("DC1").connect()) {
            return ldap.getEntry(dn(ldap, testbed, upn), "sAMAccountName").getAttributeValue("sAMAccountName");
        }
    }

    private static String dn(LDAPConnection ldap, Testbed testbed, String upn) throws Exception {
        SearchResultEntry e = ldap.searchForEntry(testbed.dc("DC1").baseDn(), SearchScope.SUB,
                Filter.createEqualityFilter("userPrincipalName", upn));
        return e.getDN();
    }
}
