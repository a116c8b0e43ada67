package dev.keytrust.dc.krb;

import dev.keytrust.dc.ntlm.NtlmException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.crypto.CheckSumHandler;
import org.apache.kerby.kerberos.kerb.crypto.CheckSumTypeHandler;
import org.apache.kerby.kerberos.kerb.type.base.CheckSumType;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;

/**
 * RFC 4121 4.2.6.2 Wrap tokens without confidentiality (what RFC 4752's security-layer negotiation sends): a 16-byte
 * header ({@code 05 04}, flags, filler, EC = checksum length, RRC = 0, 64-bit sequence number), the message, and an
 * HMAC-SHA1-96 over the message and the header (EC and RRC zero), keyed for the sender's direction (Wrap tokens: usage
 * 22 for the acceptor, 24 for the initiator; MIC tokens: 23 and 25). AES keys only (enctypes 17 and 18).
 */
final class WrapTokens {
    private static final int SENT_BY_ACCEPTOR = 0x01;
    private static final int SEALED = 0x02;
    private static final int ACCEPTOR_SEAL = 22;
    private static final int ACCEPTOR_SIGN = 23;
    private static final int INITIATOR_SEAL = 24;
    private static final int INITIATOR_SIGN = 25;

    private final EncryptionKey key;
    private final CheckSumTypeHandler checksum;
    private long sendSequence;

    WrapTokens(EncryptionKey key, long firstSequence) {
        this.key = key;
        this.sendSequence = firstSequence;
        int etype = key.getKeyType().getValue();
        CheckSumType type = etype == 18 ? CheckSumType.HMAC_SHA1_96_AES256
                : etype == 17 ? CheckSumType.HMAC_SHA1_96_AES128 : null;
        if (type == null) {
            throw new NtlmException("expected an AES session key (enctype 17 or 18) for the GSSAPI security layer but "
                    + "found enctype " + etype);
        }
        try {
            this.checksum = CheckSumHandler.getCheckSumHandler(type);
        } catch (KrbException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The acceptor's MIC token of {@code message} (04 04, SPNEGO's mechListMIC). */
    byte[] mic(byte[] message) {
        byte[] header = ByteBuffer.allocate(16).put((byte) 0x04).put((byte) 0x04).put((byte) SENT_BY_ACCEPTOR)
                .put(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}).putLong(sendSequence++)
                .array();
        return ByteBuffer.allocate(16 + checksum.outputSize()).put(header).put(mic(message, header, ACCEPTOR_SIGN))
                .array();
    }

    /** Checks the initiator's MIC token of {@code message}. */
    void verifyMic(byte[] message, byte[] token) {
        if (token.length != 16 + checksum.outputSize() || token[0] != 0x04 || token[1] != 0x04
                || (token[2] & SENT_BY_ACCEPTOR) != 0) {
            throw new NtlmException("expected the client's GSS MIC token (04 04)");
        }
        byte[] header = Arrays.copyOf(token, 16);
        if (!MessageDigest.isEqual(Arrays.copyOfRange(token, 16, token.length), mic(message, header, INITIATOR_SIGN))) {
            throw new NtlmException("the client's MIC does not verify");
        }
    }

    private byte[] mic(byte[] message, byte[] header, int usage) {
        byte[] data = ByteBuffer.allocate(message.length + 16).put(message).put(header).array();
        try {
            return Arrays.copyOf(checksum.checksumWithKey(data, key.getKeyData(), usage), checksum.outputSize());
        } catch (KrbException e) {
            throw new NtlmException("cannot compute a MIC: " + e.getMessage());
        }
    }

    /** The acceptor's integrity-only Wrap token of {@code message}. */
    byte[] wrap(byte[] message) {
        byte[] header = header(SENT_BY_ACCEPTOR, sendSequence++);
        byte[] mac = mac(message, header, ACCEPTOR_SEAL);
        ByteBuffer.wrap(header).putShort(4, (short) mac.length);
        return ByteBuffer.allocate(16 + message.length + mac.length).put(header).put(message).put(mac).array();
    }

    /** The message of the initiator's integrity-only Wrap token, after checking its checksum. */
    byte[] unwrap(byte[] token) {
        if (token.length < 16 || token[0] != 0x05 || token[1] != 0x04 || (token[3] & 0xff) != 0xff) {
            throw new NtlmException("expected a GSS Wrap token (05 04 ... ff) from the client");
        }
        int flags = token[2] & 0xff;
        if ((flags & SENT_BY_ACCEPTOR) != 0 || (flags & SEALED) != 0) {
            throw new NtlmException("expected the client's unsealed Wrap token but found flags " + flags);
        }
        ByteBuffer b = ByteBuffer.wrap(token);
        int ec = Short.toUnsignedInt(b.getShort(4));
        int rrc = Short.toUnsignedInt(b.getShort(6));
        if (rrc != 0 || ec != checksum.outputSize() || token.length < 16 + ec) {
            throw new NtlmException("expected a Wrap token with a " + checksum.outputSize() + "-byte checksum and no "
                    + "rotation but found EC " + ec + ", RRC " + rrc);
        }
        byte[] header = Arrays.copyOf(token, 16);
        byte[] message = Arrays.copyOfRange(token, 16, token.length - ec);
        byte[] mac = Arrays.copyOfRange(token, token.length - ec, token.length);
        if (!MessageDigest.isEqual(mac, mac(message, header, INITIATOR_SEAL))) {
            throw new NtlmException("the checksum of the client's Wrap token does not verify");
        }
        return message;
    }

    private byte[] mac(byte[] message, byte[] header, int usage) {
        byte[] zeroed = header.clone();
        Arrays.fill(zeroed, 4, 8, (byte) 0);
        byte[] data = ByteBuffer.allocate(message.length + 16).put(message).put(zeroed).array();
        try {
            return Arrays.copyOf(checksum.checksumWithKey(data, key.getKeyData(), usage), checksum.outputSize());
        } catch (KrbException e) {
            throw new NtlmException("cannot compute a Wrap token checksum: " + e.getMessage());
        }
    }

    private static byte[] header(int flags, long sequence) {
        return ByteBuffer.allocate(16).put((byte) 0x05).put((byte) 0x04).put((byte) flags).put((byte) 0xff)
                .putShort((short) 0).putShort((short) 0).putLong(sequence).array();
    }
}
