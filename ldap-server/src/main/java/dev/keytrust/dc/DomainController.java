package dev.keytrust.dc;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.dc.schema.SharedSchema;
import dev.keytrust.persona.Persona;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.server.core.DefaultDirectoryService;
import org.apache.directory.server.ldap.LdapServer;
import org.apache.directory.server.protocol.shared.transport.TcpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AD-like domain controller: an embedded ApacheDS server with its own LDAP port, AD's schema subset,
 * domain layout, rootDSE, USNs, and msDS-KeyCredentialLink rules. Several can run in one JVM; they share the
 * loaded schema. Close it (try-with-resources) to stop it and free its port and threads.
 *
 * <pre>{@code
 * try (DomainController dc = DomainController.start(DomainControllerConfig.builder("DC1").build())) {
 *     LDAPConnection ldap = dc.connect();               // bound as CN=Administrator,CN=Users,...
 *     System.out.println(dc.ldapUrl());                // ldap://127.0.0.1:40213
 * }
 * }</pre>
 */
public final class DomainController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DomainController.class);

    private final DomainControllerConfig config;
    private final String adminPassword;
    private final boolean passwordGenerated;
    private final DirectoryInstance instance;
    private final LdapServer ldapServer;
    private final int port;
    private volatile boolean stopped;

    private DomainController(DomainControllerConfig config, String adminPassword, boolean generated,
            DirectoryInstance instance, LdapServer ldapServer, int port) {
        this.config = config;
        this.adminPassword = adminPassword;
        this.passwordGenerated = generated;
        this.instance = instance;
        this.ldapServer = ldapServer;
        this.port = port;
    }

    /**
     * Starts a DC: loads (or reuses) the schema, opens its storage, creates the domain layout on first start,
     * and listens for LDAP.
     *
     * @throws KeyTrustException ({@code DC_START_FAILED}) saying what failed, e.g. a port in use
     */
    public static DomainController start(DomainControllerConfig config) {
        SchemaManager schema = SharedSchema.get();
        boolean generated = config.adminPassword().isEmpty();
        String password = config.adminPassword().orElseGet(DomainController::generatePassword);
        DirectoryInstance instance = null;
        try {
            instance = DirectoryInstance.open(config, schema, password);
            LdapServer server = new LdapServer();
            server.setServiceName("keytrust-" + config.name());
            server.setDirectoryService(instance.service());
            TcpTransport transport = new TcpTransport(config.host(), config.port());
            transport.setNbThreads(2);
            server.setTransports(transport);
            server.start();
            int port = ((InetSocketAddress) transport.getAcceptor().getLocalAddress()).getPort();
            DomainController dc = new DomainController(config, password, generated, instance, server, port);
            LOG.info("{} serving {} on {} (site {}, highestCommittedUSN {})", config.name(), config.baseDn(),
                    dc.ldapUrl(), config.site(), dc.highestCommittedUsn());
            return dc;
        } catch (Exception e) {
            if (instance != null) {
                instance.close();
            }
            throw new KeyTrustException(ErrorCode.DC_START_FAILED, "cannot start " + config.name() + " on "
                    + config.host() + ":" + config.port() + ": " + rootMessage(e)
                    + (config.port() != 0 ? "; is the port in use? Use port 0 to pick a free one" : ""), e);
        }
    }

    public DomainControllerConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    public String host() {
        return config.host();
    }

    /** The LDAP port actually listened on (the configured one, or the one picked for port 0). */
    public int port() {
        return port;
    }

    /** {@code ldap://host:port}. */
    public String ldapUrl() {
        return "ldap://" + config.host() + ":" + port;
    }

    /** The domain's DN. */
    public String baseDn() {
        return config.baseDn();
    }

    /** {@code CN=Administrator,CN=Users,<base>}. */
    public String administratorDn() {
        return "CN=Administrator,CN=Users," + config.baseDn();
    }

    /** The administrator password (the configured one, or the one generated at start). */
    public String administratorPassword() {
        return adminPassword;
    }

    /** Whether the administrator password was generated (and so should be shown to the user once). */
    public boolean passwordGenerated() {
        return passwordGenerated;
    }

    /** The DN of this DC's NTDS Settings object (its rootDSE dsServiceName). */
    public String dsServiceName() {
        return instance.state().ntdsSettingsDn.getName();
    }

    /** The highest USN this DC has committed. */
    public long highestCommittedUsn() {
        return instance.state().usn.get();
    }

    /** An UnboundID connection bound as the Administrator; the caller closes it. */
    public LDAPConnection connect() {
        try {
            return new LDAPConnection(config.host(), port, administratorDn(), adminPassword);
        } catch (LDAPException e) {
            throw new KeyTrustException(ErrorCode.DC_START_FAILED, "cannot connect to " + name() + " at " + ldapUrl()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Adds deterministic users (see {@link dev.keytrust.persona.Personas}) with an optional password. */
    public void addUsers(List<Persona> people, Optional<String> password) {
        try {
            instance.layout().addUsers(people, password.orElse(null));
        } catch (LdapException e) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "cannot add users to " + name() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Whether the DC has been stopped. */
    public boolean isStopped() {
        return stopped;
    }

    /** Stops the LDAP listener and the directory; idempotent. Persistent data is flushed. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            ldapServer.stop();
        } finally {
            instance.close();
        }
        LOG.info("{} stopped", config.name());
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return name() + " " + config.site() + " " + (stopped ? "(stopped)" : ldapUrl());
    }

    private static String generatePassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder s = new StringBuilder("Kt-");
        for (int i = 0; i < 20; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
    }

    static Path temporaryDirectory(String name) throws IOException {
        return Files.createTempDirectory("keytrust-" + name.toLowerCase() + "-");
    }
}
