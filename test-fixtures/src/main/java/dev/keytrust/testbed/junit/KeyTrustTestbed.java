package dev.keytrust.testbed.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against one {@link dev.keytrust.testbed.Testbed} (started before the first test, closed after the
 * last, {@linkplain dev.keytrust.testbed.Testbed#reset() reset} before each test); test methods and constructors
 * receive it as a parameter.
 *
 * <pre>{@code
 * @KeyTrustTestbed(users = 5, seed = 42)
 * class KeyJourneyTest {
 *     @Test
 *     void aKeyReachesTheBranchAfterTheSiteLinkInterval(Testbed testbed) {
 *         TestKey key = testbed.registerKey(testbed.users().get(0), "PC");
 *         testbed.await().until(key).isVisibleOn("DC3");
 *     }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(KeyTrustTestbedExtension.class)
public @interface KeyTrustTestbed {
    /** A topology YAML file (relative to the working directory) or a class-path resource; empty for the default. */
    String topology() default "";

    /** Number of seeded users. */
    int users() default 10;

    /** Seed for people, keys and ids. */
    long seed() default 0;

    /** The agent's cycle, as an ISO-8601 duration. */
    String agentInterval() default "PT30M";
}
