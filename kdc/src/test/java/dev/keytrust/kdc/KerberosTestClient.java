package dev.keytrust.kdc;

import dev.keytrust.kdc.protocol.TicketContents;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Clock;
import java.util.List;
import org.apache.kerby.kerberos.kerb.KrbCodec;
import org.apache.kerby.kerberos.kerb.crypto.CheckSumHandler;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.ap.ApOptions;
import org.apache.kerby.kerberos.kerb.type.ap.ApReq;
import org.apache.kerby.kerberos.kerb.type.ap.Authenticator;
import org.apache.kerby.kerberos.kerb.type.base.CheckSum;
import org.apache.kerby.kerberos.kerb.type.base.CheckSumType;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.base.KrbError;
import org.apache.kerby.kerberos.kerb.type.base.NameType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.apache.kerby.kerberos.kerb.type.kdc.AsRep;
import org.apache.kerby.kerberos.kerb.type.kdc.AsReq;
import org.apache.kerby.kerberos.kerb.type.kdc.EncAsRepPart;
import org.apache.kerby.kerberos.kerb.type.kdc.KdcOptions;
import org.apache.kerby.kerberos.kerb.type.kdc.KdcReqBody;
import org.apache.kerby.kerberos.kerb.type.kdc.TgsReq;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataEntry;
import org.apache.kerby.kerberos.kerb.type.pa.PaDataType;
import org.apache.kerby.kerberos.kerb.type.pa.PaEncTsEnc;

/** A minimal Kerberos client built from Kerby's types, to send exact requests (and bad ones) to the KDC. */
final class KerberosTestClient {
    private final int port;
    private final Clock clock;

    KerberosTestClient(int port, Clock clock) {
        this.port = port;
        this.clock = clock;
    }

    /** Sends {@code request} over TCP and returns the reply message. */
    byte[] send(byte[] request) throws Exception {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(request.length);
            out.write(request);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] reply = new byte[in.readInt()];
            in.readFully(reply);
            return reply;
        }
    }

    static KrbError error(byte[] reply) throws Exception {
        return KrbCodec.decode(reply, KrbError.class);
    }

    /** KDC options for the next requests (none by default). */
    KdcOptions options = new KdcOptions();

    KdcReqBody body(String client, List<String> service, List<EncryptionType> etypes) {
        KdcReqBody body = new KdcReqBody();
        body.setKdcOptions(options);
        if (options.isFlagSet(org.apache.kerby.kerberos.kerb.type.kdc.KdcOption.RENEWABLE)) {
            body.setRtime(new KerberosTime(clock.millis() + 24 * 3_600_000L));
        }
        if (client != null) {
            body.setCname(new PrincipalName(client, NameType.NT_PRINCIPAL));
        }
        body.setRealm(TestRealm.REALM);
        body.setSname(new PrincipalName(service, NameType.NT_SRV_INST));
        body.setTill(new KerberosTime(clock.millis() + 3_600_000L));
        body.setNonce(12345);
        body.setEtypes(etypes);
        return body;
    }

    byte[] asReq(String client, List<EncryptionType> etypes, List<PaDataEntry> padata) throws Exception {
        AsReq req = new AsReq();
        req.setReqBody(body(client, List.of("krbtgt", TestRealm.REALM), etypes));
        padata.forEach(req::addPaData);
        return KrbCodec.encode(req);
    }

    PaDataEntry encryptedTimestamp(EncryptionKey key, long millis) throws Exception {
        PaEncTsEnc ts = new PaEncTsEnc();
        ts.setPaTimestamp(new KerberosTime(millis / 1000 * 1000));
        ts.setPaUsec(0);
        byte[] encrypted = KrbCodec.encode(EncryptionHandler.encrypt(KrbCodec.encode(ts), key,
                KeyUsage.AS_REQ_PA_ENC_TS));
        return new PaDataEntry(PaDataType.ENC_TIMESTAMP, encrypted);
    }

    /** A TGT and its session key from a successful AS exchange. */
    record Tgt(AsRep rep, EncAsRepPart part) {
    }

    Tgt tgt(String client, EncryptionKey clientKey) throws Exception {
        return tgt(client, clientKey, List.of());
    }

    Tgt tgt(String client, EncryptionKey clientKey, List<PaDataEntry> extraPadata) throws Exception {
        List<PaDataEntry> padata = new java.util.ArrayList<>(extraPadata);
        padata.add(encryptedTimestamp(clientKey, clock.millis()));
        byte[] reply = send(asReq(client, List.of(EncryptionType.AES256_CTS_HMAC_SHA1_96), padata));
        AsRep rep = KrbCodec.decode(reply, AsRep.class);
        byte[] plain = EncryptionHandler.decrypt(rep.getEncryptedEncPart(), clientKey, KeyUsage.AS_REP_ENCPART);
        return new Tgt(rep, KrbCodec.decode(plain, EncAsRepPart.class));
    }

    /** A TGS-REQ for {@code service}; {@code tamper} may change the body after the checksum was computed. */
    byte[] tgsReq(Tgt tgt, List<String> service, java.util.function.Consumer<KdcReqBody> tamper) throws Exception {
        KdcReqBody body = body(null, service, List.of(EncryptionType.AES256_CTS_HMAC_SHA1_96));
        EncryptionKey session = tgt.part().getKey();
        CheckSum checksum = CheckSumHandler.checksumWithKey(CheckSumType.HMAC_SHA1_96_AES256,
                KrbCodec.encode(body), session.getKeyData(), KeyUsage.TGS_REQ_AUTH_CKSUM);
        tamper.accept(body);
        Authenticator authenticator = new Authenticator();
        authenticator.setAuthenticatorVno(5);
        authenticator.setCrealm(TestRealm.REALM);
        authenticator.setCname(tgt.rep().getCname());
        authenticator.setCksum(checksum);
        authenticator.setCtime(new KerberosTime(clock.millis() / 1000 * 1000));
        authenticator.setCusec(0);
        ApReq apReq = new ApReq();
        apReq.setApOptions(new ApOptions());
        apReq.setTicket(tgt.rep().getTicket());
        apReq.setEncryptedAuthenticator(EncryptionHandler.encrypt(KrbCodec.encode(authenticator), session,
                KeyUsage.TGS_REQ_AUTH));
        TgsReq req = new TgsReq();
        req.setReqBody(body);
        req.addPaData(new PaDataEntry(PaDataType.TGS_REQ, TicketContents.encode(apReq)));
        return KrbCodec.encode(req);
    }
}
