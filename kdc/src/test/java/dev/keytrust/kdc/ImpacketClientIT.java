package dev.keytrust.kdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** impacket (Debian python3-impacket), a Kerberos client no one here wrote, asks for a TGT with a password. */
class ImpacketClientIT extends KdcPerTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path dir;

    @BeforeAll
    static void impacketInstalled() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c", "import impacket")
                .start().waitFor() == 0, "impacket is not installed (Debian package python3-impacket); .ci/run installs it");
    }

    private String getTgt(String user, String password, String... spn) throws Exception {
        Path script = dir.resolve("impacket_tgt.py");
        try (var in = getClass().getResourceAsStream("impacket_tgt.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process process = new ProcessBuilder(PYTHON.toString(), script.toString(), String.valueOf(kdc.tcpPort()),
                TestRealm.REALM, user, password, spn.length == 0 ? "" : spn[0]).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    @Test
    void impacketGetsATgtWithThePassword() throws Exception {
        assertThat(getTgt("alice", TestRealm.ALICE_PASSWORD)).contains("TGT 18");
    }

    @Test
    void impacketWithAWrongPasswordGetsPreauthFailed() throws Exception {
        assertThat(getTgt("alice", "wrong")).contains("KRB-ERROR 24");
    }

    @Test
    void impacketGetsAServiceTicketWithItsTgtAlthoughItsAuthenticatorCarriesNoReqBodyChecksum() throws Exception {
        // impacket's getKerberosTGS (getST.py, its Kerberos LDAP login) sends no checksum; AD serves it, so do we.
        assertThat(getTgt("alice", TestRealm.ALICE_PASSWORD, "ldap/dc1.corp.example.com"))
                .as("impacket's TGS-REQ lists rc4-hmac (23) first, and the KDC follows the client's order")
                .contains("TGT 18", "TGS 23");
    }
}
