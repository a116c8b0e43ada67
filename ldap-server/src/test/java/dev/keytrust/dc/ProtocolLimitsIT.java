package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.asn1.ASN1Element;
import com.unboundid.asn1.ASN1Enumerated;
import com.unboundid.asn1.ASN1Integer;
import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.asn1.ASN1Sequence;
import com.unboundid.asn1.ASN1StreamReader;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import dev.keytrust.dc.wire.ProtocolLimits;
import dev.keytrust.persona.Personas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What one client can cost a DC: requests built as raw BER (no bind first, as an attacker would send them) that
 * nest too deep, claim too much, or are never read end only their own connection; 20 other clients are served
 * right after, every time.
 */
class ProtocolLimitsIT {
    private static final String PASSWORD = "Passw0rd!Passw0rd";
    private static DomainController dc;

    @BeforeAll
    static void start() {
        dc = DomainController.start(DomainControllerConfig.builder("DC1").adminPassword(PASSWORD).seed(3)
                .protocolLimits(new ProtocolLimits(ProtocolLimits.DEFAULT_MAX_NESTING,
                        ProtocolLimits.DEFAULT_MAX_REQUEST_BYTES, ProtocolLimits.DEFAULT_MAX_DN_BYTES, 256 * 1024))
                .build());
        dc.addUsers(Personas.generate(3, 150), Optional.empty());
    }

    @AfterAll
    static void stop() {
        dc.close();
    }

    @Test
    void aFilterNestedTenThousandDeepEndsOnlyItsOwnConnectionHoweverOftenItIsSent() throws Exception {
        for (int i = 0; i < 8; i++) {
            byte[] reply = sendRaw(message(1, search(dc.baseDn(), nested(10_000, 0xA0, equality("cn", "x")))));
            assertThat(noticeOfDisconnection(reply)).as("attempt %d", i).contains("nested more than 100 levels");
        }
        twentyClientsAreServed();
    }

    @Test
    void everyRecursiveFilterShapeIsHeldToTheSameLimit() throws Exception {
        List<byte[]> leaves = List.of(equality("cn", "x"), substrings("cn", "a", "b"), extensible("cn", "x"),
                presence("cn"));
        for (byte[] leaf : leaves) {
            for (int tag : new int[] {0xA0, 0xA1, 0xA2}) { // and, or, not
                byte[] reply = sendRaw(message(2, search(dc.baseDn(), nested(5_000, tag, leaf))));
                assertThat(noticeOfDisconnection(reply)).contains("nested more than 100 levels");
            }
        }
        twentyClientsAreServed();
    }

    @Test
    void aFilterOfTheDocumentedDepthIsAnsweredAndOneLevelMoreIsRefused() throws Exception {
        try (Socket s = new Socket("127.0.0.1", dc.port())) {
            s.setSoTimeout(10_000);
            ASN1StreamReader in = new ASN1StreamReader(s.getInputStream());
            s.getOutputStream().write(message(5, bindRequest(dc.administratorDn(), PASSWORD)));
            assertThat(resultCode(readMessage(in))).isZero();
            // 99 nested ANDs around one equality item: 100 levels, the documented limit
            s.getOutputStream().write(message(6, search(dc.baseDn(), nested(100, 0xA0, equality("sAMAccountName",
                    "Administrator")))));
            ASN1Sequence first = readMessage(in);
            assertThat(first.elements()[1].getType()).as("an entry").isEqualTo((byte) 0x64);
            assertThat(resultCode(readMessage(in))).as("search done").isZero();
        }
        byte[] reply = sendRaw(message(7, search(dc.baseDn(), nested(101, 0xA0, equality("cn", "x")))));
        assertThat(noticeOfDisconnection(reply)).contains("nested more than 100 levels");
    }

    @Test
    void aMessageClaimingTwoGigabytesOrBrokenFramingEndsOnlyItsConnection() throws Exception {
        byte[] huge = {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x02, 0x01, 0x01};
        assertThat(noticeOfDisconnection(sendRaw(huge))).contains("at most 10485760 bytes");
        byte[] indefinite = {0x30, (byte) 0x80, 0x02, 0x01, 0x01, 0x00, 0x00};
        assertThat(noticeOfDisconnection(sendRaw(indefinite))).contains("indefinite length");
        byte[] childTooLong = {0x30, 0x05, 0x02, 0x09, 0x01, 0x02, 0x03};
        assertThat(noticeOfDisconnection(sendRaw(childTooLong))).contains("longer than the element that contains it");
        byte[] notAMessage = {0x04, 0x01, 0x41};
        assertThat(noticeOfDisconnection(sendRaw(notAMessage))).contains("SEQUENCE");
        twentyClientsAreServed();
    }

