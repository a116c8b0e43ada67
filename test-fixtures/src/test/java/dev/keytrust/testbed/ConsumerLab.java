package dev.keytrust.testbed;

/**
 * A consumer's test in miniature, run by {@link ConsumerLoggingIT} in a JVM of its own whose class path has the test
 * kit, the consumer's own SLF4J binding and none of this project's logging configuration.
 */
public final class ConsumerLab {
    private ConsumerLab() {
    }

    public static void main(String[] args) {
        try (Testbed testbed = Testbed.start(TestbedConfig.builder().users(2).seed(1).build())) {
            TestKey key = testbed.registerKey(testbed.users().get(0), "PC");
            testbed.await().until(key).isVisibleOn("DC3");
            System.out.println("converged");
        }
    }
}
