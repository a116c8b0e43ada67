package dev.keytrust.cli.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keytrust.agent.source.KeyRead;
import dev.keytrust.agent.source.SourceKey;
import dev.keytrust.agent.source.SourceUser;
import dev.keytrust.cli.options.GraphConnectionOptions;
import dev.keytrust.graph.GraphConnectorConfig;
import dev.keytrust.graph.GraphKeySource;
import dev.keytrust.keycredential.KeyMaterial;
import dev.keytrust.time.ScaledScheduler;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keytrust graph-keys}: reads every user's WHfB keys from Graph (a real tenant or the mock), as JSON lines. */
@Command(name = "graph-keys",
        description = {
            "Read users with WHfB keys from Microsoft Graph through the Graph SDK and Azure Identity, one JSON object per line:",
            "{id, userPrincipalName, onPremisesImmutableId, onPremisesSecurityIdentifier, keys: [{deviceId, keyId, keyType,",
            " createdDateTime, deviceName, keyStrength}], keyError}. keyId is the SHA-256 of the key material (base64), as AD shows it."
        },
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:",
            "  MOCK_SECRET=... keytrust graph-keys --tenant T --client-id C --client-secret-env MOCK_SECRET \\",
            "      --authority-host https://127.0.0.1:8443 --graph-url https://127.0.0.1:8443 --ca /tmp/mock.pem",
            "  keytrust graph-keys --tenant contoso.onmicrosoft.com --client-id C --certificate app.pem"})
public final class GraphKeysCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private GraphConnectionOptions graphOptions;

    @Option(names = "--all", description = "Also print users without keys.")
    private boolean all;

    @Override
    public Integer call() throws Exception {
        GraphConnectorConfig.Builder b = graphOptions.builder();
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper json = new ObjectMapper();
        try (ScaledScheduler time = ScaledScheduler.startingNow(1);
             GraphKeySource source = GraphKeySource.create(b.scheduler(time).build())) {
            KeyRead read = source.fullSnapshot();
            int printed = 0;
            for (SourceUser u : read.users()) {
                if (!all && u.keys().isEmpty() && u.keyError().isEmpty()) {
                    continue;
                }
                out.println(json.writeValueAsString(line(u)));
                printed++;
            }
            spec.commandLine().getErr().println(printed + " of " + read.users().size() + " users printed; "
                    + read.graphRequests() + " Graph requests, " + read.throttleWaits() + " throttling waits");
        }
        out.flush();
        return 0;
    }

    private static Map<String, Object> line(SourceUser u) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("userPrincipalName", u.userPrincipalName());
        m.put("onPremisesImmutableId", u.onPremisesImmutableId().orElse(null));
        m.put("onPremisesSecurityIdentifier", u.onPremisesSecurityIdentifier().orElse(null));
        List<Object> keys = new ArrayList<>();
        for (SourceKey k : u.keys()) {
            Map<String, Object> key = new LinkedHashMap<>();
            key.put("deviceId", k.deviceId());
            key.put("keyId", k.decodedKeyMaterial().map(KeyMaterial::keyIdBase64).orElse(null));
            key.put("keyType", k.keyType());
            key.put("createdDateTime", k.createdDateTime().map(Instant::toString).orElse(null));
            key.put("deviceName", k.deviceName().orElse(null));
            key.put("keyStrength", k.keyStrength().orElse(null));
            if (k.decodedKeyMaterial().isEmpty()) {
                key.put("error", "keyMaterial is not valid base64");
            }
            keys.add(key);
        }
        m.put("keys", keys);
        m.put("keyError", u.keyError().orElse(null));
        return m;
    }
}
