package dev.keytrust.dc.ntlm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small NTLMv2 initiator for tests and the benchmark: NEGOTIATE, then an AUTHENTICATE with a MIC and key
 * exchange, and the client's side of message security. Real clients (impacket, ldap3, Samba) are the judges in
 * the ITs; this one lets unit tests reach every branch of the acceptor.
 */
public final class NtlmTestClient {
    public static final int FLAGS = NtlmFlags.UNICODE | NtlmFlags.REQUEST_TARGET | NtlmFlags.SIGN | NtlmFlags.SEAL
            | NtlmFlags.NTLM | NtlmFlags.ALWAYS_SIGN | NtlmFlags.EXTENDED_SESSION_SECURITY | NtlmFlags.TARGET_INFO
            | NtlmFlags.VERSION | NtlmFlags.NEGOTIATE_128 | NtlmFlags.KEY_EXCH | NtlmFlags.NEGOTIATE_56;

    private final String domain;
    private final String user;
    private final byte[] ntHash;
    private final int flags;
    private byte[] negotiate;
    private NtlmSecurity security;
    /** Set to false to send an AUTHENTICATE without MIC. */
    public boolean withMic = true;
    /** Set to corrupt the MIC after computing it. */
    public boolean corruptMic;

    public NtlmTestClient(String domain, String user, String password) {
        this(domain, user, password, FLAGS);
    }

    public NtlmTestClient(String domain, String user, String password, int flags) {
        this.domain = domain;
        this.user = user;
        this.ntHash = NtlmCrypto.ntHash(password);
        this.flags = flags;
    }

    public byte[] negotiate() {
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NtlmMessages.SIGNATURE).putInt(NtlmMessages.NEGOTIATE).putInt(flags).putLong(0).putLong(0)
                .put(new byte[] {10, 0, 0x39, 0x38, 0, 0, 0, 15});
        negotiate = b.array();
        return negotiate.clone();
    }

    public byte[] authenticate(byte[] challenge) {
        ByteBuffer c = ByteBuffer.wrap(challenge).order(ByteOrder.LITTLE_ENDIAN);
        int negotiated = c.getInt(20);
        byte[] serverChallenge = Arrays.copyOfRange(challenge, 24, 32);
        int infoLength = Short.toUnsignedInt(c.getShort(40));
        int infoOffset = c.getInt(44);
        byte[] info = Arrays.copyOfRange(challenge, infoOffset, infoOffset + infoLength);
        // echo the server's pairs with MsvAvFlags (MIC present) added before EOL
        ByteArrayOutputStream pairs = new ByteArrayOutputStream();
        pairs.write(info, 0, info.length - 4);
        if (withMic) {
            pairs.writeBytes(new byte[] {6, 0, 4, 0, 2, 0, 0, 0});
        }
        pairs.writeBytes(new byte[4]);
        ByteBuffer temp = ByteBuffer.allocate(28 + pairs.size() + 4).order(ByteOrder.LITTLE_ENDIAN);
        temp.put((byte) 1).put((byte) 1).putShort((short) 0).putInt(0).putLong(TargetInfo.fileTime(java.time.Instant.now()))
                .put(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}).putInt(0).put(pairs.toByteArray()).putInt(0);
        byte[] key = NtlmCrypto.ntowfv2(ntHash, user, domain);
        byte[] proof = NtlmCrypto.hmacMd5(key, serverChallenge, temp.array());
        byte[] nt = concat(proof, temp.array());
        byte[] sessionBaseKey = NtlmCrypto.hmacMd5(key, proof);
        byte[] exported = new byte[16];
        Arrays.fill(exported, (byte) 0x55);
        byte[] encrypted = NtlmCrypto.rc4(sessionBaseKey, exported);
        byte[] d = domain.getBytes(StandardCharsets.UTF_16LE);
        byte[] u = user.getBytes(StandardCharsets.UTF_16LE);
        byte[] w = "WS".getBytes(StandardCharsets.UTF_16LE);
        byte[] lm = new byte[24];
        int offset = 88;
        ByteBuffer m = ByteBuffer.allocate(offset + lm.length + nt.length + d.length + u.length + w.length + 16)
                .order(ByteOrder.LITTLE_ENDIAN);
        m.put(NtlmMessages.SIGNATURE).putInt(NtlmMessages.AUTHENTICATE);
        for (byte[] f : new byte[][] {lm, nt, d, u, w, encrypted}) {
            m.putShort((short) f.length).putShort((short) f.length).putInt(offset);
            offset += f.length;
        }
        m.putInt(negotiated).put(new byte[] {10, 0, 0x39, 0x38, 0, 0, 0, 15}).put(new byte[16]);
        for (byte[] f : new byte[][] {lm, nt, d, u, w, encrypted}) {
            m.put(f);
        }
        byte[] message = m.array();
        if (withMic) {
            byte[] mic = NtlmCrypto.hmacMd5(exported, negotiate, challenge, message);
            if (corruptMic) {
                mic[0] ^= 1;
            }
            System.arraycopy(mic, 0, message, NtlmMessages.MIC_OFFSET, 16);
        }
        security = new NtlmSecurity(negotiated, exported, true);
        return message;
    }

    /** The client's side of message security after {@link #authenticate}. */
    public NtlmSecurity security() {
        return security;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
