package dev.keytrust.testbed;

import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ entry points for the testbed.
 *
 * <pre>{@code
 * import static dev.keytrust.testbed.KeyTrustAssertions.assertThat;
 * assertThat(testbed.dc("DC3")).hasKey(key);
 * }</pre>
 */
public final class KeyTrustAssertions {
    private KeyTrustAssertions() {
    }

    public static DcAssert assertThat(TestbedDc dc) {
        return new DcAssert(dc);
    }

    /** Assertions on what one DC holds now. */
    public static final class DcAssert extends AbstractAssert<DcAssert, TestbedDc> {
        DcAssert(TestbedDc actual) {
            super(actual, DcAssert.class);
        }

        /** The DC holds an NGC value with the key's KeyID. */
        public DcAssert hasKey(TestKey key) {
            isNotNull();
            if (!actual.hasKey(key)) {
                failWithMessage("expected %s to hold %s (KeyID %s) but it does not", actual, key, key.keyId());
            }
            return this;
        }

        /** The DC holds no value with the key's KeyID. */
        public DcAssert doesNotHaveKey(TestKey key) {
            isNotNull();
            if (actual.hasKey(key)) {
                failWithMessage("expected %s not to hold %s (KeyID %s) but it does", actual, key, key.keyId());
            }
            return this;
        }
    }
}
