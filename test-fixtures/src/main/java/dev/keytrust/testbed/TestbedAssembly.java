package dev.keytrust.testbed;

import dev.keytrust.agent.AgentConfig;
import dev.keytrust.agent.SyncAgent;
import dev.keytrust.dc.DomainController;
import dev.keytrust.graph.GraphConnectorConfig;
import dev.keytrust.graph.GraphKeySource;
import dev.keytrust.graph.mock.GraphMock;
import dev.keytrust.graph.mock.GraphMockConfig;
import dev.keytrust.graph.mock.GraphUser;
import dev.keytrust.graph.mock.SeededTenant;
import dev.keytrust.persona.Personas;
import dev.keytrust.replication.ReplicationNetwork;
import dev.keytrust.time.ScaledScheduler;
import dev.keytrust.time.Scheduler;
import dev.keytrust.time.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * How a testbed's parts are assembled: the clock, the DCs of the topology with the seeded users, the Graph mock
 * holding the same people, the Graph connector signed in to it, the key tracker and the sync agent; on a failure it
 * stops what had started. The testbed is built from the {@link Parts}.
 */
final class TestbedAssembly {
    private TestbedAssembly() {
    }

    /** The started parts of one testbed. */
    record Parts(TestbedConfig config, Scheduler scheduler, ReplicationNetwork network, GraphMock mock,
            GraphKeySource source, SyncAgent agent, KeyTracker tracker, List<String> users, KeySignIn signIns) {
    }

    static Parts start(TestbedConfig config) {
        Scheduler scheduler = config.timeScale() == 0 ? new VirtualScheduler(config.start())
                : ScaledScheduler.startingNow(config.timeScale());
        List<AutoCloseable> started = new ArrayList<>();
        started.add(scheduler);
        // The Graph side (mock, its users, the SDK's classes) starts while the DCs do: start-up is mostly class loading.
        CompletableFuture<GraphSide> graphSide = CompletableFuture.supplyAsync(() -> startGraphSide(config, scheduler));
        try {
            ReplicationNetwork network = ReplicationNetwork.start(config.topology(), scheduler, config.seed(), config.adminPassword());
            started.add(0, network);
            DomainController target = network.dc(config.syncTarget());
            target.addUsers(Personas.generate(config.seed(), config.users()), Optional.empty());
            for (DomainController dc : network.domainControllers()) {
                if (dc != target) {
                    network.replicate(target.name(), dc.name()); // an established domain: every DC has the users
                }
            }
            GraphSide graph = join(graphSide);
            GraphMock mock = graph.mock();
            started.add(0, mock);
            List<String> upns = mock.admin().users().stream().map(GraphUser::userPrincipalName).toList();
            GraphKeySource source = graph.source();
            started.add(0, source);
            KeySignIn signIns = new KeySignIn(scheduler.clock());
            KeyTracker tracker = new KeyTracker(scheduler, network.domainControllers(), target.name(), config.adminPassword(),
                    signIns);
            AgentConfig.Builder agentConfig = AgentConfig.builder(source, scheduler).dc(target.ldapUrl())
                    .bind(target.administratorDn(), config.adminPassword()).interval(config.agentInterval()).allowShortInterval();
            SyncAgent agent = SyncAgent.create(agentConfig.build());
            started.add(0, agent);
            agent.onReport(tracker::cycleDone);
            config.graphFaults().forEach(mock.admin()::addFault);
            agent.start();
            if (scheduler instanceof VirtualScheduler v) {
                v.advance(Duration.ZERO); // the agent's first (full) cycle, at time zero
            }
            return new Parts(config, scheduler, network, mock, source, agent, tracker, upns, signIns);
        } catch (RuntimeException e) {
            graphSide.thenAccept(g -> {
                g.source().close();
                g.mock().close();
            });
            for (AutoCloseable c : started) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
            throw e;
        }
    }

    private record GraphSide(GraphMock mock, GraphKeySource source) {
    }

    private static GraphSide startGraphSide(TestbedConfig config, Scheduler scheduler) {
        GraphMock m = GraphMock.start(GraphMockConfig.builder().seed(config.seed()).clock(scheduler.clock()).build());
        try {
            SeededTenant.populate(m.admin(), config.seed(), config.users(), config.topology().domain(), false);
            GraphKeySource source = GraphKeySource.create(GraphConnectorConfig.builder(m.tenantId(), m.clientId())
                    .clientSecret(m.config().clientSecret().orElseThrow()).graphUrl(m.baseUrl())
                    .authorityHost(m.authorityHost()).trust(m.certificate()).scheduler(scheduler).build());
            source.signIn();
            return new GraphSide(m, source);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private static GraphSide join(CompletableFuture<GraphSide> graphSide) {
        try {
            return graphSide.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
