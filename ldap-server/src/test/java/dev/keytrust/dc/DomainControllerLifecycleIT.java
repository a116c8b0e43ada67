package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restarts, persistence, several DCs in one JVM, ports. */
class DomainControllerLifecycleIT {
    private static final String PASSWORD = "Passw0rd!Passw0rd";

    @Test
    void aPersistentDcKeepsItsDataUsnCounterAndKeysAcrossARestart(@TempDir Path data) throws Exception {
        DomainControllerConfig config = DomainControllerConfig.builder("DC1").adminPassword(PASSWORD).dataDirectory(data).build();
        String owner;
        String key;
        long usn;
        try (DomainController dc = DomainController.start(config); LDAPConnection ldap = dc.connect()) {
            owner = KeyCredentialLinkIT.addUser(ldap, "persisted", null);
            key = KeyCredentialLinkIT.key(owner, 11);
            ldap.modify(owner, new Modification(ModificationType.ADD, "msDS-KeyCredentialLink", key));
            usn = dc.highestCommittedUsn();
        }
        DomainControllerConfig newPassword = config.toBuilder().adminPassword("N3w!Password").build();
        try (DomainController dc = DomainController.start(newPassword); LDAPConnection ldap = dc.connect()) {
            assertThat(dc.highestCommittedUsn()).isEqualTo(usn);
            assertThat(ldap.getEntry(owner, "msDS-KeyCredentialLink").getAttributeValues("msDS-KeyCredentialLink")).containsExactly(key);
            ldap.modify(owner, new Modification(ModificationType.REPLACE, "description", "after restart"));
            assertThat(ldap.getEntry(owner, "uSNChanged").getAttributeValueAsLong("uSNChanged")).isEqualTo(usn + 1);
            String second = "CN=second,CN=Users," + dc.baseDn();
            KeyCredentialLinkIT.addUser(ldap, "second", null);
            assertThat(ldap.getEntry(second, "objectSid").getAttributeValueBytes("objectSid"))
                    .isNotEqualTo(ldap.getEntry(owner, "objectSid").getAttributeValueBytes("objectSid"));
        }
    }

    @Test
    void threeDcsRunInOneJvmEachWithItsOwnPortAndUsnCounter() throws Exception {
        List<DomainController> dcs = new ArrayList<>();
        try {
            for (String name : List.of("DC1", "DC2", "DC3")) {
                dcs.add(DomainController.start(DomainControllerConfig.builder(name).adminPassword(PASSWORD).build()));
            }
            assertThat(dcs).extracting(DomainController::port).doesNotHaveDuplicates().allMatch(p -> p > 0);
            try (LDAPConnection ldap = dcs.get(0).connect()) {
                KeyCredentialLinkIT.addUser(ldap, "onlyondc1", null);
            }
            assertThat(dcs.get(0).highestCommittedUsn()).isGreaterThan(dcs.get(1).highestCommittedUsn());
            try (LDAPConnection ldap = dcs.get(2).connect()) {
                assertThat(ldap.getEntry("CN=onlyondc1,CN=Users," + dcs.get(2).baseDn())).as("no replication between them yet").isNull();
                assertThat(ldap.getEntry("").getAttributeValue("dsServiceName")).contains("CN=DC3,");
            }
        } finally {
            dcs.forEach(DomainController::close);
        }
        assertThat(dcs).allMatch(DomainController::isStopped);
    }

    @Test
    void aPortInUseGivesAClearErrorAndAStoppedDcFreesItsPort() throws Exception {
        int port;
        try (ServerSocket busy = new ServerSocket(0)) {
            port = busy.getLocalPort();
            assertThatThrownBy(() -> DomainController.start(DomainControllerConfig.builder("DC1").port(port).build()))
                    .isInstanceOf(KeyTrustException.class)
                    .hasMessageContaining("cannot start DC1 on 127.0.0.1:" + port)
                    .hasMessageContaining("port in use")
                    .extracting(e -> ((KeyTrustException) e).errorCode()).isEqualTo(ErrorCode.DC_START_FAILED);
        }
        try (DomainController dc = DomainController.start(DomainControllerConfig.builder("DC1").port(port).build())) {
            assertThat(dc.port()).isEqualTo(port);
            assertThat(dc.passwordGenerated()).isTrue();
            try (LDAPConnection ldap = dc.connect()) {
                assertThat(ldap.getEntry(dc.administratorDn())).isNotNull();
            }
        }
        try (DomainController again = DomainController.start(DomainControllerConfig.builder("DC1").port(port).build())) {
            assertThat(again.port()).as("restarting on the same port works").isEqualTo(port);
        }
    }
}
