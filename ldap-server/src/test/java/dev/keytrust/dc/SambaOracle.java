package dev.keytrust.dc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The reference Samba AD DC for differential tests: uses one already listening on 127.0.0.1:389, or starts one with
 * {@code ../shared/tools/samba-oracle.sh} (needs root). Skips the test on a developer machine that can do neither;
 * fails it in CI. Shared with other modules through this module's test jar.
 */
public final class SambaOracle {
    public static final String HOST = "127.0.0.1";
    public static final int PORT = 389;
    public static final String ADMIN_DN = "CN=Administrator,CN=Users,DC=corp,DC=example,DC=com";
    public static final String ADMIN_PASSWORD = "Passw0rd!Passw0rd";
    public static final String BASE_DN = "DC=corp,DC=example,DC=com";
    private static final int START_ATTEMPTS = 3;
    private static final Path ORACLE_DIR = Path.of(System.getProperty("java.io.tmpdir"), "keytrust-samba-oracle");

    private SambaOracle() {
    }

    /** Makes sure Samba serves; returns true if this call started it (then {@link #stop()} it afterwards). */
    public static boolean ensureRunning() throws Exception {
        if (listening()) {
            return false;
        }
        Path script = Path.of(System.getProperty("user.dir")).getParent().resolveSibling("shared")
                .resolve("tools").resolve("samba-oracle.sh");
        boolean runnable = Files.isRegularFile(script) && "root".equals(System.getProperty("user.name"));
        if (System.getenv("CI") != null) {
            assertThat(runnable).as("CI needs " + script + " and root to start the reference Samba AD DC").isTrue();
        }
        assumeTrue(runnable, "no Samba AD DC on 127.0.0.1:389 and cannot start one with " + script);
        // Samba listens on fixed ports (RPC 49152+ among them) that an ephemeral socket of this machine can hold at that
        // moment; it then exits at start ("Failed to listen on 127.0.0.1:49154") although the script succeeded.
        // A fresh start picks the moment again.
        String log = "";
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            Process p = new ProcessBuilder("bash", script.toString(), ORACLE_DIR.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(600, TimeUnit.SECONDS)).as("samba-oracle.sh finished").isTrue();
            assertThat(p.exitValue()).as("samba-oracle.sh: " + out).isZero();
            if (listening()) {
                return true;
            }
            Path samba = ORACLE_DIR.resolve("log.%m");
            log = Files.exists(samba) ? Files.readString(samba) : "(no Samba log)";
            stop();
        }
        throw new AssertionError("the reference Samba AD DC did not stay up after " + START_ATTEMPTS + " starts; its "
                + "last log:\n" + log);
    }

    /** Stops a Samba this JVM started. */
    public static void stop() throws Exception {
        Path pid = ORACLE_DIR.resolve("samba.pid");
        if (Files.exists(pid)) {
            new ProcessBuilder("kill", Files.readString(pid).trim()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    public static LDAPConnection connect() throws LDAPException {
        return new LDAPConnection(HOST, PORT, ADMIN_DN, ADMIN_PASSWORD);
    }

    private static boolean listening() {
        try (LDAPConnection c = new LDAPConnection(HOST, PORT)) {
            String name = c.getRootDSE().getAttributeValue("vendorName");
            return name != null && name.contains("Samba");
        } catch (LDAPException e) {
            return false;
        }
    }
}
