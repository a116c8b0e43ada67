package dev.keytrust.kdc.pkinit;

import dev.keytrust.kdc.as.AsContext;
import dev.keytrust.kdc.as.PreauthMechanism;
import dev.keytrust.kdc.protocol.Crypto;
import dev.keytrust.kdc.protocol.KdcRefusal;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.apache.kerby.kerberos.kerb.KrbErrorCode;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataEntry;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataType;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key-trust PKINIT (RFC 4556, MS-PKCA 3.1.5.2.1.4): the client signs its AuthPack with its Windows Hello key,
 * and the KDC verifies the CMS signature with each NGC public key the client's account holds in <em>this</em>
 * DC's directory, read for this request. A certificate in the SignedData (Windows, Heimdal) must carry one of
 * those keys; MIT kinit sends none for a self-signed certificate, and none is chain-validated. No key or no
 * match → KDC_ERR_CLIENT_NOT_TRUSTED (62). Then paChecksum (SHA-1 of the raw req-body), the time skew (37) and
 * the nonce are checked, Diffie-Hellman (RFC 3526 groups of 2048 bits or more) gives the reply key, and the
 * reply is signed by the KDC certificate.
 */
public final class KeyTrustPkinit implements PreauthMechanism {
    /** id-pkinit-authData: the eContentType of the client's signed AuthPack. */
    public static final ASN1ObjectIdentifier ID_PKINIT_AUTH_DATA = new ASN1ObjectIdentifier("1.3.6.1.5.2.3.1");
    private static final Logger LOG = LoggerFactory.getLogger(KeyTrustPkinit.class);

    private final KdcCertificates.Credential kdcCertificate;
    private final dev.keytrust.kdc.tgs.ReplayCache replayCache;

    /**
     * PKINIT replies signed with {@code kdcCertificate}; a signed AuthPack seen before within the skew is refused
     * with KRB_AP_ERR_REPEAT (34) by {@code replayCache}.
     */
    public KeyTrustPkinit(KdcCertificates.Credential kdcCertificate, dev.keytrust.kdc.tgs.ReplayCache replayCache) {
        this.kdcCertificate = kdcCertificate;
        this.replayCache = replayCache;
    }

    @Override
    public int paType() {
        return PaDataType.PK_AS_REQ.getValue();
    }

    @Override
    public List<PaDataEntry> offer(AsContext context) {
        return List.of(new PaDataEntry(PaDataType.PK_AS_REQ, new byte[0]));
    }

