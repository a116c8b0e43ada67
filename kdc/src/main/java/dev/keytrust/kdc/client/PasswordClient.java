package dev.keytrust.kdc.client;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.kdc.crypto.KerberosKeys;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
import org.apache.kerby.kerberos.kerb.type.kdc.KdcOptions;
import org.apache.kerby.kerberos.kerb.type.kdc.KdcReqBody;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataEntry;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataType;
import org.apache.kerby.kerberos.kerb.type.pa.PaEncTsEnc;

/**
 * A password sign-in (AS exchange with PA-ENC-TIMESTAMP, aes256-cts-hmac-sha1-96) over TCP, in one round trip: the
 * key is derived with the realm's default salt ({@code REALM + name}, AD's and MIT's for a user). The Kerberos
 * benchmark's load client, against the DC's KDC and MIT's alike.
 *
 * <pre>{@code
 * byte[] key = PasswordClient.key("CORP.EXAMPLE.COM", "alice", "Secret-1");
 * PkinitClient.Outcome o = PasswordClient.signIn("127.0.0.1", port, "CORP.EXAMPLE.COM", "alice", key, clock);
 * }</pre>
 */
public final class PasswordClient {
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordClient() {
    }

    /** The aes256 key of {@code password} with the default salt. */
    public static byte[] key(String realm, String user, String password) {
        return KerberosKeys.aes(18, password, KerberosKeys.userSalt(realm, user), KerberosKeys.DEFAULT_ITERATIONS);
    }

    /** Signs in with the aes256 {@code key}: a ticket's times, or the KRB-ERROR. */
    public static PkinitClient.Outcome signIn(String host, int port, String realm, String user, byte[] key, Clock clock) {
        try {
            EncryptionKey k = new EncryptionKey(EncryptionType.AES256_CTS_HMAC_SHA1_96, key);
            int nonce = RANDOM.nextInt(Integer.MAX_VALUE);
            KdcReqBody body = new KdcReqBody();
            body.setKdcOptions(new KdcOptions());
            body.setCname(new PrincipalName(List.of(user), NameType.NT_PRINCIPAL));
            body.setRealm(realm);
            body.setSname(new PrincipalName(List.of("krbtgt", realm), NameType.NT_SRV_INST));
            body.setTill(new KerberosTime(clock.millis() + Duration.ofHours(10).toMillis()));
            body.setNonce(nonce);
            body.setEtypes(List.of(EncryptionType.AES256_CTS_HMAC_SHA1_96));
            PaEncTsEnc ts = new PaEncTsEnc();
            ts.setPaTimestamp(new KerberosTime(clock.millis() / 1000 * 1000));
            ts.setPaUsec(0);
            AsReq req = new AsReq();
            req.setReqBody(body);
            req.addPaData(new PaDataEntry(PaDataType.ENC_TIMESTAMP, KrbCodec.encode(EncryptionHandler.encrypt(
                    KrbCodec.encode(ts), k, KeyUsage.AS_REQ_PA_ENC_TS))));
            byte[] reply = PkinitClient.exchange(host, port, KrbCodec.encode(req));
            KrbMessage message = KrbCodec.decodeMessage(java.nio.ByteBuffer.wrap(reply));
            if (message instanceof KrbError error) {
                return new PkinitClient.Refused(error.getErrorCode().getValue(), error.getErrorCode().name(), error.getEtext());
            }
            AsRep rep = (AsRep) message;
            org.apache.kerby.kerberos.kerb.type.kdc.EncKdcRepPart part = PkinitClient.encPart(EncryptionHandler.decrypt(
                    rep.getEncryptedEncPart(), k, KeyUsage.AS_REP_ENCPART));
            if (part.getNonce() != nonce) {
                throw new KeyTrustException(ErrorCode.KDC_UNREACHABLE, "the KDC at " + host + ":" + port
                        + " answered with another request's nonce");
            }
            Instant auth = Instant.ofEpochMilli(part.getAuthTime().getTime());
            return new PkinitClient.Ticket(user + "@" + realm, auth, part.getStartTime() == null ? auth
                    : Instant.ofEpochMilli(part.getStartTime().getTime()), Instant.ofEpochMilli(part.getEndTime().getTime()),
                    Optional.ofNullable(part.getRenewTill()).map(t -> Instant.ofEpochMilli(t.getTime())));
        } catch (IOException | KrbException | ClassCastException e) {
            throw new KeyTrustException(ErrorCode.KDC_UNREACHABLE, "password sign-in at " + host + ":" + port
                    + " failed: " + e.getMessage(), e);
        }
    }
}
