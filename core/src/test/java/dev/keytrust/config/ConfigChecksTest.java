package dev.keytrust.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigChecksTest {
    @Test
    void passesGoodValuesThrough() {
        assertThat(ConfigChecks.notBlank("x", "name")).isEqualTo("x");
        assertThat(ConfigChecks.inRange(1, 1, 20, "attempts")).isEqualTo(1);
        assertThat(ConfigChecks.inRange(20, 1, 20, "attempts")).isEqualTo(20);
        assertThat(ConfigChecks.port(0, "port")).isZero();
        assertThat(ConfigChecks.port(65_535, "port")).isEqualTo(65_535);
        assertThat(ConfigChecks.positive(Duration.ofNanos(1), "timeout")).isEqualTo(Duration.ofNanos(1));
    }

    @Test
    void namesTheSettingAndWhatItExpects() {
        assertThatThrownBy(() -> ConfigChecks.notBlank(" ", "the client secret")).isInstanceOf(KeyTrustException.class)
                .hasMessage("the client secret must not be blank")
                .satisfies(e -> assertThat(((KeyTrustException) e).errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION));
        assertThatThrownBy(() -> ConfigChecks.notBlank(null, "host")).hasMessage("host must not be blank");
        assertThatThrownBy(() -> ConfigChecks.inRange(0, 1, 512, "threads")).hasMessage("threads must be 1-512 but got 0");
        assertThatThrownBy(() -> ConfigChecks.inRange(513, 1, 512, "threads")).hasMessage("threads must be 1-512 but got 513");
        assertThatThrownBy(() -> ConfigChecks.port(-1, "port")).hasMessage("port must be 0 (pick one) or 1-65535 but got -1");
        assertThatThrownBy(() -> ConfigChecks.port(65_536, "port")).hasMessageContaining("but got 65536");
        assertThatThrownBy(() -> ConfigChecks.positive(Duration.ZERO, "interval"))
                .hasMessage("interval must be a positive duration but got PT0S");
        assertThatThrownBy(() -> ConfigChecks.positive(Duration.ofSeconds(-1), "interval")).hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> ConfigChecks.positive(null, "interval")).hasMessageContaining("but got null");
    }
}
