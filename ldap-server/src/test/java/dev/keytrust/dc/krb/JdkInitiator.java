package dev.keytrust.dc.krb;

import dev.keytrust.dc.service.AccountCredentials;
import dev.keytrust.dc.service.DcContext;
import dev.keytrust.dc.service.DirectoryEntry;
import dev.keytrust.dc.service.DirectoryView;
import dev.keytrust.kdc.KerberosKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KerberosTicket;
import org.apache.kerby.kerberos.kerb.KrbCodec;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.base.NameType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.apache.kerby.kerberos.kerb.type.base.TransitedEncoding;
import org.apache.kerby.kerberos.kerb.type.base.TransitedEncodingType;
import org.apache.kerby.kerberos.kerb.type.ticket.EncTicketPart;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;
import org.apache.kerby.kerberos.kerb.type.ticket.TicketFlags;

/**
 * The JDK's own Kerberos GSS-API initiator ({@code sun.security.jgss}, an implementation independent of the DC's) set
 * up against a DC without a KDC: the test plays the KDC and puts a service ticket for {@code ldap/dc1.corp.example.com}
 * (sealed in DC1$'s AES key) and a TGT into a {@link Subject}, where the JDK looks for them first. The JDK reads a
 * krb5.conf of the test's own ({@code java.security.krb5.conf}, set before its first use: the JDK keeps the first
 * one it reads).
 */
final class JdkInitiator {
    static final String REALM = "CORP.EXAMPLE.COM";
    static final String SERVICE = "ldap/dc1.corp.example.com@" + REALM;
    static final String ALICE = "CN=alice,CN=Users,DC=corp,DC=example,DC=com";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] serviceKey = random(32);
    private final Subject subject = new Subject();

    /**
     * A DC named DC1 whose directory holds DC1$ (with {@link #serviceKey}) and alice. Its clock is the wall clock
     * because the JDK stamps its authenticators with the wall clock.
     */
    final DcContext dc = new DcContext("DC1", "127.0.0.1", "corp.example.com", "DC=corp,DC=example,DC=com",
            Clock.systemUTC(), new Accounts());

    private final String previousConfig = System.getProperty("java.security.krb5.conf");

    JdkInitiator(Path dir) {
        useConfig(dir);
        Instant now = Instant.now();
        subject.getPrivateCredentials().add(ticket("krbtgt/" + REALM + "@" + REALM, random(32), now));
        subject.getPrivateCredentials().add(ticket(SERVICE, serviceKey, now));
    }

    /** Runs {@code action} as alice, with her tickets. */
    <T> T asAlice(PrivilegedExceptionAction<T> action) throws Exception {
        return Subject.doAs(subject, action);
    }

    /** Gives back the krb5.conf setting found before (the JDK keeps what it has read, which only this test uses). */
    void close() {
        if (previousConfig == null) {
            System.clearProperty("java.security.krb5.conf");
        } else {
            System.setProperty("java.security.krb5.conf", previousConfig);
        }
    }

    private static void useConfig(Path dir) {
        try {
            Path conf = dir.resolve("krb5.conf");
            Files.writeString(conf, String.join("\n", "[libdefaults]", "  default_realm = " + REALM,
                    "  dns_lookup_kdc = false", "  dns_lookup_realm = false", "  dns_canonicalize_hostname = false",
                    "  rdns = false", "[realms]", "  " + REALM + " = {", "    kdc = 127.0.0.1:1", "  }",
                    "[domain_realm]", "  .corp.example.com = " + REALM, ""));
            System.setProperty("java.security.krb5.conf", conf.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A ticket for {@code server} (alice's), sealed in {@code key}, with a fresh aes256 session key. */
    private static KerberosTicket ticket(String server, byte[] key, Instant now) {
        byte[] session = random(32);
        EncTicketPart part = new EncTicketPart();
        part.setFlags(new TicketFlags());
        part.setKey(new EncryptionKey(EncryptionType.AES256_CTS_HMAC_SHA1_96, session));
        part.setCrealm(REALM);
        part.setCname(new PrincipalName("alice", NameType.NT_PRINCIPAL));
        TransitedEncoding transited = new TransitedEncoding();
        transited.setTrType(TransitedEncodingType.DOMAIN_X500_COMPRESS);
        transited.setContents(new byte[0]);
        part.setTransited(transited);
        part.setAuthTime(new KerberosTime(now.toEpochMilli()));
        part.setStartTime(new KerberosTime(now.toEpochMilli()));
        part.setEndTime(new KerberosTime(now.plus(Duration.ofHours(10)).toEpochMilli()));
        Ticket ticket = new Ticket();
        ticket.setTktKvno(5);
        ticket.setSname(new PrincipalName(server.substring(0, server.indexOf('@')), NameType.NT_SRV_INST));
        ticket.setRealm(REALM);
        try {
            ticket.setEncryptedEncPart(EncryptionHandler.encrypt(KrbCodec.encode(part),
                    new EncryptionKey(EncryptionType.AES256_CTS_HMAC_SHA1_96, key), KeyUsage.KDC_REP_TICKET));
            return new KerberosTicket(KrbCodec.encode(ticket), new KerberosPrincipal("alice@" + REALM),
                    new KerberosPrincipal(server), session, 18, new boolean[32], Date.from(now), Date.from(now),
                    Date.from(now.plus(Duration.ofHours(10))), null, null);
        } catch (KrbException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private final class Accounts implements DirectoryView {
        @Override
        public Optional<DirectoryEntry> lookup(String dn, String... attributes) {
            return Optional.empty(); // no userAccountControl: an enabled account
        }

        @Override
        public List<DirectoryEntry> search(String filter, String... attributes) {
            return List.of();
        }

        @Override
        public Optional<String> accountDn(String samAccountName) {
            return credentials(samAccountName).map(AccountCredentials::accountDn);
        }

        @Override
        public Optional<AccountCredentials> credentials(String name) {
            if (name.equalsIgnoreCase("DC1$")) {
                return Optional.of(new AccountCredentials("CN=DC1,OU=Domain Controllers,DC=corp,DC=example,DC=com",
                        "DC1$", new byte[16], 1, REALM + "hostdc1.corp.example.com",
                        List.of(new KerberosKey(18, 1, serviceKey))));
            }
            if (name.equalsIgnoreCase("alice")) {
                return Optional.of(new AccountCredentials(ALICE, "alice", new byte[16], 1, REALM + "alice", List.of()));
            }
            return Optional.empty();
        }

        @Override
        public Optional<AccountCredentials> credentials(DirectoryEntry account) {
            return account.string("sAMAccountName").flatMap(this::credentials);
        }
    }
}
