package dev.keytrust.kdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(MitClient.Installed.class)
class MitKinitIT extends KdcPerTest {
    @TempDir
    Path dir;

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

    @Test
    void kinitOverUdpGetsATgt() throws Exception {
        MitClient client = new MitClient(dir, TestRealm.REALM, "127.0.0.1:" + kdc.udpPort(), false);
        MitClient.Result kinit = client.kinit("alice", TestRealm.ALICE_PASSWORD);
        assertThat(kinit.exitCode()).as(kinit.output() + client.trace()).isZero();
        assertThat(client.trace()).contains("dgram 127.0.0.1:" + kdc.udpPort()).doesNotContain("stream 127.0.0.1");
    }

    @Test
    void aReplyTooBigForUdpMakesKinitRetryOverTcp() throws Exception {
        kdc.close();
        kdc = startOnOnePortForTcpAndUdp(KdcConfig.builder(TestRealm.REALM, TestRealm.accounts())
                .maxUdpReplySize(256));
        MitClient client = new MitClient(dir, TestRealm.REALM, "127.0.0.1:" + kdc.udpPort(), false);
        MitClient.Result kinit = client.kinit("alice", TestRealm.ALICE_PASSWORD);
        assertThat(kinit.exitCode()).as(kinit.output() + client.trace()).isZero();
        assertThat(client.trace()).contains("Response too big for UDP, retry with TCP")
                .contains("stream 127.0.0.1:" + kdc.tcpPort());
    }

