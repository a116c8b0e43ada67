package dev.keytrust.graph.mock;

import dev.keytrust.time.VirtualScheduler;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The set-up the mock's HTTPS ITs share: for each test a mock on virtual time (from {@link #START}) built from
 * {@link #config()}, and a plain HTTPS client of it; the mock is closed after the test. A subclass's own
 * {@code @BeforeEach} runs after this one, with the mock started.
 */
abstract class MockOverHttps {
    /** Where virtual time starts. */
    static final Instant START = Instant.parse("2026-03-01T08:00:00Z");

    protected VirtualScheduler time;
    protected GraphMock mock;
    protected RawGraphClient client;

    /** The mock's settings for the test (a seed at least); the set-up adds the clock. */
    abstract GraphMockConfig.Builder config();

    @BeforeEach
    void startMock() {
        time = new VirtualScheduler(START);
        mock = GraphMock.start(config().clock(time.clock()).build());
        client = new RawGraphClient(mock);
    }

    @AfterEach
    void stopMock() {
        mock.close();
    }
}
