package dev.keytrust.cli.keys;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.cli.VersionProvider;
import dev.keytrust.cli.options.AdminTokenEnv;
import dev.keytrust.graph.mock.DeviceKey;
import dev.keytrust.graph.mock.GraphMockAdmin.KeyRequest;
import dev.keytrust.graph.mock.GraphMockAdmin;
import dev.keytrust.graph.mock.GraphUser;
import dev.keytrust.graph.mock.admin.HttpGraphMockAdmin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code keytrust key register|remove}: a WHfB key registered in (or removed from) Entra while a lab or a Graph mock
 * runs, through the mock's admin API, so nobody needs curl. The agent's next cycle takes it to the sync target DC.
 */
@Command(name = "key",
        description = {"Register a Windows Hello for Business key for a user of a running lab or Graph mock, or remove one, "
            + "through the mock's admin API; the agent's next cycle writes it to AD."},
        mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = {KeyCommand.Register.class, KeyCommand.Remove.class})
public final class KeyCommand {

    /** Where the mock is (the URL and CA file the lab or keytrust graph-mock prints) and whose key it is. */
    static final class MockOptions {
        @Option(names = "--user", required = true, paramLabel = "USER", description = "The user: a UPN, or the part before the @.")
        String user;

        @Option(names = "--graph", required = true, paramLabel = "URL",
                description = "The Graph mock's root URL as the lab or graph-mock prints it, e.g. https://127.0.0.1:8443.")
        String url;

        @Option(names = "--ca", required = true, paramLabel = "FILE", description = "The mock's CA certificate (PEM) that the lab or graph-mock prints.")
        Path ca;

        @Option(names = "--admin-token-env", paramLabel = "VAR",
                description = "Environment variable holding the mock's admin token, when it was started with one.")
        String adminTokenEnv;

        GraphMockAdmin connect() {
            String token = AdminTokenEnv.read(adminTokenEnv);
            if (!Files.isRegularFile(ca)) {
                throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--ca: no such file '" + ca
                        + "'; use the CA certificate path the lab or graph-mock printed");
            }
            return HttpGraphMockAdmin.connect(url, ca, token);
        }

        /** The user named by {@code --user}: a UPN, or the part before the @ ({@code alice}). */
        GraphUser owner(GraphMockAdmin admin) {
            String wanted = user.toLowerCase(Locale.ROOT);
            List<GraphUser> users = admin.users();
            return users.stream().filter(u -> u.userPrincipalName().equalsIgnoreCase(wanted)
                    || u.userPrincipalName().toLowerCase(Locale.ROOT).startsWith(wanted + "@")).findFirst()
                    .orElseThrow(() -> new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--user: no user '" + user
                            + "' in the mock; expected a UPN or the part before the @, e.g. "
                            + users.stream().limit(3).map(GraphUser::userPrincipalName).toList()));
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Register a key for a user on a new device: the mock generates a key pair unless --public-key gives one."},
            footer = {"", "Examples:",
                "  keytrust key register --graph https://127.0.0.1:8443 --ca graph-ca.pem --user alice",
                "  keytrust key register --graph https://127.0.0.1:8443 --ca graph-ca.pem --user alice --public-key key.pem --device ALICE-PC"})
    static final class Register implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        MockOptions mock;

        @Option(names = "--public-key", paramLabel = "FILE",
                description = "The key's RSA public key: PEM (PUBLIC KEY, RSA PUBLIC KEY, CERTIFICATE), DER or an RSA1 blob.")
        Path publicKey;

        @Option(names = "--device", paramLabel = "NAME", description = "The device's name (default: one the mock makes up).")
        String device;

        @Override
        public Integer call() {
            byte[] spki = publicKey == null ? null : PublicKeyFile.readRsa(publicKey).getEncoded();
            GraphMockAdmin admin = mock.connect();
            GraphUser owner = mock.owner(admin);
            DeviceKey k = admin.addKey(owner.userPrincipalName(), new KeyRequest(null, device, spki, null, null));
            spec.commandLine().getOut().println("registered key " + k.keyId() + " for " + owner.userPrincipalName() + " on "
                    + k.displayName() + " (device " + k.deviceId() + "); the agent's next cycle writes it to AD");
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Remove a user's key from Entra by its KeyID (or method id); the agent's next cycle removes it from AD."},
            footer = {"", "Example:",
                "  keytrust key remove --graph https://127.0.0.1:8443 --ca graph-ca.pem --user alice --key-id 'X0tTPElLr537mp9Z...='"})
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        MockOptions mock;

        @Option(names = "--key-id", required = true, paramLabel = "ID", description = "The key's KeyID (base64) or its Graph method id.")
        String keyId;

        @Override
        public Integer call() {
            GraphMockAdmin admin = mock.connect();
            GraphUser owner = mock.owner(admin);
            List<DeviceKey> keys = admin.keys(owner.userPrincipalName());
            DeviceKey key = keys.stream().filter(k -> k.keyId().equals(keyId) || k.id().equalsIgnoreCase(keyId)).findFirst()
                    .orElseThrow(() -> new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--key-id: " + owner.userPrincipalName()
                            + " has no key '" + keyId + "'; their keys: " + keys.stream().map(DeviceKey::keyId).toList()));
            // by its method id (a GUID): a KeyID is base64 and may hold a '/', which a URL path cannot carry as is
            admin.removeKey(owner.userPrincipalName(), key.id());
            spec.commandLine().getOut().println("removed key " + keyId + " of " + owner.userPrincipalName()
                    + "; the agent's next cycle removes it from AD");
            return 0;
        }
    }
}
