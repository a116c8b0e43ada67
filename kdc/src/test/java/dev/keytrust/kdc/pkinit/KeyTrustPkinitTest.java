package dev.keytrust.kdc.pkinit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keytrust.kdc.InMemoryKdcAccounts;
import dev.keytrust.kdc.KdcAccount;
import dev.keytrust.kdc.KdcConfig;
import dev.keytrust.kdc.as.AsContext;
import dev.keytrust.kdc.as.PreauthMechanism;
import dev.keytrust.kdc.protocol.KdcRefusal;
import dev.keytrust.kdc.protocol.Request;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kerby.kerberos.kerb.KrbErrorCode;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.kdc.AsReq;
import org.apache.kerby.kerberos.kerb.type.kdc.KdcReqBody;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.DomainParameters;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.crypto.agreement.DHStandardGroups;
import org.bouncycastle.crypto.params.DHParameters;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

class KeyTrustPkinitTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final String REALM = "CORP.EXAMPLE.COM";
    private static final KeyPair CLIENT_KEY = rsa();
    private static final KdcCertificates.Credential CA = KdcCertificates.generateCa("Lab CA", NOW);
    private static final KdcCertificates.Credential KDC = KdcCertificates.issueKdcCertificate(CA, REALM,
            "dc1.corp.example.com", NOW);
    private static final byte[] REQ_BODY = {0x30, 0x03, 0x02, 0x01, 0x07};
    private static final int NONCE = 123456789;

    private final KeyTrustPkinit pkinit = new KeyTrustPkinit(KDC,
            new dev.keytrust.kdc.tgs.ReplayCache(java.time.Duration.ofMinutes(5), 1000));

    @Test
    void aRequestSignedWithTheAccountsKeyGetsAReplyKeyAndASignedDhReply() throws Exception {
        PreauthMechanism.Result result = pkinit.verify(context(List.of(CLIENT_KEY.getPublic())),
                request(CLIENT_KEY, sha1(REQ_BODY), NOW, NONCE, DHStandardGroups.rfc3526_2048));
        assertThat(result.replyKey().getKeyData()).hasSize(32);
        assertThat(result.replyPadata()).singleElement().satisfies(e -> assertThat(e.getPaDataType().getValue())
                .isEqualTo(17));
    }

    @Test
    void theSameSignedRequestSentTwiceIsAReplay() throws Exception {
        byte[] request = request(CLIENT_KEY, sha1(REQ_BODY), NOW, NONCE, DHStandardGroups.rfc3526_2048);
        pkinit.verify(context(List.of(CLIENT_KEY.getPublic())), request);
        assertRefused(context(List.of(CLIENT_KEY.getPublic())), request, KrbErrorCode.KRB_AP_ERR_REPEAT);
    }

    @Test
    void aSignatureByAKeyTheAccountDoesNotHoldIsNotTrusted() throws Exception {
        byte[] request = request(rsa(), sha1(REQ_BODY), NOW, NONCE, DHStandardGroups.rfc3526_2048);
        assertRefused(context(List.of(CLIENT_KEY.getPublic())), request, KrbErrorCode.KDC_ERR_CLIENT_NOT_TRUSTED);
    }

    @Test
    void anAccountWithoutKeysIsNotTrusted() throws Exception {
        byte[] request = request(CLIENT_KEY, sha1(REQ_BODY), NOW, NONCE, DHStandardGroups.rfc3526_2048);
        assertRefused(context(List.of()), request, KrbErrorCode.KDC_ERR_CLIENT_NOT_TRUSTED);
    }

    @Test
    void aPaChecksumOverOtherBytesIsRefused() throws Exception {
        byte[] request = request(CLIENT_KEY, sha1(new byte[] {1, 2, 3}), NOW, NONCE, DHStandardGroups.rfc3526_2048);
        assertRefused(context(List.of(CLIENT_KEY.getPublic())), request,
                KrbErrorCode.KDC_ERR_PA_CHECKSUM_MUST_BE_INCLUDED);
    }

    @Test
    void aStaleCtimeIsAClockSkewError() throws Exception {
        byte[] request = request(CLIENT_KEY, sha1(REQ_BODY), NOW.minusSeconds(3600), NONCE,
                DHStandardGroups.rfc3526_2048);
        assertRefused(context(List.of(CLIENT_KEY.getPublic())), request, KrbErrorCode.KRB_AP_ERR_SKEW);
    }

    @Test
    void aNonceOtherThanTheRequestsIsRefused() throws Exception {
        byte[] request = request(CLIENT_KEY, sha1(REQ_BODY), NOW, NONCE + 1, DHStandardGroups.rfc3526_2048);
        assertRefused(context(List.of(CLIENT_KEY.getPublic())), request, KrbErrorCode.KDC_ERR_PREAUTH_FAILED);
    }

    @Test
    void aDhGroupSmallerThan2048BitsIsRefusedWithAHint() throws Exception {
        byte[] request = request(CLIENT_KEY, sha1(REQ_BODY), NOW, NONCE, DHStandardGroups.rfc2409_1024);
        assertThatThrownBy(() -> pkinit.verify(context(List.of(CLIENT_KEY.getPublic())), request))
                .isInstanceOfSatisfying(KdcRefusal.class, r -> {
                    assertThat(r.code()).isEqualTo(KrbErrorCode.KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED);
                    assertThat(r.eData()).isNotEmpty();
                });
    }

    @Test
    void garbageInsteadOfCmsIsAKrbErrorNotACrash() {
        for (byte[] garbage : List.of(new byte[0], new byte[] {0x30}, new byte[] {0x30, 0x03, (byte) 0xa0, 0x01, 0x04},
                "not asn.1 at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            assertThatThrownBy(() -> pkinit.verify(context(List.of(CLIENT_KEY.getPublic())), garbage))
                    .isInstanceOf(KdcRefusal.class);
        }
    }

    private void assertRefused(AsContext context, byte[] request, KrbErrorCode code) {
        assertThatThrownBy(() -> pkinit.verify(context, request)).isInstanceOfSatisfying(KdcRefusal.class,
                r -> assertThat(r.code()).isEqualTo(code));
    }

    private static AsContext context(List<PublicKey> keys) {
        KdcAccount alice = new KdcAccount("alice", Optional.of("alice@corp.example.com"), List.of(), List.of(),
                REALM + "alice", false, keys, "S-1-5-21-1-2-3-1104", List.of(513));
        KdcConfig config = KdcConfig.builder(REALM, new InMemoryKdcAccounts()).build();
        AsReq asReq = new AsReq();
        KdcReqBody body = new KdcReqBody();
        body.setNonce(NONCE);
        body.setEtypes(List.of(EncryptionType.AES256_CTS_HMAC_SHA1_96));
        asReq.setReqBody(body);
        return new AsContext(new Request(config, NOW), alice, List.of(18), asReq, REQ_BODY, new byte[] {0x6a, 0x00});
    }

    private static byte[] request(KeyPair signer, byte[] checksum, Instant ctime, long nonce, DHParameters group)
            throws Exception {
        ASN1EncodableVector authenticator = new ASN1EncodableVector();
        authenticator.add(new DERTaggedObject(true, 0, new ASN1Integer(0)));
        authenticator.add(new DERTaggedObject(true, 1, new DERGeneralizedTime(
                new java.text.SimpleDateFormat("yyyyMMddHHmmss'Z'") {{
                    setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
                }}.format(java.util.Date.from(ctime)))));
        authenticator.add(new DERTaggedObject(true, 2, new ASN1Integer(nonce)));
        authenticator.add(new DERTaggedObject(true, 3, new DEROctetString(checksum)));
        authenticator.add(new DERTaggedObject(true, 4, new DEROctetString(new byte[] {9, 9})));
        BigInteger y = group.getG().modPow(BigInteger.valueOf(0x1234567), group.getP());
        SubjectPublicKeyInfo dh = new SubjectPublicKeyInfo(new AlgorithmIdentifier(DiffieHellman.DH_PUBLIC_NUMBER,
                new DomainParameters(group.getP(), group.getG(),
                        group.getQ() == null ? BigInteger.ONE : group.getQ(), null, null)),
                new ASN1Integer(y).getEncoded());
        ASN1EncodableVector authPack = new ASN1EncodableVector();
        authPack.add(new DERTaggedObject(true, 0, new DERSequence(authenticator)));
        authPack.add(new DERTaggedObject(true, 1, dh));
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        SignerInfoGenerator signerInfo = new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                .build()).build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate()),
                new JcaX509CertificateHolder(KdcCertificates.generateCa("alice", NOW).certificate()));
        generator.addSignerInfoGenerator(signerInfo);
        byte[] signed = generator.generate(new CMSProcessableByteArray(KeyTrustPkinit.ID_PKINIT_AUTH_DATA,
                new DERSequence(authPack).getEncoded()), true).getEncoded("DER");
        return new DERSequence(new DERTaggedObject(false, 0, new DEROctetString(signed))).getEncoded("DER");
    }

    private static byte[] sha1(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-1").digest(data);
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
