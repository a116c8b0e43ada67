package dev.keytrust.kdc;

import dev.keytrust.kdc.crypto.KerberosKeys;
import java.util.List;
import java.util.Optional;

/** A small realm for tests: krbtgt, the user alice, a disabled user and the computer account of DC1. */
final class TestRealm {
    static final String REALM = "CORP.EXAMPLE.COM";
    static final String DOMAIN = "corp.example.com";
    static final String DOMAIN_SID = "S-1-5-21-1004336348-1177238915-682003330";
    static final String ALICE_PASSWORD = "Alice-Secret-1";

    private TestRealm() {
    }

    static InMemoryKdcAccounts accounts() {
        InMemoryKdcAccounts accounts = new InMemoryKdcAccounts();
        accounts.put(user("krbtgt", "krbtgt-long-random-password", 502, false));
        accounts.put(user("alice", ALICE_PASSWORD, 1104, false));
        accounts.put(user("mallory", "Mallory-Secret-1", 1105, true));
        String dcSalt = KerberosKeys.computerSalt(REALM, "DC1$", DOMAIN);
        accounts.put(new KdcAccount("DC1$", Optional.empty(),
                List.of("ldap/dc1.corp.example.com", "host/dc1.corp.example.com", "HOST/DC1"),
                KerberosKeys.fromPassword("dc1-machine-password", dcSalt, 2), dcSalt, false, List.of(),
                DOMAIN_SID + "-1000", List.of(516)));
        return accounts;
    }

    static KdcAccount user(String name, String password, int rid, boolean disabled) {
        String salt = KerberosKeys.userSalt(REALM, name);
        return new KdcAccount(name, Optional.of(name + "@" + DOMAIN), List.of(),
                KerberosKeys.fromPassword(password, salt, 1), salt, disabled, List.of(), DOMAIN_SID + "-" + rid,
                List.of(513));
    }
}
