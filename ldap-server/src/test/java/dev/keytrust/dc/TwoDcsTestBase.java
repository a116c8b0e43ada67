package dev.keytrust.dc;

import com.unboundid.ldap.sdk.LDAPConnection;
import dev.keytrust.time.VirtualClock;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Two fresh DCs of one domain for every test, on one virtual clock, each with an administrator connection. */
abstract class TwoDcsTestBase {
    static final String PASSWORD = "Passw0rd!Passw0rd";

    final VirtualClock clock;
    private final long seed;
    DomainController dc1;
    DomainController dc2;
    LDAPConnection ldap1;
    LDAPConnection ldap2;

    /** DCs whose clock starts at {@code start}, with the domain of {@code seed}. */
    TwoDcsTestBase(Instant start, long seed) {
        this.clock = new VirtualClock(start);
        this.seed = seed;
    }

    @BeforeEach
    void startDcs() {
        dc1 = DomainController.start(DomainControllerConfig.builder("DC1").adminPassword(PASSWORD).clock(clock).seed(seed).build());
        dc2 = DomainController.start(DomainControllerConfig.builder("DC2").adminPassword(PASSWORD).clock(clock).seed(seed).build());
        ldap1 = dc1.connect();
        ldap2 = dc2.connect();
    }

    @AfterEach
    void stopDcs() {
        ldap1.close();
        ldap2.close();
        dc1.close();
        dc2.close();
    }

    /** The domain's CN=Users container. */
    String users() {
        return "CN=Users," + dc1.baseDn();
    }
}
