package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import dev.keytrust.dc.state.ChangeStamps;
import dev.keytrust.encoding.MsGuid;
import dev.keytrust.encoding.Sid;
import dev.keytrust.persona.Persona;
import dev.keytrust.persona.Personas;
import dev.keytrust.time.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One DC over real LDAP sockets, driven with the UnboundID SDK. */
class DomainControllerIT {
    private static final String PASSWORD = "Passw0rd!Passw0rd";
    private static final VirtualClock CLOCK = new VirtualClock(Instant.parse("2026-03-01T08:00:00Z"));
    private static DomainController dc;
    private static String users;

    @BeforeAll
    static void start() {
        dc = DomainController.start(DomainControllerConfig.builder("DC1").site("HQ").adminPassword(PASSWORD)
                .clock(CLOCK).seed(7).build());
        users = "CN=Users," + dc.baseDn();
    }

    @AfterAll
    static void stop() {
        dc.close();
    }

    @Test
    void theRootDseIsReadableAnonymouslyAndShowsWhatAdShows() throws Exception {
        try (LDAPConnection anonymous = new LDAPConnection("127.0.0.1", dc.port())) {
            Entry root = anonymous.getEntry("");
            assertThat(root.getAttributeValue("defaultNamingContext")).isEqualTo("DC=corp,DC=example,DC=com");
            assertThat(root.getAttributeValue("rootDomainNamingContext")).isEqualTo("DC=corp,DC=example,DC=com");
            assertThat(root.getAttributeValue("configurationNamingContext")).isEqualTo("CN=Configuration,DC=corp,DC=example,DC=com");
            assertThat(root.getAttributeValue("schemaNamingContext")).isEqualTo("CN=Schema,CN=Configuration,DC=corp,DC=example,DC=com");
            assertThat(root.getAttributeValue("dsServiceName"))
                    .isEqualTo("CN=NTDS Settings,CN=DC1,CN=Servers,CN=HQ,CN=Sites,CN=Configuration,DC=corp,DC=example,DC=com")
                    .isEqualTo(dc.dsServiceName());
            assertThat(root.getAttributeValue("serverName")).isEqualTo("CN=DC1,CN=Servers,CN=HQ,CN=Sites,CN=Configuration,DC=corp,DC=example,DC=com");
            assertThat(root.getAttributeValue("dnsHostName")).isEqualTo("dc1.corp.example.com");
            assertThat(root.getAttributeValueAsLong("highestCommittedUSN")).isEqualTo(dc.highestCommittedUsn());
            assertThat(root.getAttributeValue("isSynchronized")).isEqualTo("TRUE");
            for (String level : List.of("domainFunctionality", "forestFunctionality", "domainControllerFunctionality")) {
                assertThat(root.getAttributeValue(level)).isEqualTo("7");
            }
            assertThat(root.getAttributeValues("supportedLDAPVersion")).contains("3");
            assertThat(root.getAttributeValues("supportedControl")).contains("1.2.840.113556.1.4.319");
            assertThat(root.getAttributeValue("vendorName")).contains("KeyTrust");
            assertThat(root.getAttributeValues("namingContexts")).contains(dc.baseDn());

            Entry onlyUsn = anonymous.getEntry("", "highestCommittedUSN");
            assertThat(onlyUsn.getAttributes()).extracting(Attribute::getName).containsExactly("highestCommittedUSN");
        }
    }

    @Test
    void currentTimeAndWhenChangedFollowTheTestbedClock() throws Exception {
        try (LDAPConnection ldap = dc.connect()) {
            CLOCK.advance(Duration.ofHours(2));
            Instant now = CLOCK.instant();
            String stamp = ChangeStamps.generalizedTime(now);
            assertThat(ldap.getEntry("", "currentTime").getAttributeValue("currentTime")).isEqualTo(stamp);
            ldap.add("CN=Clocked User," + users, new Attribute("objectClass", "top", "person", "organizationalPerson", "user"),
                    new Attribute("sAMAccountName", "clocked"));
            Entry e = ldap.getEntry("CN=Clocked User," + users, "whenCreated", "whenChanged");
            assertThat(e.getAttributeValue("whenCreated")).isEqualTo(stamp);
            CLOCK.advance(Duration.ofMinutes(30));
            ldap.modify("CN=Clocked User," + users, new Modification(ModificationType.REPLACE, "description", "moved on"));
            e = ldap.getEntry("CN=Clocked User," + users, "whenCreated", "whenChanged");
            assertThat(e.getAttributeValue("whenCreated")).isEqualTo(stamp);
            assertThat(e.getAttributeValue("whenChanged")).isEqualTo(ChangeStamps.generalizedTime(now.plus(Duration.ofMinutes(30))));
        }
    }

    @Test
    void anonymousSearchesOfTheDomainGetAnOperationsError() throws Exception {
        try (LDAPConnection anonymous = new LDAPConnection("127.0.0.1", dc.port())) {
            LDAPException e = catchThrowableOfType(LDAPException.class,
                    () -> anonymous.search(dc.baseDn(), SearchScope.SUB, "(objectClass=user)"));
            assertThat(e.getResultCode()).isEqualTo(ResultCode.OPERATIONS_ERROR);
            assertThat(e.getDiagnosticMessage()).contains("successful bind must be completed");
        }
    }

