package dev.keytrust.kdc.net;

import dev.keytrust.kdc.protocol.Dispatcher;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kerberos over TCP (RFC 4120 7.2.2): each message is preceded by its length in 4 bytes, big-endian, high bit
 * clear. A connection may carry several requests. A length with the high bit set, above the maximum message size,
 * or a connection idle past the timeout closes that connection only (a too-long length first gets
 * KRB_ERR_FIELD_TOOLONG); other connections are not affected. At most {@code maxConnections} are open at once;
 * when all are taken, the longest-open connection that is not being answered is closed to make room, so idle
 * connections (one client's flood) cannot lock others out.
 */
public final class TcpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpServer.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ServerSocket serverSocket;
    private final Dispatcher dispatcher;
    private final int maxMessageSize;
    private final int idleTimeoutMillis;
    private final Semaphore slots;
    private final ExecutorService workers;
    private final Map<Socket, Connection> open = new ConcurrentHashMap<>();
    private long accepted;
    private final Thread acceptor;
    private volatile boolean closed;

    /** Binds {@code host:port} (0 = a free port) and starts accepting. */
    public TcpServer(String host, int port, Dispatcher dispatcher, int maxMessageSize, int maxConnections,
                     int idleTimeoutMillis) throws IOException {
        this.serverSocket = new ServerSocket(port, 50, InetAddress.getByName(host));
        this.dispatcher = dispatcher;
        this.maxMessageSize = maxMessageSize;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.slots = new Semaphore(maxConnections);
        this.workers = Executors.newCachedThreadPool(r -> daemon(r, "kdc-tcp-" + THREADS.incrementAndGet()));
        this.acceptor = daemon(this::acceptLoop, "kdc-tcp-accept-" + serverSocket.getLocalPort());
        acceptor.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The bound port. */
    public int port() {
        return serverSocket.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("KDC TCP accept failed: {}", e.getMessage());
                }
                continue;
            }
            if (!slots.tryAcquire() && !evictIdle()) {
                LOG.warn("KDC TCP: {} connections open and all busy; closing a new one", open.size());
                closeQuietly(socket);
                continue;
            }
            Connection connection = new Connection(++accepted);
            open.put(socket, connection);
            try {
                workers.execute(() -> serve(socket, connection));
            } catch (RuntimeException e) {
                release(socket);
            }
        }
    }

    /** Closes the longest-open connection not being answered and takes its slot; false if there is none. */
    private boolean evictIdle() {
        Map.Entry<Socket, Connection> oldest = open.entrySet().stream()
                .filter(e -> !e.getValue().busy)
                .min(Comparator.comparingLong(e -> e.getValue().sequence))
                .orElse(null);
        if (oldest == null) {
            return false;
        }
        LOG.info("KDC TCP: all {} connections taken; closing the longest-open idle one", open.size());
        release(oldest.getKey());
        try {
            return slots.tryAcquire(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Per-connection state: its accept order, and whether a request on it is being answered. */
    private static final class Connection {
        final long sequence;
        volatile boolean busy;

        Connection(long sequence) {
            this.sequence = sequence;
        }
    }

    private void serve(Socket socket, Connection connection) {
        try (socket) {
            socket.setSoTimeout(idleTimeoutMillis);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (!closed) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException e) {
                    return;
                }
                if (length < 0) {
                    LOG.info("KDC TCP: length prefix with the reserved high bit set; closing the connection");
                    return;
                }
                if (length > maxMessageSize) {
                    LOG.info("KDC TCP: request of {} bytes exceeds the {}-byte limit; closing the connection",
                            length, maxMessageSize);
                    write(out, dispatcher.fieldTooLong());
                    return;
                }
                byte[] request = readFully(in, length);
                connection.busy = true;
                write(out, dispatcher.handle(request));
                connection.busy = false;
            }
        } catch (SocketTimeoutException e) {
            LOG.debug("KDC TCP: connection idle too long; closed");
        } catch (EOFException | SocketException e) {
            LOG.debug("KDC TCP: connection ended: {}", e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.info("KDC TCP: connection dropped: {}", e.toString());
        } finally {
            release(socket);
        }
    }

    private static byte[] readFully(InputStream in, int length) throws IOException {
        byte[] data = new byte[length];
        int read = 0;
        while (read < length) {
            int n = in.read(data, read, length - read);
            if (n < 0) {
                throw new EOFException("connection closed after " + read + " of " + length + " bytes");
            }
            read += n;
        }
        return data;
    }

    private static void write(OutputStream out, byte[] reply) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(reply.length);
        data.write(reply);
        data.flush();
    }

    private void release(Socket socket) {
        if (open.remove(socket) != null) {
            slots.release();
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing a KDC connection failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            LOG.debug("closing the KDC TCP socket failed: {}", e.getMessage());
        }
        open.keySet().forEach(TcpServer::closeQuietly);
        workers.shutdownNow();
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
