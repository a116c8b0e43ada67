package dev.keytrust.kdc;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.kdc.as.AsExchange;
import dev.keytrust.kdc.net.TcpServer;
import dev.keytrust.kdc.net.UdpServer;
import dev.keytrust.kdc.protocol.Dispatcher;
import dev.keytrust.kdc.tgs.ReplayCache;
import dev.keytrust.kdc.tgs.TgsExchange;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kerberos KDC for one realm, listening on TCP and UDP: the AS exchange with PA-ENC-TIMESTAMP (PA-PK-AS-REQ is
 * offered for the coming key-trust PKINIT) and the TGS exchange, answering from {@link KdcAccounts} at every
 * request. One replay cache per instance.
 *
 * <pre>{@code
 * try (Kdc kdc = Kdc.start(KdcConfig.builder("CORP.EXAMPLE.COM", accounts).build())) {
 *     // krb5.conf: kdc = 127.0.0.1:<kdc.tcpPort()>
 * }
 * }</pre>
 */
public final class Kdc implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Kdc.class);

    private final KdcConfig config;
    private final TcpServer tcp;
    private final UdpServer udp;

    private Kdc(KdcConfig config, TcpServer tcp, UdpServer udp) {
        this.config = config;
        this.tcp = tcp;
        this.udp = udp;
    }

    /**
     * Starts a KDC.
     *
     * @throws KeyTrustException ({@code KDC_START_FAILED}) if a port cannot be bound
     */
    public static Kdc start(KdcConfig config) {
        ReplayCache replayCache = new ReplayCache(config.maxSkew(), 100_000);
        Dispatcher dispatcher = new Dispatcher(config, AsExchange.withDefaultMechanisms(config),
                new TgsExchange(replayCache));
        TcpServer tcp = null;
        try {
            tcp = new TcpServer(config.host(), config.tcpPort(), dispatcher, config.maxMessageSize(),
                    config.maxConnections(), (int) Math.min(Integer.MAX_VALUE, config.idleTimeout().toMillis()));
            UdpServer udp = new UdpServer(config.host(), config.udpPort(), dispatcher, config.maxMessageSize(),
                    config.maxUdpReplySize());
            LOG.info("KDC for {} serving on {} (TCP {}, UDP {})", config.realm(), config.host(), tcp.port(),
                    udp.port());
            return new Kdc(config, tcp, udp);
        } catch (IOException e) {
            if (tcp != null) {
                tcp.close();
            }
            throw new KeyTrustException(ErrorCode.KDC_START_FAILED, "the KDC for " + config.realm()
                    + " could not listen on " + config.host() + " (TCP " + config.tcpPort() + ", UDP "
                    + config.udpPort() + "): " + e.getMessage() + "; pick free ports or 0", e);
        }
    }

    /** The realm served. */
    public String realm() {
        return config.realm();
    }

    /** The TCP port actually bound. */
    public int tcpPort() {
        return tcp.port();
    }

    /** The UDP port actually bound. */
    public int udpPort() {
        return udp.port();
    }

    /** Stops both listeners and closes open connections. */
    @Override
    public void close() {
        tcp.close();
        udp.close();
        LOG.info("KDC for {} stopped", config.realm());
    }
}
