package dev.keytrust.dc;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.dc.service.DcContext;
import dev.keytrust.dc.service.ProtocolService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one DC serves on the network: its built-in LDAP service (LDAP and, when on, LDAPS), then the protocol services
 * of its config in order. Started together, stopped together (suspend, stop), and started again on the ports they
 * got first (resume).
 */
final class HostedServices {
    private final DomainControllerConfig config;
    private final DcContext context;
    private final LdapService ldap;
    private volatile LdapService.Running listener;
    private volatile List<Hosted> hosted = List.of();
    private volatile Path certificate;

    /** A hosted service, the port it got at first start, and its running instance. */
    private record Hosted(ProtocolService service, int port, ProtocolService.Running running) {
    }

    HostedServices(DomainControllerConfig config, DcContext context, LdapService ldap) {
        this.config = config;
        this.context = context;
        this.ldap = ldap;
    }

    /** First start: on the configured ports (0 picks one). */
    void start() throws Exception {
        listen(config.port(), config.ldapsPort().orElse(null), config.globalCatalogPort().orElse(null),
                config.globalCatalogSslPort().orElse(null), null);
    }

    /** After {@link #stop()}: on the ports the services got at first start. */
    void resume() throws Exception {
        listen(listener.port(), listener.ldapsPort() < 0 ? null : listener.ldapsPort(),
                listener.gcPort() < 0 ? null : listener.gcPort(), listener.gcSslPort() < 0 ? null : listener.gcSslPort(),
                hosted.stream().map(Hosted::port).toList());
    }

    /** Stops every service's listener (the config's services first, LDAP last). */
    void stop() {
        try {
            hosted.forEach(h -> h.running().close());
        } finally {
            listener.server().stop();
        }
    }

    int ldapPort() {
        return listener.port();
    }

    /** The LDAPS port, or -1 without LDAPS. */
    int ldapsPort() {
        return listener.ldapsPort();
    }

    /** The generated certificate's PEM (the first start's), or null. */
    Path certificate() {
        return certificate;
    }

    int port(String service) {
        if (DcServices.LDAP_SERVICE.equals(service)) {
            return listener.port();
        }
        if (DcServices.LDAPS_SERVICE.equals(service) && listener.ldapsPort() >= 0) {
            return listener.ldapsPort();
        }
        if (DcServices.GC_SERVICE.equals(service) && listener.gcPort() >= 0) {
            return listener.gcPort();
        }
        if (DcServices.GC_SSL_SERVICE.equals(service) && listener.gcSslPort() >= 0) {
            return listener.gcSslPort();
        }
        for (Hosted h : hosted) {
            if (h.service().name().equals(service)) {
                return h.port();
            }
        }
        throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, config.name() + " hosts no service '" + service
                + "'; it hosts " + String.join(", ", names()));
    }

    List<String> names() {
        List<String> names = new ArrayList<>();
        names.add(DcServices.LDAP_SERVICE);
        if (listener.ldapsPort() >= 0) {
            names.add(DcServices.LDAPS_SERVICE);
        }
        if (listener.gcPort() >= 0) {
            names.add(DcServices.GC_SERVICE);
        }
        if (listener.gcSslPort() >= 0) {
            names.add(DcServices.GC_SSL_SERVICE);
        }
        hosted.forEach(h -> names.add(h.service().name()));
        return names;
    }

    /** Starts LDAP (and LDAPS), then the config's services ({@code hostedPorts} null: on their configured ports). */
    private void listen(int port, Integer ldapsPort, Integer gcPort, Integer gcSslPort, List<Integer> hostedPorts)
            throws Exception {
        LdapService.Running running = ldap.start(port, ldapsPort, gcPort, gcSslPort);
        if (certificate == null) {
            certificate = running.certificate();
        }
        List<Hosted> started = new ArrayList<>();
        try {
            for (ProtocolService service : config.services()) {
                int wanted = hostedPorts == null ? config.servicePort(service) : hostedPorts.get(started.size());
                ProtocolService.Running r;
                try {
                    r = service.start(context, wanted);
                } catch (Exception e) {
                    throw new IllegalStateException("service '" + service.name() + "' cannot listen on " + config.host()
                            + ":" + wanted + ": " + StartFailures.rootMessage(e), e);
                }
                started.add(new Hosted(service, r.port(), r));
            }
        } catch (Exception e) {
            started.forEach(h -> h.running().close());
            running.server().stop();
            throw e;
        }
        listener = running;
        hosted = List.copyOf(started);
    }
}
