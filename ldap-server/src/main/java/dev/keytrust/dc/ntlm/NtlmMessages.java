package dev.keytrust.dc.ntlm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads NEGOTIATE and AUTHENTICATE messages and writes CHALLENGE messages ([MS-NLMP] 2.2.1). Every length and
 * offset a client sends is checked against the message before it is used; a bad one is an {@link NtlmException}.
 */
public final class NtlmMessages {
    static final byte[] SIGNATURE = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};
    static final int NEGOTIATE = 1;
    static final int CHALLENGE = 2;
    static final int AUTHENTICATE = 3;
    /** Where the MIC sits in an AUTHENTICATE message that has one. */
    static final int MIC_OFFSET = 72;
    /** The largest NTLM message accepted (AD's tokens are a few hundred bytes). */
    static final int MAX_MESSAGE = 64 * 1024;
    /** The OS version the CHALLENGE reports: Windows Server 2016 (10.0 build 14393), NTLM revision 15. */
    private static final byte[] VERSION = {10, 0, (byte) 0x39, (byte) 0x38, 0, 0, 0, 15};

    private NtlmMessages() {
    }

    /** A client's first message: the flags it asks for. */
    public record Negotiate(int flags, byte[] raw) {
    }

    /** A client's answer to the challenge, as sent. */
    public record Authenticate(byte[] lmResponse, byte[] ntResponse, String domain, String user, String workstation,
            byte[] encryptedSessionKey, int flags, byte[] raw) {
    }

    /** Whether {@code token} starts as an NTLMSSP message does. */
    public static boolean isNtlm(byte[] token) {
        return token.length >= 12 && Arrays.equals(token, 0, 8, SIGNATURE, 0, 8);
    }

    public static Negotiate negotiate(byte[] message) {
        ByteBuffer b = header(message, NEGOTIATE, 16);
        return new Negotiate(b.getInt(12), message.clone());
    }

    public static Authenticate authenticate(byte[] message) {
        ByteBuffer b = header(message, AUTHENTICATE, 64);
        int flags = b.getInt(60);
        Charset text = NtlmFlags.has(flags, NtlmFlags.UNICODE) ? StandardCharsets.UTF_16LE : StandardCharsets.ISO_8859_1;
        byte[] key = NtlmFlags.has(flags, NtlmFlags.KEY_EXCH) ? field(message, b, 52, "EncryptedRandomSessionKey") : new byte[0];
        return new Authenticate(field(message, b, 12, "LmChallengeResponse"), field(message, b, 20, "NtChallengeResponse"),
                new String(field(message, b, 28, "DomainName"), text), new String(field(message, b, 36, "UserName"), text),
                new String(field(message, b, 44, "Workstation"), text), key, flags, message.clone());
    }

    /**
     * A CHALLENGE message.
     *
     * @param flags the negotiated flags ({@link NtlmFlags#answer})
     * @param serverChallenge 8 random bytes
     * @param targetName the NetBIOS domain name
     * @param targetInfo the AV pairs ({@link TargetInfo#encode})
     */
    public static byte[] challenge(int flags, byte[] serverChallenge, String targetName, byte[] targetInfo) {
        byte[] name = targetName.getBytes(NtlmFlags.has(flags, NtlmFlags.UNICODE) ? StandardCharsets.UTF_16LE
                : StandardCharsets.ISO_8859_1);
        int header = 56;
        ByteBuffer b = ByteBuffer.allocate(header + name.length + targetInfo.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(SIGNATURE).putInt(CHALLENGE);
        b.putShort((short) name.length).putShort((short) name.length).putInt(header);
        b.putInt(flags).put(serverChallenge).putLong(0);
        b.putShort((short) targetInfo.length).putShort((short) targetInfo.length).putInt(header + name.length);
        b.put(VERSION).put(name).put(targetInfo);
        return b.array();
    }

    private static ByteBuffer header(byte[] message, int type, int minimum) {
        if (message.length > MAX_MESSAGE) {
            throw new NtlmException("expected an NTLM message of at most " + MAX_MESSAGE + " bytes, found "
                    + message.length);
        }
        if (message.length < minimum || !isNtlm(message)) {
            throw new NtlmException("expected an NTLMSSP message (type " + type + ") but found " + message.length
                    + " bytes without its header");
        }
        ByteBuffer b = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(8) != type) {
            throw new NtlmException("expected NTLM message type " + type + " but found type " + b.getInt(8));
        }
        return b;
    }

    /** The bytes a (length, max length, offset) field at {@code at} points to. */
    private static byte[] field(byte[] message, ByteBuffer b, int at, String name) {
        int length = Short.toUnsignedInt(b.getShort(at));
        long offset = Integer.toUnsignedLong(b.getInt(at + 4));
        if (length == 0) {
            return new byte[0];
        }
        if (offset + length > message.length) {
            throw new NtlmException("the NTLM AUTHENTICATE message's " + name + " (" + length + " bytes at " + offset
                    + ") runs past its end (" + message.length + " bytes)");
        }
        return Arrays.copyOfRange(message, (int) offset, (int) offset + length);
    }
}
