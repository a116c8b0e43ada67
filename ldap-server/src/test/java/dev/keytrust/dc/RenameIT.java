package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ModifyDNRequest;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import dev.keytrust.dc.changes.Renames;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Renames and moves (modify DN): same object, new name, links follow, and it replicates. */
class RenameIT extends TwoDcsTestBase {

    RenameIT() {
        super(Instant.parse("2026-07-01T00:00:00Z"), 11);
    }

    private String userWithKeyInGroup(String name) throws Exception {
        String dn = "CN=" + name + "," + users();
        ldap1.add(dn, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", name));
        ldap1.modify(dn, new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", TestKeys.value(dn, new UUID(3, 4))));
        ldap1.add("CN=Team," + users(), new Attribute("objectClass", "group"), new Attribute("sAMAccountName", "Team"),
                new Attribute("member", dn));
        return dn;
    }

    private void assertRenamed(LDAPConnection ldap, String from, String to, byte[] guid) throws LDAPException {
        assertThat(ldap.getEntry(from)).as("old DN gone").isNull();
        SearchResultEntry e = ldap.getEntry(to, "objectGUID", "name", "cn", "sAMAccountName", "msDS-KeyCredentialLink",
                "msDS-KeyCredentialLink-BL", "memberOf");
        assertThat(e).as("new DN there").isNotNull();
        assertThat(e.getAttributeValueBytes("objectGUID")).as("the same object").isEqualTo(guid);
        String rdn = to.substring(3, to.indexOf(','));
        assertThat(e.getAttributeValue("name")).isEqualTo(rdn);
        assertThat(e.getAttributeValues("cn")).containsExactly(rdn);
        assertThat(e.getAttributeValue("msDS-KeyCredentialLink")).as("its key names it by its new DN").endsWith(":" + to);
        assertThat(e.getAttributeValues("msDS-KeyCredentialLink-BL")).containsExactly(to);
        assertThat(e.getAttributeValues("memberOf")).containsExactly("CN=Team," + users());
        assertThat(ldap.getEntry("CN=Team," + users(), "member").getAttributeValues("member")).containsExactly(to);
    }

    @Test
    void aRenamedUserKeepsItsGuidAndItsLinksFollowOnEveryDc() throws Exception {
        String from = userWithKeyInGroup("frank");
        byte[] guid = ldap1.getEntry(from, "objectGUID").getAttributeValueBytes("objectGUID");
        dc2.pullFrom(dc1);
        clock.advance(Duration.ofMinutes(1));

        ldap1.modifyDN(from, "CN=Frank Smith", true);

        String to = "CN=Frank Smith," + users();
        assertRenamed(ldap1, from, to, guid);
        String meta = String.join("", ldap1.getEntry(to, "msDS-ReplAttributeMetaData").getAttributeValues("msDS-ReplAttributeMetaData"));
        assertThat(meta).contains("<pszAttributeName>name</pszAttributeName>\n\t<dwVersion>2</dwVersion>\n"
                + "\t<ftimeLastOriginatingChange>2026-07-01T00:01:00Z");
        assertThat(ldap1.search(dc1.baseDn(), com.unboundid.ldap.sdk.SearchScope.SUB, "(sAMAccountName=frank)").getEntryCount())
                .isEqualTo(1);

        dc2.pullFrom(dc1);
        assertRenamed(ldap2, from, to, guid);
    }

    @Test
    void aMovedUserReplicatesToItsNewContainer() throws Exception {
        String from = userWithKeyInGroup("gina");
        byte[] guid = ldap1.getEntry(from, "objectGUID").getAttributeValueBytes("objectGUID");
        dc2.pullFrom(dc1);

        ldap1.modifyDN(new ModifyDNRequest(from, "CN=gina", true, "CN=Computers," + dc1.baseDn()));
        dc2.pullFrom(dc1);

        String to = "CN=gina,CN=Computers," + dc1.baseDn();
        for (LDAPConnection ldap : List.of(ldap1, ldap2)) {
            assertThat(ldap.getEntry(from)).isNull();
            SearchResultEntry e = ldap.getEntry(to, "objectGUID", "msDS-KeyCredentialLink");
            assertThat(e.getAttributeValueBytes("objectGUID")).isEqualTo(guid);
            assertThat(e.getAttributeValue("msDS-KeyCredentialLink")).endsWith(":" + to);
            assertThat(ldap.getEntry("CN=Team," + users(), "member").getAttributeValues("member")).containsExactly(to);
        }
    }

    @Test
    void aRenameAndAConcurrentChangeOnAnotherDcBothSurvive() throws Exception {
        String from = "CN=hal," + users();
        ldap1.add(from, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", "hal"));
        dc2.pullFrom(dc1);
        clock.advance(Duration.ofSeconds(5));
        ldap1.modifyDN(from, "CN=Hal 9000", true);
        ldap2.modify(from, new Modification(ModificationType.REPLACE, "description", "changed on DC2 meanwhile"));

        dc2.pullFrom(dc1);
        dc1.pullFrom(dc2);

        for (LDAPConnection ldap : List.of(ldap1, ldap2)) {
            assertThat(ldap.getEntry(from)).isNull();
            assertThat(ldap.getEntry("CN=Hal 9000," + users(), "description").getAttributeValue("description"))
                    .isEqualTo("changed on DC2 meanwhile");
        }
    }

    @Test
    void renamesAreRefusedWithClearErrorsAndChangeNothing() throws Exception {
        String dn = "CN=ivy," + users();
        ldap1.add(dn, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", "ivy"));
        ldap1.add("CN=jo," + users(), new Attribute("objectClass", "user"), new Attribute("sAMAccountName", "jo"));

        assertThatThrownBy(() -> ldap1.modifyDN(dn, "CN=jo", true)).isInstanceOfSatisfying(LDAPException.class,
                e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.ENTRY_ALREADY_EXISTS));
        assertThatThrownBy(() -> ldap1.modifyDN(users(), "CN=People", true)).isInstanceOfSatisfying(LDAPException.class,
                e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.UNWILLING_TO_PERFORM));
        assertThatThrownBy(() -> ldap1.modifyDN(new ModifyDNRequest(dn, "CN=ivy", true, "CN=Deleted Objects," + dc1.baseDn())))
                .isInstanceOfSatisfying(LDAPException.class, e -> {
                    assertThat(e.getResultCode()).isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
                    assertThat(e.getDiagnosticMessage()).contains("delete the object instead");
                });
        assertThat(ldap1.getEntry(dn)).as("nothing changed").isNotNull();
        assertThat(ldap1.getEntry(users())).isNotNull();
    }
}
