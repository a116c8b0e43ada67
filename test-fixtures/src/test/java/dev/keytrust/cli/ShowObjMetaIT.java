package dev.keytrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import dev.keytrust.dc.DomainController;
import dev.keytrust.dc.DomainControllerConfig;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeySource;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

/** {@code keytrust showobjmeta} against a running DC, with the bind password from a file or the environment. */
class ShowObjMetaIT {
    @Test
    void showsPerAttributeAndPerValueMetadataLikeRepadmin(@TempDir Path dir) throws Exception {
        Path passwordFile = dir.resolve("password");
        Files.writeString(passwordFile, "Passw0rd!Passw0rd\n");
        try (DomainController dc = DomainController.start(DomainControllerConfig.builder("DC1").site("HQ")
                .adminPassword("Passw0rd!Passw0rd").build());
             LDAPConnection ldap = dc.connect()) {
            String user = "CN=showme,CN=Users," + dc.baseDn();
            ldap.add(user, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", "showme"));
            String key = KeyCredential.builder().publicKey(key()).ownerDn(user).deviceId(new UUID(1, 2))
                    .creationTime(Instant.parse("2026-01-01T00:00:00Z")).source(KeySource.AZURE_AD).build().toDnBinary();
            ldap.modify(user, new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", key));
            ldap.modify(user, new Modification(ModificationType.DELETE, "msDS-KeyCredentialLink", key));

            KeyTrustCommandTest.Result table = KeyTrustCommandTest.run("", "showobjmeta", "--dc", dc.ldapUrl(),
                    "--bind-password-file", passwordFile.toString(), user);
            assertThat(table.exit()).as(table.err()).isZero();
            assertThat(table.out()).contains("Loc.USN", "Originating DSA", "HQ\\DC1", "sAMAccountName", "msDS-KeyCredentialLink")
                    .containsPattern("ABSENT +msDS-KeyCredentialLink");

            KeyTrustCommandTest.Result json = KeyTrustCommandTest.run("", "showobjmeta", "--dc", dc.ldapUrl(),
                    "--bind-password-file", passwordFile.toString(), "--json", user);
            JsonNode doc = new ObjectMapper().readTree(json.out());
            assertThat(doc.get("values")).hasSize(1);
            assertThat(doc.at("/values/0/dwVersion").asText()).isEqualTo("2");
            assertThat(doc.at("/values/0/pszObjectDn").asText()).isEqualTo(user);

            byte[] guid = ldap.getEntry(user, "objectGUID").getAttributeValueBytes("objectGUID");
            ldap.delete(user);
            String tombstone = "CN=showme\\0ADEL:" + dev.keytrust.encoding.MsGuid.fromBytes(guid) + ",CN=Deleted Objects," + dc.baseDn();
            KeyTrustCommandTest.Result deleted = KeyTrustCommandTest.run("", "showobjmeta", "--dc", dc.ldapUrl(),
                    "--bind-password-file", passwordFile.toString(), tombstone);
            assertThat(deleted.exit()).as("a tombstone's metadata, as repadmin shows it: " + deleted.err()).isZero();
            assertThat(deleted.out()).contains("isDeleted", "lastKnownParent");
            KeyTrustCommandTest.Result gone = KeyTrustCommandTest.run("", "showobjmeta", "--dc", dc.ldapUrl(),
                    "--bind-password-file", passwordFile.toString(), user);
            assertThat(gone.exit()).as("no such object on this DC: a failure, not bad usage").isEqualTo(1);
            assertThat(gone.err()).contains("no object " + user, "LDAP 32");

            KeyTrustCommandTest.Result missing = KeyTrustCommandTest.run("", "showobjmeta", "--dc", dc.ldapUrl(),
                    "--bind-password-env", "KEYTRUST_NO_SUCH_VARIABLE", user);
            assertThat(missing.exit()).isEqualTo(2);
            assertThat(missing.err().lines().toList()).hasSize(1);
            assertThat(List.of(missing.err())).allMatch(e -> e.contains("KEYTRUST_NO_SUCH_VARIABLE"));
        }
    }

    private static RSAPublicKey key() throws Exception {
        BigInteger modulus = BigInteger.ONE.shiftLeft(2047).add(BigInteger.valueOf(12345));
        return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, BigInteger.valueOf(65537)));
    }
}
