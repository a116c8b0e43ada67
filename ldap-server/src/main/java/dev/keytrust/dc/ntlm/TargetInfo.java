package dev.keytrust.dc.ntlm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The AV pairs of [MS-NLMP] 2.2.2.1: what a server tells a client about itself in the CHALLENGE, and what the
 * client echoes back (with its own additions, MsvAvFlags among them) inside its NTLMv2 response.
 */
public final class TargetInfo {
    static final int EOL = 0;
    static final int NB_COMPUTER_NAME = 1;
    static final int NB_DOMAIN_NAME = 2;
    static final int DNS_COMPUTER_NAME = 3;
    static final int DNS_DOMAIN_NAME = 4;
    static final int DNS_TREE_NAME = 5;
    static final int FLAGS = 6;
    static final int TIMESTAMP = 7;
    /** MsvAvFlags bit: the AUTHENTICATE message carries a MIC. */
    static final int FLAG_MIC_PRESENT = 0x2;

    private TargetInfo() {
    }

    /**
     * The server's AV pairs, as an AD DC sends them.
     *
     * @param netbiosDomain {@code CORP}
     * @param netbiosComputer {@code DC1}
     * @param dnsDomain {@code corp.example.com}
     * @param dnsComputer {@code dc1.corp.example.com}
     * @param now the DC's clock, for MsvAvTimestamp
     */
    public static byte[] encode(String netbiosDomain, String netbiosComputer, String dnsDomain, String dnsComputer,
            Instant now) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        text(out, NB_DOMAIN_NAME, netbiosDomain);
        text(out, NB_COMPUTER_NAME, netbiosComputer);
        text(out, DNS_DOMAIN_NAME, dnsDomain);
        text(out, DNS_COMPUTER_NAME, dnsComputer);
        text(out, DNS_TREE_NAME, dnsDomain);
        pair(out, TIMESTAMP, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(fileTime(now)).array());
        pair(out, EOL, new byte[0]);
        return out.toByteArray();
    }

    /** The pairs of an encoded list, by id (the first of each); malformed lists are an {@link NtlmException}. */
    public static Map<Integer, byte[]> decode(byte[] pairs) {
        Map<Integer, byte[]> out = new LinkedHashMap<>();
        ByteBuffer b = ByteBuffer.wrap(pairs).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 4) {
            int id = Short.toUnsignedInt(b.getShort());
            int length = Short.toUnsignedInt(b.getShort());
            if (id == EOL) {
                return out;
            }
            if (length > b.remaining()) {
                throw new NtlmException("an AV pair of the NTLMv2 response (id " + id + ", " + length
                        + " bytes) runs past the response's end");
            }
            byte[] value = Arrays.copyOfRange(pairs, b.position(), b.position() + length);
            b.position(b.position() + length);
            out.putIfAbsent(id, value);
        }
        throw new NtlmException("the NTLMv2 response's AV pairs do not end with MsvAvEOL");
    }

    /** Windows FILETIME: 100 ns ticks since 1601-01-01 UTC. */
    static long fileTime(Instant t) {
        return (t.getEpochSecond() + 11_644_473_600L) * 10_000_000L + t.getNano() / 100;
    }

    private static void text(ByteArrayOutputStream out, int id, String value) {
        pair(out, id, value.getBytes(StandardCharsets.UTF_16LE));
    }

    private static void pair(ByteArrayOutputStream out, int id, byte[] value) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) id)
                .putShort((short) value.length).array());
        out.writeBytes(value);
    }
}