    @Override
    public Result verify(AsContext context, byte[] paValue) {
        CMSSignedData signed;
        byte[] authPackDer;
        try {
            ASN1Sequence paPkAsReq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(paValue));
            ASN1TaggedObject first = ASN1TaggedObject.getInstance(paPkAsReq.getObjectAt(0));
            byte[] contentInfo = ASN1OctetString.getInstance(first, false).getOctets();
            signed = new CMSSignedData(contentInfo);
            if (!ID_PKINIT_AUTH_DATA.equals(signed.getSignedContentType()) || signed.getSignedContent() == null) {
                throw failed("expected a SignedData of id-pkinit-authData");
            }
            authPackDer = (byte[]) signed.getSignedContent().getContent();
        } catch (KdcRefusal e) {
            throw e;
        } catch (Exception e) {
            throw failed("the PA-PK-AS-REQ is not a CMS SignedData");
        }
        requireTrustedSigner(context, signed);
        AuthPack authPack;
        try {
            authPack = AuthPack.decode(authPackDer);
        } catch (IllegalArgumentException e) {
            throw failed("the signed AuthPack could not be decoded");
        }
        if (!ReplyKeys.sha1Matches(context.reqBody(), authPack.paChecksum())) {
            throw new KdcRefusal(KrbErrorCode.KDC_ERR_PA_CHECKSUM_MUST_BE_INCLUDED,
                    "the PKAuthenticator's paChecksum does not match the req-body");
        }
        if (!context.request().withinSkew(new KerberosTime(authPack.ctimeMillis()))) {
            throw new KdcRefusal(KrbErrorCode.KRB_AP_ERR_SKEW, "clock skew too great");
        }
        if (authPack.nonce() != (context.asReq().getReqBody().getNonce() & 0xFFFFFFFFL)) {
            throw failed("the PKAuthenticator's nonce differs from the request's nonce");
        }
        if (!replayCache.firstSeen("pkinit:" + context.client().samAccountName() + ":" + digest(authPackDer),
                java.time.Instant.ofEpochMilli(authPack.ctimeMillis()), context.request().now())) {
            throw new KdcRefusal(KrbErrorCode.KRB_AP_ERR_REPEAT, "request is a replay");
        }
        if (authPack.clientPublicValue() == null) {
            throw new KdcRefusal(KrbErrorCode.KDC_ERR_PREAUTH_FAILED,
                    "RSA key transport is not supported; send a Diffie-Hellman public value");
        }
        DiffieHellman.Agreement agreement = DiffieHellman.agree(authPack.clientPublicValue());
        List<Integer> requested = Crypto.requested(context.asReq().getReqBody().getEtypes());
        if (requested.isEmpty()) {
            throw new KdcRefusal(KrbErrorCode.KDC_ERR_ETYPE_NOSUPP,
                    "expected aes256-cts-hmac-sha1-96, aes128-cts-hmac-sha1-96 or rc4-hmac among the enctypes");
        }
        int etype = requested.get(0);
        boolean kdf = authPack.supportedKdfs().contains(ReplyKeys.KDF_SHA256);
        byte[] reply = PkinitReply.encode(kdcCertificate, agreement.kdcPublicValue(), authPack.nonce(),
                kdf ? ReplyKeys.KDF_SHA256 : null);
        EncryptionKey replyKey = kdf ? rfc8636Key(context, agreement.sharedSecret(), etype, reply)
                : ReplyKeys.octetString2Key(agreement.sharedSecret(), etype);
        LOG.info("PKINIT: key-trust signature of {} verified", dev.keytrust.kdc.protocol.Request.forLog(
                context.client().samAccountName()));
        return new Result(replyKey, List.of(new PaDataEntry(PaDataType.PK_AS_REP, reply)));
    }

    private static EncryptionKey rfc8636Key(AsContext context, byte[] z, int etype, byte[] reply) {
        org.apache.kerby.kerberos.kerb.type.kdc.KdcReqBody body = context.asReq().getReqBody();
        String realm = body.getRealm();
        return ReplyKeys.kdfSha256(z, etype, name(realm, body.getCname()), name(realm, body.getSname()),
                context.message(), reply);
    }

    private static byte[] name(String realm, org.apache.kerby.kerberos.kerb.type.base.PrincipalName name) {
        return ReplyKeys.principalName(realm, name.getNameType() == null ? 1 : name.getNameType().getValue(),
                name.getNameStrings());
    }

    private static void requireTrustedSigner(AsContext context, CMSSignedData signed) {
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw failed("expected one signer, found " + signers.size());
        }
        SignerInformation signer = signers.iterator().next();
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> certificates = signed.getCertificates().getMatches(signer.getSID());
        for (PublicKey key : context.client().ngcPublicKeys()) {
            boolean certificateMatches = certificates.isEmpty() || certificates.stream().anyMatch(
                    c -> Arrays.equals(encoded(c), key.getEncoded()));
            if (certificateMatches && verifies(signer, key)) {
                return;
            }
        }
        throw new KdcRefusal(KrbErrorCode.KDC_ERR_CLIENT_NOT_TRUSTED, context.client().ngcPublicKeys().isEmpty()
                ? "the client has no key-trust (NGC) key on this domain controller"
                : "the request is not signed by a key-trust (NGC) key of the client on this domain controller");
    }

    private static String digest(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private static byte[] encoded(X509CertificateHolder certificate) {
        try {
            return certificate.getSubjectPublicKeyInfo().getEncoded("DER");
        } catch (java.io.IOException e) {
            return new byte[0];
        }
    }

    private static boolean verifies(SignerInformation signer, PublicKey key) {
        try {
            return signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(key));
        } catch (Exception e) {
            return false;
        }
    }

    private static KdcRefusal failed(String text) {
        return new KdcRefusal(KrbErrorCode.KDC_ERR_PREAUTH_FAILED, text);
    }
}
