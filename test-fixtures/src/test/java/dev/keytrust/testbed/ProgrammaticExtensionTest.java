package dev.keytrust.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keytrust.testbed.junit.KeyTrustTestbedExtension;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An instance-field extension: every test gets its own testbed (own ports), closed after it. */
class ProgrammaticExtensionTest {
    private static final Set<String> URLS = new HashSet<>();

    @RegisterExtension
    KeyTrustTestbedExtension lab = KeyTrustTestbedExtension.with(TestbedConfig.builder().users(2).seed(3).build());

    @Test
    void first(Testbed testbed) {
        URLS.add(testbed.dc("DC1").ldapUrl());
        assertThat(testbed.users()).hasSize(2);
    }

    @Test
    void second(Testbed testbed) {
        URLS.add(testbed.dc("DC1").ldapUrl());
        assertThat(testbed.dc("DC2").isServing()).isTrue();
    }

    @AfterAll
    static void eachTestHadItsOwnTestbed() {
        assertThat(URLS).hasSize(2);
    }
}
