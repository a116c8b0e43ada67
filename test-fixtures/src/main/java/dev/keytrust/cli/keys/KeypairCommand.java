package dev.keytrust.cli.keys;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.kdc.client.UserKeyPair;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeySource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keytrust keypair}: a Windows-Hello-like key a user can sign in with (kinit PKINIT). */
@Command(name = "keypair",
        description = {
            "Make a key a user can sign in with, as Windows Hello does: an RSA-2048 private key (<user>.key), its self-signed",
            "certificate (<user>.pem: CN=<user>, no EKU), the msDS-KeyCredentialLink value (<user>.link) and the JSON body",
            "that registers the public key in the Graph mock (<user>.register.json, for POST /_admin/users/{upn}/keys)."
        },
        mixinStandardHelpOptions = true,
        footer = {"", "Example:",
            "  keytrust keypair --out ./keys --user alice --owner CN=Alice,CN=Users,DC=corp,DC=example,DC=com",
            "  curl -sk --json @keys/alice.register.json $GRAPH/_admin/users/alice@corp.example.com/keys",
            "  KRB5_CONFIG=krb5/krb5-DC1.conf kinit -X X509_user_identity=FILE:keys/alice.pem,keys/alice.key \\",
            "      -X X509_anchors=FILE:krb5/ca.pem -X X509_anchors=FILE:keys/alice.pem alice@CORP.EXAMPLE.COM"})
public final class KeypairCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the files to (created if needed).")
    private Path out;

    @Option(names = "--user", required = true, paramLabel = "NAME",
            description = "The user (sAMAccountName or UPN): the certificate's CN and the files' names.")
    private String user;

    @Option(names = "--owner", paramLabel = "DN", description = "The user's DN for the msDS-KeyCredentialLink value "
            + "(default CN=<user>,CN=Users,DC=corp,DC=example,DC=com).")
    private String owner;

    @Option(names = "--device-name", paramLabel = "NAME", description = "The device's name in the Graph registration "
            + "(default <USER>-PC).")
    private String deviceName;

    /** The wall clock: the command line is the one place outside a testbed where "now" means real time. */
    private final Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws IOException {
        if (user.isBlank() || !user.matches("[A-Za-z0-9._@-]{1,256}")) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--user: expected a user name such as alice or "
                    + "alice@corp.example.com (letters, digits, '.', '_', '-', '@') but found '" + user + "'");
        }
        String name = user.contains("@") ? user.substring(0, user.indexOf('@')) : user;
        String dn = owner != null ? owner : "CN=" + name + ",CN=Users,DC=corp,DC=example,DC=com";
        Files.createDirectories(out);
        UserKeyPair pair = UserKeyPair.generate(name, clock.instant());
        pair.write(out);
        String link = KeyCredential.builder().publicKey(pair.publicKey()).ownerDn(dn).deviceId(UUID.randomUUID())
                .creationTime(clock.instant()).source(KeySource.AZURE_AD).build().toDnBinary();
        Path linkFile = out.resolve(name + ".link");
        Files.writeString(linkFile, link + "\n", StandardCharsets.US_ASCII);
        String device = deviceName != null ? deviceName : name.toUpperCase(Locale.ROOT) + "-PC";
        Path register = out.resolve(name + ".register.json");
        Files.writeString(register, "{\"displayName\": \"" + device.replace("\"", "") + "\", \"publicKey\": \""
                + Base64.getEncoder().encodeToString(pair.publicKey().getEncoded()) + "\"}\n", StandardCharsets.US_ASCII);
        PrintWriter o = spec.commandLine().getOut();
        o.println("private key:  " + pair.keyFile(out).toAbsolutePath() + "   (keep it; kinit signs with it)");
        o.println("certificate:  " + pair.certificateFile(out).toAbsolutePath() + "   (CN=" + name + ", self-signed, no EKU)");
        o.println("link value:   " + linkFile.toAbsolutePath() + "   (msDS-KeyCredentialLink for " + dn + ")");
        o.println("register:     " + register.toAbsolutePath() + "   (POST to the Graph mock's /_admin/users/{upn}/keys)");
        o.flush();
        return 0;
    }
}
