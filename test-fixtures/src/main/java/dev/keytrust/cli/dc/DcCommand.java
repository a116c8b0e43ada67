package dev.keytrust.cli.dc;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFChangeRecord;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.cli.options.AdminPasswordOption;
import dev.keytrust.cli.options.Krb5DirOption;
import dev.keytrust.cli.options.SeededPeopleOptions;
import dev.keytrust.cli.options.TimeScaleOption;
import dev.keytrust.dc.DcServices;
import dev.keytrust.dc.DomainController;
import dev.keytrust.dc.DomainControllerConfig;
import dev.keytrust.dc.DomainControllerConfigBuilder;
import dev.keytrust.persona.Personas;
import dev.keytrust.replication.RemoteReplication;
import dev.keytrust.time.ScaledScheduler;
import dev.keytrust.topology.DcSpec;
import dev.keytrust.topology.Topology;
import dev.keytrust.topology.TopologyYaml;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keytrust dc}: one domain controller in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "dc",
        description = {
            "Run one AD-like domain controller (embedded ApacheDS) in the foreground until stopped (Ctrl-C, SIGTERM).",
            "Prints its LDAP URL and bind DN (and the password if it was generated).",
            "With --data DIR the same command restarts it from its data; --users and --ldif seed a new database only."
        },
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:",
            "  keytrust dc --name DC1 --port 14389 --users 10 --seed 42",
            "  keytrust dc --name DC1 --kdc-port 0 --krb5-dir ./krb5      # then KRB5_CONFIG=./krb5/krb5-DC1.conf kinit alice",
            "  sudo keytrust dc --name DC1 --host 127.0.0.11          # AD's ports: 389, 636, 3268, 3269",
            "  KEYTRUST_ADMIN_PASSWORD='Passw0rd!' keytrust dc --name DC1 --data ./dc1 --ldif people.ldif",
            "  ldapsearch -x -H ldap://127.0.0.1:14389 -D CN=Administrator,CN=Users,DC=corp,DC=example,DC=com -W \\",
            "      -b DC=corp,DC=example,DC=com '(objectClass=user)' msDS-KeyCredentialLink"})
