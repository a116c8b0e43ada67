package dev.keytrust.cli.options;

import picocli.CommandLine.Option;

/**
 * {@code --admin-password PW} of the commands that start DCs (a picocli {@code @Mixin}): the administrator password,
 * else the one in {@value #PASSWORD_ENV}, else none (the DC generates one and the command prints it).
 */
public final class AdminPasswordOption {
    /** Environment variable holding the administrator password. */
    public static final String PASSWORD_ENV = "KEYTRUST_ADMIN_PASSWORD";

    @Option(names = "--admin-password", paramLabel = "PW",
            description = "Administrator password (or env " + PASSWORD_ENV + "; generated and printed if neither).")
    private String password;

    /** The password given by the option or the environment, or null when neither gives one. */
    public String password() {
        return password != null ? password : System.getenv(PASSWORD_ENV);
    }
}
