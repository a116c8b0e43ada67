package dev.keytrust.dc.ntlm;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.asn1.ASN1Boolean;
import com.unboundid.asn1.ASN1Element;
import com.unboundid.asn1.ASN1Enumerated;
import com.unboundid.asn1.ASN1Integer;
import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.asn1.ASN1Sequence;
import com.unboundid.asn1.ASN1StreamReader;
import com.unboundid.ldap.sdk.LDAPConnection;
import dev.keytrust.dc.DomainController;
import dev.keytrust.dc.DomainControllerConfig;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NTLM binds on the wire, with our own initiator: Sicily and GSS-SPNEGO rounds in every order, sealed traffic after
 * the bind, and hostile input (garbage tokens, tampered or oversized wrapped messages) costing only its connection.
 */
class NtlmWireIT {
    private static final String PASSWORD = "Passw0rd!Passw0rd";
    private static DomainController dc;

    @BeforeAll
    static void start() {
        dc = DomainController.start(DomainControllerConfig.builder("DC1").adminPassword(PASSWORD).build());
    }

    @AfterAll
    static void stop() {
        dc.close();
    }

    private static byte[] bind(int id, ASN1Element authentication) {
        return new ASN1Sequence(new ASN1Integer(id), new ASN1Sequence((byte) 0x60, new ASN1Integer(3),
                new ASN1OctetString("NTLM"), authentication)).encode();
    }

    private static byte[] sasl(int id, byte[] credentials) {
        return bind(id, new ASN1Sequence((byte) 0xa3, new ASN1OctetString("GSS-SPNEGO"), new ASN1OctetString(credentials)));
    }

    private static byte[] rootDseSearch(int id) {
        return new ASN1Sequence(new ASN1Integer(id), new ASN1Sequence((byte) 0x63, new ASN1OctetString(""),
                new ASN1Enumerated(0), new ASN1Enumerated(0), new ASN1Integer(0), new ASN1Integer(0),
                new ASN1Boolean(false), new ASN1OctetString((byte) 0x87, "objectClass"),
                new ASN1Sequence(new ASN1OctetString("dnsHostName")))).encode();
    }

    /** One LDAP response: [result code, matchedDN bytes, diagnostic, serverSaslCreds or null] for a bind. */
    private static ASN1Element[] response(byte[] message) throws Exception {
        ASN1Element[] parts = ASN1Sequence.decodeAsSequence(message).elements();
        return ASN1Sequence.decodeAsSequence(parts[1]).elements();
    }

    private static byte[] read(InputStream in) throws IOException {
        ASN1StreamReader reader = new ASN1StreamReader(in);
        ASN1Element e = reader.readElement();
        if (e == null) {
            throw new IOException("connection closed");
        }
        return e.encode();
    }

    private static byte[] readWrapped(DataInputStream in) throws IOException {
        int length = in.readInt();
        byte[] token = new byte[length];
        in.readFully(token);
        return token;
    }

    private static void sendWrapped(OutputStream out, byte[] token) throws IOException {
        out.write(ByteBuffer.allocate(4 + token.length).putInt(token.length).put(token).array());
        out.flush();
    }

    @Test
    void sicilyGarbageSicilyOutOfOrderAndThenAProperSicilyBindOnTheSameConnection() throws Exception {
        try (Socket s = new Socket(dc.host(), dc.port())) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(bind(1, new ASN1OctetString((byte) 0x8b, new byte[] {1, 2, 3})));
            ASN1Element[] early = response(read(in));
            assertThat(ASN1Enumerated.decodeAsEnumerated(early[0]).intValue()).isEqualTo(49);
            assertThat(ASN1OctetString.decodeAsOctetString(early[2]).stringValue()).contains("must follow a sicilyNegotiate");

            out.write(bind(2, new ASN1OctetString((byte) 0x8a, "not NTLM at all".getBytes(StandardCharsets.UTF_8))));
            ASN1Element[] garbage = response(read(in));
            assertThat(ASN1Enumerated.decodeAsEnumerated(garbage[0]).intValue()).isEqualTo(49);
            assertThat(ASN1OctetString.decodeAsOctetString(garbage[2]).stringValue()).contains("NTLMSSP");

            out.write(bind(3, new ASN1OctetString((byte) 0x89, new byte[0])));
            ASN1Element[] discovery = response(read(in));
            assertThat(ASN1Enumerated.decodeAsEnumerated(discovery[0]).intValue()).isZero();
            assertThat(ASN1OctetString.decodeAsOctetString(discovery[1]).stringValue()).isEqualTo("NTLM");

            NtlmTestClient client = new NtlmTestClient("CORP", "Administrator", PASSWORD);
            out.write(bind(4, new ASN1OctetString((byte) 0x8a, client.negotiate())));
            ASN1Element[] challenge = response(read(in));
            assertThat(ASN1Enumerated.decodeAsEnumerated(challenge[0]).intValue()).isZero();
            out.write(bind(5, new ASN1OctetString((byte) 0x8b,
                    client.authenticate(ASN1OctetString.decodeAsOctetString(challenge[1]).getValue()))));
            assertThat(ASN1Enumerated.decodeAsEnumerated(response(read(in))[0]).intValue()).isZero();
        }
    }

    @Test
    void aSealedConnectionCarriesRequestsBothWaysAndATamperedMessageEndsOnlyThatConnection() throws Exception {
        try (Socket s = new Socket(dc.host(), dc.port())) {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            NtlmTestClient client = new NtlmTestClient("CORP", "Administrator", PASSWORD);
            out.write(sasl(1, client.negotiate()));
            ASN1Element[] first = response(read(in));
            assertThat(ASN1Enumerated.decodeAsEnumerated(first[0]).intValue()).isEqualTo(14);
            byte[] challenge = ASN1OctetString.decodeAsOctetString(first[first.length - 1]).getValue();
            out.write(sasl(2, client.authenticate(challenge)));
            assertThat(ASN1Enumerated.decodeAsEnumerated(response(read(in))[0]).intValue()).isZero();

            sendWrapped(out, client.security().wrap(rootDseSearch(3)));
            byte[] entry = client.security().unwrap(readWrapped(in));
            assertThat(new String(entry, StandardCharsets.UTF_8)).contains("dc1.corp.example.com");
            client.security().unwrap(readWrapped(in)); // search done

            byte[] tampered = client.security().wrap(rootDseSearch(4));
            tampered[tampered.length - 1] ^= 1;
            sendWrapped(out, tampered);
            assertThat(in.read()).as("the connection is closed").isEqualTo(-1);
        }
        try (LDAPConnection other = dc.connect()) {
            assertThat(other.getRootDSE().getAttributeValue("dnsHostName")).isEqualTo("dc1.corp.example.com");
        }
    }

    @Test
    void anOversizedWrappedMessageEndsItsConnection() throws Exception {
        try (Socket s = new Socket(dc.host(), dc.port())) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            NtlmTestClient client = new NtlmTestClient("CORP", "Administrator", PASSWORD);
            out.write(sasl(1, client.negotiate()));
            ASN1Element[] first = response(read(in));
            out.write(sasl(2, client.authenticate(ASN1OctetString.decodeAsOctetString(first[first.length - 1]).getValue())));
            read(in);

            out.write(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
            out.flush();
            assertThat(in.read()).isEqualTo(-1);
        }
    }
}
