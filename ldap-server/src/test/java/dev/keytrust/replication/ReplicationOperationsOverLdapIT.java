package dev.keytrust.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import dev.keytrust.dc.schema.AdSchema;
import dev.keytrust.time.VirtualScheduler;
import dev.keytrust.topology.Topology;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rootDSE operations behind keytrust replicate and keytrust fault, against a one-process topology. */
class ReplicationOperationsOverLdapIT {
    @Test
    void faultsAndForcedReplicationAreRootDseModifiesForTheAdministratorOnly() throws Exception {
        Topology t = Topology.builder().site("HQ").dc("DC1", "HQ").dc("DC2", "HQ").build();
        VirtualScheduler time = new VirtualScheduler();
        try (ReplicationNetwork net = ReplicationNetwork.start(t, time, 1, "Passw0rd!Passw0rd");
             LDAPConnection dc1 = net.dc("DC1").connect()) {
            op(dc1, AdSchema.REPLICATION_FAULT, "partition DC2");
            assertThat(net.blocked("DC1", "DC2")).isPresent();
            LDAPException refused = expectFailure(dc1, AdSchema.REPLICATE_NOW, "DC2");
            assertThat(refused.getResultCode()).isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
            assertThat(refused.getDiagnosticMessage()).contains("cannot replicate from DC2");
            op(dc1, AdSchema.REPLICATION_FAULT, "heal");
            assertThat(net.blocked("DC1", "DC2")).isEmpty();

            op(dc1, AdSchema.REPLICATE_NOW, "DC2");
            time.advance(Duration.ZERO);
            assertThat(net.dc("DC1").partners()).singleElement().satisfies(p -> assertThat(p.result()).isEqualTo("successful"));

            assertThat(expectFailure(dc1, AdSchema.REPLICATION_FAULT, "explode").getDiagnosticMessage()).contains("unknown fault 'explode'");
            assertThat(expectFailure(dc1, "description", "x").getDiagnosticMessage()).contains("rootDSE operations are");
            try (LDAPConnection anonymous = new LDAPConnection("127.0.0.1", net.dc("DC1").port())) {
                assertThat(expectFailure(anonymous, AdSchema.REPLICATE_NOW, "DC2").getResultCode())
                        .as("a bind is needed first, as AD and Samba answer").isEqualTo(ResultCode.OPERATIONS_ERROR);
            }
            String[] status = dc1.getEntry("", AdSchema.REPLICATION_STATUS).getAttributeValues(AdSchema.REPLICATION_STATUS);
            assertThat(List.of(status)).singleElement().asString().contains("\"result\":\"successful\"");
            assertThat(dc1.getEntry("").hasAttribute(AdSchema.REPLICATION_STATUS)).as("only when asked for by name").isFalse();
        } finally {
            time.close();
        }
    }

    private static void op(LDAPConnection ldap, String attribute, String value) throws LDAPException {
        ldap.modify("", new Modification(ModificationType.REPLACE, attribute, value));
    }

    private static LDAPException expectFailure(LDAPConnection ldap, String attribute, String value) {
        try {
            op(ldap, attribute, value);
        } catch (LDAPException e) {
            return e;
        }
        throw new AssertionError(attribute + ": " + value + " was accepted");
    }
}
