package dev.keytrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keytrust topology up} as a real process: a write on DC1 shows on DC2 after AD's 15 s, scaled. */
class TopologyCommandIT {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final String PASSWORD = "Passw0rd!Passw0rd";
    private static final String ADMIN = "CN=Administrator,CN=Users,DC=corp,DC=example,DC=com";

    @Test
    void aWriteOnOneDcReachesItsPartnerAfterTheScaledNotificationDelay(@TempDir Path dir) throws Exception {
        Path topology = dir.resolve("lab.yaml");
        Files.writeString(topology, "sites: [HQ]\ndomainControllers: [{name: DC1, site: HQ}, {name: DC2, site: HQ}]\n");
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("keytrust").toString(), "topology", "up", "--topology",
                topology.toString(), "--time-scale", "10").directory(ROOT.toFile());
        pb.environment().put("KEYTRUST_NO_BUILD", "1");
        pb.environment().put("KEYTRUST_ADMIN_PASSWORD", PASSWORD);
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            for (String line = out.readLine(); line != null && !line.startsWith("ready"); line = out.readLine()) {
                lines.add(line);
            }
            assertThat(lines.get(0)).matches("DC1 HQ ldap://127\\.0\\.0\\.1:\\d+");
            assertThat(lines.get(1)).matches("DC2 HQ ldap://127\\.0\\.0\\.1:\\d+");
            int port1 = Integer.parseInt(lines.get(0).substring(lines.get(0).lastIndexOf(':') + 1));
            int port2 = Integer.parseInt(lines.get(1).substring(lines.get(1).lastIndexOf(':') + 1));
            String dn = "CN=scaled,CN=Users,DC=corp,DC=example,DC=com";
            long written;
            try (LDAPConnection dc1 = new LDAPConnection("127.0.0.1", port1, ADMIN, PASSWORD)) {
                dc1.add(dn, new Attribute("objectClass", "user"), new Attribute("sAMAccountName", "scaled"));
                written = System.nanoTime();
            }
            try (LDAPConnection dc2 = new LDAPConnection("127.0.0.1", port2, ADMIN, PASSWORD)) {
                assertThat(dc2.getEntry(dn)).as("not at once: 15 simulated seconds are 1.5 real ones").isNull();
                long deadline = written + TimeUnit.SECONDS.toNanos(20);
                while (dc2.getEntry(dn) == null && System.nanoTime() < deadline) {
                    new CountDownLatch(1).await(50, TimeUnit.MILLISECONDS);
                }
                double seconds = (System.nanoTime() - written) / 1e9;
                assertThat(dc2.getEntry(dn)).as("DC2 has the write after the notification delay").isNotNull();
                assertThat(seconds).as("arrived after about 1.5 real seconds").isBetween(1.3, 10.0);
            }
        } finally {
            p.destroy();
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
}
