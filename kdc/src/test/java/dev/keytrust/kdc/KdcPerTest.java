package dev.keytrust.kdc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The set-up the KDC's client ITs share: a KDC of {@link TestRealm} on free ports for each test, closed after it. A
 * test that needs other settings closes {@link #kdc} and starts its own in its place; that one is closed after it.
 */
abstract class KdcPerTest {
    /** The KDC under test. */
    protected Kdc kdc;

    @BeforeEach
    void startKdc() {
        kdc = Kdc.start(KdcConfig.builder(TestRealm.REALM, TestRealm.accounts()).build());
    }

    @AfterEach
    void stopKdc() {
        kdc.close();
    }
}
