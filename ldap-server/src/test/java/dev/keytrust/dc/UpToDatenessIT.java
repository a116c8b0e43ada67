package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import dev.keytrust.time.VirtualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The up-to-dateness vector: what clients see of it, and what it guarantees. */
class UpToDatenessIT {
    private static final String PASSWORD = "Passw0rd!Passw0rd";
    private static final Pattern CURSOR = Pattern.compile("<DS_REPL_CURSOR>\n\t<uuidSourceDsaInvocationID>([0-9a-f-]{36})"
            + "</uuidSourceDsaInvocationID>\n\t<usnAttributeFilter>(\\d+)</usnAttributeFilter>\n\t<ftimeLastSyncSuccess>"
            + "([0-9TZ:-]+)</ftimeLastSyncSuccess>\n\t<pszSourceDsaDN>([^<]+)</pszSourceDsaDN>\n</DS_REPL_CURSOR>\n");

    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-06-01T08:00:00Z"));

    private DomainController start(String name) {
        return DomainController.start(DomainControllerConfig.builder(name).adminPassword(PASSWORD).clock(clock).seed(5).build());
    }

    private static List<String> cursors(LDAPConnection ldap, String base) throws Exception {
        String[] values = ldap.getEntry(base, "msDS-NCReplCursors").getAttributeValues("msDS-NCReplCursors");
        return values == null ? List.of() : List.of(values);
    }

    private static String invocationId(LDAPConnection ldap, DomainController dc) throws Exception {
        return dev.keytrust.encoding.MsGuid.fromBytes(ldap.getEntry(dc.dsServiceName(), "invocationId")
                .getAttributeValueBytes("invocationId")).toString();
    }

    @Test
    void theVectorIsReadAsMsDsNcReplCursorsAndCoversWhatAPullBrought() throws Exception {
        try (DomainController dc1 = start("DC1"); DomainController dc2 = start("DC2");
             LDAPConnection one = dc1.connect(); LDAPConnection two = dc2.connect()) {
            assertThat(one.getEntry(dc1.baseDn()).hasAttribute("msDS-NCReplCursors")).as("only when asked for by name").isFalse();
            List<String> alone = cursors(one, dc1.baseDn());
            assertThat(alone).singleElement().satisfies(xml -> {
                Matcher m = CURSOR.matcher(xml);
                assertThat(m.matches()).as(xml).isTrue();
                assertThat(m.group(1)).isEqualTo(invocationId(one, dc1));
                assertThat(Long.parseLong(m.group(2))).isEqualTo(dc1.highestCommittedUsn());
                assertThat(m.group(4)).isEqualTo(dc1.dsServiceName());
            });

            one.add("CN=utd1,CN=Users," + dc1.baseDn(), new Attribute("objectClass", "user"), new Attribute("sAMAccountName", "utd1"));
            long dc1Usn = dc1.highestCommittedUsn();
            clock.advance(Duration.ofMinutes(5));
            dc2.pullFrom(dc1);

            List<String> vector = cursors(two, dc2.baseDn());
            assertThat(vector).hasSize(2);
            Matcher own = CURSOR.matcher(vector.get(0));
            Matcher partner = CURSOR.matcher(vector.get(1));
            assertThat(own.matches() && partner.matches()).isTrue();
            assertThat(own.group(4)).as("the DC itself first").isEqualTo(dc2.dsServiceName());
            assertThat(partner.group(1)).isEqualTo(invocationId(one, dc1));
            assertThat(Long.parseLong(partner.group(2))).as("everything DC1 had when the pull began").isEqualTo(dc1Usn);
            assertThat(partner.group(3)).isEqualTo("2026-06-01T08:05:00Z");
            assertThat(cursors(two, "CN=Configuration," + dc2.baseDn())).as("on each naming-context head").isEqualTo(vector);
        }
    }

    @Test
    void aChangeThatArrivesByTwoPathsIsAppliedOnce() throws Exception {
        try (DomainController dc1 = start("DC1"); DomainController dc2 = start("DC2"); DomainController dc3 = start("DC3");
             LDAPConnection one = dc1.connect()) {
            dc2.pullFrom(dc1);
            dc3.pullFrom(dc2);
            dc3.pullFrom(dc1);
            String dn = "CN=twice,CN=Users," + dc1.baseDn();
            one.add(dn, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", "twice"));
            one.modify(dn, new Modification(ModificationType.REPLACE, "description", "one change"));
            dc2.pullFrom(dc1);
            dc3.pullFrom(dc2);
            long usn = dc3.highestCommittedUsn();

            Replicator.PullResult again = dc3.pullFrom(dc1);

            assertThat(again.objectsRead()).as("read again from DC1").isPositive();
            assertThat(again.objectsAdded() + again.objectsChanged()).as("but covered by DC3's vector").isZero();
            assertThat(dc3.highestCommittedUsn()).as("nothing written").isEqualTo(usn);
        }
    }

    @Test
    void aNewDatabaseGetsANewInvocationIdAndPartnersReadItFromTheStart(@TempDir Path dir) throws Exception {
        try (DomainController dc2 = start("DC2")) {
            String first;
            DomainController dc1 = start("DC1");
            try (LDAPConnection one = dc1.connect()) {
                for (int i = 0; i < 20; i++) {
                    one.modify(dc1.administratorDn(), new Modification(ModificationType.REPLACE, "description", "change " + i));
                }
                first = invocationId(one, dc1);
            }
            dc2.pullFrom(dc1);
            dc1.close();
            clock.advance(Duration.ofMinutes(1));

            DomainController fresh = start("DC1"); // same name and seed, new (in-memory) database
            try (LDAPConnection one = fresh.connect()) {
                assertThat(invocationId(one, fresh)).isNotEqualTo(first);
                one.add("CN=after,CN=Users," + fresh.baseDn(), new Attribute("objectClass", "user"),
                        new Attribute("sAMAccountName", "after"));
            } finally {
                dc2.pullFrom(fresh);
                fresh.close();
            }
            try (LDAPConnection two = dc2.connect()) {
                assertThat(two.getEntry("CN=after,CN=Users," + dc2.baseDn())).as("its USNs start low: not mistaken for old ones")
                        .isNotNull();
            }
        }

        DomainControllerConfig persistent = DomainControllerConfig.builder("DC4").adminPassword(PASSWORD).clock(clock).seed(5)
                .dataDirectory(dir).build();
        String id;
        try (DomainController dc4 = DomainController.start(persistent); LDAPConnection four = dc4.connect()) {
            id = invocationId(four, dc4);
        }
        clock.advance(Duration.ofMinutes(1));
        try (DomainController dc4 = DomainController.start(persistent); LDAPConnection four = dc4.connect()) {
            assertThat(invocationId(four, dc4)).as("a restart keeps its database's id").isEqualTo(id);
            assertThat(CURSOR.matcher(cursors(four, dc4.baseDn()).get(0)).results().findFirst().orElseThrow().group(1)).isEqualTo(id);
        }
    }
}
