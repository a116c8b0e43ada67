package dev.keytrust.dc.krb;

import dev.keytrust.dc.ntlm.NtlmException;
import dev.keytrust.dc.service.SecurityLayer;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.crypto.CheckSumHandler;
import org.apache.kerby.kerberos.kerb.crypto.CheckSumTypeHandler;
import org.apache.kerby.kerberos.kerb.crypto.EncTypeHandler;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.type.base.CheckSumType;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;

/**
 * The acceptor's RFC 4121 per-message tokens for AES keys (enctypes 17 and 18): MIC tokens ({@code 04 04}) and Wrap
 * tokens ({@code 05 04}) with or without confidentiality. A Wrap token is a 16-byte header (TOK_ID, flags, filler
 * {@code ff}, EC, RRC, 64-bit sequence number) and then, rotated right by RRC bytes:
 * <ul>
 * <li>sealed: the encryption of {@code message || EC filler bytes || header (RRC 0)};</li>
 * <li>integrity only: {@code message || checksum}, EC being the checksum's length and the checksum covering the
 * message and the header with EC and RRC zero.</li>
 * </ul>
 * Keys are used for the sender's direction: usage 22 (acceptor) and 24 (initiator) for Wrap tokens, 23 and 25 for MIC
 * tokens. After an AP-REP with an acceptor subkey, both sides' tokens use it and carry flag 4. The DC's sealed tokens
 * carry EC 0 and RRC 28 as Windows' do; any EC and RRC from the client is read. The
 * client's sequence numbers must follow each other from the one in its authenticator (replays and drops close the
 * connection).
 */
final class WrapTokens {
    private static final int SENT_BY_ACCEPTOR = 0x01;
    private static final int SEALED = 0x02;
    private static final int ACCEPTOR_SUBKEY = 0x04;
    private static final int ACCEPTOR_SEAL = 22;
    private static final int ACCEPTOR_SIGN = 23;
    private static final int INITIATOR_SEAL = 24;
    private static final int INITIATOR_SIGN = 25;
    private static final int HEADER = 16;
    /** The right rotation of the DC's sealed tokens: the header and checksum lengths, what Windows sends. */
    private static final int SEALED_RRC = 28;

    private final EncryptionKey key;
    /** {@code ACCEPTOR_SUBKEY} when {@link #key} is the acceptor's subkey (every token of both sides says so), else 0. */
    private final int subkeyFlag;
    private final CheckSumTypeHandler checksum;
    private final EncTypeHandler cipher;
    private long sendSequence;
    private long receiveSequence;

