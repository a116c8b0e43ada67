package dev.keytrust.dc;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.util.Map;

/** How a differential script records one LDAP operation: its result code and name, the same on every server. */
final class DifferentialSteps {
    /** The domain both servers serve, and the Administrator's password on both. */
    static final String BASE = "DC=corp,DC=example,DC=com";
    static final String ADMIN_PASSWORD = "Passw0rd!Passw0rd";
    static final String USERS = "CN=Users," + BASE;

    private DifferentialSteps() {
    }

    /** A connection bound as the domain's Administrator. */
    static com.unboundid.ldap.sdk.LDAPConnection administrator(String host, int port) throws Exception {
        return new com.unboundid.ldap.sdk.LDAPConnection(host, port, "CN=Administrator,CN=Users," + BASE, ADMIN_PASSWORD);
    }

    /** One operation of a script. */
    interface Step {
        void run() throws Exception;
    }

    /** Runs {@code step} and records {@code "<code> <name>"} under {@code name}. */
    static void step(Map<String, String> out, String name, Step step) throws Exception {
        try {
            step.run();
            out.put(name, ResultCode.SUCCESS.intValue() + " " + ResultCode.SUCCESS.getName());
        } catch (LDAPException e) {
            out.put(name, e.getResultCode().intValue() + " " + e.getResultCode().getName());
        }
    }
}
