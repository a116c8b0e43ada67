package dev.keytrust.cli.keys;

import static dev.keytrust.config.ConfigChecks.invalid;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.cli.KeyTrustCommand;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeySource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code keytrust encode}: build the msDS-KeyCredentialLink value for a public key. */
@Command(name = "encode",
        description = {
            "Build the msDS-KeyCredentialLink value (DN-Binary) for an RSA public key and print it.",
            "Source AD gives the shape Windows and DSInternals write; AzureAD the shape Entra Connect writes."
        },
        mixinStandardHelpOptions = true,
        footer = {"", "Example:",
            "  openssl genrsa 2048 | openssl rsa -pubout > key.pem",
            "  keytrust encode --public-key key.pem --owner CN=Alice,CN=Users,DC=corp,DC=example,DC=com --source AzureAD"})
public final class EncodeCommand implements Callable<Integer> {
    @ParentCommand
    private KeyTrustCommand parent;

    @Spec
    private CommandSpec spec;

    @Option(names = "--public-key", required = true, paramLabel = "FILE",
            description = "RSA public key: PEM (PUBLIC KEY, RSA PUBLIC KEY, CERTIFICATE), DER SPKI/PKCS#1, or an RSA1 blob; '-' reads standard input.")
    private String publicKey;

    @Option(names = "--owner", required = true, paramLabel = "DN", description = "DN of the key's owner (the user's own DN).")
    private String owner;

    @Option(names = "--device-id", paramLabel = "GUID", description = "Device the key belongs to (omitted if not given).")
    private String deviceId;

    @Option(names = "--created", paramLabel = "ISO", description = "Creation time, ISO-8601 (e.g. 2026-11-25T10:00:00Z); default now.")
    private String created;

    @Option(names = "--source", paramLabel = "AD|AzureAD", defaultValue = "AD", description = "Key source (default ${DEFAULT-VALUE}).")
    private String source;

    /** The wall clock: the command line is the one place outside a testbed where "now" means real time. */
    private final Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        KeySource keySource;
        try {
            keySource = KeySource.parse(source);
        } catch (IllegalArgumentException e) {
            throw invalid("--source: " + e.getMessage());
        }
        UUID device = null;
        if (deviceId != null) {
            try {
                device = UUID.fromString(deviceId.replace("{", "").replace("}", ""));
            } catch (IllegalArgumentException e) {
                throw invalid("--device-id: expected a GUID like 47f577e3-d2d0-4a0a-8aca-e0501098bde4 but found '" + deviceId + "'");
            }
        }
        Instant creation;
        try {
            creation = created == null ? clock.instant() : Instant.parse(created);
        } catch (DateTimeParseException e) {
            throw invalid("--created: expected an ISO-8601 UTC time like 2026-11-25T10:00:00Z but found '" + created + "'");
        }
        KeyCredential kc = KeyCredential.builder()
                .publicKey(readKey())
                .ownerDn(owner)
                .deviceId(device)
                .creationTime(creation)
                .source(keySource)
                .build();
        spec.commandLine().getOut().println(kc.toDnBinary());
        return 0;
    }

    private byte[] readKey() {
        if (!publicKey.equals("-")) {
            return PublicKeyFile.read(Path.of(publicKey));
        }
        try {
            return parent.stdin().readAllBytes();
        } catch (IOException e) {
            throw new KeyTrustException(ErrorCode.PUBLIC_KEY_UNREADABLE, "--public-key: cannot read '-': " + e.getMessage());
        }
    }
}
