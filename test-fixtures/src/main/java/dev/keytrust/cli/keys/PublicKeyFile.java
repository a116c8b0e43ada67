package dev.keytrust.cli.keys;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.keycredential.PublicKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;

/**
 * The file a {@code --public-key} option names, read the same way by {@code encode}, {@code key register} and
 * {@code probe}: a file that is missing or cannot be read is {@link ErrorCode#PUBLIC_KEY_UNREADABLE} naming the
 * option, and the key itself may be in any form {@link PublicKeys#readRsa} reads (PEM public key or certificate,
 * DER SubjectPublicKeyInfo or PKCS#1, an RSA1 blob).
 *
 * <pre>{@code
 * RSAPublicKey key = PublicKeyFile.readRsa(Path.of("alice.pem"));
 * }</pre>
 */
final class PublicKeyFile {
    private PublicKeyFile() {
    }

    /** The file's bytes, as they are. */
    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KeyTrustException(ErrorCode.PUBLIC_KEY_UNREADABLE, "--public-key: no such file '" + file + "'");
        } catch (IOException e) {
            throw new KeyTrustException(ErrorCode.PUBLIC_KEY_UNREADABLE, "--public-key: cannot read '" + file + "': " + e.getMessage());
        }
    }

    /** The RSA public key in the file. */
    static RSAPublicKey readRsa(Path file) {
        return PublicKeys.readRsa(read(file));
    }
}
