package dev.keytrust.cli;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.keycredential.KeyMaterial;
import dev.keytrust.keycredential.PublicKeys;
import dev.keytrust.testbed.KeyProbe;
import dev.keytrust.testbed.ProbeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keytrust probe}: the KDC-like lookup of one key on one DC. */
@Command(name = "probe",
        description = {"What a KDC on this DC would find for a WHfB key: the user whose msDS-KeyCredentialLink holds an NGC value",
            "with the key's KeyID, or that the key has not replicated here yet. Exit 0 when found, 1 when not."},
        mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  keytrust probe --dc ldap://127.0.0.1:14391 --key-id 'Dk3...='"})
final class ProbeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--dc", required = true, paramLabel = "URL", description = "ldap://host:port of the DC to ask.")
    private String dc;

    static final class Which {
        @Option(names = "--key-id", paramLabel = "B64", description = "The KeyID (base64 SHA-256 of the key material).")
        String keyId;

        @Option(names = "--public-key", paramLabel = "FILE", description = "The RSA public key (PEM or DER); its KeyID is computed.")
        Path publicKey;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Which which;

    @picocli.CommandLine.Mixin
    private DcConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
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

    static String keyIdOf(Path file) throws Exception {
        if (!Files.isReadable(file)) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "--public-key: cannot read '" + file + "'");
        }
        byte[] raw = Files.readAllBytes(file);
        String text = new String(raw, java.nio.charset.StandardCharsets.US_ASCII);
        byte[] der = text.contains("-----BEGIN") ? Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", "")) : raw;
        byte[] material = KeyMaterial.rsa1Blob(PublicKeys.readRsa(der));
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(material));
    }
}
