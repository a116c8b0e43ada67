package dev.keytrust.kdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keytrust.kdc.crypto.KerberosKeys;
import dev.keytrust.kdc.pac.PacAuthorizationData;
import dev.keytrust.time.VirtualClock;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kerby.kerberos.kerb.KrbCodec;
import org.apache.kerby.kerberos.kerb.crypto.CheckSumHandler;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.type.base.CheckSum;
import org.apache.kerby.kerberos.kerb.type.base.CheckSumType;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.kdc.TgsRep;
import org.apache.kerby.kerberos.kerb.type.ticket.EncTicketPart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PAC in a service ticket: signatures checked here, contents read by impacket's MS-PAC parser. */
class PacIT {
    @TempDir
    Path dir;

    private final VirtualClock clock = new VirtualClock();
    private Kdc kdc;
    private KerberosTestClient client;

    @BeforeEach
    void start() {
        kdc = Kdc.start(KdcConfig.builder(TestRealm.REALM, TestRealm.accounts()).clock(clock).build());
        client = new KerberosTestClient(kdc.tcpPort(), clock);
    }

    @AfterEach
    void stop() {
        kdc.close();
    }

    private byte[] pacOfLdapTicket() throws Exception {
        EncryptionKey alice = new EncryptionKey(EncryptionType.AES256_CTS_HMAC_SHA1_96, KerberosKeys.aes(18,
                TestRealm.ALICE_PASSWORD, "CORP.EXAMPLE.COMalice", 4096));
        KerberosTestClient.Tgt tgt = client.tgt("alice", alice);
        TgsRep rep = KrbCodec.decode(client.send(client.tgsReq(tgt, List.of("ldap", "dc1.corp.example.com"),
                b -> { })), TgsRep.class);
        byte[] plain = EncryptionHandler.decrypt(rep.getTicket().getEncryptedEncPart(), dc1Key(),
                KeyUsage.KDC_REP_TICKET);
        return PacAuthorizationData.find(KrbCodec.decode(plain, EncTicketPart.class).getAuthorizationData());
    }

    private static EncryptionKey dc1Key() {
        return new EncryptionKey(EncryptionType.AES256_CTS_HMAC_SHA1_96, KerberosKeys.aes(18,
                "dc1-machine-password", KerberosKeys.computerSalt(TestRealm.REALM, "DC1$", TestRealm.DOMAIN), 4096));
    }

    private static EncryptionKey krbtgtKey() {
        return new EncryptionKey(EncryptionType.AES256_CTS_HMAC_SHA1_96, KerberosKeys.aes(18,
                "krbtgt-long-random-password", "CORP.EXAMPLE.COMkrbtgt", 4096));
    }

    private static int offset(byte[] pac, int type) {
        ByteBuffer b = ByteBuffer.wrap(pac).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < b.getInt(0); i++) {
            if (b.getInt(8 + 16 * i) == type) {
                return (int) b.getLong(16 + 16 * i);
            }
        }
        throw new AssertionError("no PAC buffer of type " + type);
    }

    @Test
    void theServiceTicketsPacIsSignedWithTheServiceKeyAndTheKrbtgtKey() throws Exception {
        byte[] pac = pacOfLdapTicket();
        assertThat(pac).isNotNull();
        int server = offset(pac, 6) + 4;
        int kdcSig = offset(pac, 7) + 4;
        byte[] serverSignature = java.util.Arrays.copyOfRange(pac, server, server + 12);
        byte[] kdcSignature = java.util.Arrays.copyOfRange(pac, kdcSig, kdcSig + 12);
        byte[] zeroed = pac.clone();
        java.util.Arrays.fill(zeroed, server, server + 12, (byte) 0);
        java.util.Arrays.fill(zeroed, kdcSig, kdcSig + 12, (byte) 0);
        assertThat(CheckSumHandler.verifyWithKey(new CheckSum(CheckSumType.HMAC_SHA1_96_AES256, serverSignature),
                zeroed, dc1Key().getKeyData(), KeyUsage.APP_DATA_CKSUM)).isTrue();
        assertThat(CheckSumHandler.verifyWithKey(new CheckSum(CheckSumType.HMAC_SHA1_96_AES256, kdcSignature),
                serverSignature, krbtgtKey().getKeyData(), KeyUsage.APP_DATA_CKSUM)).isTrue();
    }

    @Test
    void impacketReadsTheUsersSidGroupsAndNamesFromThePac() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python) && new ProcessBuilder(python.toString(), "-c", "import impacket")
                .start().waitFor() == 0, "impacket is not installed (Debian package python3-impacket)");
        Path pacFile = dir.resolve("pac.bin");
        Files.write(pacFile, pacOfLdapTicket());
        Path script = dir.resolve("pac_dump.py");
        try (var in = getClass().getResourceAsStream("pac_dump.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process process = new ProcessBuilder(python.toString(), script.toString(), pacFile.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("EffectiveName: alice", "UserId: 1104", "PrimaryGroupId: 513",
                "GroupIds: 513", "LogonDomainName: CORP", "LogonDomainId: " + TestRealm.DOMAIN_SID,
                "ClientName: alice", "Upn: alice@corp.example.com", "DnsDomainName: CORP.EXAMPLE.COM",
                "Signature6: 16", "Signature7: 16");
    }

    @Test
    void aTgtCarriesAPacUnlessPaPacRequestSaysFalse() throws Exception {
        EncryptionKey alice = new EncryptionKey(EncryptionType.AES256_CTS_HMAC_SHA1_96, KerberosKeys.aes(18,
                TestRealm.ALICE_PASSWORD, "CORP.EXAMPLE.COMalice", 4096));
        byte[] noPac = {0x30, 0x05, (byte) 0xa0, 0x03, 0x01, 0x01, 0x00};
        for (boolean wanted : new boolean[] {true, false}) {
            KerberosTestClient.Tgt tgt = client.tgt("alice", alice, wanted ? List.of()
                    : List.of(new org.apache.kerby.kerberos.kerb.type.pa.PaDataEntry(
                            org.apache.kerby.kerberos.kerb.type.pa.PaDataType.PAC_REQUEST, noPac)));
            byte[] plain = EncryptionHandler.decrypt(tgt.rep().getTicket().getEncryptedEncPart(), krbtgtKey(),
                    KeyUsage.KDC_REP_TICKET);
            byte[] pac = PacAuthorizationData.find(KrbCodec.decode(plain, EncTicketPart.class)
                    .getAuthorizationData());
            assertThat(pac != null).as("PAC present when wanted=" + wanted).isEqualTo(wanted);
        }
    }
}
