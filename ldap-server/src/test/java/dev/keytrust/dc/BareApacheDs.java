package dev.keytrust.dc;

import dev.keytrust.dc.directory.DirectoryInstance;
import dev.keytrust.dc.schema.SharedSchema;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.directory.api.ldap.model.constants.LdapSecurityConstants;
import org.apache.directory.api.ldap.model.entry.DefaultEntry;
import org.apache.directory.api.ldap.model.password.PasswordUtil;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.server.constants.ServerDNConstants;
import org.apache.directory.server.core.DefaultDirectoryService;
import org.apache.directory.server.core.authn.AuthenticationInterceptor;
import org.apache.directory.server.core.authz.DefaultAuthorizationInterceptor;
import org.apache.directory.server.core.event.EventInterceptor;
import org.apache.directory.server.core.exception.ExceptionInterceptor;
import org.apache.directory.server.core.normalization.NormalizationInterceptor;
import org.apache.directory.server.core.operational.OperationalAttributeInterceptor;
import org.apache.directory.server.core.referral.ReferralInterceptor;
import org.apache.directory.server.core.schema.SchemaInterceptor;
import org.apache.directory.server.ldap.LdapServer;
import org.apache.directory.server.protocol.shared.transport.TcpTransport;

/**
 * ApacheDS 2.0.0.AM27 as our DCs embed it — the same shared schema, in-memory (AVL) partition, indexes, interceptor
 * chain and listener settings — but without the AD interceptor: what the engine does on its own, to show in the
 * throughput benchmark how much of the gap to UnboundID is ApacheDS itself. Not a DC (no AD semantics at all).
 *
 * @param service the directory service
 * @param server its LDAP listener
 * @param dir the temporary directory it works in (deleted on close)
 * @param port the LDAP port it took
 */
public record BareApacheDs(DefaultDirectoryService service, LdapServer server, Path dir, int port) implements AutoCloseable {

    /** Starts one with {@code base}, {@code CN=Users} and an administrator {@code adminDn} with {@code password}. */
    public static BareApacheDs start(String base, String adminDn, String password) throws Exception {
        SchemaManager schema = SharedSchema.get();
        Path dir = Files.createTempDirectory("keytrust-bare-apacheds");
        DefaultDirectoryService service = DirectoryInstance.newService("bare", dir, schema);
        service.setSystemPartition(DirectoryInstance.partition(service, schema, "system", ServerDNConstants.SYSTEM_DN, dir, false,
                List.of("objectClass")));
        service.addPartition(DirectoryInstance.partition(service, schema, "domain", base, dir, false, DirectoryInstance.INDEXED));
        service.setInterceptors(List.of(new NormalizationInterceptor(), new AuthenticationInterceptor(), new ReferralInterceptor(),
                new DefaultAuthorizationInterceptor(), new ExceptionInterceptor(), new SchemaInterceptor(),
                new OperationalAttributeInterceptor(), new EventInterceptor()));
        service.startup();
        service.getAdminSession().add(new DefaultEntry(schema, base, "objectClass: top", "objectClass: domain",
                "dc: " + base.substring(3, base.indexOf(','))));
        service.getAdminSession().add(new DefaultEntry(schema, "CN=Users," + base, "objectClass: top", "objectClass: container",
                "cn: Users"));
        DefaultEntry admin = new DefaultEntry(schema, adminDn, "objectClass: top", "objectClass: person",
                "objectClass: organizationalPerson", "objectClass: user", "cn: Administrator", "sn: Administrator");
        admin.add("userPassword", PasswordUtil.createStoragePassword(password.getBytes(StandardCharsets.UTF_8),
                LdapSecurityConstants.HASH_METHOD_SSHA256));
        service.getAdminSession().add(admin);

        LdapServer server = new LdapServer();
        server.setServiceName("bare-apacheds");
        server.setDirectoryService(service);
        server.setMaxSizeLimit(LdapServer.NO_SIZE_LIMIT);
        TcpTransport transport = new TcpTransport("127.0.0.1", 0);
        transport.setNbThreads(2);
        server.setTransports(transport);
        server.start();
        transport.getAcceptor().getSessionConfig().setTcpNoDelay(true);
        return new BareApacheDs(service, server, dir, ((InetSocketAddress) transport.getAcceptor().getLocalAddress()).getPort());
    }

    @Override
    public void close() {
        server.stop();
        try {
            service.shutdown();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the bare ApacheDS: " + e, e);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException ignored) {
                // a temporary directory left behind is harmless
            }
        }
    }
}
