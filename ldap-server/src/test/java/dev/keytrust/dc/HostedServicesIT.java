package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.unboundid.ldap.sdk.GenericSASLBindRequest;
import com.unboundid.ldap.sdk.LDAPBindException;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.asn1.ASN1OctetString;
import dev.keytrust.dc.service.BindStep;
import dev.keytrust.dc.service.DcContext;
import dev.keytrust.dc.service.ProtocolService;
import dev.keytrust.dc.service.SaslMechanism;
import dev.keytrust.time.VirtualClock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.directory.server.core.api.interceptor.BaseInterceptor;
import org.apache.directory.server.core.api.interceptor.context.AddOperationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A DC hosts what its config lists: a toy protocol service on its own port that answers from the DC's directory, a
 * toy two-round SASL mechanism on the LDAP port, and an interceptor after the AD one — added through the config
 * alone, talked to over sockets.
 */
class HostedServicesIT {
    private static final String PASSWORD = "Passw0rd!Passw0rd";
    private static final VirtualClock CLOCK = new VirtualClock(Instant.parse("2026-03-01T08:00:00Z"));
    private static final AtomicInteger ADDS_SEEN = new AtomicInteger();
    private static DomainController dc;

    @BeforeAll
    static void start() {
        dc = DomainController.start(DomainControllerConfig.builder("DC1").adminPassword(PASSWORD).clock(CLOCK)
                .service(new WhoisService())
                .saslMechanism(new ToyMechanism())
                .interceptor(() -> new BaseInterceptor("toy-counter") {
                    @Override
                    public void add(AddOperationContext add) throws org.apache.directory.api.ldap.model.exception.LdapException {
                        ADDS_SEEN.incrementAndGet();
                        next(add);
                    }
                })
                .build());
    }

    @AfterAll
    static void stop() {
        dc.close();
    }

    @Test
    void aHostedServiceGetsItsOwnPortAndAnswersFromTheDcsDirectory() throws IOException {
        assertThat(dc.services()).containsExactly("ldap", "whois");
        assertThat(dc.port("whois")).isPositive().isNotEqualTo(dc.port());
        assertThat(dc.port("ldap")).isEqualTo(dc.port());

        assertThat(ask("Administrator")).isEqualTo("CORP.EXAMPLE.COM DC1 CN=Administrator,CN=Users,DC=corp,DC=example,DC=com");
        assertThat(ask("nobody")).isEqualTo("CORP.EXAMPLE.COM DC1 unknown");
    }

    @Test
    void aHostedServiceIsDownWhileTheDcIsSuspendedAndBackOnTheSamePortAfter() throws IOException {
        int port = dc.port("whois");
        dc.suspend();
        try {
            assertThat(catchThrowableOfType(() -> new Socket("127.0.0.1", port).close(), IOException.class)).isNotNull();
        } finally {
            dc.resume();
        }
        assertThat(dc.port("whois")).isEqualTo(port);
        assertThat(ask("Administrator")).endsWith("CN=Administrator,CN=Users,DC=corp,DC=example,DC=com");
    }

    @Test
    void anUnknownServiceNameIsRefusedNamingTheServicesThereAre() {
        assertThat(catchThrowableOfType(() -> dc.port("kdc"), dev.keytrust.KeyTrustException.class))
                .hasMessageContaining("hosts no service 'kdc'").hasMessageContaining("ldap, whois");
    }