    /**
     * @param key the context key (the initiator's subkey, else the ticket's session key)
     * @param firstSend the DC's first sequence number (its AP-REP's, or the client's without mutual authentication)
     * @param firstReceive the client's first sequence number (its authenticator's)
     * @param acceptorSubkey whether {@code key} is the subkey of the DC's AP-REP
     */
    WrapTokens(EncryptionKey key, long firstSend, long firstReceive, boolean acceptorSubkey) {
        this.key = key;
        this.subkeyFlag = acceptorSubkey ? ACCEPTOR_SUBKEY : 0;
        this.sendSequence = firstSend;
        this.receiveSequence = firstReceive;
        int etype = key.getKeyType().getValue();
        CheckSumType type = etype == 18 ? CheckSumType.HMAC_SHA1_96_AES256
                : etype == 17 ? CheckSumType.HMAC_SHA1_96_AES128 : null;
        if (type == null) {
            throw new NtlmException("expected an AES session key (enctype 17 or 18) for Kerberos message security but "
                    + "found enctype " + etype);
        }
        try {
            this.checksum = CheckSumHandler.getCheckSumHandler(type);
            this.cipher = EncryptionHandler.getEncHandler(etype);
        } catch (KrbException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether Wrap and MIC tokens can be made with a key of {@code etype} (AES only). */
    static boolean supports(int etype) {
        return etype == 17 || etype == 18;
    }

    /**
     * The SASL security layer of these tokens: every message to the client sealed ({@code seal}) or signed; every
     * message from it must be sealed when {@code seal}, as Windows and Samba require. No limit on a token's size.
     */
    SecurityLayer layer(boolean seal) {
        return layer(seal, 0);
    }

    /**
     * As {@link #layer(boolean)}, for a client that receives wrapped tokens of at most {@code clientBuffer} bytes
     * (RFC 4752's maximum buffer size; 0: no limit).
     *
     * @throws NtlmException when the buffer cannot hold a token carrying even one byte
     */
    SecurityLayer layer(boolean seal, int clientBuffer) {
        int overhead = seal ? HEADER + cipher.confounderSize() + HEADER + cipher.checksumSize()
                : HEADER + checksum.outputSize();
        if (clientBuffer != 0 && clientBuffer <= overhead) {
            throw new NtlmException("expected the client's receive buffer to hold a " + (seal ? "sealed" : "signed")
                    + " Wrap token (more than " + overhead + " bytes) but found " + clientBuffer + " bytes");
        }
        int maxMessage = clientBuffer == 0 ? Integer.MAX_VALUE : clientBuffer - overhead;
        return new SecurityLayer() {
            @Override
            public byte[] wrap(byte[] message) {
                return WrapTokens.this.wrap(message, seal);
            }

            @Override
            public byte[] unwrap(byte[] token) {
                return WrapTokens.this.unwrap(token, seal);
            }

            @Override
            public int maxMessageBytes() {
                return maxMessage;
            }
        };
    }

    /** The acceptor's MIC token of {@code message} (04 04, SPNEGO's mechListMIC). */
    byte[] mic(byte[] message) {
        byte[] header = ByteBuffer.allocate(HEADER).put((byte) 0x04).put((byte) 0x04)
                .put((byte) (SENT_BY_ACCEPTOR | subkeyFlag)).put(new byte[] {-1, -1, -1, -1, -1}).putLong(sendSequence++)
                .array();
        return ByteBuffer.allocate(HEADER + checksum.outputSize()).put(header).put(sum(message, header, ACCEPTOR_SIGN))
                .array();
    }

    /** Checks the initiator's MIC token of {@code message}. */
    void verifyMic(byte[] message, byte[] token) {
        if (token.length != HEADER + checksum.outputSize() || token[0] != 0x04 || token[1] != 0x04
                || (token[2] & (SENT_BY_ACCEPTOR | ACCEPTOR_SUBKEY)) != subkeyFlag) {
            throw new NtlmException("expected the client's GSS MIC token (04 04, acceptor subkey flag " + subkeyFlag + ")");
        }
        byte[] header = Arrays.copyOf(token, HEADER);
        if (!MessageDigest.isEqual(Arrays.copyOfRange(token, HEADER, token.length), sum(message, header, INITIATOR_SIGN))) {
            throw new NtlmException("the client's MIC does not verify");
        }
        nextReceived(ByteBuffer.wrap(token).getLong(8));
    }

    /** The acceptor's Wrap token of {@code message}: sealed when {@code seal}, else integrity only. */
    byte[] wrap(byte[] message, boolean seal) {
        long sequence = sendSequence++;
        if (!seal) {
            byte[] header = header(SENT_BY_ACCEPTOR | subkeyFlag, 0, 0, sequence);
            byte[] mac = sum(message, zeroEcRrc(header), ACCEPTOR_SEAL);
            ByteBuffer.wrap(header).putShort(4, (short) mac.length);
            return ByteBuffer.allocate(HEADER + message.length + mac.length).put(header).put(message).put(mac).array();
        }
        byte[] inner = header(SENT_BY_ACCEPTOR | SEALED | subkeyFlag, 0, 0, sequence);
        byte[] sealed;
        try {
            sealed = cipher.encrypt(ByteBuffer.allocate(message.length + HEADER).put(message).put(inner).array(),
                    key.getKeyData(), ACCEPTOR_SEAL);
        } catch (KrbException e) {
            throw new NtlmException("cannot seal a message: " + e.getMessage());
        }
        byte[] header = header(SENT_BY_ACCEPTOR | SEALED | subkeyFlag, 0, SEALED_RRC, sequence);
        return ByteBuffer.allocate(HEADER + sealed.length).put(header).put(rotate(sealed, SEALED_RRC)).array();
    }

    /**
     * The message of the initiator's Wrap token, after checking its checksum (or decrypting and checking it) and its
     * sequence number; {@code sealRequired} refuses an unsealed one.
     */
    byte[] unwrap(byte[] token, boolean sealRequired) {
        if (token.length < HEADER || token[0] != 0x05 || token[1] != 0x04 || (token[3] & 0xff) != 0xff) {
            throw new NtlmException("expected a GSS Wrap token (05 04 ... ff) from the client");
        }
        int flags = token[2] & 0xff;
        if ((flags & (SENT_BY_ACCEPTOR | ACCEPTOR_SUBKEY)) != subkeyFlag) {
            throw new NtlmException("expected the client's Wrap token with acceptor subkey flag " + subkeyFlag
                    + " but found flags " + flags);
        }
        boolean sealed = (flags & SEALED) != 0;
        if (sealRequired && !sealed) {
            throw new NtlmException("expected a sealed Wrap token: the bind negotiated confidentiality");
        }
        ByteBuffer b = ByteBuffer.wrap(token);
        int ec = Short.toUnsignedInt(b.getShort(4));
        int rrc = Short.toUnsignedInt(b.getShort(6));
        long sequence = b.getLong(8);
        byte[] header = Arrays.copyOf(token, HEADER);
        byte[] body = unrotate(Arrays.copyOfRange(token, HEADER, token.length), rrc);
        byte[] message = sealed ? unseal(body, header, ec) : checked(body, header, ec);
        nextReceived(sequence);
        return message;
    }

    private byte[] unseal(byte[] body, byte[] header, int ec) {
        byte[] plain;
        try {
            plain = cipher.decrypt(body, key.getKeyData(), INITIATOR_SEAL);
        } catch (KrbException e) {
            throw new NtlmException("the client's sealed Wrap token does not decrypt: " + e.getMessage());
        }
        if (plain.length < ec + HEADER) {
            throw new NtlmException("the client's sealed Wrap token is too short for its EC " + ec);
        }
        byte[] copy = Arrays.copyOfRange(plain, plain.length - HEADER, plain.length);
        byte[] expected = header.clone();
        ByteBuffer.wrap(expected).putShort(6, (short) 0);
        if (!MessageDigest.isEqual(copy, expected)) {
            throw new NtlmException("the header inside the client's sealed Wrap token differs from the one outside");
        }
        return Arrays.copyOf(plain, plain.length - HEADER - ec);
    }

    private byte[] checked(byte[] body, byte[] header, int ec) {
        if (ec != checksum.outputSize() || body.length < ec) {
            throw new NtlmException("expected an unsealed Wrap token with a " + checksum.outputSize()
                    + "-byte checksum but found EC " + ec + " and " + body.length + " bytes");
        }
        byte[] message = Arrays.copyOf(body, body.length - ec);
        byte[] mac = Arrays.copyOfRange(body, body.length - ec, body.length);
        if (!MessageDigest.isEqual(mac, sum(message, zeroEcRrc(header), INITIATOR_SEAL))) {
            throw new NtlmException("the checksum of the client's Wrap token does not verify");
        }
        return message;
    }

    private void nextReceived(long sequence) {
        if (sequence != receiveSequence) {
            throw new NtlmException("expected the client's token number " + Long.toUnsignedString(receiveSequence)
                    + " but found " + Long.toUnsignedString(sequence) + " (a replayed, lost or reordered message)");
        }
        receiveSequence++;
    }

    private byte[] sum(byte[] message, byte[] header, int usage) {
        byte[] data = ByteBuffer.allocate(message.length + HEADER).put(message).put(header).array();
        try {
            return Arrays.copyOf(checksum.checksumWithKey(data, key.getKeyData(), usage), checksum.outputSize());
        } catch (KrbException e) {
            throw new NtlmException("cannot compute a GSS checksum: " + e.getMessage());
        }
    }

    private static byte[] zeroEcRrc(byte[] header) {
        byte[] zeroed = header.clone();
        Arrays.fill(zeroed, 4, 8, (byte) 0);
        return zeroed;
    }

    /** {@code data} rotated right by {@code count} bytes (RFC 4121 4.2.5). */
    static byte[] rotate(byte[] data, int count) {
        if (data.length == 0) {
            return data;
        }
        int n = count % data.length;
        byte[] out = new byte[data.length];
        System.arraycopy(data, data.length - n, out, 0, n);
        System.arraycopy(data, 0, out, n, data.length - n);
        return out;
    }

    /** Undoes {@link #rotate}. */
    static byte[] unrotate(byte[] data, int count) {
        return data.length == 0 ? data : rotate(data, data.length - count % data.length);
    }

    private static byte[] header(int flags, int ec, int rrc, long sequence) {
        return ByteBuffer.allocate(HEADER).put((byte) 0x05).put((byte) 0x04).put((byte) flags).put((byte) 0xff)
                .putShort((short) ec).putShort((short) rrc).putLong(sequence).array();
    }
}
