package dev.keytrust.dc.wire;

import com.unboundid.asn1.ASN1Enumerated;
import com.unboundid.asn1.ASN1Integer;
import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.asn1.ASN1Sequence;
import java.util.ArrayList;
import java.util.List;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.DefaultIoFilterChainBuilder;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.DefaultWriteRequest;
import org.apache.mina.core.write.WriteRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A filter in front of ApacheDS's LDAP decoder that keeps one connection's requests from costing more than that
 * connection: it passes on only whole messages that keep the {@link ProtocolLimits} (see {@link BerFramer}), stops
 * reading from a client that leaves responses unread, and closes a connection whose queued responses pass the
 * limit. A broken limit ends only that connection, with a Notice of Disconnection (protocolError) naming the limit.
 * No request can kill the I/O thread it arrives on: an error thrown while decoding one closes its connection.
 */
public final class WireGuard extends IoFilterAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(WireGuard.class);
    private static final AttributeKey FRAMER = new AttributeKey(WireGuard.class, "framer");
    private static final AttributeKey CLOSED_BY_LIMIT = new AttributeKey(WireGuard.class, "closedByLimit");
    static final String NAME = "keytrust-wire-guard";
    private static final String NOTICE_OF_DISCONNECTION = "1.3.6.1.4.1.1466.20036";
    private static final int PROTOCOL_ERROR = 2;

    private final ProtocolLimits limits;
    private final String dcName;
    private final java.util.Set<String> dnValued;

    private final java.util.concurrent.atomic.AtomicLong closed = new java.util.concurrent.atomic.AtomicLong();

    /** A guard for the listeners of the DC named {@code dcName}, whose schema is {@code schema}. */
    public WireGuard(ProtocolLimits limits, String dcName, org.apache.directory.api.ldap.model.schema.SchemaManager schema) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
        this.dcName = dcName;
        this.dnValued = dnValuedAttributes(schema);
    }

    /** Names and OIDs (lower case) of the attributes whose values the server parses as DNs. */
    private static java.util.Set<String> dnValuedAttributes(org.apache.directory.api.ldap.model.schema.SchemaManager schema) {
        java.util.Set<String> syntaxes = java.util.Set.of("1.3.6.1.4.1.1466.115.121.1.12", "1.3.6.1.4.1.1466.115.121.1.34",
                "1.2.840.113556.1.4.903", "1.2.840.113556.1.4.904");
        java.util.Set<String> out = new java.util.HashSet<>();
        for (org.apache.directory.api.ldap.model.schema.AttributeType at : schema.getAttributeTypeRegistry()) {
            if (at.getSyntaxOid() != null && syntaxes.contains(at.getSyntaxOid())) {
                out.add(at.getOid());
                at.getNames().forEach(n -> out.add(n.toLowerCase(java.util.Locale.ROOT)));
            }
        }
        return java.util.Set.copyOf(out);
    }

    /**
     * Puts this guard in front of the LDAP decoder of every connection a listener accepts from now on.
     *
     * @param chain the acceptor's chain builder, after ApacheDS added its {@code codec} filter
     */
    public void install(DefaultIoFilterChainBuilder chain) {
        if (!chain.contains("codec")) {
            throw new IllegalStateException("the LDAP listener has no codec filter yet: install the guard after start");
        }
        chain.addBefore("codec", NAME, this);
    }

    /** How many connections this guard has closed for breaking a limit. */
    public long connectionsClosed() {
        return closed.get();
    }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
        if (!(message instanceof IoBuffer buffer)) {
            next.messageReceived(session, message);
            return;
        }
        BerFramer framer = (BerFramer) session.getAttribute(FRAMER);
        if (framer == null) {
            framer = new BerFramer(limits, dnValued::contains);
            session.setAttribute(FRAMER, framer);
        }
        List<byte[]> complete = new ArrayList<>(1);
        try {
            framer.feed(buffer.buf(), complete::add);
        } catch (BerFramer.Violation v) {
            refuse(next, session, v.getMessage());
            return;
        } finally {
            buffer.position(buffer.limit());
        }
        for (byte[] m : complete) {
            try {
                next.messageReceived(session, IoBuffer.wrap(m));
            } catch (StackOverflowError e) {
                refuse(next, session, "a request too deeply structured to decode");
                return;
            }
        }
    }

    @Override
    public void filterWrite(NextFilter next, IoSession session, WriteRequest request) throws Exception {
        long queued = session.getScheduledWriteBytes();
        if (queued > limits.maxQueuedResponseBytes()) {
            if (session.setAttributeIfAbsent(CLOSED_BY_LIMIT, Boolean.TRUE) == null) { // once, however many writers
                closed.incrementAndGet();
                LOG.warn("{}: closing the connection from {}: it left {} bytes of responses unread (limit {})", dcName,
                        session.getRemoteAddress(), queued, limits.maxQueuedResponseBytes());
                session.closeNow();
            }
            request.getFuture().setException(new java.io.IOException("connection closed: responses left unread"));
            return;
        }
        if (queued > limits.maxQueuedResponseBytes() / 2 && !session.isReadSuspended()) {
            session.suspendRead(); // take no new requests until the client has read what it asked for
        }
        next.filterWrite(session, request);
    }

    @Override
    public void messageSent(NextFilter next, IoSession session, WriteRequest request) throws Exception {
        if (session.isReadSuspended() && session.getScheduledWriteBytes() < limits.maxQueuedResponseBytes() / 4) {
            session.resumeRead();
        }
        next.messageSent(session, request);
    }

    /** Ends a connection whose input broke a limit: a Notice of Disconnection, then close. */
    private void refuse(NextFilter next, IoSession session, String what) {
        String text = "the request was refused and the connection closed: it has " + what;
        if (session.setAttributeIfAbsent(CLOSED_BY_LIMIT, Boolean.TRUE) == null) {
            closed.incrementAndGet();
        }
        LOG.warn("{}: closing the connection from {}: {}", dcName, session.getRemoteAddress(), text);
        session.removeAttribute(FRAMER);
        session.suspendRead();
        byte[] notice = new ASN1Sequence(new ASN1Integer(0), new ASN1Sequence((byte) 0x78,
                new ASN1Enumerated(PROTOCOL_ERROR), new ASN1OctetString(), new ASN1OctetString(text),
                new ASN1OctetString((byte) 0x8A, NOTICE_OF_DISCONNECTION))).encode();
        next.filterWrite(session, new DefaultWriteRequest(IoBuffer.wrap(notice)));
        session.closeOnFlush();
    }
}
