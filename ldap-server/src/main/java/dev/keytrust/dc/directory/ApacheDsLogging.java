package dev.keytrust.dc.directory;

import org.slf4j.LoggerFactory;

/**
 * Keeps ApacheDS's own log lines (thousands of INFO lines per server, and warnings about what it does for us: "you
 * didn't change the admin password", duplicate supportedControl values, attributes a client asked for that AD's schema
 * lacks) out of a consumer's test output. The library ships no SLF4J binding, so it sets the level only where the
 * consumer has not: the {@code org.slf4j.simpleLogger.log.org.apache.directory} system property for slf4j-simple, or
 * the {@code org.apache.directory} logger's level for Logback when it has none. To see them, configure that logger
 * (e.g. {@code -Dorg.slf4j.simpleLogger.log.org.apache.directory=warn}, or a {@code <logger>} in logback-test.xml).
 */
public final class ApacheDsLogging {
    static final String LOGGER = "org.apache.directory";
    private static volatile boolean done;

    private ApacheDsLogging() {
    }

    /** Before the first ApacheDS class logs; later calls do nothing. */
    public static void quiet() {
        if (done) {
            return;
        }
        done = true;
        String simple = "org.slf4j.simpleLogger.log." + LOGGER;
        if (System.getProperty(simple) == null) {
            System.setProperty(simple, "error");
        }
        try {
            Object logger = LoggerFactory.getLogger(LOGGER);
            ClassLoader loader = logger.getClass().getClassLoader();
            Class<?> logback = Class.forName("ch.qos.logback.classic.Logger", false, loader);
            if (logback.isInstance(logger) && logback.getMethod("getLevel").invoke(logger) == null) {
                Class<?> level = Class.forName("ch.qos.logback.classic.Level", false, loader);
                logback.getMethod("setLevel", level).invoke(logger, level.getField("ERROR").get(null));
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException notLogback) {
            // another binding (or none): the system property above is all a library can do
        }
    }
}
