package dev.keytrust.agent;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResultEntry;
import dev.keytrust.dc.DomainController;
import dev.keytrust.dc.DomainControllerConfig;
import dev.keytrust.graph.GraphConnectorConfig;
import dev.keytrust.graph.GraphKeySource;
import dev.keytrust.graph.mock.GraphMock;
import dev.keytrust.graph.mock.GraphMockConfig;
import dev.keytrust.graph.mock.GraphUser;
import dev.keytrust.graph.mock.SeededTenant;
import dev.keytrust.persona.Personas;
import dev.keytrust.time.VirtualScheduler;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** A DC (or two) with N seeded users, the Graph mock with the same people, and an agent between them, on virtual time. */
final class AgentLab implements AutoCloseable {
    static final String PASSWORD = "Agent-Passw0rd!";
    final VirtualScheduler time = new VirtualScheduler(Instant.parse("2026-04-01T09:00:00Z"));
    final List<DomainController> dcs = new ArrayList<>();
    final GraphMock mock;
    final GraphKeySource source;
    final List<GraphUser> people;

    AgentLab(long seed, int users, int dcCount) {
        for (int i = 1; i <= dcCount; i++) {
            DomainController dc = DomainController.start(DomainControllerConfig.builder("DC" + i).clock(time.clock())
                    .seed(seed).adminPassword(PASSWORD).build());
            dc.addUsers(Personas.generate(seed, users), Optional.empty());
            dcs.add(dc);
        }
        mock = GraphMock.start(GraphMockConfig.builder().seed(seed).clock(time.clock()).build());
        people = SeededTenant.populate(mock.admin(), seed, users, "corp.example.com");
        source = GraphKeySource.create(GraphConnectorConfig.builder(mock.tenantId(), mock.clientId())
                .clientSecret(mock.config().clientSecret().orElseThrow()).graphUrl(mock.baseUrl())
                .authorityHost(mock.authorityHost()).trust(mock.certificate()).scheduler(time).build());
    }

    SyncAgent agent(Path state, UnaryOperator<AgentConfig.Builder> more) {
        AgentConfig.Builder b = AgentConfig.builder(source, time).bind(dcs.get(0).administratorDn(), PASSWORD)
                .stateFile(state).allowShortInterval();
        for (DomainController dc : dcs) {
            b.dc(dc.ldapUrl());
        }
        return SyncAgent.create(more.apply(b).build());
    }

    /** The msDS-KeyCredentialLink values of the AD user with this UPN on a DC. */
    List<String> values(DomainController dc, String upn) throws Exception {
        try (LDAPConnection ldap = dc.connect()) {
            SearchResultEntry e = ldap.searchForEntry(dc.baseDn(), com.unboundid.ldap.sdk.SearchScope.SUB,
                    "(userPrincipalName=" + upn + ")", "msDS-KeyCredentialLink");
            String[] v = e == null ? null : e.getAttributeValues("msDS-KeyCredentialLink");
            return v == null ? List.of() : List.of(v);
        }
    }

    String dn(DomainController dc, String upn) throws Exception {
        try (LDAPConnection ldap = dc.connect()) {
            return ldap.searchForEntry(dc.baseDn(), com.unboundid.ldap.sdk.SearchScope.SUB, "(userPrincipalName=" + upn + ")").getDN();
        }
    }

    @Override
    public void close() {
        source.close();
        mock.close();
        dcs.forEach(DomainController::stop);
        time.close();
    }
}
