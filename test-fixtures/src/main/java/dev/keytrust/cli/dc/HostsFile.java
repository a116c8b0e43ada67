package dev.keytrust.cli.dc;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lab's lines in a hosts file ({@code /etc/hosts} by default): one {@code ADDRESS FQDN NAME} line per DC, between
 * marker comments, so that tools can reach {@code dc1.corp.example.com}. {@link #add} writes the block (replacing
 * one a previous run left), {@link #remove} takes it out again and leaves every other line as it was.
 *
 * <pre>{@code
 * HostsFile hosts = new HostsFile(Path.of("/etc/hosts"));
 * hosts.add(List.of("127.0.0.11 dc1.corp.example.com dc1"));
 * hosts.remove();
 * }</pre>
 */
public final class HostsFile {
    public static final Path SYSTEM = Path.of("/etc/hosts");
    static final String BEGIN = "# BEGIN keytrust lab (removed when the lab stops)";
    static final String END = "# END keytrust lab";

    private final Path file;

    public HostsFile(Path file) {
        this.file = file;
    }

    /** The line for one DC: its address, DNS host name and short name. */
    public static String line(String address, String dnsHostName) {
        return address + " " + dnsHostName + " " + dnsHostName.substring(0, dnsHostName.indexOf('.') < 0
                ? dnsHostName.length() : dnsHostName.indexOf('.'));
    }

    /** Writes the lab's block (after removing an old one). */
    public void add(List<String> lines) {
        List<String> kept = withoutBlock(read());
        kept.add(BEGIN);
        kept.addAll(lines);
        kept.add(END);
        write(kept);
    }

    /** Removes the lab's block, if there is one. */
    public void remove() {
        List<String> all = read();
        List<String> kept = withoutBlock(all);
        if (kept.size() != all.size()) {
            write(kept);
        }
    }

    private static List<String> withoutBlock(List<String> lines) {
        List<String> out = new ArrayList<>();
        boolean inside = false;
        for (String l : lines) {
            if (l.equals(BEGIN)) {
                inside = true;
            } else if (l.equals(END) && inside) {
                inside = false;
            } else if (!inside) {
                out.add(l);
            }
        }
        return out;
    }

    private List<String> read() {
        try {
            return Files.exists(file) ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8)) : new ArrayList<>();
        } catch (IOException e) {
            throw failed("read", e);
        }
    }

    private void write(List<String> lines) {
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw failed("write", e);
        }
    }

    private KeyTrustException failed(String what, IOException e) {
        return new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "cannot " + what + " the hosts file " + file + ": "
                + e.getMessage() + "; --write-hosts needs root for /etc/hosts (or give --hosts-file FILE), or add the "
                + "printed lines yourself");
    }
}
