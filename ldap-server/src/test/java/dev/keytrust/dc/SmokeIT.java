package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.*;
import org.junit.jupiter.api.Test;

class SmokeIT {
    @Test
    void starts() throws Exception {
        long t0 = System.nanoTime();
        try (DomainController dc = DomainController.start(DomainControllerConfig.builder("DC1").adminPassword("Passw0rd!").build())) {
            System.out.println("start ms " + (System.nanoTime() - t0) / 1e6);
            try (LDAPConnection anon = new LDAPConnection("127.0.0.1", dc.port())) {
                Entry root = anon.getRootDSE();
                System.out.println(root.toLDIFString());
            }
            try (LDAPConnection c = dc.connect()) {
                SearchResult r = c.search(dc.baseDn(), SearchScope.SUB, "(objectClass=*)", "*");
                for (SearchResultEntry e : r.getSearchEntries()) System.out.println(e.toLDIFString());
            }
            long t1 = System.nanoTime();
            try (DomainController dc2 = DomainController.start(DomainControllerConfig.builder("DC2").build())) {
                System.out.println("second start ms " + (System.nanoTime() - t1) / 1e6);
            }
        }
    }
}
