package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.PEMFileTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LDAPS and StartTLS with the DC's generated certificate, trusted by clients through its PEM file. */
class DomainControllerTlsIT {
    private static final String PASSWORD = "Passw0rd!Passw0rd";

    @Test
    void ldapsAndStartTlsWorkWithTheGeneratedCertificate() throws Exception {
        try (DomainController dc = DomainController.start(DomainControllerConfig.builder("DC1").adminPassword(PASSWORD)
                .ldapsPort(0).startTls(true).build())) {
            assertThat(dc.ldapsUrl()).get().asString().startsWith("ldaps://127.0.0.1:");
            SSLUtil ssl = new SSLUtil(new PEMFileTrustManager(dc.certificatePem().orElseThrow().toFile()));

            try (LDAPConnection ldaps = new LDAPConnection(ssl.createSSLSocketFactory(), "127.0.0.1", dc.ldapsPort().orElseThrow(),
                    dc.administratorDn(), PASSWORD)) {
                assertThat(ldaps.getEntry(dc.administratorDn(), "sAMAccountName").getAttributeValue("sAMAccountName"))
                        .isEqualTo("Administrator");
            }
            try (LDAPConnection plain = new LDAPConnection("127.0.0.1", dc.port())) {
                ExtendedResult started = plain.processExtendedOperation(new StartTLSExtendedRequest(ssl.createSSLContext()));
                assertThat(started.getResultCode()).isEqualTo(ResultCode.SUCCESS);
                plain.bind(dc.administratorDn(), PASSWORD);
                assertThat(plain.getEntry(dc.baseDn())).isNotNull();
            }

            ExternalTool.require("OpenLDAP ldapsearch (ldap-utils)", "ldapsearch", "-VV");
            List<String> command = new ArrayList<>(List.of("env", "LDAPTLS_CACERT=" + dc.certificatePem().orElseThrow(),
                    "ldapsearch", "-x", "-H", dc.ldapsUrl().orElseThrow(), "-D", dc.administratorDn(), "-w", PASSWORD,
                    "-b", dc.baseDn(), "-s", "base", "dc"));
            ExternalTool.Result r = ExternalTool.run("", command);
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("dc: corp");
        }
    }
}
