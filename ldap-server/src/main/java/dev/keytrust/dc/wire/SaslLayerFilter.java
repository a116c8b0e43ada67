package dev.keytrust.dc.wire;

import dev.keytrust.dc.service.SecurityLayer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SASL security layer of one connection (RFC 4422 section 3.7, RFC 4752's framing as AD uses it for NTLM and
 * Kerberos): every message from the client arrives as a 4-byte big-endian length and a token the bind's
 * {@link SecurityLayer} unwraps; every response leaves wrapped the same way, split over several tokens where it is
 * longer than the client can receive at once ({@link SecurityLayer#maxMessageBytes}). It sits nearest the socket (after TLS,
 * before the {@link WireGuard}), so the guard still sees every plain request. A token that does not unwrap, or a
 * length beyond the connection's request limit, closes the connection.
 *
 * <pre>{@code
 * SaslLayerFilter.install(ioSession, securityLayer, limits, bindResponse);
 * ioSession.write(bindResponse); // the one message that still leaves in the clear
 * }</pre>
 */
public final class SaslLayerFilter extends IoFilterAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(SaslLayerFilter.class);
    private static final String NAME = "keytrust-sasl-layer";
    /** Room for a token's own overhead (signatures, padding) beyond the largest plain request. */
    private static final int OVERHEAD = 1024;

    private final SecurityLayer layer;
    private final int maxToken;
    private final Object writeLock = new Object();
    private volatile Object inTheClear;
    private ByteBuffer pending = ByteBuffer.allocate(0);

    private SaslLayerFilter(SecurityLayer layer, int maxToken, Object inTheClear) {
        this.layer = layer;
        this.maxToken = maxToken;
        this.inTheClear = inTheClear;
    }

    /**
     * Puts a layer on the connection: from now on what it receives is unwrapped and what it sends is wrapped, except
     * {@code inTheClear} (the bind's own response, written after this call). Wrapping starts here, not after that
     * write: with ApacheDS's unordered request threads, the client's next request can be answered before the thread
     * that wrote the bind response runs again.
     */
    public static SaslLayerFilter install(IoSession session, SecurityLayer layer, ProtocolLimits limits,
            Object inTheClear) {
        SaslLayerFilter filter = new SaslLayerFilter(layer, limits.maxRequestBytes() + OVERHEAD, inTheClear);
        if (session.getFilterChain().contains(NAME)) {
            session.getFilterChain().replace(NAME, filter); // a new bind on a wrapped connection
        } else if (session.getFilterChain().contains(WireGuard.NAME)) {
            session.getFilterChain().addBefore(WireGuard.NAME, NAME, filter);
        } else {
            session.getFilterChain().addFirst(NAME, filter);
        }
        return filter;
    }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
        if (!(message instanceof IoBuffer buffer)) {
            next.messageReceived(session, message);
            return;
        }
        ByteBuffer in = buffer.buf();
        ByteBuffer all = ByteBuffer.allocate(pending.remaining() + in.remaining());
        all.put(pending).put(in).flip();
        buffer.position(buffer.limit());
        while (all.remaining() >= 4) {
            long length = Integer.toUnsignedLong(all.getInt(all.position()));
            if (length > maxToken) {
                close(session, "a SASL-wrapped message of " + length + " bytes (limit " + maxToken + ")");
                return;
            }
            if (all.remaining() < 4 + length) {
                break;
            }
            byte[] token = new byte[(int) length];
            all.position(all.position() + 4);
            all.get(token);
            byte[] plain;
            try {
                plain = layer.unwrap(token);
            } catch (RuntimeException e) {
                close(session, "a SASL-wrapped message that does not unwrap: " + e.getMessage());
                return;
            }
            next.messageReceived(session, IoBuffer.wrap(plain));
        }
        pending = all.slice();
    }

    @Override
    public void filterWrite(NextFilter next, IoSession session, WriteRequest request) throws Exception {
        Object clear = inTheClear;
        if (clear != null && request.getOriginalMessage() == clear) {
            inTheClear = null;
            next.filterWrite(session, request);
            return;
        }
        if (!(request.getMessage() instanceof IoBuffer buffer)) {
            next.filterWrite(session, request);
            return;
        }
        byte[] plain = new byte[buffer.remaining()];
        buffer.get(plain);
        synchronized (writeLock) { // sequence numbers must leave in the order they were taken
            request.setMessage(wrapped(plain));
            next.filterWrite(session, request);
        }
    }

    /** {@code plain} as length-prefixed tokens, each carrying at most what the client can receive at once. */
    private IoBuffer wrapped(byte[] plain) {
        int max = layer.maxMessageBytes();
        if (plain.length <= max) {
            byte[] token = layer.wrap(plain);
            return IoBuffer.allocate(4 + token.length).putInt(token.length).put(token).flip();
        }
        IoBuffer out = IoBuffer.allocate(plain.length + plain.length / 8 + 256).setAutoExpand(true);
        for (int from = 0; from < plain.length; from += max) {
            byte[] token = layer.wrap(Arrays.copyOfRange(plain, from, Math.min(plain.length, from + max)));
            out.putInt(token.length).put(token);
        }
        return out.flip();
    }

    private void close(IoSession session, String what) {
        LOG.warn("closing the connection from {}: it sent {}", session.getRemoteAddress(), what);
        pending = ByteBuffer.allocate(0);
        session.suspendRead();
        session.closeNow();
    }
}
