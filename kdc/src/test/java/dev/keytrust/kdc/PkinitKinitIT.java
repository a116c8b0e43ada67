package dev.keytrust.kdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keytrust.kdc.pkinit.KdcCertificates;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** MIT kinit with a Windows-Hello-like self-signed key signs in by key-trust PKINIT over a real socket. */
@ExtendWith(MitClient.PkinitInstalled.class)
class PkinitKinitIT {
    @TempDir
    Path dir;

    private Kdc kdc;
    private KeyPair aliceKey;
    private InMemoryKdcAccounts accounts;

    @BeforeEach
    void startKdc() throws Exception {
        Instant now = Instant.now();
        KdcCertificates.Credential ca = KdcCertificates.generateCa("KeyTrust Lab CA", now);
        KdcCertificates.writeCertificate(ca.certificate(), dir.resolve("ca.pem"));
        KdcCertificates.Credential kdcCert = KdcCertificates.issueKdcCertificate(ca, TestRealm.REALM,
                "dc1.corp.example.com", now);
        aliceKey = rsa();
        X509Certificate aliceCert = selfSigned(aliceKey, now);
        KdcCertificates.writeCertificate(aliceCert, dir.resolve("alice.pem"));
        KdcCertificates.writePrivateKey(aliceKey.getPrivate(), dir.resolve("alice.key"));
        accounts = TestRealm.accounts();
        kdc = Kdc.start(KdcConfig.builder(TestRealm.REALM, accounts).pkinitCertificate(kdcCert).build());
    }

    @AfterEach
    void stopKdc() {
        kdc.close();
    }

    @Test
    void kinitSignedWithTheAccountsNgcKeyGetsATgtAndThenAServiceTicket() throws Exception {
        holdKeys(List.of(rsa().getPublic(), aliceKey.getPublic()));
        MitClient client = client();
        MitClient.Result kinit = pkinit(client);
        assertThat(kinit.exitCode()).as(kinit.output() + client.trace()).isZero();
        assertThat(client.trace()).as("the reply key comes from RFC 8636's KDF, not octetstring2key")
                .contains("PKINIT client used KDF");
        assertThat(client.klist().output()).contains("krbtgt/CORP.EXAMPLE.COM@CORP.EXAMPLE.COM");
        MitClient.Result kvno = client.kvno("ldap/dc1.corp.example.com");
        assertThat(kvno.exitCode()).as(kvno.output() + client.trace()).isZero();
    }

    @Test
    void kinitIsNotTrustedWhenTheAccountHoldsNoKey() throws Exception {
        holdKeys(List.of());
        MitClient client = client();
        MitClient.Result kinit = pkinit(client);
        assertThat(kinit.exitCode()).isNotZero();
        assertThat(kinit.output() + client.trace()).contains("Client not trusted");
    }

    @Test
    void kinitIsNotTrustedWhenTheAccountHoldsAnotherKey() throws Exception {
        holdKeys(List.of(rsa().getPublic()));
        MitClient client = client();
        MitClient.Result kinit = pkinit(client);
        assertThat(kinit.exitCode()).isNotZero();
        assertThat(kinit.output() + client.trace()).contains("Client not trusted");
    }

    private void holdKeys(List<PublicKey> keys) {
        KdcAccount alice = accounts.find("alice", KdcAccounts.Role.CLIENT).orElseThrow();
        accounts.put(new KdcAccount(alice.samAccountName(), alice.userPrincipalName(),
                alice.servicePrincipalNames(), alice.keys(), alice.salt(), alice.disabled(), keys, alice.sid(),
                alice.groupRids()));
    }

    private MitClient client() throws Exception {
        return new MitClient(dir, TestRealm.REALM, "127.0.0.1:" + kdc.tcpPort(), true,
                List.of("pkinit_anchors = FILE:" + dir.resolve("ca.pem"),
                        "pkinit_anchors = FILE:" + dir.resolve("alice.pem")));
    }

    private MitClient.Result pkinit(MitClient client) throws Exception {
        return client.run("", "/usr/bin/kinit", "-X", "X509_user_identity=FILE:" + dir.resolve("alice.pem") + ","
                + dir.resolve("alice.key"), "alice@" + TestRealm.REALM);
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static X509Certificate selfSigned(KeyPair keys, Instant now) throws Exception {
        X500Name name = new X500Name("CN=alice");
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(3600)),
                Date.from(now.plusSeconds(86_400)), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    }
}