    @Test
    void usersBindByDnByUserPrincipalNameOrByDownLevelName() throws Exception {
        for (String name : List.of(dc.administratorDn(), "Administrator@corp.example.com", "CORP\\Administrator",
                "corp\\administrator")) {
            try (LDAPConnection ldap = new LDAPConnection("127.0.0.1", dc.port(), name, PASSWORD)) {
                assertThat(ldap.getEntry(dc.baseDn(), "dc").getAttributeValue("dc")).as(name).isEqualTo("corp");
            }
        }
        for (String name : List.of("nobody@corp.example.com", "OTHER\\Administrator", "CORP\\nobody")) {
            LDAPException e = catchThrowableOfType(LDAPException.class, () -> new LDAPConnection("127.0.0.1", dc.port(), name, PASSWORD));
            assertThat(e.getResultCode()).as(name).isEqualTo(ResultCode.INVALID_CREDENTIALS);
        }
    }

    @Test
    void aWrongPasswordIsRefusedWith49() {
        LDAPException e = catchThrowableOfType(LDAPException.class,
                () -> new LDAPConnection("127.0.0.1", dc.port(), dc.administratorDn(), "wrong"));
        assertThat(e.getResultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS);
    }

    @Test
    void theDomainLayoutIsThereWithWellKnownRids() throws Exception {
        try (LDAPConnection ldap = dc.connect()) {
            Sid domain = Sid.fromBytes(ldap.getEntry(dc.baseDn(), "objectSid").getAttributeValueBytes("objectSid"));
            assertThat(domain).isEqualTo(Personas.domainSid("corp.example.com", 7));
            assertThat(rid(ldap, dc.administratorDn())).isEqualTo(500);
            assertThat(rid(ldap, "CN=Domain Admins," + users)).isEqualTo(512);
            assertThat(rid(ldap, "CN=Key Admins," + users)).isEqualTo(526);
            assertThat(rid(ldap, "CN=Enterprise Key Admins," + users)).isEqualTo(527);
            for (String dn : List.of("CN=Computers," + dc.baseDn(), "OU=Domain Controllers," + dc.baseDn(),
                    "CN=DC1,OU=Domain Controllers," + dc.baseDn(), dc.dsServiceName())) {
                assertThat(ldap.getEntry(dn)).as(dn).isNotNull();
            }
            assertThat(ldap.getEntry(dc.administratorDn(), "memberOf").getAttributeValue("memberOf"))
                    .isEqualTo("CN=Domain Admins," + users);
            List<SearchResultEntry> config = ldap.search(dc.baseDn(), SearchScope.SUB, "(objectClass=nTDSDSA)").getSearchEntries();
            assertThat(config).as("the configuration NC is separate from the domain NC, as in AD").isEmpty();
        }
    }

    @Test
    void addsAreStampedWithGuidSidUsnsAndOnlyAdAttributesComeBack() throws Exception {
        try (LDAPConnection ldap = dc.connect()) {
            long before = dc.highestCommittedUsn();
            String dn = "CN=Stamped User," + users;
            ldap.add(dn, new Attribute("objectClass", "top", "person", "organizationalPerson", "user"),
                    new Attribute("sAMAccountName", "stamped"), new Attribute("userPassword", "S3cret!pw"));
            SearchResultEntry e = ldap.getEntry(dn, "*");
            assertThat(e.getAttributeValueBytes("objectGUID")).hasSize(16);
            Sid sid = Sid.fromBytes(e.getAttributeValueBytes("objectSid"));
            assertThat(sid.toString()).startsWith(Personas.domainSid("corp.example.com", 7) + "-");
            assertThat(sid.rid()).isGreaterThanOrEqualTo(1000);
            assertThat(e.getAttributeValueAsLong("uSNCreated")).isEqualTo(before + 1);
            assertThat(e.getAttributeValueAsLong("uSNChanged")).isEqualTo(before + 1);
            assertThat(e.getAttributeValue("instanceType")).isEqualTo("4");
            assertThat(e.getAttributeValue("objectCategory")).isEqualTo("CN=Person,CN=Schema,CN=Configuration," + dc.baseDn());
            assertThat(e.getAttributeValue("distinguishedName")).isEqualTo(dn);
            assertThat(e.getAttributeValue("name")).isEqualTo("Stamped User");
            assertThat(e.hasAttribute("userPassword")).as("passwords never leave the DC").isFalse();
            assertThat(e.hasAttribute("entryUUID")).isFalse();
            assertThat(e.hasAttribute("createTimestamp")).as("operational attributes only by name").isFalse();
            assertThat(ldap.getEntry(dn, "createTimestamp").hasAttribute("createTimestamp")).isTrue();

            ldap.modify(dn, new Modification(ModificationType.REPLACE, "displayName", "Stamped"));
            assertThat(ldap.getEntry(dn, "uSNChanged").getAttributeValueAsLong("uSNChanged")).isEqualTo(before + 2);
            assertThat(ldap.getEntry("", "highestCommittedUSN").getAttributeValueAsLong("highestCommittedUSN")).isEqualTo(before + 2);
            try (LDAPConnection asUser = new LDAPConnection("127.0.0.1", dc.port(), dn, "S3cret!pw")) {
                assertThat(asUser.getEntry(dn, "cn").getAttributeValue("cn")).isEqualTo("Stamped User");
            }
        }
    }

