package dev.keytrust.cli.keys;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.cli.options.DcConnectionOptions;
import dev.keytrust.keycredential.KeyMaterial;
import dev.keytrust.testbed.KeyProbe;
import dev.keytrust.testbed.ProbeResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keytrust probe}: one key on one DC, by a real PKINIT sign-in at its KDC or by the LDAP lookup a KDC makes. */
@Command(name = "probe",
        description = {"With --kdc: sign in with a WHfB-like key by key-trust PKINIT at that DC's KDC and print the ticket's",
            "times, or the KRB-ERROR (62 KDC_ERR_CLIENT_NOT_TRUSTED while the key has not replicated there).",
            "With --dc only: what a KDC on this DC would find for the key over LDAP: the user whose msDS-KeyCredentialLink",
            "holds an NGC value with its KeyID, or that it has not replicated here yet. Exit 0 when found/signed in, 1 when not."},
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  keytrust probe --kdc 127.0.0.1:41088 --user alice --cert keys/alice.pem --key keys/alice.key",
            "  keytrust probe --dc ldap://127.0.0.1:14391 --key-id 'Dk3...='"})
public final class ProbeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--dc", paramLabel = "URL", description = "ldap://host:port of the DC to ask (with --kdc: read the "
            + "DC's own time from it, for a lab on simulated time).")
    private String dc;

    @Option(names = "--kdc", paramLabel = "HOST:PORT", description = "Sign in at this KDC by key-trust PKINIT.")
    private String kdc;

    @Option(names = "--user", paramLabel = "NAME", description = "With --kdc: the user (alice, or alice@corp.example.com).")
    private String user;

    @Option(names = "--cert", paramLabel = "FILE", description = "With --kdc: the key's certificate (keytrust keypair's <user>.pem).")
    private Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "With --kdc: the private key (keytrust keypair's <user>.key).")
    private Path key;

    @Option(names = "--realm", defaultValue = "CORP.EXAMPLE.COM", paramLabel = "REALM",
            description = "With --kdc: the realm (default ${DEFAULT-VALUE}).")
    private String realm;

    static final class Which {
        @Option(names = "--key-id", paramLabel = "B64", description = "The KeyID (base64 SHA-256 of the key material).")
        String keyId;

        @Option(names = "--public-key", paramLabel = "FILE", description = "The RSA public key: PEM (PUBLIC KEY, "
                + "RSA PUBLIC KEY, CERTIFICATE), DER SPKI/PKCS#1, or an RSA1 blob; its KeyID is computed.")
        Path publicKey;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private Which which;

    @picocli.CommandLine.Mixin
    private DcConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        if (kdc != null) {
            return signIn();
        }
        if (dc == null || which == null) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "expected --kdc HOST:PORT with --user, --cert and "
                    + "--key (a PKINIT sign-in), or --dc URL with --key-id or --public-key (an LDAP lookup)");
        }
        String keyId = which.keyId != null ? checkedKeyId(which.keyId) : keyIdOf(which.publicKey);
        try (LDAPConnection ldap = connection.connect(dc, "--dc")) {
            com.unboundid.ldap.sdk.RootDSE root = ldap.getRootDSE();
            String base = root.getAttributeValue("defaultNamingContext");
            // The DC's own (testbed) time, not this process's clock.
            Instant at = com.unboundid.util.StaticUtils.decodeGeneralizedTime(root.getAttributeValue("currentTime")).toInstant();
            ProbeResult r = KeyProbe.probe(dc, at, ldap, base, keyId, null);
            spec.commandLine().getOut().println(r.conclusion());
            return r.userDn().isPresent() ? 0 : 1;
        } catch (LDAPException e) {
            throw dev.keytrust.LdapFailures.of("probe", dc, e.getResultCode().intValue(), e.getResultCode().getName(),
                    e.getDiagnosticMessage(), e);
        }
    }

    /** A key-trust PKINIT sign-in at --kdc: prints the ticket's times or the KRB-ERROR. */
    private int signIn() throws Exception {
        if (user == null || cert == null || key == null) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--kdc: expected --user, --cert and --key too "
                    + "(keytrust keypair writes <user>.pem and <user>.key)");
        }
        int colon = kdc.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(kdc.substring(colon + 1));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--kdc: expected HOST:PORT such as 127.0.0.1:41088 "
                    + "but found '" + kdc + "'");
        }
        String host = colon > 0 ? kdc.substring(0, colon) : "127.0.0.1";
        dev.keytrust.kdc.client.UserKeyPair pair = dev.keytrust.kdc.client.UserKeyPair.read(cert, key);
        java.time.Clock clock = java.time.Clock.systemUTC();
        if (dc != null) { // the lab's simulated time, from the DC's rootDSE currentTime
            try (LDAPConnection ldap = connection.connect(dc, "--dc")) {
                Instant dcNow = com.unboundid.util.StaticUtils.decodeGeneralizedTime(
                        ldap.getRootDSE().getAttributeValue("currentTime")).toInstant();
                clock = java.time.Clock.offset(clock, java.time.Duration.between(Instant.now(), dcNow));
            }
        }
        dev.keytrust.kdc.client.PkinitClient.Outcome outcome = dev.keytrust.kdc.client.PkinitClient.signIn(host, port,
                realm.toUpperCase(java.util.Locale.ROOT), user, pair.privateKey(), pair.certificate(), clock);
        spec.commandLine().getOut().println(outcome);
        return outcome.succeeded() ? 0 : 1;
    }

    /**
     * A KeyID as given, once it is what AD stores: the base64 of a SHA-256 (32 bytes), so that a typo is bad input
     * (exit 2) rather than a key "not replicated here yet".
     */
    static String checkedKeyId(String keyId) {
        byte[] decoded = null;
        try {
            decoded = Base64.getDecoder().decode(keyId.strip());
        } catch (IllegalArgumentException notBase64) {
            try {
                decoded = Base64.getUrlDecoder().decode(keyId.strip());
            } catch (IllegalArgumentException notBase64Url) {
                // reported below
            }
        }
        if (decoded == null || decoded.length != 32) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--key-id: expected a KeyID, the base64 of "
                    + "the SHA-256 of the key material (44 characters ending in '=', as `keytrust decode` prints it), "
                    + "but found '" + keyId + "'" + (decoded == null ? " (not base64)" : " (" + decoded.length
                    + " bytes, not 32)"));
        }
        return Base64.getEncoder().encodeToString(decoded);
    }

    /** The KeyID of the RSA key in {@code file}: of its RSA1 blob, as Windows and Entra store user keys. */
    static String keyIdOf(Path file) {
        return KeyMaterial.keyIdBase64(KeyMaterial.rsa1Blob(PublicKeyFile.readRsa(file)));
    }
}
