package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keytrust.KeyTrustException;
import org.junit.jupiter.api.Test;

class DomainControllerConfigTest {
    @Test
    void defaultsAreAdsAndDerivedNamesFollowTheDomain() {
        DomainControllerConfig c = DomainControllerConfig.builder("DC1").build();
        assertThat(c.domain()).isEqualTo("corp.example.com");
        assertThat(c.baseDn()).isEqualTo("DC=corp,DC=example,DC=com");
        assertThat(c.site()).isEqualTo("Default-First-Site-Name");
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isZero();
        assertThat(c.adminPassword()).isEmpty();
        assertThat(c.dataDirectory()).isEmpty();
        assertThat(c.dnsHostName()).isEqualTo("dc1.corp.example.com");
        assertThat(c.netbiosDomain()).isEqualTo("CORP");
        assertThat(c.tombstoneLifetime()).isEqualTo(java.time.Duration.ofDays(180));
        assertThat(c.toBuilder().build().tombstoneLifetime()).isEqualTo(java.time.Duration.ofDays(180));
        assertThat(DomainControllerConfig.builder("DC2").domain("Lab.Contoso.Test").build().baseDn())
                .isEqualTo("DC=lab,DC=contoso,DC=test");
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> DomainControllerConfig.builder("DC 1").build()).isInstanceOf(KeyTrustException.class)
                .hasMessageContaining("'name'").hasMessageContaining("'DC 1'");
        assertThatThrownBy(() -> DomainControllerConfig.builder("DC1").domain("corp").build()).hasMessageContaining("'domain'");
        assertThatThrownBy(() -> DomainControllerConfig.builder("DC1").domain("corp..com").build()).hasMessageContaining("'domain'");
        assertThatThrownBy(() -> DomainControllerConfig.builder("DC1").port(70000).build()).hasMessageContaining("'port'");
        assertThatThrownBy(() -> DomainControllerConfig.builder("DC1").adminPassword("").build()).hasMessageContaining("'adminPassword'");
        assertThatThrownBy(() -> DomainControllerConfig.builder("DC1").site("").build()).hasMessageContaining("'site'");
        assertThatThrownBy(() -> DomainControllerConfig.builder("DC1").tombstoneLifetime(java.time.Duration.ofMinutes(5)).build())
                .hasMessageContaining("'tombstoneLifetime'").hasMessageContaining("at least one hour");
    }
}