    @Test
    void stringsTheServerWouldParseAsDnsAreHeldToTheDnLimitWhereverTheyStand() throws Exception {
        String longDn = longDn(50_000); // about 450 KB: ApacheDS would spend seconds of one I/O thread on it
        List<byte[]> requests = List.of(
                message(3, search(longDn, presence("objectClass"))),
                message(3, search(dc.baseDn(), equality("member", longDn))),
                message(3, bindRequest(longDn, "x")),
                message(3, str(0x4A, longDn)),
                message(3, tlv(0x66, str(0x04, "CN=Domain Admins,CN=Users," + dc.baseDn()), tlv(0x30, tlv(0x30,
                        new ASN1Enumerated(0).encode(), tlv(0x30, str(0x04, "member"), tlv(0x31, str(0x04, longDn))))))),
                message(3, tlv(0x68, str(0x04, "CN=x," + dc.baseDn()), tlv(0x30, tlv(0x30, str(0x04, "manager;binary"),
                        tlv(0x31, str(0x04, longDn)))))));
        for (byte[] request : requests) {
            assertThat(noticeOfDisconnection(sendRaw(request))).contains("distinguished name or filter value");
        }
        twentyClientsAreServed();
    }

    @Test
    void longValuesOfOtherAttributesAndDnsWithinTheLimitAreAnsweredAsUsual() throws Exception {
        byte[] describe = message(3, tlv(0x66, str(0x04, "CN=Domain Admins,CN=Users," + dc.baseDn()), tlv(0x30, tlv(0x30,
                new ASN1Enumerated(0).encode(), tlv(0x30, str(0x04, "description"), tlv(0x31, str(0x04,
                longDn(50_000))))))));
        assertThat(resultCode(ASN1Sequence.decodeAsSequence(firstElement(sendRaw(describe))))).as("anonymous: a bind is needed")
                .isEqualTo(1);
        byte[] reply = sendRaw(message(3, search(longDn(2_000), presence("objectClass"))));
        assertThat(resultCode(ASN1Sequence.decodeAsSequence(firstElement(reply)))).as("an LDAP error, not a disconnection")
                .isIn(1, 32);
        List<ASN1Element> controls = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            controls.add(new ASN1Sequence(new ASN1OctetString("1.2.840.113556.1.4.319"),
                    new ASN1OctetString(new ASN1Sequence(new ASN1Integer(10), new ASN1OctetString()).encode())));
        }
        byte[] withControls = new ASN1Sequence(new ASN1Integer(4), ASN1Element.decode(search(dc.baseDn(),
                presence("objectClass"))), new ASN1Sequence((byte) 0xA0, controls)).encode();
        assertThat(sendRaw(withControls)).isNotEmpty();
        twentyClientsAreServed();
    }

    private String longDn(int levels) {
        StringBuilder dn = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            dn.append("CN=a").append(i).append(',');
        }
        return dn.append(dc.baseDn()).toString();
    }

    @Test
    void aClientThatPipelinesSearchesAndNeverReadsIsDisconnectedOnceItsResponsesPassTheBound() throws Exception {
        long closedBefore = dc.connectionsClosedByLimits();
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new java.net.InetSocketAddress("127.0.0.1", dc.port()));
            slow.getOutputStream().write(message(1, bindRequest(dc.administratorDn(), PASSWORD)));
            ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
            for (int i = 0; i < 300; i++) {
                pipelined.write(message(2 + i, search(dc.baseDn(), presence("objectClass"))));
            }
            slow.getOutputStream().write(pipelined.toByteArray());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (dc.connectionsClosedByLimits() == closedBefore && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // the DC works on the 300 searches meanwhile
            }
            assertThat(dc.connectionsClosedByLimits()).as("the slow reader's connection was closed by the DC")
                    .isEqualTo(closedBefore + 1);
            twentyClientsAreServed();
            slow.setSoTimeout(10_000);
            long read = drain(slow.getInputStream());
            long entries;
            try (LDAPConnection ldap = dc.connect()) {
                entries = ldap.search(dc.baseDn(), SearchScope.SUB, "(objectClass=*)").getEntryCount();
            }
            assertThat(read).as("bytes the slow reader still got before the end of its connection (300 searches of "
                    + entries + " entries would be far more)").isLessThan(entries * 300 * 100);
        }
    }

    /** 20 new clients bind and search, concurrently, within 10 seconds. */
    private static void twentyClientsAreServed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(pool.submit(() -> {
                    LDAPConnectionOptions options = new LDAPConnectionOptions();
                    options.setResponseTimeoutMillis(10_000);
                    options.setConnectTimeoutMillis(10_000);
                    try (LDAPConnection c = new LDAPConnection(options, "127.0.0.1", dc.port(), dc.administratorDn(),
                            PASSWORD)) {
                        SearchResult r = c.search(dc.baseDn(), SearchScope.SUB, "(sAMAccountName=Administrator)");
                        return r.getResultCode() == ResultCode.SUCCESS ? r.getEntryCount() : -1;
                    }
                }));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get(15, TimeUnit.SECONDS)).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Sends bytes on a fresh unbound connection (from another thread, so a DC that refuses a long request before its
     * end is still heard); returns all it gets back until the DC closes it, or a search is done, or 10 s pass.
     */
    private static byte[] sendRaw(byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", dc.port())) {
            s.setSoTimeout(10_000);
            Thread writer = new Thread(() -> {
                try {
                    s.getOutputStream().write(request);
                } catch (IOException closedEarly) {
                    // the DC may refuse a request before it has all of it: what it answered is read below
                }
            });
            writer.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    if (isWholeResponseNotNeedingMore(out.toByteArray())) {
                        break;
                    }
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // what came is what we judge
            }
            return out.toByteArray();
        }
    }

    /** A request answered without a disconnection ends with its result (a search with SearchResultDone). */
    private static boolean isWholeResponseNotNeedingMore(byte[] bytes) {
        try {
            ASN1StreamReader reader = new ASN1StreamReader(new java.io.ByteArrayInputStream(bytes));
            for (ASN1Element e; (e = reader.readElement()) != null; ) {
                byte op = ASN1Sequence.decodeAsSequence(e).elements()[1].getType();
                if (op != 0x64 && op != 0x73) { // not a search entry or reference: a final result
                    return true;
                }
            }
        } catch (Exception incomplete) {
            return false;
        }
        return false;
    }

    private static long drain(InputStream in) {
        long total = 0;
        byte[] buffer = new byte[65536];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
            }
        } catch (IOException e) {
            // reset or timeout: the connection is over either way
        }
        return total;
    }

    /** The diagnostic of the Notice of Disconnection (protocolError) that {@code reply} must be. */
    private static String noticeOfDisconnection(byte[] reply) throws Exception {
        assertThat(reply).as("a Notice of Disconnection").isNotEmpty();
        ASN1Sequence msg = ASN1Sequence.decodeAsSequence(firstElement(reply));
        assertThat(ASN1Integer.decodeAsInteger(msg.elements()[0]).intValue()).isZero();
        ASN1Element[] op = ASN1Sequence.decodeAsSequence(msg.elements()[1]).elements();
        assertThat(msg.elements()[1].getType()).isEqualTo((byte) 0x78);
        assertThat(ASN1Enumerated.decodeAsEnumerated(op[0]).intValue()).isEqualTo(2);
        assertThat(ASN1OctetString.decodeAsOctetString(op[3]).stringValue()).isEqualTo("1.3.6.1.4.1.1466.20036");
        return ASN1OctetString.decodeAsOctetString(op[2]).stringValue();
    }

    private static byte[] firstElement(byte[] bytes) throws Exception {
        return new ASN1StreamReader(new java.io.ByteArrayInputStream(bytes)).readElement().encode();
    }

    private static ASN1Sequence readMessage(ASN1StreamReader in) throws Exception {
        return ASN1Sequence.decodeAsSequence(in.readElement());
    }

    private static Integer resultCode(ASN1Sequence message) throws Exception {
        if (message == null) {
            return null;
        }
        return ASN1Enumerated.decodeAsEnumerated(ASN1Sequence.decodeAsSequence(message.elements()[1]).elements()[0])
                .intValue();
    }

    // --- raw BER, built without any LDAP library's checks ---

    private static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        int n = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 6);
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] str(int tag, String s) {
        return tlv(tag, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static byte[] message(int id, byte[] op) {
        return tlv(0x30, new ASN1Integer(id).encode(), op);
    }

    private static byte[] bindRequest(String dn, String password) {
        return tlv(0x60, new ASN1Integer(3).encode(), str(0x04, dn), str(0x80, password));
    }

    private static byte[] search(String base, byte[] filter) {
        return tlv(0x63, str(0x04, base), new ASN1Enumerated(2).encode(), new ASN1Enumerated(0).encode(),
                new ASN1Integer(0).encode(), new ASN1Integer(0).encode(), tlv(0x01, new byte[] {0}), filter,
                tlv(0x30, str(0x04, "1.1")));
    }

    /** {@code depth - 1} levels of {@code tag} (AND a0, OR a1, NOT a2) around {@code leaf}: depth levels in all. */
    private static byte[] nested(int depth, int tag, byte[] leaf) {
        byte[] f = leaf;
        for (int i = 1; i < depth; i++) {
            f = tlv(tag, f);
        }
        return f;
    }

    private static byte[] equality(String attr, String value) {
        return tlv(0xA3, str(0x04, attr), str(0x04, value));
    }

    private static byte[] substrings(String attr, String initial, String fin) {
        return tlv(0xA4, str(0x04, attr), tlv(0x30, str(0x80, initial), str(0x82, fin)));
    }

    private static byte[] extensible(String attr, String value) {
        return tlv(0xA9, str(0x81, "1.2.840.113556.1.4.803"), str(0x82, attr), str(0x83, value));
    }

    private static byte[] presence(String attr) {
        return str(0x87, attr);
    }
}