    @Test
    void aSaslMechanismOfTheConfigBindsInTwoRoundsAndTheConnectionActsAsTheAccount() throws LDAPException {
        try (LDAPConnection ldap = new LDAPConnection("127.0.0.1", dc.port())) {
            assertThat(ldap.getEntry("").getAttributeValues("supportedSASLMechanisms")).containsExactly("GSSAPI", "GSS-SPNEGO", "X-TOY");
            LDAPBindException first = catchThrowableOfType(() -> ldap.bind(new GenericSASLBindRequest(null, "X-TOY",
                    new ASN1OctetString("Administrator"))), LDAPBindException.class);
            assertThat(first.getResultCode()).isEqualTo(ResultCode.SASL_BIND_IN_PROGRESS);
            String challenge = first.getBindResult().getServerSASLCredentials().stringValue();

            ldap.bind(new GenericSASLBindRequest(null, "X-TOY", new ASN1OctetString(reverse(challenge))));

            assertThat(ldap.getEntry(dc.administratorDn(), "sAMAccountName").getAttributeValue("sAMAccountName"))
                    .isEqualTo("Administrator"); // anonymous connections read nothing in the domain
        }
    }

    @Test
    void aSaslMechanismRefusingAnswers49WithItsReason() throws LDAPException {
        try (LDAPConnection ldap = new LDAPConnection("127.0.0.1", dc.port())) {
            catchThrowableOfType(() -> ldap.bind(new GenericSASLBindRequest(null, "X-TOY",
                    new ASN1OctetString("Administrator"))), LDAPBindException.class);
            LDAPBindException refused = catchThrowableOfType(() -> ldap.bind(new GenericSASLBindRequest(null, "X-TOY",
                    new ASN1OctetString("wrong"))), LDAPBindException.class);
            assertThat(refused.getResultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS);
            assertThat(refused.getDiagnosticMessage()).isEqualTo("X-TOY: the answer does not match the challenge");
        }
    }

    @Test
    void anInterceptorOfTheConfigSeesTheDcsWrites() throws Exception {
        int before = ADDS_SEEN.get();
        try (LDAPConnection ldap = dc.connect()) {
            ldap.add("dn: OU=Toy," + dc.baseDn(), "objectClass: top", "objectClass: organizationalUnit", "ou: Toy");
        }
        assertThat(ADDS_SEEN.get()).isGreaterThan(before);
    }

    private static String ask(String sam) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", dc.port("whois"));
                PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            out.println(sam);
            return in.readLine();
        }
    }

    private static String reverse(String s) {
        return new StringBuilder(s).reverse().toString();
    }

    /** One line in (a sAMAccountName), one line out: the realm, the DC and the account's DN from the directory. */
    private static final class WhoisService implements ProtocolService {
        @Override
        public String name() {
            return "whois";
        }

        @Override
        public Running start(DcContext context, int port) throws IOException {
            ServerSocket server = new ServerSocket(port, 50, InetAddress.getByName(context.host()));
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept();
                            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                            PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
                        String sam = in.readLine();
                        out.println(context.realm() + " " + context.name() + " "
                                + context.directory().accountDn(sam == null ? "" : sam.trim()).orElse("unknown"));
                    } catch (IOException e) {
                        // closed, or the client went away
                    }
                }
            }, "whois-" + context.name());
            accept.setDaemon(true);
            accept.start();
            return Running.of(server.getLocalPort(), () -> {
                try {
                    server.close();
                } catch (IOException e) {
                    // closed already
                }
            });
        }
    }

    /** Round one names the account and gets a challenge; round two sends the challenge reversed. */
    private static final class ToyMechanism implements SaslMechanism {
        @Override
        public String name() {
            return "X-TOY";
        }

        @Override
        public Conversation start(DcContext context) {
            return new Conversation() {
                private String account;
                private String challenge;

                @Override
                public BindStep evaluate(byte[] credentials) {
                    String sent = new String(credentials, StandardCharsets.UTF_8);
                    if (account == null) {
                        account = context.directory().accountDn(sent).orElse(null);
                        if (account == null) {
                            return new BindStep.Refused("X-TOY: no account " + sent);
                        }
                        challenge = "nonce-" + context.clock().millis();
                        return new BindStep.Continue(challenge.getBytes(StandardCharsets.UTF_8));
                    }
                    return sent.equals(reverse(challenge)) ? new BindStep.Done(account, new byte[0])
                            : new BindStep.Refused("X-TOY: the answer does not match the challenge");
                }
            };
        }
    }
}
