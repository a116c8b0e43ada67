package dev.keytrust.kdc.net;

import dev.keytrust.kdc.protocol.Dispatcher;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kerberos over UDP (RFC 4120 7.2.1): one datagram is one request, answered by one datagram. A reply larger than
 * the UDP limit becomes KRB_ERR_RESPONSE_TOO_BIG (52), so the client retries over TCP; a datagram larger than the
 * maximum message size gets KRB_ERR_FIELD_TOOLONG. One thread serves datagrams in turn.
 */
public final class UdpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UdpServer.class);

    private final DatagramSocket socket;
    private final Dispatcher dispatcher;
    private final int maxMessageSize;
    private final int maxReplySize;
    private final Thread thread;
    private volatile boolean closed;

    /** Binds {@code host:port} (0 = a free port) and starts serving. */
    public UdpServer(String host, int port, Dispatcher dispatcher, int maxMessageSize, int maxReplySize)
            throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), port));
        this.dispatcher = dispatcher;
        this.maxMessageSize = maxMessageSize;
        this.maxReplySize = maxReplySize;
        this.thread = new Thread(this::loop, "kdc-udp-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** The bound port. */
    public int port() {
        return socket.getLocalPort();
    }

    private void loop() {
        byte[] buffer = new byte[65535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("KDC UDP receive failed: {}", e.getMessage());
                }
                continue;
            }
            try {
                byte[] reply = packet.getLength() > maxMessageSize ? dispatcher.fieldTooLong()
                        : dispatcher.handle(Arrays.copyOf(packet.getData(), packet.getLength()));
                if (reply.length > maxReplySize) {
                    reply = dispatcher.responseTooBig();
                }
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException | RuntimeException e) {
                LOG.info("KDC UDP: could not answer a datagram: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
