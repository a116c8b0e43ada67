package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import dev.keytrust.encoding.MsGuid;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deletions as AD makes them: tombstones, hidden but replicated, name conflicts, garbage collection. */
class TombstoneIT extends TwoDcsTestBase {
    private static final Control SHOW_DELETED = new Control("1.2.840.113556.1.4.417", true);

    TombstoneIT() {
        super(Instant.parse("2026-05-01T00:00:00Z"), 7);
    }

    @BeforeEach
    void replicateBothWays() {
        dc1.pullFrom(dc2);
        dc2.pullFrom(dc1);
    }

    private String addUser(LDAPConnection ldap, String name) throws LDAPException {
        String dn = "CN=" + name + "," + users();
        ldap.add(dn, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", name),
                new Attribute("description", "user " + name));
        return dn;
    }

    private static String key(String ownerDn, int device) {
        return TestKeys.value(ownerDn, new UUID(device, 1));
    }

    private static List<SearchResultEntry> deleted(LDAPConnection ldap, String base, String filter, String... attributes)
            throws LDAPException {
        SearchRequest request = new SearchRequest(base, SearchScope.SUB, filter, attributes);
        request.addControl(SHOW_DELETED);
        return ldap.search(request).getSearchEntries();
    }

    @Test
    void aDeletedUserBecomesAHiddenTombstoneThatKeepsOnlyWhatAdKeeps() throws Exception {
        String dn = addUser(ldap1, "alice");
        ldap1.modify(dn, new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", key(dn, 1)));
        byte[] guid = ldap1.getEntry(dn, "objectGUID").getAttributeValueBytes("objectGUID");

        ldap1.delete(dn);

        assertThat(ldap1.getEntry(dn)).as("the live DN is gone").isNull();
        assertThat(ldap1.search(dc1.baseDn(), SearchScope.SUB, "(sAMAccountName=alice)").getEntryCount())
                .as("without the show-deleted control a tombstone is not found").isZero();
        List<SearchResultEntry> found = deleted(ldap1, dc1.baseDn(), "(sAMAccountName=alice)", "*", "msDS-ReplValueMetaData");
        assertThat(found).hasSize(1);
        SearchResultEntry tombstone = found.get(0);
        assertThat(tombstone.getDN()).isEqualTo("CN=alice\\0ADEL:" + MsGuid.fromBytes(guid) + ",CN=Deleted Objects," + dc1.baseDn());
        assertThat(tombstone.getAttributeValue("isDeleted")).isEqualTo("TRUE");
        assertThat(tombstone.getAttributeValue("lastKnownParent")).isEqualTo(users());
        assertThat(tombstone.getAttributeValueBytes("objectGUID")).isEqualTo(guid);
        assertThat(tombstone.getAttributeValue("sAMAccountName")).isEqualTo("alice");
        assertThat(tombstone.getAttributeValue("objectSid")).isNotNull();
        assertThat(tombstone.hasAttribute("description")).as("stripped").isFalse();
        assertThat(tombstone.hasAttribute("msDS-KeyCredentialLink")).as("linked values removed").isFalse();
        assertThat(tombstone.getAttributeValues("msDS-ReplValueMetaData")).singleElement().asString()
                .contains("<ftimeDeleted>2026-05-01T00:00:00Z</ftimeDeleted>");

        assertThatThrownBy(() -> ldap1.modify(tombstone.getDN(), new Modification(ModificationType.REPLACE, "description", "x")))
                .isInstanceOfSatisfying(LDAPException.class, e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.NO_SUCH_OBJECT));
        assertThatThrownBy(() -> ldap1.search(tombstone.getDN(), SearchScope.BASE, "(objectClass=*)"))
                .isInstanceOfSatisfying(LDAPException.class, e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.NO_SUCH_OBJECT));
        String again = addUser(ldap1, "alice");
        assertThat(ldap1.getEntry(again, "objectGUID").getAttributeValueBytes("objectGUID"))
                .as("the name is free again: a new object").isNotEqualTo(guid);
    }

    @Test
    void deletesAreRefusedAsAdRefusesThem() throws Exception {
        assertThatThrownBy(() -> ldap1.delete("CN=nobody," + users())).isInstanceOfSatisfying(LDAPException.class,
                e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.NO_SUCH_OBJECT));
        assertThatThrownBy(() -> ldap1.delete(users())).as("a built-in container, as Samba answers").isInstanceOfSatisfying(
                LDAPException.class, e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.UNWILLING_TO_PERFORM));
        String ou = "OU=Lab," + dc1.baseDn();
        ldap1.add(ou, new Attribute("objectClass", "organizationalUnit"), new Attribute("ou", "Lab"));
        ldap1.add("CN=inner," + ou, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", "inner"));
        assertThatThrownBy(() -> ldap1.delete(ou)).isInstanceOfSatisfying(LDAPException.class,
                e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.NOT_ALLOWED_ON_NONLEAF));
        assertThatThrownBy(() -> ldap1.delete(dc1.administratorDn())).isInstanceOfSatisfying(LDAPException.class,
                e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.UNWILLING_TO_PERFORM));
        assertThat(ldap1.getEntry(dc1.administratorDn())).as("nothing changed").isNotNull();
    }

    @Test
    void aDeletionReplicatesAndWinsOverAConcurrentChange() throws Exception {
        String dn = addUser(ldap1, "bob");
        ldap1.modify(dn, new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", key(dn, 1)));
        dc2.pullFrom(dc1);
        clock.advance(Duration.ofSeconds(5));
        ldap1.delete(dn);
        clock.advance(Duration.ofSeconds(5));
        ldap2.modify(dn, new Modification(ModificationType.REPLACE, "description", "changed on DC2 after the delete"),
                new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", key(dn, 2)));

        dc2.pullFrom(dc1);
        dc1.pullFrom(dc2);

        for (LDAPConnection ldap : List.of(ldap1, ldap2)) {
            assertThat(ldap.getEntry(dn)).isNull();
            SearchResultEntry t = deleted(ldap, dc1.baseDn(), "(sAMAccountName=bob)", "*", "msDS-ReplAttributeMetaData",
                    "msDS-ReplValueMetaData").get(0);
            assertThat(t.getDN()).contains("\\0ADEL:");
            assertThat(t.hasAttribute("description")).as("a tombstone keeps no description, whatever won").isFalse();
            assertThat(t.hasAttribute("msDS-KeyCredentialLink")).isFalse();
        }
        SearchResultEntry on1 = deleted(ldap1, dc1.baseDn(), "(sAMAccountName=bob)", "msDS-ReplAttributeMetaData", "msDS-ReplValueMetaData").get(0);
        SearchResultEntry on2 = deleted(ldap2, dc1.baseDn(), "(sAMAccountName=bob)", "msDS-ReplAttributeMetaData", "msDS-ReplValueMetaData").get(0);
        assertThat(local(on2.getAttributeValues("msDS-ReplAttributeMetaData")))
                .containsExactlyInAnyOrderElementsOf(local(on1.getAttributeValues("msDS-ReplAttributeMetaData")));
        assertThat(local(on2.getAttributeValues("msDS-ReplValueMetaData")))
                .containsExactlyInAnyOrderElementsOf(local(on1.getAttributeValues("msDS-ReplValueMetaData")));
    }

    private static List<String> local(String[] xml) {
        return java.util.Arrays.stream(xml).map(s -> s.replaceAll("<usnLocalChange>\\d+</usnLocalChange>", "")).toList();
    }

    @Test
    void twoObjectsCreatedWithOneNameOnTwoDcsEndWithTheLoserRenamedCnf() throws Exception {
        String dn = addUser(ldap1, "carol");
        clock.advance(Duration.ofSeconds(1));
        ldap2.add(dn, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", "carol2"));
        byte[] loser = ldap1.getEntry(dn, "objectGUID").getAttributeValueBytes("objectGUID");
        byte[] winner = ldap2.getEntry(dn, "objectGUID").getAttributeValueBytes("objectGUID");

        dc1.pullFrom(dc2);
        dc2.pullFrom(dc1);

        String mangled = "CN=carol\\0ACNF:" + MsGuid.fromBytes(loser) + "," + users();
        for (LDAPConnection ldap : List.of(ldap1, ldap2)) {
            assertThat(ldap.getEntry(dn, "objectGUID").getAttributeValueBytes("objectGUID")).as("the later name keeps it").isEqualTo(winner);
            SearchResultEntry other = ldap.getEntry(mangled, "objectGUID", "sAMAccountName", "name");
            assertThat(other).as("the other object is kept, renamed").isNotNull();
            assertThat(other.getAttributeValueBytes("objectGUID")).isEqualTo(loser);
            assertThat(other.getAttributeValue("sAMAccountName")).isEqualTo("carol");
            assertThat(other.getAttributeValue("name")).isEqualTo("carol\nCNF:" + MsGuid.fromBytes(loser));
        }
    }

    @Test
    void anObjectCreatedUnderAContainerDeletedMeanwhileElsewhereEndsInLostAndFoundOnEveryDc() throws Exception {
        String ou = "OU=Team," + dc1.baseDn();
        ldap1.add(ou, new Attribute("objectClass", "organizationalUnit"), new Attribute("ou", "Team"));
        dc2.pullFrom(dc1);
        clock.advance(Duration.ofSeconds(5));
        ldap1.delete(ou);
        String child = "CN=late,OU=Team," + dc1.baseDn();
        ldap2.add(child, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", "late"));
        byte[] guid = ldap2.getEntry(child, "objectGUID").getAttributeValueBytes("objectGUID");

        dc1.pullFrom(dc2); // DC1 gets the child; its parent is gone here
        dc2.pullFrom(dc1); // DC2 gets the deletion of a parent that has a child here
        dc1.pullFrom(dc2);

        String found = "CN=late,CN=LostAndFound," + dc1.baseDn();
        for (LDAPConnection ldap : List.of(ldap1, ldap2)) {
            assertThat(ldap.getEntry(ou)).isNull();
            SearchResultEntry e = ldap.getEntry(found, "objectGUID", "sAMAccountName");
            assertThat(e).as("the orphan is in LostAndFound").isNotNull();
            assertThat(e.getAttributeValueBytes("objectGUID")).isEqualTo(guid);
            assertThat(deleted(ldap, dc1.baseDn(), "(&(isDeleted=TRUE)(ou=Team*))")).as("the container's tombstone").hasSize(1);
        }
    }

    @Test
    void aLinkToAUserDeletedMeanwhileElsewhereIsHeldNowhere() throws Exception {
        String user = addUser(ldap1, "kim");
        String group = "CN=Readers," + users();
        ldap1.add(group, new Attribute("objectClass", "group"), new Attribute("sAMAccountName", "Readers"));
        dc2.pullFrom(dc1);
        clock.advance(Duration.ofSeconds(5));
        ldap1.delete(user);
        ldap2.modify(group, new Modification(ModificationType.ADD, "member", user)); // DC2 does not know yet

        dc1.pullFrom(dc2); // the link arrives where its target is a tombstone
        dc2.pullFrom(dc1); // the deletion arrives where the link is held

        for (LDAPConnection ldap : List.of(ldap1, ldap2)) {
            assertThat(ldap.getEntry(group, "member").hasAttribute("member")).as("no DC holds a link to a deleted user").isFalse();
        }
        assertThat(local(ldap1.getEntry(group, "msDS-ReplValueMetaData").getAttributeValues("msDS-ReplValueMetaData")))
                .as("the same value metadata on both").isEqualTo(local(ldap2.getEntry(group, "msDS-ReplValueMetaData")
                        .getAttributeValues("msDS-ReplValueMetaData")));
    }

    @Test
    void garbageCollectionRemovesTombstonesAndAbsentValuesAfterTheTombstoneLifetime() throws Exception {
        String dn = addUser(ldap1, "dave");
        String kept = addUser(ldap1, "erin");
        String value = key(kept, 1);
        ldap1.modify(kept, new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", value));
        ldap1.modify(kept, new Modification(ModificationType.DELETE, "msDS-KeyCredentialLink", value));
        ldap1.delete(dn);
        dc2.pullFrom(dc1);

        clock.advance(Duration.ofDays(179));
        assertThat(dc1.collectGarbage()).isEqualTo(new DomainController.GarbageCollection(0, 0));
        clock.advance(Duration.ofDays(1));
        assertThat(dc1.collectGarbage()).isEqualTo(new DomainController.GarbageCollection(1, 1));

        assertThat(deleted(ldap1, dc1.baseDn(), "(sAMAccountName=dave)")).isEmpty();
        assertThat(ldap1.getEntry(kept, "msDS-ReplValueMetaData").hasAttribute("msDS-ReplValueMetaData")).isFalse();
        assertThat(deleted(ldap2, dc1.baseDn(), "(sAMAccountName=dave)")).as("local: DC2 collects on its own").hasSize(1);
        dc1.pullFrom(dc2);
        assertThat(deleted(ldap1, dc1.baseDn(), "(sAMAccountName=dave)")).as("an expired tombstone is not brought back").isEmpty();
    }
}
