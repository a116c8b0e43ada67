package dev.keytrust.cli.options;

import static dev.keytrust.config.ConfigChecks.invalid;

import dev.keytrust.graph.GraphConnectorConfig;
import dev.keytrust.tls.CertificateTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * How every command that reads Microsoft Graph signs in (a picocli {@code @Mixin}): {@code --tenant},
 * {@code --client-id}, one of {@code --client-secret-env} or {@code --certificate} (with
 * {@code --certificate-password-env} for a PKCS#12 file), {@code --authority-host}, {@code --graph-url} and
 * {@code --ca}. Defaults are Entra's public cloud: {@code https://login.microsoftonline.com} and
 * {@code https://graph.microsoft.com}. Secrets are read from the environment, never from the command line.
 *
 * <pre>{@code
 * @Mixin GraphConnectionOptions graph;
 * GraphConnectorConfig config = graph.builder().scheduler(time).build();
 * }</pre>
 */
public final class GraphConnectionOptions {
    @Option(names = "--tenant", required = true, paramLabel = "T", description = "Tenant id or verified domain.")
    private String tenant;

    @Option(names = "--client-id", required = true, paramLabel = "C", description = "The app registration's client id.")
    private String clientId;

    static final class Secret {
        @Option(names = "--client-secret-env", paramLabel = "VAR", description = "Environment variable holding the client secret.")
        String secretEnv;

        @Option(names = "--certificate", paramLabel = "FILE", description = "PEM (certificate and private key) or PKCS#12 client certificate.")
        Path certificate;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Secret secret;

    @Option(names = "--certificate-password-env", paramLabel = "VAR", description = "Environment variable holding the PKCS#12 password.")
    private String certificatePasswordEnv;

    @Option(names = "--authority-host", defaultValue = "https://login.microsoftonline.com", paramLabel = "URL",
            description = "Entra ID authority (default ${DEFAULT-VALUE}).")
    private String authorityHost;

    @Option(names = "--graph-url", defaultValue = "https://graph.microsoft.com", paramLabel = "URL",
            description = "Graph root, without /v1.0 (default ${DEFAULT-VALUE}).")
    private String graphUrl;

    @Option(names = "--ca", paramLabel = "FILE", description = "Trust this certificate (PEM or DER; the mock's) for Graph and the authority.")
    private Path ca;

    /** A connector builder with the credential, URLs and trust the options name; throws exit-2 errors for bad input. */
    public GraphConnectorConfig.Builder builder() {
        GraphConnectorConfig.Builder b = GraphConnectorConfig.builder(tenant, clientId).graphUrl(graphUrl).authorityHost(authorityHost);
        if (secret.secretEnv != null) {
            b.clientSecret(environment(secret.secretEnv, "--client-secret-env"));
        } else {
            if (!Files.isReadable(secret.certificate)) {
                throw invalid("--certificate: cannot read '" + secret.certificate + "'");
            }
            b.clientCertificate(secret.certificate,
                    certificatePasswordEnv == null ? null : environment(certificatePasswordEnv, "--certificate-password-env"));
        }
        if (ca != null) {
            b.trust(CertificateTrust.read(ca, "--ca"));
        }
        return b;
    }

    static String environment(String variable, String option) {
        String value = System.getenv(variable);
        if (value == null || value.isEmpty()) {
            throw invalid(option + ": environment variable '" + variable + "' is not set");
        }
        return value;
    }
}
