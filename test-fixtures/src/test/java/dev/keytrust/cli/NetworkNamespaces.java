package dev.keytrust.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private test network on this machine, as if each DC ran on its own host: one network namespace per DC, each
 * with an {@code eth0} (a veth) plugged into a bridge that lives in a namespace of its own (the "switch"), and the
 * root namespace (where the test runs) plugged into the same bridge. Addresses are in a /24 of 10.213.0.0/16 that no
 * interface of this machine uses; names carry the test's process id, so runs never meet. {@link #close()} removes
 * everything it made, whatever state the network was left in.
 *
 * <pre>
 *   root ns: ktPIDr 10.213.N.254 ── veth ── ktPIDh0 ┐
 *   kt-PID-dc1: eth0 10.213.N.1 ─── veth ── ktPIDh1 ├─ bridge br0 in kt-PID-sw
 *   kt-PID-dc2: eth0 10.213.N.2 ─── veth ── ktPIDh2 │
 *   kt-PID-dc3: eth0 10.213.N.3 ─── veth ── ktPIDh3 ┘
 * </pre>
 *
 * Faults are real: {@link #partition} drops a DC's packets to and from its peers (iptables in its namespace, so the
 * test still reaches it), {@link #unplug} takes its switch port down, {@link #slow} adds latency with {@code tc netem}.
 */
final class NetworkNamespaces implements AutoCloseable {
    private final String prefix;
    private final String subnet;
    private final int size;
    private final List<String> made = new ArrayList<>();
    private final Path log;

    private NetworkNamespaces(String prefix, String subnet, int size, Path log) {
        this.prefix = prefix;
        this.subnet = subnet;
        this.size = size;
        this.log = log;
    }

    /** Why this machine cannot run the test (not root, no {@code ip} or {@code iptables}), or empty when it can. */
    static Optional<String> unavailable() {
        if (!root()) {
            return Optional.of("needs root to create network namespaces (running as " + System.getProperty("user.name")
                    + "); .ci/run runs as root");
        }
        for (String tool : List.of("ip", "iptables")) {
            if (!onPath(tool)) {
                return Optional.of("needs '" + tool + "' on the PATH (Debian packages iproute2 and iptables; .ci/run installs them)");
            }
        }
        String probe = "kt-" + ProcessHandle.current().pid() + "-probe";
        try {
            Process add = new ProcessBuilder("ip", "netns", "add", probe).redirectErrorStream(true).start();
            String output = new String(add.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (add.waitFor() != 0) {
                return Optional.of("cannot create a network namespace here ('ip netns add' said: " + output
                        + "); a container needs CAP_SYS_ADMIN and CAP_NET_ADMIN");
            }
            new ProcessBuilder("ip", "netns", "del", probe).start().waitFor();
        } catch (IOException e) {
            return Optional.of("cannot run 'ip netns add': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while probing for network namespaces");
        }
        return Optional.empty();
    }

    /** Makes the namespaces, bridge and links for {@code size} DCs; commands and their output go to {@code log}. */
    static NetworkNamespaces create(int size, Path log) throws IOException, InterruptedException {
        long pid = ProcessHandle.current().pid();
        removeStale();
        String used = output("ip", "-4", "-o", "addr", "show");
        int third = (int) (pid % 200) + 20;
        while (used.contains(" 10.213." + third + ".")) {
            third++;
        }
        NetworkNamespaces net = new NetworkNamespaces("kt" + pid, "10.213." + third + ".", size, log);
        try {
            net.build();
        } catch (IOException | InterruptedException | RuntimeException e) {
            net.close();
            throw e;
        }
        return net;
    }

    private void build() throws IOException, InterruptedException {
        String sw = namespace("sw");
        run("ip", "netns", "add", sw);
        made.add("netns " + sw);
        run("ip", "-n", sw, "link", "add", "br0", "type", "bridge");
        run("ip", "-n", sw, "link", "set", "br0", "up");
        String rootSide = prefix + "r";
        run("ip", "link", "add", rootSide, "type", "veth", "peer", "name", prefix + "h0");
        made.add("link " + rootSide);
        plug(prefix + "h0");
        run("ip", "addr", "add", rootAddress() + "/24", "dev", rootSide);
        run("ip", "link", "set", rootSide, "up");
        for (int i = 1; i <= size; i++) {
            String ns = namespace("dc" + i);
            run("ip", "netns", "add", ns);
            made.add("netns " + ns);
            run("ip", "link", "add", port(i), "type", "veth", "peer", "name", "eth0", "netns", ns);
            plug(port(i));
            run("ip", "-n", ns, "addr", "add", address(i) + "/24", "dev", "eth0");
            run("ip", "-n", ns, "link", "set", "lo", "up");
            run("ip", "-n", ns, "link", "set", "eth0", "up");
        }
    }

    private void plug(String link) throws IOException, InterruptedException {
        run("ip", "link", "set", link, "netns", namespace("sw"));
        run("ip", "-n", namespace("sw"), "link", "set", link, "master", "br0", "up");
    }

    /** The namespace of DC {@code i} (1-based), for {@code ip netns exec}. */
    String dcNamespace(int i) {
        return namespace("dc" + i);
    }

    /** DC {@code i}'s address. */
    String address(int i) {
        return subnet + i;
    }

    /** The root namespace's address on the bridge (where the test's LDAP connections come from). */
    String rootAddress() {
        return subnet + "254";
    }

    /** Drops every packet between DC {@code i} and the other DCs; the test (root namespace) still reaches it. */
    void partition(int i) throws IOException, InterruptedException {
        for (int j = 1; j <= size; j++) {
            if (j != i) {
                run("ip", "netns", "exec", dcNamespace(i), "iptables", "-w", "-A", "INPUT", "-s", address(j), "-j", "DROP");
                run("ip", "netns", "exec", dcNamespace(i), "iptables", "-w", "-A", "OUTPUT", "-d", address(j), "-j", "DROP");
            }
        }
    }

    /** Removes {@link #partition}'s rules. */
    void heal(int i) throws IOException, InterruptedException {
        run("ip", "netns", "exec", dcNamespace(i), "iptables", "-w", "-F", "INPUT");
        run("ip", "netns", "exec", dcNamespace(i), "iptables", "-w", "-F", "OUTPUT");
    }

    /** Takes DC {@code i}'s switch port down (its cable pulled): nobody reaches it, the test neither. */
    void unplug(int i) throws IOException, InterruptedException {
        run("ip", "-n", namespace("sw"), "link", "set", port(i), "down");
    }

    /** Brings DC {@code i}'s switch port back up. */
    void plugBack(int i) throws IOException, InterruptedException {
        run("ip", "-n", namespace("sw"), "link", "set", port(i), "up");
    }

    /**
     * Adds {@code netem} latency (and a little loss) to everything DC {@code i} sends; empty when applied, else why
     * not (a kernel without the sch_netem module answers "Specified qdisc kind is unknown").
     */
    Optional<String> slow(int i, String... netem) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", dcNamespace(i), "tc", "qdisc", "replace", "dev",
                "eth0", "root", "netem"));
        command.addAll(List.of(netem));
        Result r = exec(command);
        return r.exit() == 0 ? Optional.empty() : Optional.of("tc qdisc ... netem failed (exit " + r.exit() + "): " + r.output().strip());
    }

    /** Removes {@link #slow}'s latency. */
    void fast(int i) throws IOException, InterruptedException {
        exec(List.of("ip", "netns", "exec", dcNamespace(i), "tc", "qdisc", "del", "dev", "eth0", "root"));
    }

    /** Removes the namespaces (and with them their links and rules) and the root namespace's link, in reverse order. */
    @Override
    public void close() throws IOException, InterruptedException {
        for (int k = made.size() - 1; k >= 0; k--) {
            String[] what = made.get(k).split(" ", 2);
            if (what[0].equals("netns")) {
                killLeftovers(what[1]);
                exec(List.of("ip", "netns", "del", what[1]));
            } else {
                exec(List.of("ip", "link", "del", what[1]));
            }
        }
        made.clear();
    }

    /**
     * Removes what an earlier run left when its JVM was killed before {@link #close()}: namespaces {@code kt-PID-...}
     * and root links {@code ktPIDr} whose process {@code PID} is gone.
     */
    private static void removeStale() throws IOException, InterruptedException {
        Matcher ns = Pattern.compile("(?m)^(kt-(\\d+)-(?:sw|dc\\d+|probe))\\b").matcher(output("ip", "netns", "list"));
        while (ns.find()) {
            if (ProcessHandle.of(Long.parseLong(ns.group(2))).isEmpty()) {
                output("ip", "netns", "del", ns.group(1));
            }
        }
        Matcher link = Pattern.compile("(?m)^\\d+: (kt(\\d+)r)[@:]").matcher(output("ip", "-o", "link", "show"));
        while (link.find()) {
            if (ProcessHandle.of(Long.parseLong(link.group(2))).isEmpty()) {
                output("ip", "link", "del", link.group(1));
            }
        }
    }

    private static String output(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return text;
    }

    /** Processes this test started inside {@code ns} that are still running (a DC that ignored SIGTERM). */
    private void killLeftovers(String ns) throws IOException, InterruptedException {
        for (String pid : exec(List.of("ip", "netns", "pids", ns)).output().split("\\s+")) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private String namespace(String what) {
        return "kt-" + prefix.substring(2) + "-" + what;
    }

    private String port(int i) {
        return prefix + "h" + i;
    }

    private void run(String... command) throws IOException, InterruptedException {
        Result r = exec(List.of(command));
        if (r.exit() != 0) {
            throw new IllegalStateException("expected '" + String.join(" ", command) + "' to succeed but it exited with "
                    + r.exit() + ": " + r.output().strip());
        }
    }

    private record Result(int exit, String output) {
    }

    private Result exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("expected '" + String.join(" ", command) + "' to end within 30 s");
        }
        Files.writeString(log, "$ " + String.join(" ", command) + "\n" + output, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        return new Result(p.exitValue(), output);
    }

    private static boolean root() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
