package dev.keytrust.cli.dc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --write-hosts on a copy of a hosts file: the lab's block is added, replaced on a rerun, and removed at stop. */
class HostsFileTest {
    @Test
    void theLabsLinesAreAddedOnceAndRemovedLeavingEveryOtherLineAsItWas(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hosts");
        List<String> original = List.of("127.0.0.1 localhost", "::1 localhost ip6-localhost", "# a comment");
        Files.write(file, original);
        HostsFile hosts = new HostsFile(file);
        List<String> lines = List.of(HostsFile.line("127.0.0.11", "dc1.corp.example.com"),
                HostsFile.line("127.0.0.12", "dc2.corp.example.com"));
        assertThat(lines.get(0)).isEqualTo("127.0.0.11 dc1.corp.example.com dc1");
        hosts.add(lines);
        hosts.add(lines); // a rerun replaces its block
        List<String> written = Files.readAllLines(file);
        assertThat(written).containsSubsequence(original).containsOnlyOnce(lines.get(0), HostsFile.BEGIN);
        assertThat(written).endsWith(HostsFile.BEGIN, lines.get(0), lines.get(1), HostsFile.END);
        hosts.remove();
        assertThat(Files.readAllLines(file)).isEqualTo(original);
    }
}
