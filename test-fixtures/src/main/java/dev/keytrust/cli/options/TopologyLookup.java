package dev.keytrust.cli.options;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.topology.DcSpec;
import dev.keytrust.topology.Topology;
import dev.keytrust.topology.TopologyYaml;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --topology FILE} where it is optional and only finds DCs by name (a picocli {@code @Mixin}): a command then
 * takes a DC as a name from the file or as its {@code ldap://host:port} URL.
 */
public final class TopologyLookup {
    @Option(names = "--topology", paramLabel = "FILE", description = "Topology file, to find DCs by name.")
    private Path file;

    /** The topology read from {@code --topology}, or null when none was given. */
    public Topology topology() {
        return file == null ? null : TopologyYaml.read(file);
    }

    /** The URL of a DC given as a URL or as a name in {@code topology} (null: no topology file given). */
    public static String url(Topology topology, String nameOrUrl) {
        if (nameOrUrl.startsWith("ldap://")) {
            return nameOrUrl;
        }
        if (topology == null) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "'" + nameOrUrl + "' is a DC name: give --topology FILE "
                    + "to find its address, or give its URL (ldap://host:port)");
        }
        DcSpec spec = topology.dc(nameOrUrl).orElseThrow(() -> new KeyTrustException(ErrorCode.INVALID_TOPOLOGY,
                "no DC named '" + nameOrUrl + "' in the topology"));
        if (spec.port() == 0) {
            throw new KeyTrustException(ErrorCode.INVALID_TOPOLOGY, nameOrUrl + " has no port in the topology; give its URL instead");
        }
        return "ldap://" + spec.host() + ":" + spec.port();
    }
}
