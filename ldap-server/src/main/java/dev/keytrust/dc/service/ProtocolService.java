package dev.keytrust.dc.service;

/**
 * A protocol a DC serves on its own port (LDAP is built in; an echo service in a test, a KDC later). The DC starts
 * each service it hosts after its directory is open, stops it when the DC is suspended or stopped, and starts it
 * again on the same port when the DC resumes. {@code DomainController.port(name)} reads the port back.
 *
 * <p>Add one with {@code DomainControllerConfig.builder(..).service(new MyService())}. A service is a description:
 * it may be started by several DCs (each gets its own {@link Running}), so keep per-DC state in what
 * {@link #start} returns.
 */
public interface ProtocolService {
    /** The service's name, unique in a DC, lower case ({@code kdc}); names its port. */
    String name();

    /** The port to listen on at first start; 0 (the default) picks a free one. */
    default int port() {
        return 0;
    }

    /**
     * Starts listening for the DC {@code context} describes.
     *
     * @param port the port to bind: {@link #port()} at first start, the port it got on a resume
     * @throws Exception when it cannot listen (the DC's start then fails, naming the service)
     */
    Running start(DcContext context, int port) throws Exception;

    /** A started service: the port it bound, and how to stop it. */
    interface Running extends AutoCloseable {
        /** The port actually bound. */
        int port();

        /** Stops listening and frees the port; idempotent. */
        @Override
        void close();

        /**
         * A started service bound to {@code port} that {@code stop} stops ({@code stop} must be idempotent, as
         * {@link #close()} is): {@code return Running.of(kdc.tcpPort(), kdc::close);}
         */
        static Running of(int port, Runnable stop) {
            return new Running() {
                @Override
                public int port() {
                    return port;
                }

                @Override
                public void close() {
                    stop.run();
                }
            };
        }
    }
}
