package dev.keytrust.kdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keytrust.kdc.crypto.KerberosKeys;
import dev.keytrust.time.VirtualClock;
import java.time.Duration;
import java.util.List;
import org.apache.kerby.kerberos.kerb.KrbCodec;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.EtypeInfo2;
import org.apache.kerby.kerberos.kerb.type.base.KrbError;
import org.apache.kerby.kerberos.kerb.type.base.MethodData;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.kdc.EncTgsRepPart;
import org.apache.kerby.kerberos.kerb.type.kdc.KdcOption;
import org.apache.kerby.kerberos.kerb.type.kdc.KdcOptions;
import org.apache.kerby.kerberos.kerb.type.kdc.TgsRep;
import org.apache.kerby.kerberos.kerb.type.ticket.TicketFlag;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataEntry;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Exact requests (built with Kerby's types) against a KDC on virtual time: the KRB-ERROR codes and contents. */
class KdcProtocolIT {
    private static final List<EncryptionType> AES256 = List.of(EncryptionType.AES256_CTS_HMAC_SHA1_96);

    private final VirtualClock clock = new VirtualClock();
    private InMemoryKdcAccounts accounts;
    private Kdc kdc;
    private KerberosTestClient client;

    @BeforeEach
    void start() {
        accounts = TestRealm.accounts();
        kdc = Kdc.start(KdcConfig.builder(TestRealm.REALM, accounts).clock(clock)
                .pkinitCertificate(KDC_CERTIFICATE).build());
        client = new KerberosTestClient(kdc.tcpPort(), clock);
    }

    private static final dev.keytrust.kdc.pkinit.KdcCertificates.Credential KDC_CERTIFICATE =
            dev.keytrust.kdc.pkinit.KdcCertificates.issueKdcCertificate(
                    dev.keytrust.kdc.pkinit.KdcCertificates.generateCa("Lab CA", java.time.Instant.EPOCH),
                    TestRealm.REALM, "dc1.corp.example.com", java.time.Instant.EPOCH);

    @Test
    void garbageInAPkinitRequestGetsAKrbErrorAndTheKdcKeepsServing() throws Exception {
        for (byte[] garbage : List.of(new byte[] {0x30, 0x00}, new byte[] {0x04, 0x02, 0x01, 0x02},
                new byte[] {0x30, 0x04, (byte) 0x80, 0x02, 0x30, 0x00})) {
            KrbError error = errorFor(client.asReq("alice", AES256,
                    List.of(new PaDataEntry(PaDataType.PK_AS_REQ, garbage))));
            assertThat(error.getErrorCode().getValue()).isEqualTo(24);
        }
        KrbError error = errorFor(client.asReq("alice", AES256, List.of()));
        assertThat(error.getErrorCode().getValue()).isEqualTo(25);
    }

    @Test
    void aKdcWithoutACertificateDoesNotOfferPkinit() throws Exception {
        kdc.close();
        kdc = Kdc.start(KdcConfig.builder(TestRealm.REALM, accounts).clock(clock).build());
        client = new KerberosTestClient(kdc.tcpPort(), clock);
        KrbError error = errorFor(client.asReq("alice", AES256, List.of()));
        MethodData methods = KrbCodec.decode(error.getEdata(), MethodData.class);
        assertThat(methods.getElements()).extracting(e -> e.getPaDataType().getValue()).containsExactly(2, 19);
    }

    @AfterEach
    void stop() {
        kdc.close();
    }

    private static EncryptionKey aliceKey() {
        return new EncryptionKey(EncryptionType.AES256_CTS_HMAC_SHA1_96, KerberosKeys.aes(18,
                TestRealm.ALICE_PASSWORD, "CORP.EXAMPLE.COMalice", 4096));
    }

    private KrbError errorFor(byte[] request) throws Exception {
        byte[] reply = client.send(request);
        assertThat(reply[0] & 0xff).as("a KRB-ERROR").isEqualTo(0x7e);
        return KerberosTestClient.error(reply);
    }

    @Test
    void anAsReqWithoutPreauthGetsPreauthRequiredOfferingTimestampEtypeInfo2AndPkinit() throws Exception {
        KrbError error = errorFor(client.asReq("alice", AES256, List.of()));
        assertThat(error.getErrorCode().getValue()).isEqualTo(25);
        MethodData methods = KrbCodec.decode(error.getEdata(), MethodData.class);
        assertThat(methods.getElements()).extracting(e -> e.getPaDataType().getValue()).containsExactly(2, 19, 16);
        EtypeInfo2 info = KrbCodec.decode(methods.getElements().get(1).getPaDataValue(), EtypeInfo2.class);
        assertThat(info.getElements()).singleElement().satisfies(e -> {
            assertThat(e.getEtype()).isEqualTo(EncryptionType.AES256_CTS_HMAC_SHA1_96);
            assertThat(e.getSalt()).isEqualTo("CORP.EXAMPLE.COMalice");
        });
        assertThat(error.getStime().getTime()).as("the KDC's clock, not the wall clock")
                .isEqualTo(clock.instant().toEpochMilli());
    }

    @Test
    void emptyAndUnknownPadataLikeMitSendsFirstIsNeverAuthentication() throws Exception {
        PaDataEntry encPaRep = new PaDataEntry(PaDataType.ENCPADATA_REQ_ENC_PA_REP, new byte[0]);
        PaDataEntry freshness = new PaDataEntry();
        freshness.setPaDataType(PaDataType.NONE);
        PaDataEntry emptyTimestamp = new PaDataEntry(PaDataType.ENC_TIMESTAMP, new byte[0]);
        KrbError error = errorFor(client.asReq("alice", AES256, List.of(encPaRep, freshness, emptyTimestamp)));
        assertThat(error.getErrorCode().getValue()).isEqualTo(25);
    }

    @Test
    void aTimestampInTheWrongKeyGetsPreauthFailed() throws Exception {
        EncryptionKey wrong = new EncryptionKey(EncryptionType.AES256_CTS_HMAC_SHA1_96,
                KerberosKeys.aes(18, "wrong", "CORP.EXAMPLE.COMalice", 4096));
        KrbError error = errorFor(client.asReq("alice", AES256,
                List.of(client.encryptedTimestamp(wrong, clock.millis()))));
        assertThat(error.getErrorCode().getValue()).isEqualTo(24);
    }

    @Test
    void aTimestampSixMinutesOffGetsClockSkew() throws Exception {
        long sixMinutesAgo = clock.millis() - Duration.ofMinutes(6).toMillis();
        KrbError error = errorFor(client.asReq("alice", AES256,
                List.of(client.encryptedTimestamp(aliceKey(), sixMinutesAgo))));
        assertThat(error.getErrorCode().getValue()).isEqualTo(37);
    }

    @Test
    void onlyUnsupportedEnctypesGetEtypeNosupp() throws Exception {
        KrbError error = errorFor(client.asReq("alice", List.of(EncryptionType.DES_CBC_MD5), List.of()));
        assertThat(error.getErrorCode().getValue()).isEqualTo(14);
    }

    @Test
    void unknownClientGetsSixAndDisabledClientGetsEighteen() throws Exception {
        assertThat(errorFor(client.asReq("nobody", AES256, List.of())).getErrorCode().getValue()).isEqualTo(6);
        assertThat(errorFor(client.asReq("mallory", AES256, List.of())).getErrorCode().getValue()).isEqualTo(18);
    }

    @Test
    void aTgtIsSealedWithTheVirtualClocksTimes() throws Exception {
        KerberosTestClient.Tgt tgt = client.tgt("alice", aliceKey());
        assertThat(tgt.part().getAuthTime().getTime()).isEqualTo(clock.instant().toEpochMilli());
        assertThat(tgt.part().getEndTime().getTime()).isEqualTo(clock.millis() + 3_600_000L);
        assertThat(tgt.part().getNonce()).isEqualTo(12345);
    }

    @Test
    void aTgsReqGetsAServiceTicketSealedWithTheSpnHoldersKvno() throws Exception {
        KerberosTestClient.Tgt tgt = client.tgt("alice", aliceKey());
        byte[] reply = client.send(client.tgsReq(tgt, List.of("ldap", "dc1.corp.example.com"), b -> { }));
        TgsRep rep = KrbCodec.decode(reply, TgsRep.class);
        assertThat(rep.getTicket().getEncryptedEncPart().getKvno()).isEqualTo(2);
        assertThat(rep.getTicket().getSname().getNameStrings()).containsExactly("ldap", "dc1.corp.example.com");
    }

    @Test
    void theSameAuthenticatorTwiceIsAReplay() throws Exception {
        KerberosTestClient.Tgt tgt = client.tgt("alice", aliceKey());
        byte[] request = client.tgsReq(tgt, List.of("host", "dc1.corp.example.com"), b -> { });
        assertThat(client.send(request)[0] & 0xff).isEqualTo(0x6d);
        assertThat(errorFor(request).getErrorCode().getValue()).isEqualTo(34);
    }

    @Test
    void aBodyChangedAfterTheChecksumGetsModified() throws Exception {
        KerberosTestClient.Tgt tgt = client.tgt("alice", aliceKey());
        byte[] request = client.tgsReq(tgt, List.of("host", "dc1.corp.example.com"),
                b -> b.setSname(new PrincipalName(List.of("ldap", "dc1.corp.example.com"),
                        org.apache.kerby.kerberos.kerb.type.base.NameType.NT_SRV_INST)));
        assertThat(errorFor(request).getErrorCode().getValue()).isEqualTo(41);
    }

    @Test
    void anExpiredTgtGetsTicketExpired() throws Exception {
        KerberosTestClient.Tgt tgt = client.tgt("alice", aliceKey());
        clock.advance(Duration.ofHours(2));
        KrbError error = errorFor(client.tgsReq(tgt, List.of("host", "dc1.corp.example.com"), b -> { }));
        assertThat(error.getErrorCode().getValue()).isEqualTo(32);
    }

    @Test
    void aUserDisabledAfterGettingATgtGetsNoServiceTicket() throws Exception {
        KerberosTestClient.Tgt tgt = client.tgt("alice", aliceKey());
        accounts.put(TestRealm.user("alice", TestRealm.ALICE_PASSWORD, 1104, true));
        KrbError error = errorFor(client.tgsReq(tgt, List.of("host", "dc1.corp.example.com"), b -> { }));
        assertThat(error.getErrorCode().getValue()).isEqualTo(18);
    }

    @Test
    void aTgtSealedWithAnOldKrbtgtKvnoGetsBadKeyVersion() throws Exception {
        KerberosTestClient.Tgt tgt = client.tgt("alice", aliceKey());
        String salt = KerberosKeys.userSalt(TestRealm.REALM, "krbtgt");
        accounts.put(new KdcAccount("krbtgt", java.util.Optional.empty(), List.of(),
                KerberosKeys.fromPassword("rotated", salt, 2), salt, false, List.of(),
                TestRealm.DOMAIN_SID + "-502", List.of(513)));
        KrbError error = errorFor(client.tgsReq(tgt, List.of("host", "dc1.corp.example.com"), b -> { }));
        assertThat(error.getErrorCode().getValue()).isEqualTo(44);
    }

    @Test
    void anotherRealmGetsWrongRealm() throws Exception {
        byte[] request = client.asReq("alice", AES256, List.of());
        String text = new String(request, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace(TestRealm.REALM, "CORP.EXAMPLE.ORG"); // same length: the DER stays valid
        KrbError error = errorFor(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(error.getErrorCode().getValue()).isEqualTo(68);
    }

    @Test
    void wellFormedDerThatIsNotAKdcRequestGetsMessageType() throws Exception {
        assertThat(errorFor(new byte[] {0x30, 0x03, 0x02, 0x01, 0x05}).getErrorCode().getValue()).isEqualTo(40);
    }

    @Test
    void deeplyNestedAndTruncatedAsn1GetsAGenericError() throws Exception {
        byte[] nested = new byte[2000];
        for (int i = 0; i < nested.length; i += 2) {
            nested[i] = 0x30;
            nested[i + 1] = (byte) 0x80;
        }
        assertThat(errorFor(nested).getErrorCode().getValue()).isEqualTo(60);
        byte[] asReq = client.asReq("alice", AES256, List.of());
        assertThat(errorFor(java.util.Arrays.copyOf(asReq, asReq.length - 5)).getErrorCode().getValue())
                .isEqualTo(60);
    }

    @Test
    void anExpiredRenewableTgtIsRenewedUntilItsRenewTill() throws Exception {
        client.options.setFlag(KdcOption.RENEWABLE);
        KerberosTestClient.Tgt tgt = client.tgt("alice", aliceKey());
        assertThat(tgt.part().getRenewTill().getTime()).isEqualTo(clock.millis() + 24 * 3_600_000L);
        clock.advance(Duration.ofHours(2)); // the TGT (1 h) has expired, its renewable life (24 h) has not
        client.options = new KdcOptions();
        client.options.setFlag(KdcOption.RENEW);
        byte[] reply = client.send(client.tgsReq(tgt, List.of("krbtgt", TestRealm.REALM), b -> { }));
        TgsRep rep = KrbCodec.decode(reply, TgsRep.class);
        EncTgsRepPart part = KrbCodec.decode(org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler.decrypt(
                rep.getEncryptedEncPart(), tgt.part().getKey(), KeyUsage.TGS_REP_ENCPART_SESSKEY),
                EncTgsRepPart.class);
        assertThat(part.getEndTime().getTime()).isEqualTo(clock.millis() + 3_600_000L);
        assertThat(part.getAuthTime()).isEqualTo(tgt.part().getAuthTime());
        assertThat(part.getFlags().isFlagSet(TicketFlag.RENEWABLE)).isTrue();
    }

    @Test
    void renewingATicketThatIsNotRenewableGetsBadOption() throws Exception {
        KerberosTestClient.Tgt tgt = client.tgt("alice", aliceKey());
        client.options = new KdcOptions();
        client.options.setFlag(KdcOption.RENEW);
        KrbError error = errorFor(client.tgsReq(tgt, List.of("krbtgt", TestRealm.REALM), b -> { }));
        assertThat(error.getErrorCode().getValue()).isEqualTo(13);
    }
}