    /** MIT retries over TCP on the same port number, so the KDC needs one number free for both. */
    private static Kdc startOnOnePortForTcpAndUdp(KdcConfig.Builder builder) throws Exception {
        for (int attempt = 0; ; attempt++) {
            int port;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                port = probe.getLocalPort();
            }
            try {
                return Kdc.start(builder.tcpPort(port).udpPort(port).build());
            } catch (dev.keytrust.KeyTrustException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** A wrong password, an unknown user and a disabled user: kinit fails with MIT's words for each KRB-ERROR. */
    @ParameterizedTest(name = "{0} / {1}: {2}")
    @CsvSource({
        "alice,   not-the-password, Password incorrect",
        "nobody,  whatever,         not found in Kerberos database",
        "mallory, Mallory-Secret-1, revoked"})
    void kinitIsRefusedWithTheReason(String user, String password, String reason) throws Exception {
        MitClient.Result kinit = tcpClient().kinit(user, password);
        assertThat(kinit.exitCode()).isNotZero();
        assertThat(kinit.output()).contains(reason);
    }

    @Test
    void kvnoForAnSpnNoAccountHoldsSaysServerNotFound() throws Exception {
        MitClient client = tcpClient();
        assertThat(client.kinit("alice", TestRealm.ALICE_PASSWORD).exitCode()).isZero();
        MitClient.Result kvno = client.kvno("cifs/nowhere.corp.example.com");
        assertThat(kvno.exitCode()).isNotZero();
        assertThat(kvno.output()).contains("not found in Kerberos database");
    }

    @Test
    void garbageOnBothPortsLeavesTheKdcServingTheNextKinit() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (DatagramSocket udp = new DatagramSocket()) {
            udp.setSoTimeout(5000);
            byte[] junk = "this is not kerberos".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            udp.send(new DatagramPacket(junk, junk.length, loopback, kdc.udpPort()));
            DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
            udp.receive(reply);
            assertThat(reply.getData()[0] & 0xff).as("a KRB-ERROR answers UDP garbage").isEqualTo(0x7e);
        }
        try (Socket framing = new Socket(loopback, kdc.tcpPort());
             Socket truncated = new Socket(loopback, kdc.tcpPort());
             Socket oversized = new Socket(loopback, kdc.tcpPort())) {
            OutputStream out = framing.getOutputStream();
            out.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
            out.flush();
            assertThat(framing.getInputStream().read()).as("the connection is closed").isEqualTo(-1);

            truncated.getOutputStream().write(new byte[] {0, 0, 0, 100, 0x6a, 0x03});
            truncated.getOutputStream().flush(); // and left hanging: it costs only its own connection

            oversized.getOutputStream().write(new byte[] {0, 0x10, 0, 0});
            oversized.getOutputStream().flush();
            DataInputStream in = new DataInputStream(oversized.getInputStream());
            byte[] error = new byte[in.readInt()];
            in.readFully(error);
            assertThat(error[0] & 0xff).as("KRB-ERROR").isEqualTo(0x7e);
            assertThat(in.read()).isEqualTo(-1);

            MitClient.Result kinit = tcpClient().kinit("alice", TestRealm.ALICE_PASSWORD);
            assertThat(kinit.exitCode()).as(kinit.output()).isZero();
        }
        MitClient udpClient = new MitClient(dir.resolve("udp-after-garbage").toFile().mkdirs() ? dir.resolve(
                "udp-after-garbage") : dir, TestRealm.REALM, "127.0.0.1:" + kdc.udpPort(), false);
        assertThat(udpClient.kinit("alice", TestRealm.ALICE_PASSWORD).exitCode()).isZero();
    }

    @Test
    void idleConnectionsFillingEverySlotDoNotLockKinitOut() throws Exception {
        kdc.close();
        kdc = Kdc.start(KdcConfig.builder(TestRealm.REALM, TestRealm.accounts()).maxConnections(3).build());
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (Socket first = new Socket(loopback, kdc.tcpPort());
             Socket second = new Socket(loopback, kdc.tcpPort());
             Socket third = new Socket(loopback, kdc.tcpPort())) {
            third.getOutputStream().write(new byte[] {0, 0, 0, 50}); // a length, then nothing
            MitClient.Result kinit = tcpClient().kinit("alice", TestRealm.ALICE_PASSWORD);
            assertThat(kinit.exitCode()).as(kinit.output()).isZero();
            first.setSoTimeout(5000);
            assertThat(first.getInputStream().read()).as("the longest-open idle connection was closed")
                    .isEqualTo(-1);
        }
    }

    @Test
    void kinitAsTheComputerAccountUsesTheHostSalt() throws Exception {
        MitClient client = tcpClient();
        MitClient.Result kinit = client.kinit("DC1$", "dc1-machine-password");
        assertThat(kinit.exitCode()).as(kinit.output() + client.trace()).isZero();
        assertThat(client.trace()).contains("salt \"CORP.EXAMPLE.COMhostdc1.corp.example.com\"");
    }

    @Test
    void rc4HmacWorksEndToEndWhenTheClientAsksOnlyForIt() throws Exception {
        MitClient client = new MitClient(dir, TestRealm.REALM, "127.0.0.1:" + kdc.tcpPort(), true, List.of(
                "default_tkt_enctypes = rc4-hmac", "default_tgs_enctypes = rc4-hmac",
                "permitted_enctypes = rc4-hmac", "allow_weak_crypto = true"));
        MitClient.Result kinit = client.kinit("alice", TestRealm.ALICE_PASSWORD);
        assertThat(kinit.exitCode()).as(kinit.output() + client.trace()).isZero();
        MitClient.Result kvno = client.kvno("host/dc1.corp.example.com");
        assertThat(kvno.exitCode()).as(kvno.output() + client.trace()).isZero();
        assertThat(client.trace()).contains("session key is: rc4-hmac");
    }

    @Test
    void kinitDashRRenewsARenewableTgt() throws Exception {
        MitClient client = tcpClient();
        MitClient.Result kinit = client.run(TestRealm.ALICE_PASSWORD + "\n", "/usr/bin/kinit", "-r", "1d", "alice");
        assertThat(kinit.exitCode()).as(kinit.output() + client.trace()).isZero();
        assertThat(client.klist().output()).contains("renew until");
        MitClient.Result renew = client.run("", "/usr/bin/kinit", "-R");
        assertThat(renew.exitCode()).as(renew.output() + client.trace()).isZero();
        assertThat(client.kvno("ldap/dc1.corp.example.com").exitCode()).isZero();
    }
}
