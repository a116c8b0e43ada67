package dev.keytrust.dc.ntlm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.Cipher;

/**
 * The acceptor's side of an NTLM session's message security ([MS-NLMP] 3.4, extended session security): signing
 * and sealing keys derived from the exported session key, RC4 handles and sequence numbers per direction. Messages
 * to the client use the server-to-client keys, messages from it the client-to-server keys. Not thread-safe: one
 * connection's reads and writes each use their own direction.
 */
public final class NtlmSecurity implements dev.keytrust.dc.service.SecurityLayer {
    private static final byte[] CLIENT_SIGN = magic("session key to client-to-server signing key magic constant");
    private static final byte[] SERVER_SIGN = magic("session key to server-to-client signing key magic constant");
    private static final byte[] CLIENT_SEAL = magic("session key to client-to-server sealing key magic constant");
    private static final byte[] SERVER_SEAL = magic("session key to server-to-client sealing key magic constant");
    /** Bytes of a signature: version 1, 8 bytes of checksum, a 4-byte sequence number. */
    public static final int SIGNATURE_LENGTH = 16;

    private final int flags;
    /** Incoming direction: client-to-server for the acceptor. */
    private final byte[] inSignKey;
    private final byte[] inSealKey;
    /** Outgoing direction: server-to-client for the acceptor. */
    private final byte[] outSignKey;
    private final byte[] outSealKey;
    private Cipher in;
    private Cipher out;
    private int inSequence;
    private int outSequence;

    NtlmSecurity(int flags, byte[] exportedSessionKey) {
        this(flags, exportedSessionKey, false);
    }

    /** {@code initiator}: the client's side (its own messages use the client-to-server keys), for tests and tools. */
    NtlmSecurity(int flags, byte[] exportedSessionKey, boolean initiator) {
        this.flags = flags;
        byte[] sealBase = NtlmFlags.has(flags, NtlmFlags.NEGOTIATE_128) ? exportedSessionKey
                : Arrays.copyOf(exportedSessionKey, NtlmFlags.has(flags, NtlmFlags.NEGOTIATE_56) ? 7 : 5);
        byte[] fromClientSign = NtlmCrypto.md5(exportedSessionKey, CLIENT_SIGN);
        byte[] toClientSign = NtlmCrypto.md5(exportedSessionKey, SERVER_SIGN);
        byte[] fromClientSeal = NtlmCrypto.md5(sealBase, CLIENT_SEAL);
        byte[] toClientSeal = NtlmCrypto.md5(sealBase, SERVER_SEAL);
        this.inSignKey = initiator ? toClientSign : fromClientSign;
        this.outSignKey = initiator ? fromClientSign : toClientSign;
        this.inSealKey = initiator ? toClientSeal : fromClientSeal;
        this.outSealKey = initiator ? fromClientSeal : toClientSeal;
        resetHandles();
    }

    /** Whether the client negotiated signing (every later message carries a signature). */
    public boolean signing() {
        return NtlmFlags.has(flags, NtlmFlags.SIGN) || sealing();
    }

    /** Whether the client negotiated sealing (every later message is encrypted too). */
    public boolean sealing() {
        return NtlmFlags.has(flags, NtlmFlags.SEAL);
    }

    /**
     * Starts both directions' RC4 handles again, keeping the sequence numbers: what Windows (after Windows 2000) and
     * Samba do once SPNEGO's mechListMIC exchange is over.
     */
    public void resetHandles() {
        in = NtlmCrypto.rc4(inSealKey);
        out = NtlmCrypto.rc4(outSealKey);
    }

    /** A signature of {@code message} for the client (GSS_GetMIC), using the next outgoing sequence number. */
    public byte[] sign(byte[] message) {
        return signature(outSignKey, out, outSequence++, message);
    }

    /** Checks the client's signature of {@code message} (GSS_VerifyMIC) against the next incoming sequence number. */
    public void verify(byte[] message, byte[] signature) {
        byte[] expected = signature(inSignKey, in, inSequence++, message);
        if (!NtlmCrypto.same(expected, signature)) {
            throw new NtlmException("the NTLM signature of a message from the client does not verify (sequence "
                    + (inSequence - 1) + ")");
        }
    }

    /** GSS_Wrap for the client: signature then the message, sealed if sealing was negotiated. */
    @Override
    public byte[] wrap(byte[] message) {
        byte[] body = sealing() ? out.update(message) : message;
        byte[] signature = sign(message);
        byte[] token = Arrays.copyOf(signature, SIGNATURE_LENGTH + body.length);
        System.arraycopy(body, 0, token, SIGNATURE_LENGTH, body.length);
        return token;
    }

    /** GSS_Unwrap of a client's token: signature then the message (sealed if sealing was negotiated). */
    @Override
    public byte[] unwrap(byte[] token) {
        if (token.length < SIGNATURE_LENGTH) {
            throw new NtlmException("expected a signed NTLM message (at least 16 bytes) but found " + token.length
                    + " bytes");
        }
        byte[] body = Arrays.copyOfRange(token, SIGNATURE_LENGTH, token.length);
        byte[] message = sealing() ? in.update(body) : body;
        if (message == null) {
            message = new byte[0];
        }
        verify(message, Arrays.copyOf(token, SIGNATURE_LENGTH));
        return message;
    }

    private byte[] signature(byte[] signKey, Cipher handle, int sequence, byte[] message) {
        byte[] seq = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(sequence).array();
        byte[] checksum = Arrays.copyOf(NtlmCrypto.hmacMd5(signKey, seq, message), 8);
        if (NtlmFlags.has(flags, NtlmFlags.KEY_EXCH)) {
            checksum = handle.update(checksum);
        }
        return ByteBuffer.allocate(SIGNATURE_LENGTH).order(ByteOrder.LITTLE_ENDIAN).putInt(1).put(checksum).putInt(sequence)
                .array();
    }

    private static byte[] magic(String text) {
        return (text + "\0").getBytes(StandardCharsets.US_ASCII);
    }
}
