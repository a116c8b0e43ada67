package dev.keytrust.kdc.client;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.kdc.pkinit.KeyTrustPkinit;
import dev.keytrust.kdc.pkinit.PkinitReply;
import dev.keytrust.kdc.pkinit.ReplyKeys;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.text.SimpleDateFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import org.apache.kerby.kerberos.kerb.KrbCodec;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.base.KrbError;
import org.apache.kerby.kerberos.kerb.type.base.KrbMessage;
import org.apache.kerby.kerberos.kerb.type.base.NameType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.apache.kerby.kerberos.kerb.type.kdc.AsRep;
import org.apache.kerby.kerberos.kerb.type.kdc.AsReq;
import org.apache.kerby.kerberos.kerb.type.kdc.EncAsRepPart;
import org.apache.kerby.kerberos.kerb.type.kdc.KdcOptions;
import org.apache.kerby.kerberos.kerb.type.kdc.KdcReqBody;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataEntry;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataType;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.DomainParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.crypto.agreement.DHStandardGroups;
import org.bouncycastle.crypto.params.DHParameters;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * A key-trust PKINIT sign-in as a Windows Hello client makes it, over TCP: one AS-REQ with PA-PK-AS-REQ (an AuthPack
 * signed with the user's private key, Diffie-Hellman over MODP group 14, no KDF offered so the reply key is RFC
 * 4556's octetstring2key), and the AS-REP checked as a client checks it (the KDC's signature over its DH value,
 * the nonce, the enc-part decrypted with the agreed key). The testbed uses it to learn when a key first signs in on
 * a DC, on its own clock.
 *
 * <pre>{@code
 * PkinitClient.Outcome o = PkinitClient.signIn("127.0.0.1", kdcPort, "CORP.EXAMPLE.COM", "alice",
 *         key.privateKey(), key.certificate(), testbedClock);
 * if (o instanceof PkinitClient.Ticket t) { ... t.endTime() ... }   // else PkinitClient.Refused: e.g. 62
 * }</pre>
 */
public final class PkinitClient {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DHParameters GROUP_14 = DHStandardGroups.rfc3526_2048;
    private static final int TIMEOUT_MILLIS = 10_000;

    private PkinitClient() {
    }

    /** What a sign-in gave. */
    public sealed interface Outcome {
        /** Whether a ticket was issued. */
        default boolean succeeded() {
            return this instanceof Ticket;
        }
    }

    /**
     * A TGT was issued (and its reply checked).
     *
     * @param client the client principal, {@code alice@CORP.EXAMPLE.COM}
     * @param authTime when the KDC authenticated the client
     * @param startTime the ticket's start time
     * @param endTime the ticket's end time
     * @param renewTill the renewable end, if renewable
     */
    public record Ticket(String client, Instant authTime, Instant startTime, Instant endTime,
                         Optional<Instant> renewTill) implements Outcome {
        @Override
        public String toString() {
            return "TGT for " + client + ": auth " + authTime + ", valid " + startTime + " to " + endTime
                    + renewTill.map(r -> ", renewable until " + r).orElse("");
        }
    }

    /**
     * The KDC answered with a KRB-ERROR.
     *
     * @param code the error code (62 KDC_ERR_CLIENT_NOT_TRUSTED, 6 unknown client, ...)
     * @param name the code's RFC name
     * @param text the KDC's e-text, if any
     */
    public record Refused(int code, String name, String text) implements Outcome {
        @Override
        public String toString() {
            return "KRB-ERROR " + code + " " + name + (text == null || text.isEmpty() ? "" : ": " + text);
        }
    }

    /**
     * Signs {@code user} in at the KDC {@code host:port} with the key pair's private half.
     *
     * @param certificate a certificate of the key (its issuer and serial name the signer; key trust ignores the rest)
     * @param clock the client's clock (the testbed's: the KDC checks the skew)
     * @throws KeyTrustException ({@code KDC_UNREACHABLE}) when the KDC cannot be reached, answers something that is
     *     not Kerberos, or a reply that fails the client's checks
     */
    public static Outcome signIn(String host, int port, String realm, String user, PrivateKey privateKey,
                                 X509Certificate certificate, Clock clock) {
        try {
            int nonce = RANDOM.nextInt(Integer.MAX_VALUE);
            KdcReqBody body = body(realm, user, clock, nonce);
            byte[] reqBody = KrbCodec.encode(body);
            BigInteger x = new BigInteger(512, RANDOM).setBit(0);
            BigInteger y = GROUP_14.getG().modPow(x, GROUP_14.getP());
            byte[] paPkAsReq = paPkAsReq(reqBody, clock.instant(), nonce, y, privateKey, certificate);
            AsReq req = new AsReq();
            req.setReqBody(body);
            req.addPaData(new PaDataEntry(PaDataType.PK_AS_REQ, paPkAsReq));
            byte[] reply = exchange(host, port, KrbCodec.encode(req));
            KrbMessage message = KrbCodec.decodeMessage(java.nio.ByteBuffer.wrap(reply));
            if (message instanceof KrbError error) {
                return new Refused(error.getErrorCode().getValue(), error.getErrorCode().name(),
                        error.getEtext());
            }
            if (!(message instanceof AsRep rep)) {
                throw failed(host, port, "expected an AS-REP or KRB-ERROR, found " + message.getMsgType());
            }
            return ticket(rep, x, nonce, user, realm, host, port);
        } catch (IOException e) {
            throw new KeyTrustException(ErrorCode.KDC_UNREACHABLE, "cannot reach the KDC at " + host + ":" + port
                    + ": " + e.getMessage() + "; is the DC up and does it host a KDC?", e);
        } catch (KrbException | GeneralSecurity e) {
            throw failed(host, port, e.getMessage());
        }
    }

