package dev.keytrust.kdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MitKinitIT {
    @TempDir
    Path dir;

    private Kdc kdc;

    @BeforeAll
    static void mitClientsInstalled() {
        MitClient.assumeInstalled();
    }

    @BeforeEach
    void startKdc() {
        kdc = Kdc.start(KdcConfig.builder(TestRealm.REALM, TestRealm.accounts()).build());
    }

    @AfterEach
    void stopKdc() {
        kdc.close();
    }

    private MitClient tcpClient() throws Exception {
        return new MitClient(dir, TestRealm.REALM, "127.0.0.1:" + kdc.tcpPort(), true);
    }

    @Test
    void kinitWithThePasswordGetsATgtOverTcpAndKvnoGetsAServiceTicket() throws Exception {
        MitClient client = tcpClient();
        MitClient.Result kinit = client.kinit("alice", TestRealm.ALICE_PASSWORD);
        assertThat(kinit.exitCode()).as(kinit.output() + client.trace()).isZero();

        MitClient.Result klist = client.klist();
        assertThat(klist.output()).contains("alice@CORP.EXAMPLE.COM")
                .contains("krbtgt/CORP.EXAMPLE.COM@CORP.EXAMPLE.COM");

        MitClient.Result kvno = client.kvno("ldap/dc1.corp.example.com");
        assertThat(kvno.exitCode()).as(kvno.output() + client.trace()).isZero();
        assertThat(kvno.output()).contains("ldap/dc1.corp.example.com@CORP.EXAMPLE.COM: kvno = 2");
    }
}