public final class DcCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--name", defaultValue = "DC1", paramLabel = "NAME", description = "DC name (default ${DEFAULT-VALUE}).")
    private String name;

    @Option(names = "--site", defaultValue = DomainControllerConfig.DEFAULT_SITE, paramLabel = "SITE",
            description = "AD site (default ${DEFAULT-VALUE}).")
    private String site;

    @Option(names = "--domain", defaultValue = DomainControllerConfig.DEFAULT_DOMAIN, paramLabel = "DNS",
            description = "Domain DNS name (default ${DEFAULT-VALUE}).")
    private String domain;

    @Option(names = "--host", defaultValue = DomainControllerConfig.DEFAULT_HOST, paramLabel = "HOST",
            description = "Address to listen on (default ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", description = {"LDAP port; 0 picks a free one (default, except with a --host "
            + "of its own: then AD's ports, see --standard-ports)."})
    private Integer port;

    @Option(names = "--standard-ports", description = {"AD's ports at --host: LDAP 389, LDAPS 636, global catalog 3268 and 3269 "
            + "(and 88 for a KDC). The default when --host is given and no port is; needs root or CAP_NET_BIND_SERVICE."})
    private boolean standardPorts;

    @Option(names = "--gc-port", paramLabel = "PORT", description = "Also serve the global catalog (read-only) on PORT (0 picks one).")
    private Integer gcPort;

    @Option(names = "--data", paramLabel = "DIR", description = {"Keep data in DIR across restarts (default: in memory).",
        "The same command restarts the DC from DIR (after Ctrl-C, SIGTERM or kill -9): --users and --ldif seed a new "
                + "database only and are skipped when DIR already holds one."})
    private Path data;

    @Option(names = "--ldif", paramLabel = "FILE", description = "Load entries (or change records) from an LDIF file at start.")
    private Path ldif;

    @picocli.CommandLine.Mixin
    private AdminPasswordOption adminPassword = new AdminPasswordOption();

    @Option(names = "--ldaps-port", paramLabel = "PORT", description = "Also serve LDAPS on PORT (0 picks a free one).")
    private Integer ldapsPort;

    @Option(names = "--starttls", description = "Offer StartTLS on the LDAP port.")
    private boolean startTls;

    @Option(names = "--keystore", paramLabel = "FILE", description = "PKCS#12/JKS key store for LDAPS/StartTLS (default: a generated self-signed certificate).")
    private Path keystore;

    @Option(names = "--keystore-password-env", paramLabel = "VAR", description = "Environment variable holding the --keystore password.")
    private String keystorePasswordEnv;

    /** --users (created in CN=Users) and --seed. */
    @picocli.CommandLine.Mixin
    private SeededPeopleOptions people = new SeededPeopleOptions();

    @Option(names = "--topology", paramLabel = "FILE",
            description = "Run this DC (--name) as part of a topology file: site, host and port come from the file, and it "
                    + "replicates with its partners at their addresses there (each DC in its own process).")
    private Path topologyFile;

    @picocli.CommandLine.Mixin
    private TimeScaleOption timeScale = new TimeScaleOption();

    @Option(names = "--user-password", paramLabel = "PW", description = "Password of the --users accounts (default: none, they cannot bind).")
    private String userPassword;

    @Option(names = "--kdc-port", paramLabel = "PORT", description = {"Also serve Kerberos on PORT, TCP and UDP (0 picks a "
            + "free one): password and key-trust PKINIT sign-ins and service tickets, from this DC's own directory.",
        "With --topology, a DC's kdcPort in the file wins."})
    private Integer kdcPort;

    @Option(names = "--kdc-ca", paramLabel = "CERT.pem", description = "The lab CA that issues the KDC certificate (with "
            + "--kdc-ca-key; share one among the DCs of a lab). Default: one generated at start.")
    private Path kdcCa;

    @Option(names = "--kdc-ca-key", paramLabel = "KEY.pem", description = "The --kdc-ca's private key (PEM, unencrypted).")
    private Path kdcCaKey;

    @picocli.CommandLine.Mixin
    private Krb5DirOption krb5Dir = new Krb5DirOption();

    @Override
    public Integer call() throws Exception {
        int users = people.users();
        long seed = people.seed();
        if (ldif != null && !Files.isReadable(ldif)) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--ldif: cannot read '" + ldif + "'");
        }
        String password = adminPassword.password();
        // One address per DC, as real DCs have: a --host of its own without ports gets AD's ports, as tools expect.
        boolean ownAddress = spec.commandLine().getParseResult().hasMatchedOption("--host")
                && !DomainControllerConfig.DEFAULT_HOST.equals(host);
        boolean standard = standardPorts || (ownAddress && port == null && ldapsPort == null && gcPort == null);
        DomainControllerConfigBuilder builder = DomainControllerConfig.builder(name).site(site).domain(domain).host(host)
                .dataDirectory(data).adminPassword(password).seed(seed).startTls(startTls);
        if (standard) {
            builder.standardPorts();
        }
        if (port != null) {
            builder.port(port);
        }
        if (ldapsPort != null) {
            builder.ldapsPort(ldapsPort);
        }
        if (gcPort != null) {
            builder.globalCatalogPort(gcPort);
        }
        Topology topology = null;
        ScaledScheduler time = null;
        if (topologyFile != null) {
            topology = TopologyYaml.read(topologyFile);
            DcSpec spec = topology.dc(name).orElseThrow(() -> new KeyTrustException(ErrorCode.INVALID_TOPOLOGY,
                    "--name " + name + " is not a DC of " + topologyFile));
            if (spec.port() == 0) {
                throw new KeyTrustException(ErrorCode.INVALID_TOPOLOGY, topologyFile + ": " + name + " needs a port: its "
                        + "partners in other processes find it there");
            }
            if (password == null) {
                throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--topology: every DC of the topology needs the "
                        + "same administrator password (--admin-password or " + AdminPasswordOption.PASSWORD_ENV + "): partners bind with it");
            }
            time = ScaledScheduler.startingNow(timeScale.scale());
            topology.configure(builder, spec).clock(time.clock());
            if (spec.kdcPort() != null) {
                kdcPort = spec.kdcPort();
            }
        }
        if (kdcPort != null) {
            builder.kdcPort(kdcPort).kdcCertificateAuthority(labCa());
        }
        if (keystore != null) {
            String keystorePassword = keystorePasswordEnv == null ? "" : System.getenv(keystorePasswordEnv);
            if (keystorePassword == null) {
                throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--keystore-password-env: variable '"
                        + keystorePasswordEnv + "' is not set");
            }
            builder.keystore(keystore, keystorePassword);
        }
        DomainControllerConfig config = builder.build();
        DomainController dc = DomainController.start(config);
        RemoteReplication replication = null;
        if (topology != null) {
            try {
                replication = RemoteReplication.start(topology, name, dc, time, password, seed);
            } catch (RuntimeException e) {
                dc.stop();
                time.close();
                throw e;
            }
        }
        final RemoteReplication running = replication;
        final ScaledScheduler clock = time;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (running != null) {
                running.close();
                clock.close();
            }
            dc.stop();
            stopped.countDown();
        }, "keytrust-dc-shutdown"));
        boolean seeding = dc.isNewDatabase();
        try {
            if (seeding && users > 0) {
                dc.addUsers(Personas.generate(seed, users), Optional.ofNullable(userPassword));
            }
            if (seeding && ldif != null) {
                loadLdif(dc, ldif);
            }
        } catch (RuntimeException | IOException e) {
            dc.stop();
            throw e;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(dc.name() + " " + config.site() + " " + dc.ldapUrl());
        dc.ldapsUrl().ifPresent(url -> out.println("LDAPS:    " + url));
        if (dc.services().contains(DcServices.GC_SERVICE)) {
            out.println("GC:       ldap://" + dc.host() + ":" + dc.port(DcServices.GC_SERVICE) + " (read-only)"
                    + (dc.services().contains(DcServices.GC_SSL_SERVICE)
                    ? ", ldaps://" + dc.host() + ":" + dc.port(DcServices.GC_SSL_SERVICE) : ""));
        }
        if (!DomainControllerConfig.DEFAULT_HOST.equals(dc.host())) {
            out.println("hosts:    " + HostsFile.line(dc.host(), config.dnsHostName()) + "   (add to /etc/hosts for tools that use the name)");
        }
        if (config.startTls()) {
            out.println("StartTLS: on " + dc.ldapUrl());
        }
        dc.certificatePem().ifPresent(pem -> out.println("CA cert:  " + pem + "   (LDAPTLS_CACERT=" + pem + " ldapsearch ...)"));
        out.println("bind DN:  " + dc.administratorDn());
        if (dc.passwordGenerated()) {
            out.println("password: " + dc.administratorPassword()
                    + "   (generated; set --admin-password or " + AdminPasswordOption.PASSWORD_ENV + " to choose one)");
        }
        out.println("base DN:  " + dc.baseDn());
        krb5Dir.write(java.util.List.of(dc), false, out);
        if (running != null) {
            out.println("replication: " + running.connections().size() + " connections (" + String.join(", ",
                    running.connections().stream().map(Object::toString).toList()) + "), time scale " + timeScale.scale());
        }
        if (!seeding) {
            out.println("data:     restarted from " + data + " (its users and entries as they were" + (users > 0 || ldif != null
                    ? "; --users and --ldif seed a new database only, so they were skipped" : "") + ")");
        }
        out.println("ready" + (seeding && users > 0 ? " with " + users + " users (seed " + seed + ")" : "") + "; Ctrl-C stops");
        out.flush();
        stopped.await();
        return 0;
    }

    /** The lab CA given with --kdc-ca/--kdc-ca-key, or null (the DC generates one). */
    private dev.keytrust.kdc.pkinit.KdcCertificates.Credential labCa() throws IOException {
        if (kdcCa == null && kdcCaKey == null) {
            return null;
        }
        if (kdcCa == null || kdcCaKey == null || !Files.isReadable(kdcCa) || !Files.isReadable(kdcCaKey)) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--kdc-ca and --kdc-ca-key: expected two readable "
                    + "PEM files (the CA's certificate and its private key) but found " + kdcCa + " and " + kdcCaKey);
        }
        return dev.keytrust.kdc.pkinit.KdcCertificates.readCa(Files.readString(kdcCa), Files.readString(kdcCaKey));
    }

    private static void loadLdif(DomainController dc, Path file) throws IOException {
        int count = 0;
        try (LDIFReader reader = new LDIFReader(file.toFile()); LDAPConnection ldap = dc.connect()) {
            while (true) {
                LDIFChangeRecord record;
                try {
                    record = reader.readChangeRecord(true);
                } catch (LDIFException e) {
                    throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--ldif " + file + ": line "
                            + e.getLineNumber() + ": " + e.getExceptionMessage());
                }
                if (record == null) {
                    break;
                }
                try {
                    record.processChange(ldap);
                    count++;
                } catch (LDAPException e) {
                    throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--ldif " + file + ": record " + (count + 1)
                            + " (" + record.getDN() + ") was refused: " + e.getResultCode() + " " + e.getDiagnosticMessage());
                }
            }
        }
    }
}