    private static KdcReqBody body(String realm, String user, Clock clock, int nonce) {
        KdcReqBody body = new KdcReqBody();
        body.setKdcOptions(new KdcOptions());
        body.setCname(new PrincipalName(user, NameType.NT_PRINCIPAL));
        body.setRealm(realm);
        body.setSname(new PrincipalName(List.of("krbtgt", realm), NameType.NT_SRV_INST));
        body.setTill(new KerberosTime(clock.millis() + Duration.ofHours(10).toMillis()));
        body.setNonce(nonce);
        body.setEtypes(List.of(EncryptionType.AES256_CTS_HMAC_SHA1_96, EncryptionType.AES128_CTS_HMAC_SHA1_96));
        return body;
    }

    /** PA-PK-AS-REQ: {signedAuthPack [0] IMPLICIT OCTET STRING}, the AuthPack signed by the user's key. */
    private static byte[] paPkAsReq(byte[] reqBody, Instant now, int nonce, BigInteger y, PrivateKey key,
                                    X509Certificate certificate) throws GeneralSecurity {
        try {
            SimpleDateFormat time = new SimpleDateFormat("yyyyMMddHHmmss'Z'");
            time.setTimeZone(TimeZone.getTimeZone("UTC"));
            ASN1EncodableVector authenticator = new ASN1EncodableVector();
            authenticator.add(new DERTaggedObject(true, 0, new ASN1Integer((now.getNano() / 1000) % 1_000_000)));
            authenticator.add(new DERTaggedObject(true, 1, new DERGeneralizedTime(time.format(java.util.Date.from(now)))));
            authenticator.add(new DERTaggedObject(true, 2, new ASN1Integer(nonce)));
            authenticator.add(new DERTaggedObject(true, 3, new DEROctetString(MessageDigest.getInstance("SHA-1").digest(reqBody))));
            SubjectPublicKeyInfo dh = new SubjectPublicKeyInfo(new AlgorithmIdentifier(
                    org.bouncycastle.asn1.x9.X9ObjectIdentifiers.dhpublicnumber,
                    new DomainParameters(GROUP_14.getP(), GROUP_14.getG(), GROUP_14.getQ(), null, null)),
                    new ASN1Integer(y).getEncoded());
            ASN1EncodableVector authPack = new ASN1EncodableVector();
            authPack.add(new DERTaggedObject(true, 0, new DERSequence(authenticator)));
            authPack.add(new DERTaggedObject(true, 1, dh));
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                    .build()).build(new JcaContentSignerBuilder("SHA256withRSA").build(key),
                    new JcaX509CertificateHolder(certificate)));
            byte[] signed = generator.generate(new CMSProcessableByteArray(KeyTrustPkinit.ID_PKINIT_AUTH_DATA,
                    new DERSequence(authPack).getEncoded("DER")), true).getEncoded("DER");
            return new DERSequence(new DERTaggedObject(false, 0, new DEROctetString(signed))).getEncoded("DER");
        } catch (Exception e) {
            throw new GeneralSecurity("could not sign the AuthPack: " + e.getMessage(), e);
        }
    }

    /** Checks the reply as a client does and reads the ticket's times. */
    private static Ticket ticket(AsRep rep, BigInteger x, int nonce, String user, String realm, String host, int port)
            throws KrbException, GeneralSecurity {
        PaDataEntry pkAsRep = rep.getPaData() == null ? null : rep.getPaData().findEntry(PaDataType.PK_AS_REP);
        if (pkAsRep == null) {
            throw failed(host, port, "the AS-REP carries no PA-PK-AS-REP");
        }
        BigInteger kdcY;
        try {
            ASN1TaggedObject dhInfo = ASN1TaggedObject.getInstance(ASN1Primitive.fromByteArray(pkAsRep.getPaDataValue()));
            ASN1Sequence dhRepInfo = ASN1Sequence.getInstance(dhInfo.getExplicitBaseObject());
            ASN1TaggedObject signedTag = ASN1TaggedObject.getInstance(dhRepInfo.getObjectAt(0));
            byte[] signedData = ASN1OctetString.getInstance(signedTag, false).getOctets();
            CMSSignedData cms = new CMSSignedData(signedData);
            if (!PkinitReply.ID_PKINIT_DH_KEY_DATA.equals(cms.getSignedContentType())) {
                throw failed(host, port, "the DH reply's content type is " + cms.getSignedContentType());
            }
            SignerInformation signer = cms.getSignerInfos().getSigners().iterator().next();
            @SuppressWarnings("unchecked")
            X509CertificateHolder kdcCert = (X509CertificateHolder) cms.getCertificates().getMatches(signer.getSID())
                    .iterator().next();
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(kdcCert))) {
                throw failed(host, port, "the KDC's signature over its DH value does not verify");
            }
            ASN1Sequence keyInfo = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray((byte[]) cms.getSignedContent().getContent()));
            byte[] yBits = DERBitString.getInstance(ASN1TaggedObject.getInstance(keyInfo.getObjectAt(0)).getExplicitBaseObject()).getOctets();
            kdcY = ASN1Integer.getInstance(ASN1Primitive.fromByteArray(yBits)).getValue();
            long replyNonce = ASN1Integer.getInstance(ASN1TaggedObject.getInstance(keyInfo.getObjectAt(1)).getExplicitBaseObject())
                    .getValue().longValue();
            if (replyNonce != nonce) {
                throw failed(host, port, "the DH reply's nonce " + replyNonce + " is not the request's " + nonce);
            }
            if (dhRepInfo.size() > 1) {
                throw failed(host, port, "the KDC chose a KDF although none was offered");
            }
        } catch (IOException | RuntimeException | org.bouncycastle.cms.CMSException
                 | org.bouncycastle.operator.OperatorCreationException | java.security.cert.CertificateException e) {
            throw new GeneralSecurity("the PA-PK-AS-REP cannot be read: " + e.getMessage(), e);
        }
        BigInteger z = kdcY.modPow(x, GROUP_14.getP());
        byte[] zBytes = leftPad(z, (GROUP_14.getP().bitLength() + 7) / 8);
        int etype = rep.getEncryptedEncPart().getEType().getValue();
        EncryptionKey replyKey = ReplyKeys.octetString2Key(zBytes, etype);
        byte[] plain = EncryptionHandler.decrypt(rep.getEncryptedEncPart(), replyKey, KeyUsage.AS_REP_ENCPART);
        org.apache.kerby.kerberos.kerb.type.kdc.EncKdcRepPart part = encPart(plain);
        if (part.getNonce() != nonce) {
            throw failed(host, port, "the AS-REP's nonce is not the request's");
        }
        return new Ticket(user + "@" + realm, instant(part.getAuthTime()),
                instant(part.getStartTime() == null ? part.getAuthTime() : part.getStartTime()), instant(part.getEndTime()),
                Optional.ofNullable(part.getRenewTill()).map(PkinitClient::instant));
    }

    /** The AS-REP's enc-part: EncASRepPart, or EncTGSRepPart as MIT's KDC (and Windows) send it (RFC 4120 5.4.2). */
    static org.apache.kerby.kerberos.kerb.type.kdc.EncKdcRepPart encPart(byte[] plain) throws KrbException {
        return plain.length > 0 && (plain[0] & 0xFF) == 0x7A
                ? KrbCodec.decode(plain, org.apache.kerby.kerberos.kerb.type.kdc.EncTgsRepPart.class)
                : KrbCodec.decode(plain, EncAsRepPart.class);
    }

    private static Instant instant(KerberosTime t) {
        return Instant.ofEpochMilli(t.getTime());
    }

    private static byte[] leftPad(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    static byte[] exchange(String host, int port, byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(request.length);
            out.write(request);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int length = in.readInt();
            if (length < 0 || length > 1 << 20) {
                throw new IOException("the KDC announced a reply of " + length + " bytes");
            }
            byte[] reply = new byte[length];
            in.readFully(reply);
            return reply;
        }
    }

    private static KeyTrustException failed(String host, int port, String why) {
        return new KeyTrustException(ErrorCode.KDC_UNREACHABLE, "the KDC at " + host + ":" + port
                + " answered a PKINIT request with a reply a client must reject: " + why);
    }

    /** A cryptographic failure on the client's side, kept checked until reported. */
    private static final class GeneralSecurity extends Exception {
        GeneralSecurity(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
