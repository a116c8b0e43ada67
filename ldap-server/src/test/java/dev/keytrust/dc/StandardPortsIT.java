package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.unboundid.ldap.sdk.LDAPConnection;
import dev.keytrust.KeyTrustException;
import dev.keytrust.topology.Topology;
import org.junit.jupiter.api.Test;

/**
 * AD's ports at one address per DC: as root (CI) the DC listens on 389, 636, 3268 and 3269 of its own loopback
 * address; without the right to bind ports below 1024 the start fails saying what to do.
 */
class StandardPortsIT {
    /** An address no other test uses (all of 127/8 is loopback on Linux). */
    private static final String HOST = "127.0.0.29";

    @Test
    void aDcWithStandardPortsServesAdsPortsAtItsAddressOrSaysWhatItNeeds() throws Exception {
        DomainControllerConfig config = DomainControllerConfig.builder("DC9").host(HOST).adminPassword("Passw0rd!Passw0rd")
                .standardPorts().build();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            KeyTrustException e = catchThrowableOfType(() -> DomainController.start(config), KeyTrustException.class);
            assertThat(e.getMessage()).contains("below 1024", "CAP_NET_BIND_SERVICE");
            return;
        }
        try (DomainController dc = DomainController.start(config)) {
            assertThat(dc.port()).isEqualTo(389);
            assertThat(dc.ldapsPort()).contains(636);
            assertThat(dc.port(DcServices.GC_SERVICE)).isEqualTo(3268);
            assertThat(dc.port(DcServices.GC_SSL_SERVICE)).isEqualTo(3269);
            try (LDAPConnection ldap = new LDAPConnection(HOST, 3268, dc.administratorDn(), "Passw0rd!Passw0rd")) {
                assertThat(ldap.getRootDSE().getAttributeValue("isGlobalCatalogReady")).isEqualTo("TRUE");
                assertThat(ldap.getRootDSE().getAttributeValue("dnsHostName")).isEqualTo("dc9.corp.example.com");
            }
        }
    }

    @Test
    void aTopologyWithStandardPortsPutsEachDcOnItsOwnAddressAndPort389() {
        Topology t = Topology.builder().site("HQ").site("Branch").dc("DC1", "HQ").dc("DC2", "HQ").dc("DC3", "Branch").build()
                .withStandardPorts();
        assertThat(t.domainControllers()).extracting(d -> d.name() + "@" + d.host() + ":" + d.port())
                .containsExactly("DC1@127.0.0.11:389", "DC2@127.0.0.12:389", "DC3@127.0.0.13:389");
        assertThat(t.sites()).containsExactly("HQ", "Branch");
    }
}
