package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeySource;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** msDS-KeyCredentialLink over LDAP: syntax, canonical form, duplicates, back links, who may write it. */
class KeyCredentialLinkIT {
    private static final String PASSWORD = "Passw0rd!Passw0rd";
    private static DomainController dc;
    private static String users;
    private static final String KEY_WRITER_PASSWORD = "KeyWriter!1";

    @BeforeAll
    static void start() throws Exception {
        dc = DomainController.start(DomainControllerConfig.builder("DC1").adminPassword(PASSWORD).build());
        users = "CN=Users," + dc.baseDn();
        try (LDAPConnection ldap = dc.connect()) {
            addUser(ldap, "keywriter", KEY_WRITER_PASSWORD);
            addUser(ldap, "plainuser", "PlainUser!1");
            ldap.modify("CN=Key Admins," + users, new Modification(ModificationType.ADD, "member", dn("keywriter")));
        }
    }

    @AfterAll
    static void stop() {
        dc.close();
    }

    @Test
    void aValueIsStoredWithUpperCaseHexAndTheDnAsWrittenAndTheOwnerSeesItsBackLink() throws Exception {
        try (LDAPConnection ldap = dc.connect()) {
            String owner = addUser(ldap, "kclowner", null);
            String value = key(owner, 1);
            String lower = lowerHex(value);
            addKey(ldap, owner, lower);
            assertThat(ldap.getEntry(owner, "msDS-KeyCredentialLink").getAttributeValues("msDS-KeyCredentialLink"))
                    .containsExactly(value);
            assertThat(ldap.getEntry(owner, "msDS-KeyCredentialLink-BL").getAttributeValue("msDS-KeyCredentialLink-BL"))
                    .isEqualTo(owner);
            assertThat(KeyCredential.fromDnBinary(value).keyHashValid()).isTrue();

            ldap.modify(owner, new Modification(ModificationType.DELETE, "msDS-KeyCredentialLink", lower));
            assertThat(ldap.getEntry(owner, "msDS-KeyCredentialLink", "msDS-KeyCredentialLink-BL").getAttributes()).isEmpty();
        }
    }

    @Test
    void aValueNamingAnotherObjectShowsOnThatObjectsBackLink() throws Exception {
        try (LDAPConnection ldap = dc.connect()) {
            String owner = addUser(ldap, "linkowner", null);
            String target = addUser(ldap, "linktarget", null);
            addKey(ldap, owner, key(target, 2));
            assertThat(ldap.getEntry(target, "msDS-KeyCredentialLink-BL").getAttributeValue("msDS-KeyCredentialLink-BL"))
                    .isEqualTo(owner);
            ldap.delete(owner);
            assertThat(ldap.getEntry(target, "msDS-KeyCredentialLink-BL").hasAttribute("msDS-KeyCredentialLink-BL")).isFalse();
        }
    }

    @Test
    void malformedValuesAreRefusedWithInvalidDnSyntaxAndChangeNothing() throws Exception {
        try (LDAPConnection ldap = dc.connect()) {
            String owner = dn("badvalues");
            String good = userWithKey(ldap, "badvalues", 3);
            long usn = usn(ldap, owner);
            String hex = good.split(":")[2];
            List<String> bad = List.of("B:" + (hex.length() + 2) + ":" + hex + ":" + owner, "B:3:ABC:" + owner,
                    "B:4:0G00:" + owner, "B:4:0A00:not a dn", "no prefix at all");
            for (String value : bad) {
                LDAPException e = refusedKeyAdd(ldap, owner, value);
                assertThat(e.getResultCode()).as(value).isIn(ResultCode.INVALID_DN_SYNTAX, ResultCode.INVALID_ATTRIBUTE_SYNTAX);
                assertThat(e.getDiagnosticMessage()).as(value).contains("as a 1.2.840.113556.1.4.903 DN");
            }
            assertThat(ldap.getEntry(owner, "msDS-KeyCredentialLink").getAttributeValues("msDS-KeyCredentialLink"))
                    .containsExactly(good);
            assertThat(usn(ldap, owner)).as("refused writes change nothing").isEqualTo(usn);
        }
    }

    @Test
    void anExactDuplicateIsRefusedWith20InEitherHexCase() throws Exception {
        try (LDAPConnection ldap = dc.connect()) {
            String owner = dn("dupowner");
            String value = userWithKey(ldap, "dupowner", 4);
            for (String again : List.of(value, lowerHex(value))) {
                LDAPException e = refusedKeyAdd(ldap, owner, again);
                assertThat(e.getResultCode()).isEqualTo(ResultCode.ATTRIBUTE_OR_VALUE_EXISTS);
            }
        }
    }

