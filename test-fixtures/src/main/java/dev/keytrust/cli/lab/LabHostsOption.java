package dev.keytrust.cli.lab;

import dev.keytrust.cli.dc.HostsFile;
import dev.keytrust.topology.Topology;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --write-hosts} and {@code --hosts-file FILE} of {@code keytrust lab} (a picocli {@code @Mixin}): the DCs'
 * names ({@code dc1.corp.example.com ...}) in a hosts file while the lab runs, else, for DCs at addresses of their own,
 * the lines to add printed.
 */
final class LabHostsOption {
    @Option(names = "--write-hosts", description = "Add the DCs' names (dc1.corp.example.com ...) to the hosts file; removed at stop.")
    private boolean write;

    @Option(names = "--hosts-file", paramLabel = "FILE", description = "The hosts file --write-hosts edits (default /etc/hosts).")
    private Path file;

    /**
     * With {@code --write-hosts}, adds {@code topology}'s DCs to the hosts file and returns it (for
     * {@link HostsFile#remove()} at stop); else, when the DCs have addresses of their own ({@code standardPorts}), prints
     * the lines to add. Says on {@code notes} what it did.
     *
     * @return the hosts file written, or null
     */
    HostsFile apply(Topology topology, boolean standardPorts, PrintWriter notes) {
        if (!write && !standardPorts) {
            return null;
        }
        List<String> lines = topology.domainControllers().stream().map(d -> HostsFile.line(d.host(),
                d.name().toLowerCase(Locale.ROOT) + "." + topology.domain())).toList();
        HostsFile hosts = null;
        if (write) {
            Path path = file != null ? file : HostsFile.SYSTEM;
            hosts = new HostsFile(path);
            hosts.add(lines);
            notes.println("added to " + path + " (removed at stop):");
        } else {
            notes.println("for tools that use the DCs' names, add to /etc/hosts (or run with --write-hosts):");
        }
        lines.forEach(l -> notes.println("  " + l));
        notes.flush();
        return hosts;
    }
}
