package dev.keytrust.cli.options;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.LdapFailures;
import dev.keytrust.testbed.TestbedConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How every command that talks to a running DC binds (a picocli {@code @Mixin}): {@code --bind-dn},
 * {@code --bind-password-env}, {@code --bind-password-file}, with one rule for the password everywhere: the file if
 * given; else the variable named by {@code --bind-password-env} (which must then be set); else
 * {@code KEYTRUST_ADMIN_PASSWORD} if set; else the lab's default password. A command that binds with an account of
 * its own ({@code keytrust agent}) asks for both explicitly with {@link #explicitAccount(String)}.
 */
public final class DcConnectionOptions {
    @Option(names = "--bind-dn", paramLabel = "DN",
            description = "Bind DN (default, except for the agent: CN=Administrator,CN=Users under the DC's defaultNamingContext).")
    private String bindDn;

    @Option(names = "--bind-password-env", paramLabel = "VAR",
            description = "Environment variable holding the bind password; it must be set (default, except for the agent: "
                    + AdminPasswordOption.PASSWORD_ENV + " if set, else the lab's default password).")
    private String passwordEnv;

    @Option(names = "--bind-password-file", paramLabel = "FILE",
            description = "File whose first line is the bind password (instead of an environment variable).")
    private Path passwordFile;

    /**
     * The bind DN and password given explicitly, for a command that binds with an account of its own rather than the
     * lab's administrator; else an invalid-input error saying what {@code who} needs.
     */
    public Account explicitAccount(String who) {
        if (bindDn == null || bindDn.isBlank()) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--bind-dn: " + who + " needs its account on the "
                    + "DCs (e.g. a member of Key Admins)");
        }
        if (passwordFile == null && passwordEnv == null) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--bind-password-env or --bind-password-file: "
                    + who + " needs the password of " + bindDn);
        }
        return new Account(bindDn, password());
    }

    /** A bind DN and its password. */
    public record Account(String dn, String password) {
        @Override
        public String toString() {
            return "Account[" + dn + "]"; // never the password
        }
    }

    /** The password by the rule above. */
    public String password() {
        if (passwordFile != null) {
            try {
                return Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst().orElse("");
            } catch (IOException e) {
                throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--bind-password-file: cannot read '"
                        + passwordFile + "': " + (Files.exists(passwordFile) ? "not readable" : "no such file"));
            }
        }
        if (passwordEnv != null) {
            String value = System.getenv(passwordEnv);
            if (value == null) {
                throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--bind-password-env: the environment "
                        + "variable '" + passwordEnv + "' is not set; export it, or use --bind-password-file");
            }
            return value;
        }
        String fallback = System.getenv(AdminPasswordOption.PASSWORD_ENV);
        return fallback != null ? fallback : TestbedConfig.DEFAULT_PASSWORD;
    }

    /**
     * A connection to the DC at {@code url} ({@code ldap://host:port}), bound by these options.
     *
     * @param option the option the URL came from, for messages (e.g. {@code --dc})
     */
    public LDAPConnection connect(String url, String option) {
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            u = null;
        }
        if (u == null || !"ldap".equalsIgnoreCase(u.getScheme()) || u.getHost() == null || u.getPort() < 1) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, option + ": expected a DC URL like "
                    + "ldap://127.0.0.1:14389 but got '" + url + "'");
        }
        String password = password();
        LDAPConnection ldap = null;
        String dn = bindDn;
        try {
            ldap = new LDAPConnection(u.getHost(), u.getPort());
            if (dn == null) {
                dn = "CN=Administrator,CN=Users," + ldap.getRootDSE().getAttributeValue("defaultNamingContext");
            }
            ldap.bind(dn, password);
            return ldap;
        } catch (LDAPException e) {
            if (ldap != null) {
                ldap.close();
            }
            throw LdapFailures.of(dn == null ? "connect to" : "bind as " + dn + " to", url, e.getResultCode().intValue(),
                    e.getResultCode().getName(), e.getDiagnosticMessage(), e);
        }
    }
}
