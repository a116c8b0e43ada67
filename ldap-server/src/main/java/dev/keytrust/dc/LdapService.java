package dev.keytrust.dc;

import dev.keytrust.dc.access.AdBindRequestHandler;
import dev.keytrust.dc.access.SaslBinds;
import dev.keytrust.dc.directory.DirectoryInstance;
import dev.keytrust.dc.face.AdWhoAmI;
import dev.keytrust.dc.face.ObjectCategoryNames;
import dev.keytrust.dc.face.ReadOnlyCatalog;
import dev.keytrust.dc.face.RootDseModifyHandler;
import dev.keytrust.dc.wire.SicilyBinds;
import dev.keytrust.dc.wire.WireGuard;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.directory.server.ldap.LdapServer;
import org.apache.directory.server.ldap.handlers.extended.StartTlsHandler;
import org.apache.directory.server.ldap.handlers.response.BindResponseHandler;
import org.apache.directory.server.ldap.handlers.response.ModifyResponseHandler;
import org.apache.directory.server.protocol.shared.transport.TcpTransport;
import org.apache.directory.server.protocol.shared.transport.Transport;

/**
 * The DC's built-in LDAP service: ApacheDS's LDAP server over the DC's directory, on the LDAP port and (when on) the
 * LDAPS port, with AD's simple binds, the config's SASL mechanisms (and their Sicily package), the rootDSE operations and the
 * wire guard in front of the decoder.
 *
 * @param config the DC's config (host, TLS, key store)
 * @param instance the DC's directory
 * @param guard the wire guard put in front of each listener's LDAP decoder
 * @param sasl the SASL mechanisms binds may use
 */
record LdapService(DomainControllerConfig config, DirectoryInstance instance, WireGuard guard, SaslBinds sasl) {
    /**
     * A started LDAP server and the ports it actually took ({@code ldapsPort}, {@code gcPort}, {@code gcSslPort} -1
     * when off).
     */
    record Running(LdapServer server, int port, int ldapsPort, Path certificate, int gcPort, int gcSslPort) {
    }

    /** Starts listening on the given ports (0 picks one; {@code ldapsPort} null: no LDAPS), without a global catalog. */
    Running start(int port, Integer ldapsPort) throws Exception {
        return start(port, ldapsPort, null, null);
    }

    /**
     * Starts listening on the given ports (0 picks one; null: that listener is off); the global catalog ports
     * ({@code gcPort}, {@code gcSslPort}) serve the same directory read-only ({@link ReadOnlyCatalog}).
     */
    Running start(int port, Integer ldapsPort, Integer gcPort, Integer gcSslPort) throws Exception {
        LdapServer server = new LdapServer();
        server.setServiceName("keytrust-" + config.name());
        server.setDirectoryService(instance.service());
        server.setBindHandlers(new AdBindRequestHandler(instance.state(), instance.service(), sasl), new BindResponseHandler());
        server.setModifyHandlers(new RootDseModifyHandler(instance.state()), new ModifyResponseHandler());
        ObjectCategoryNames searches = new ObjectCategoryNames(instance.state().dns.schemaDn.getName());
        server.setSearchHandlers(searches, new org.apache.directory.server.ldap.handlers.response.SearchResultEntryHandler(),
                new org.apache.directory.server.ldap.handlers.response.SearchResultReferenceHandler(),
                new org.apache.directory.server.ldap.handlers.response.SearchResultDoneHandler());
        searches.serverSet();
        server.addExtendedOperationHandler(new AdWhoAmI(instance.state()));
        // ApacheDS caps results at 100 entries by default; a replication pull or a lab-wide query needs them all.
        server.setMaxSizeLimit(LdapServer.NO_SIZE_LIMIT);
        TcpTransport transport = new TcpTransport(config.host(), port);
        transport.setNbThreads(2);
        TcpTransport ldaps = null;
        Path certificate = null;
        if (config.tls()) {
            certificate = configureTls(server);
            if (ldapsPort != null) {
                ldaps = new TcpTransport(config.host(), ldapsPort);
                ldaps.setNbThreads(2);
                ldaps.enableSSL(true);
            }
        }
        TcpTransport gc = gcPort == null ? null : new TcpTransport(config.host(), gcPort);
        TcpTransport gcSsl = null;
        if (gcSslPort != null && config.tls()) {
            gcSsl = new TcpTransport(config.host(), gcSslPort);
            gcSsl.enableSSL(true);
        }
        java.util.List<TcpTransport> all = new java.util.ArrayList<>(java.util.List.of(transport));
        for (TcpTransport t : new TcpTransport[] {ldaps, gc, gcSsl}) {
            if (t != null) {
                t.setNbThreads(2);
                all.add(t);
            }
        }
        server.setTransports(all.toArray(TcpTransport[]::new));
        server.start();
        // MINA leaves Nagle on: a search's entries and its done message then wait for the client's delayed ACK
        // (~40 ms a response). Set before any client connects, as is the guard in front of the LDAP decoder.
        for (Transport t : server.getTransports()) {
            if (t instanceof TcpTransport tcp && tcp.getAcceptor() != null) {
                tcp.getAcceptor().getSessionConfig().setTcpNoDelay(true);
                guard.install(tcp.getAcceptor().getFilterChain());
                new SicilyBinds().install(tcp.getAcceptor().getFilterChain()); // whole messages from the guard
                if (t == gc || t == gcSsl) {
                    tcp.getAcceptor().getFilterChain().addLast(ReadOnlyCatalog.NAME, new ReadOnlyCatalog());
                }
            }
        }
        return new Running(server, boundPort(transport), boundPort(ldaps), certificate, boundPort(gc), boundPort(gcSsl));
    }

    private static int boundPort(TcpTransport t) {
        return t == null ? -1 : ((InetSocketAddress) t.getAcceptor().getLocalAddress()).getPort();
    }

    /** Sets up the server certificate; returns the PEM of a generated one, or {@code null} for a supplied key store. */
    private Path configureTls(LdapServer server) throws Exception {
        if (config.startTls()) {
            server.addExtendedOperationHandler(new StartTlsHandler());
        }
        if (config.keystore().isPresent()) {
            server.setKeystoreFile(config.keystore().get().toString());
            server.setCertificatePassword(config.keystorePassword().orElse(""));
            return null;
        }
        Path dir = Files.createDirectories(instance.workDirectory().resolve("tls"));
        String storePassword = StartFailures.generatePassword();
        Path pem = DcCertificate.generate(config, dir, storePassword.toCharArray());
        server.setKeystoreFile(DcCertificate.keyStore(dir).toString());
        server.setCertificatePassword(storePassword);
        return pem;
    }
}
