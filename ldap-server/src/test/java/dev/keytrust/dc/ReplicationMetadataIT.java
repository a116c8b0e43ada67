package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import dev.keytrust.time.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-attribute and per-value replication metadata, as LDAP clients read it from AD's constructed attributes. */
class ReplicationMetadataIT {
    private static final String PASSWORD = "Passw0rd!Passw0rd";

    @Test
    void originatingWritesAreStampedPerAttributeAndPerLinkedValueWithAbsentValuesKept() throws Exception {
        VirtualClock clock = new VirtualClock(Instant.parse("2026-02-01T09:00:00Z"));
        try (DomainController dc = DomainController.start(DomainControllerConfig.builder("DC1").site("HQ")
                .adminPassword(PASSWORD).clock(clock).build()); LDAPConnection ldap = dc.connect()) {
            String user = "CN=metauser,CN=Users," + dc.baseDn();
            String first = KeyCredentialLinkIT.key(user, 41);
            String second = KeyCredentialLinkIT.key(user, 42);
            TestUsers.add(ldap, user, "metauser", new Attribute("msDS-KeyCredentialLink", first));
            long created = ldap.getEntry(user, "uSNCreated").getAttributeValueAsLong("uSNCreated");
            clock.advance(Duration.ofMinutes(10));
            ldap.modify(user, new Modification(ModificationType.REPLACE, "description", "one"));
            ldap.modify(user, new Modification(ModificationType.REPLACE, "description", "two"));
            clock.advance(Duration.ofMinutes(10));
            ldap.modify(user, new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", second));
            ldap.modify(user, new Modification(ModificationType.DELETE, "msDS-KeyCredentialLink", first));
            long removedAt = ldap.getEntry(user, "uSNChanged").getAttributeValueAsLong("uSNChanged");

            SearchResultEntry e = ldap.getEntry(user, "msDS-ReplAttributeMetaData", "msDS-ReplValueMetaData");
            List<String> attributes = Arrays.asList(e.getAttributeValues("msDS-ReplAttributeMetaData"));
            String description = find(attributes, "<pszAttributeName>description</pszAttributeName>");
            assertThat(description).contains("<dwVersion>2</dwVersion>", "<ftimeLastOriginatingChange>2026-02-01T09:10:00Z<",
                    "<pszLastOriginatingDsaDN>" + dc.dsServiceName() + "</pszLastOriginatingDsaDN>")
                    .startsWith("<DS_REPL_ATTR_META_DATA>");
            String sam = find(attributes, "<pszAttributeName>sAMAccountName</pszAttributeName>");
            assertThat(sam).contains("<dwVersion>1</dwVersion>", "<usnOriginatingChange>" + created + "<",
                    "<ftimeLastOriginatingChange>2026-02-01T09:00:00Z<");
            assertThat(find(attributes, "<pszAttributeName>msDS-KeyCredentialLink</pszAttributeName>")).contains("<dwVersion>3</dwVersion>");
            assertThat(attributes).noneMatch(x -> x.contains(">uSNChanged<") || x.contains(">msDS-KeyCredentialLink-BL<"))
                    .as("non-replicated attributes carry no metadata");

            List<String> values = Arrays.asList(e.getAttributeValues("msDS-ReplValueMetaData"));
            assertThat(values).hasSize(2);
            String firstMeta = values.stream().filter(v -> v.contains(first.split(":")[2].substring(0, 40))).findFirst().orElseThrow();
            assertThat(firstMeta).contains("<pszObjectDn>" + user + "</pszObjectDn>", "<dwVersion>2</dwVersion>",
                    "<ftimeCreated>2026-02-01T09:00:00Z</ftimeCreated>", "<ftimeDeleted>2026-02-01T09:20:00Z</ftimeDeleted>",
                    "<usnLocalChange>" + removedAt + "</usnLocalChange>");
            String secondMeta = values.stream().filter(v -> v != firstMeta).findFirst().orElseThrow();
            assertThat(secondMeta).contains("<dwVersion>1</dwVersion>", "<ftimeDeleted>1601-01-01T00:00:00Z</ftimeDeleted>",
                    "<cbData>" + Integer.parseInt(second.split(":")[1]) / 2 + "</cbData>", "<pbData>" + second.split(":")[2] + "</pbData>");

            SearchResultEntry all = ldap.getEntry(user, "*");
            assertThat(all.hasAttribute("msDS-ReplAttributeMetaData")).as("constructed attributes only by name").isFalse();
            assertThat(all.hasAttribute("keytrustReplMetadata")).isFalse();
            assertThat(ldap.getEntry(user, "keytrustReplMetadata").hasAttribute("keytrustReplMetadata"))
                    .as("an administrator who names the store reads it, as a replicating DC does").isTrue();
            ldap.add("CN=reader,CN=Users," + dc.baseDn(), new Attribute("objectClass", "user"),
                    new Attribute("sAMAccountName", "reader"), new Attribute("userPassword", "Reader!Pw1"));
            try (LDAPConnection reader = new LDAPConnection("127.0.0.1", dc.port(), "CN=reader,CN=Users," + dc.baseDn(), "Reader!Pw1")) {
                assertThat(reader.getEntry(user, "keytrustReplMetadata").hasAttribute("keytrustReplMetadata"))
                        .as("other users never see the store").isFalse();
                assertThat(reader.getEntry(user, "msDS-ReplAttributeMetaData").hasAttribute("msDS-ReplAttributeMetaData")).isTrue();
            }
            assertThat(all.getAttributeValues("msDS-KeyCredentialLink")).containsExactly(second);
        }
    }

    private static String find(List<String> xml, String marker) {
        return xml.stream().filter(x -> x.contains(marker)).findFirst()
                .orElseThrow(() -> new AssertionError("no metadata with " + marker + " in " + xml));
    }
}
