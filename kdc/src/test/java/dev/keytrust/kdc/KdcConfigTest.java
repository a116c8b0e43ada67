package dev.keytrust.kdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KdcConfigTest {
    private final InMemoryKdcAccounts accounts = new InMemoryKdcAccounts();

    @Test
    void defaultsAreLoopbackFreePortsFiveMinutesSkewAnd64KiB() {
        KdcConfig config = KdcConfig.builder("CORP.EXAMPLE.COM", accounts).build();
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.tcpPort()).isZero();
        assertThat(config.udpPort()).isZero();
        assertThat(config.maxSkew()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.maxMessageSize()).isEqualTo(64 * 1024);
        assertThat(config.ticketLifetime()).isEqualTo(Duration.ofHours(10));
    }

    @Test
    void aLowerCaseRealmIsRefusedWithTheUpperCaseSuggestion() {
        assertThatThrownBy(() -> KdcConfig.builder("corp.example.com", accounts).build())
                .isInstanceOf(KeyTrustException.class)
                .hasMessageContaining("realm").hasMessageContaining("'CORP.EXAMPLE.COM'")
                .satisfies(e -> assertThat(((KeyTrustException) e).errorCode())
                        .isEqualTo(ErrorCode.INVALID_CONFIGURATION));
    }

    @Test
    void badPortsSkewAndSizesAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> KdcConfig.builder("R.EXAMPLE", accounts).tcpPort(70000).build())
                .hasMessageContaining("tcpPort").hasMessageContaining("70000");
        assertThatThrownBy(() -> KdcConfig.builder("R.EXAMPLE", accounts).maxSkew(Duration.ZERO).build())
                .hasMessageContaining("maxSkew");
        assertThatThrownBy(() -> KdcConfig.builder("R.EXAMPLE", accounts).maxMessageSize(10).build())
                .hasMessageContaining("maxMessageSize");
        assertThatThrownBy(() -> KdcConfig.builder("R.EXAMPLE", null).build())
                .hasMessageContaining("accounts").hasMessageNotContaining("null");
    }

    @Test
    void theKdcReportsThePortsItActuallyBound() {
        try (Kdc kdc = Kdc.start(KdcConfig.builder("CORP.EXAMPLE.COM", accounts).build())) {
            assertThat(kdc.tcpPort()).isPositive();
            assertThat(kdc.udpPort()).isPositive();
        }
    }

    @Test
    void aTakenPortFailsWithKdcStartFailed() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> Kdc.start(KdcConfig.builder("CORP.EXAMPLE.COM", accounts)
                    .tcpPort(taken.getLocalPort()).build()))
                    .satisfies(e -> assertThat(((KeyTrustException) e).errorCode())
                            .isEqualTo(ErrorCode.KDC_START_FAILED))
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
        }
    }
}