    @Test
    void aValueWhoseDnNamesNoObjectIsRefused() throws Exception {
        try (LDAPConnection ldap = dc.connect()) {
            String owner = addUser(ldap, "ghostowner", null);
            LDAPException e = refusedKeyAdd(ldap, owner, key("CN=Nobody," + users, 5));
            assertThat(e.getResultCode()).isEqualTo(ResultCode.CONSTRAINT_VIOLATION);
            assertThat(e.getDiagnosticMessage()).contains("Referenced object not found");
            assertThat(ldap.getEntry(owner, "msDS-KeyCredentialLink").hasAttribute("msDS-KeyCredentialLink")).isFalse();
        }
    }

    @Test
    void keyAdminsMayWriteKeysButNothingElseAndOtherUsersNothing() throws Exception {
        String owner;
        try (LDAPConnection admin = dc.connect()) {
            owner = addUser(admin, "keytarget", null);
        }
        try (LDAPConnection keyAdmin = new LDAPConnection("127.0.0.1", dc.port(), dn("keywriter"), KEY_WRITER_PASSWORD)) {
            addKey(keyAdmin, owner, key(owner, 6));
            LDAPException other = catchThrowableOfType(LDAPException.class, () -> keyAdmin.modify(owner,
                    new Modification(ModificationType.REPLACE, "description", "not allowed")));
            assertThat(other.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
        }
        try (LDAPConnection user = new LDAPConnection("127.0.0.1", dc.port(), dn("plainuser"), "PlainUser!1")) {
            LDAPException e = refusedKeyAdd(user, owner, key(owner, 7));
            assertThat(e.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
            assertThat(user.getEntry(owner, "msDS-KeyCredentialLink").getAttributeValues("msDS-KeyCredentialLink")).hasSize(1);
        }
        try (LDAPConnection anonymous = new LDAPConnection("127.0.0.1", dc.port())) {
            LDAPException e = refusedKeyAdd(anonymous, owner, key(owner, 8));
            assertThat(e.getResultCode()).isEqualTo(ResultCode.OPERATIONS_ERROR);
        }
    }

    @Test
    void anEntryCanBeAddedWithKeysAndTheBackLinkIsSet() throws Exception {
        try (LDAPConnection ldap = dc.connect()) {
            String owner = "CN=bornwithkeys," + users;
            TestUsers.add(ldap, owner, "bornwithkeys",
                    new Attribute("msDS-KeyCredentialLink", key(owner, 9), lowerHex(key(owner, 10))));
            assertThat(ldap.getEntry(owner, "msDS-KeyCredentialLink").getAttributeValues("msDS-KeyCredentialLink"))
                    .containsExactlyInAnyOrder(key(owner, 9), key(owner, 10));
            assertThat(ldap.getEntry(owner, "msDS-KeyCredentialLink-BL").getAttributeValue("msDS-KeyCredentialLink-BL")).isEqualTo(owner);
        }
    }

    static String addUser(LDAPConnection ldap, String sam, String password) throws LDAPException {
        return password == null ? TestUsers.add(ldap, dn(sam), sam)
                : TestUsers.add(ldap, dn(sam), sam, new Attribute("userPassword", password));
    }

    static String dn(String sam) {
        return "CN=" + sam + ",CN=Users,DC=corp,DC=example,DC=com";
    }

    static String key(String owner, int seed) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(seed);
        gen.initialize(1024, random);
        return KeyCredential.builder().publicKey((RSAPublicKey) gen.generateKeyPair().getPublic()).ownerDn(owner)
                .deviceId(new UUID(seed, seed)).creationTime(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(seed))
                .source(KeySource.AZURE_AD).build().toDnBinary();
    }

    /** Adds the user {@code sam} and then a key, {@code key(its DN, seed)}, which it returns. */
    private static String userWithKey(LDAPConnection ldap, String sam, int seed) throws Exception {
        String value = key(addUser(ldap, sam, null), seed);
        addKey(ldap, dn(sam), value);
        return value;
    }

    private static void addKey(LDAPConnection ldap, String owner, String value) throws LDAPException {
        ldap.modify(owner, new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", value));
    }

    /** What refused adding {@code value} to {@code owner}'s keys (null if it was not refused). */
    private static LDAPException refusedKeyAdd(LDAPConnection ldap, String owner, String value) {
        return catchThrowableOfType(LDAPException.class, () -> addKey(ldap, owner, value));
    }

    static String lowerHex(String value) {
        String[] parts = value.split(":", 4);
        return parts[0] + ":" + parts[1] + ":" + parts[2].toLowerCase() + ":" + parts[3];
    }

    private static long usn(LDAPConnection ldap, String dn) throws LDAPException {
        return ldap.getEntry(dn, "uSNChanged").getAttributeValueAsLong("uSNChanged");
    }
}
