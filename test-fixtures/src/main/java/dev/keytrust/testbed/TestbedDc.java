package dev.keytrust.testbed;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import dev.keytrust.dc.DomainController;

/**
 * One DC of a {@link Testbed}, as a test sees it: its name and site, its LDAP URL and a bound connection.
 *
 * <pre>{@code
 * try (LDAPConnection ldap = testbed.dc("DC3").connect()) { ... }
 * assertThat(testbed.dc("DC3")).hasKey(key);
 * }</pre>
 */
public final class TestbedDc {
    private final DomainController dc;
    private final String password;

    TestbedDc(DomainController dc, String password) {
        this.dc = dc;
        this.password = password;
    }

    public String name() {
        return dc.name();
    }

    public String site() {
        return dc.config().site();
    }

    /** {@code ldap://127.0.0.1:PORT}. */
    public String ldapUrl() {
        return dc.ldapUrl();
    }

    public String baseDn() {
        return dc.baseDn();
    }

    /** The administrator's DN (bind with {@link TestbedConfig#adminPassword()}). */
    public String bindDn() {
        return dc.administratorDn();
    }

    /** The port of the DC's KDC (TCP and UDP, on its host): {@code kdc = 127.0.0.1:PORT} in a krb5.conf. */
    public int kdcPort() {
        return dc.port(dev.keytrust.dc.kerberos.KdcService.NAME);
    }

    /** The DC's DNS host name ({@code dc1.corp.example.com}): its SPNs are {@code ldap/<this>}, {@code host/<this>}. */
    public String dnsHostName() {
        return dc.config().dnsHostName();
    }

    /** Whether the DC is serving (not stopped by a fault). */
    public boolean isServing() {
        return dc.isServing();
    }

    /** A new connection bound as the administrator; close it. */
    public LDAPConnection connect() {
        try {
            return new LDAPConnection(dc.host(), dc.port(), dc.administratorDn(), password);
        } catch (LDAPException e) {
            throw dev.keytrust.LdapFailures.of("connect to", name() + " (" + ldapUrl() + ")" + (dc.isServing() ? ""
                    : ", which is stopped,"), e.getResultCode().intValue(), e.getResultCode().getName(),
                    e.getDiagnosticMessage(), e);
        }
    }

    /** Whether an NGC value with this key's KeyID is on this DC now. */
    public boolean hasKey(TestKey key) {
        try (LDAPConnection ldap = connect()) {
            return KeyProbe.find(ldap, baseDn(), key.keyId()).isPresent();
        } catch (LDAPException e) {
            throw dev.keytrust.LdapFailures.of("read the keys on", name(), e.getResultCode().intValue(),
                    e.getResultCode().getName(), e.getDiagnosticMessage(), e);
        }
    }

    DomainController controller() {
        return dc;
    }

    @Override
    public String toString() {
        return name() + " (" + site() + ", " + ldapUrl() + ")";
    }
}