    @Test
    void objectGuidIsImmutableAndSystemAttributesAreRefused() throws Exception {
        try (LDAPConnection ldap = dc.connect()) {
            String dn = "CN=Immutable User," + users;
            ldap.add(dn, new Attribute("objectClass", "top", "person", "organizationalPerson", "user"),
                    new Attribute("sAMAccountName", "immutable"));
            byte[] guid = ldap.getEntry(dn, "objectGUID").getAttributeValueBytes("objectGUID");
            List<Modification> attempts = List.of(
                    new Modification(ModificationType.REPLACE, "objectGUID", new byte[16]),
                    new Modification(ModificationType.REPLACE, "uSNChanged", "5"),
                    new Modification(ModificationType.REPLACE, "whenCreated", "20200101000000.0Z"));
            for (Modification attempt : attempts) {
                LDAPException e = catchThrowableOfType(LDAPException.class, () -> ldap.modify(dn, attempt));
                assertThat(e.getResultCode()).as(attempt.getAttributeName()).isEqualTo(ResultCode.CONSTRAINT_VIOLATION);
                assertThat(e.getDiagnosticMessage()).contains("maintained by the domain controller");
            }
            // objectSid never changes: 53, as Samba answers (SambaDifferentialIT), not 19
            LDAPException sid = catchThrowableOfType(LDAPException.class, () -> ldap.modify(dn, new Modification(
                    ModificationType.REPLACE, "objectSid", Sid.parse("S-1-5-21-1-2-3-4444").toBytes())));
            assertThat(sid.getResultCode()).isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
            assertThat(sid.getDiagnosticMessage()).contains("security identifier");
            assertThat(ldap.getEntry(dn, "objectGUID").getAttributeValueBytes("objectGUID")).isEqualTo(guid);
        }
    }

    @Test
    void aDuplicateSamAccountNameIsRefused() throws Exception {
        try (LDAPConnection ldap = dc.connect()) {
            ldap.add("CN=First Sam," + users, new Attribute("objectClass", "top", "person", "organizationalPerson", "user"),
                    new Attribute("sAMAccountName", "samtwin"));
            LDAPException add = catchThrowableOfType(LDAPException.class, () -> ldap.add("CN=Second Sam," + users,
                    new Attribute("objectClass", "top", "person", "organizationalPerson", "user"),
                    new Attribute("sAMAccountName", "SAMTWIN")));
            assertThat(add.getResultCode()).isEqualTo(ResultCode.ENTRY_ALREADY_EXISTS);
            assertThat(ldap.getEntry("CN=Second Sam," + users)).isNull();

            ldap.add("CN=Third Sam," + users, new Attribute("objectClass", "top", "person", "organizationalPerson", "user"),
                    new Attribute("sAMAccountName", "samthird"));
            LDAPException modify = catchThrowableOfType(LDAPException.class, () -> ldap.modify("CN=Third Sam," + users,
                    new Modification(ModificationType.REPLACE, "sAMAccountName", "samtwin")));
            assertThat(modify.getResultCode()).as("68 on modify too, as Samba answers").isEqualTo(ResultCode.ENTRY_ALREADY_EXISTS);
            assertThat(ldap.getEntry("CN=Third Sam," + users, "sAMAccountName").getAttributeValue("sAMAccountName")).isEqualTo("samthird");
        }
    }

    @Test
    void deterministicUsersCarryTheirPersonaGuidAndSid() throws Exception {
        List<Persona> people = Personas.generate(7, 3);
        dc.addUsers(people, Optional.empty());
        try (LDAPConnection ldap = dc.connect()) {
            for (Persona p : people) {
                SearchResultEntry e = ldap.searchForEntry(dc.baseDn(), SearchScope.SUB,
                        "(sAMAccountName=" + p.samAccountName() + ")", "objectGUID", "objectSid", "userPrincipalName");
                assertThat(MsGuid.fromBytes(e.getAttributeValueBytes("objectGUID"))).isEqualTo(p.objectGuid());
                assertThat(Sid.fromBytes(e.getAttributeValueBytes("objectSid"))).isEqualTo(p.sid(Personas.domainSid("corp.example.com", 7)));
                assertThat(e.getAttributeValue("userPrincipalName")).isEqualTo(p.userPrincipalName("corp.example.com"));
            }
        }
    }

    private static long rid(LDAPConnection ldap, String dn) throws LDAPException {
        return Sid.fromBytes(ldap.getEntry(dn, "objectSid").getAttributeValueBytes("objectSid")).rid();
    }
}
