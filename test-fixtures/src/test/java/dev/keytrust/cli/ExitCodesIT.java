package dev.keytrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keytrust.dc.DomainController;
import dev.keytrust.dc.DomainControllerConfig;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command line's exit code follows the error's category, as the README's table says: 2 for bad usage or
 * invalid input, 1 for everything else (a DC that cannot be reached, a refused password, a DC that refuses); the
 * one line on standard error names what failed and never prints {@code null} or a Java class name.
 */
class ExitCodesIT {
    private static DomainController dc;

    @BeforeAll
    static void start() {
        dc = DomainController.start(DomainControllerConfig.builder("DC1").adminPassword("Passw0rd!Passw0rd").build());
    }

    @AfterAll
    static void stop() {
        dc.close();
    }

    @Test
    void aDcThatCannotBeReachedExitsOneSayingCannotReach() {
        for (List<String> command : List.of(List.of("showrepl", "--dc", "ldap://127.0.0.1:1"),
                List.of("probe", "--dc", "ldap://127.0.0.1:1", "--key-id", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
                List.of("replicate", "--from", "DC2", "--to", "ldap://127.0.0.1:1"))) {
            assertFailsSaying(command, "LDAP_UNREACHABLE", "cannot reach ldap://127.0.0.1:1");
        }
    }

    @Test
    void aWrongPasswordExitsOneNamingLdap49InvalidCredentials() {
        // PATH is set in every environment and is certainly not the DC's password
        for (List<String> command : List.of(List.of("showrepl", "--dc", dc.ldapUrl(), "--bind-password-env", "PATH"),
                List.of("showobjmeta", "--dc", dc.ldapUrl(), "--bind-password-env", "PATH", dc.baseDn()))) {
            assertFailsSaying(command, "LDAP_INVALID_CREDENTIALS", "LDAP 49 invalid credentials");
        }
    }

    @Test
    void badUsageAndInvalidInputExitTwo() {
        for (List<String> command : List.of(List.of("showrepl"), List.of("showrepl", "--dc", "not-a-url"),
                List.of("decode", "B:4:0G00:CN=x"), List.of("dc", "--users", "-1"), List.of("no-such-command"))) {
            run(command, 2);
        }
    }

    /** Runs {@code command}, expecting exit code {@code exit}; returns its result. */
    private static KeyTrustCommandTest.Result run(List<String> command, int exit) {
        KeyTrustCommandTest.Result r = KeyTrustCommandTest.run("", command.toArray(String[]::new));
        assertThat(r.exit()).as(String.join(" ", command) + ": " + r.err()).isEqualTo(exit);
        return r;
    }

    /** Expects exit 1 with one line on standard error that says {@code words}, no {@code null} and no Java class name. */
    private static void assertFailsSaying(List<String> command, String... words) {
        String err = run(command, 1).err();
        assertThat(err).contains(words);
        assertThat(err.lines().toList()).hasSize(1);
        assertThat(err).doesNotContain("null").doesNotContainPattern("\\b(java|com|org)\\.[a-z]+\\.[A-Za-z.]*[A-Z]\\w*");
    }
}
