package dev.keytrust.dc.kerberos;

import dev.keytrust.dc.service.DcContext;
import dev.keytrust.dc.service.ProtocolService;
import dev.keytrust.kdc.Kdc;
import dev.keytrust.kdc.KdcConfig;
import dev.keytrust.kdc.pkinit.KdcCertificates;
import java.util.Objects;

/**
 * The KDC a DC hosts (service name {@code kdc}): AS with PA-ENC-TIMESTAMP and key-trust PKINIT, TGS, for the realm
 * of the DC's domain, answering from {@link DirectoryKdcAccounts} over that DC's own directory. TCP and UDP on the
 * same port number. Each start issues the DC a KDC certificate (id-pkinit-san {@code krbtgt/REALM@REALM}, EKU
 * id-pkinit-KPKdc, DNS name of the DC) from the lab CA it was given, so one CA ({@code ca.pem}) is every client's
 * {@code pkinit_anchors}.
 *
 * <pre>{@code
 * DomainControllerConfig.builder("DC1").kdcPort(0).build();       // adds new KdcService(0, generated lab CA)
 * int kdcPort = dc.port(KdcService.NAME);
 * }</pre>
 */
public final class KdcService implements ProtocolService {
    /** The service's name, which names its port. */
    public static final String NAME = "kdc";
    private static final int BIND_ATTEMPTS = 20;

    private final int port;
    private final KdcCertificates.Credential certificateAuthority;

    /**
     * @param port the port for TCP and UDP (88 in production; 0 picks one free for both)
     * @param certificateAuthority the lab CA issuing the KDC certificate
     */
    public KdcService(int port, KdcCertificates.Credential certificateAuthority) {
        this.port = port;
        this.certificateAuthority = Objects.requireNonNull(certificateAuthority, "certificateAuthority");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int port() {
        return port;
    }

    /** The lab CA that issues the KDC certificate (clients' {@code pkinit_anchors}). */
    public KdcCertificates.Credential certificateAuthority() {
        return certificateAuthority;
    }

    @Override
    public Running start(DcContext context, int wanted) {
        KdcCertificates.Credential certificate = KdcCertificates.issueKdcCertificate(certificateAuthority,
                context.realm(), context.dnsHostName(), context.clock().instant());
        KdcConfig.Builder config = KdcConfig.builder(context.realm(),
                        new DirectoryKdcAccounts(context.directory(), context.realm(), context.domain()))
                .host(context.host()).clock(context.clock()).pkinitCertificate(certificate);
        Kdc kdc = wanted != 0 ? Kdc.start(config.tcpPort(wanted).udpPort(wanted).build()) : onOnePort(config);
        return Running.of(kdc.tcpPort(), kdc::close);
    }

    /** Port 0: a free TCP port whose UDP twin is free too (clients name one port for both). */
    private static Kdc onOnePort(KdcConfig.Builder config) {
        RuntimeException last = null;
        for (int i = 0; i < BIND_ATTEMPTS; i++) {
            Kdc probe = Kdc.start(config.tcpPort(0).udpPort(0).build());
            if (probe.tcpPort() == probe.udpPort()) {
                return probe;
            }
            int tcp = probe.tcpPort();
            probe.close();
            try {
                return Kdc.start(config.tcpPort(tcp).udpPort(tcp).build());
            } catch (RuntimeException e) {
                last = e; // someone took one of them meanwhile: try another
            }
        }
        throw last;
    }

    @Override
    public String toString() {
        return "kdc on port " + port;
    }
}
