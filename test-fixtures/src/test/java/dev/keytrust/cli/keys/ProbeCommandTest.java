package dev.keytrust.cli.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keytrust.cli.KeyTrustCommand;
import dev.keytrust.encoding.Der;
import dev.keytrust.keycredential.KeyMaterial;
import dev.keytrust.tls.SelfSignedCertificate;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keytrust probe --public-key FILE}: the KeyID it looks for is the one AD stores for that key (base64 SHA-256 of
 * its RSA1 blob), whichever form the file holds the key in; a file that is missing or holds no RSA key is bad input
 * (exit 2) before any DC is asked, while a readable key goes on to the DC (here one that cannot be reached: exit 1).
 */
class ProbeCommandTest {
    private static final String NO_DC = "ldap://127.0.0.1:1";
    private static SelfSignedCertificate cert;
    private static RSAPublicKey key;

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    @BeforeAll
    static void key() {
        cert = SelfSignedCertificate.generate(List.of("alice"));
        key = (RSAPublicKey) cert.keyPair().getPublic();
    }

    private static Result probe(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "probe";
        System.arraycopy(args, 0, all, 1, args.length);
        int exit = KeyTrustCommand.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err), all);
        return new Result(exit, out.toString(), err.toString());
    }

    /** What AD stores as the KeyID of an Entra-synced or Windows user key, computed here without the code under test. */
    private static String expectedKeyId() throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(KeyMaterial.rsa1Blob(key)));
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + label + "-----\n";
    }

    private Path write(String name, byte[] content) throws Exception {
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void everyFormOfTheSameKeyGivesTheKeyIdAdStores() throws Exception {
        byte[] pkcs1 = Der.sequence(Der.integer(key.getModulus()), Der.integer(key.getPublicExponent()));
        List<Path> files = List.of(
                write("spki.pem", pem("PUBLIC KEY", key.getEncoded()).getBytes(StandardCharsets.US_ASCII)),
                write("spki.der", key.getEncoded()),
                write("pkcs1.pem", pem("RSA PUBLIC KEY", pkcs1).getBytes(StandardCharsets.US_ASCII)),
                write("pkcs1.der", pkcs1),
                write("key.rsa1", KeyMaterial.rsa1Blob(key)),
                write("cert.pem", cert.pem().getBytes(StandardCharsets.US_ASCII)));
        for (Path file : files) {
            assertThat(ProbeCommand.keyIdOf(file)).as(file.getFileName().toString()).isEqualTo(expectedKeyId());
        }
    }

    @Test
    void anotherKeyGivesAnotherKeyId() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        Path other = write("other.der", g.generateKeyPair().getPublic().getEncoded());
        assertThat(ProbeCommand.keyIdOf(other)).isNotEqualTo(expectedKeyId()).hasSize(44);
    }

    @Test
    void aReadableKeyGoesOnToTheDc() throws Exception {
        Path pem = write("alice.pem", pem("PUBLIC KEY", key.getEncoded()).getBytes(StandardCharsets.US_ASCII));
        Result r = probe("--dc", NO_DC, "--public-key", pem.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("LDAP_UNREACHABLE", "cannot reach " + NO_DC);
    }

    @Test
    void aMissingFileIsBadInputNamingTheOption() {
        Result r = probe("--dc", NO_DC, "--public-key", dir.resolve("missing.pem").toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("PUBLIC_KEY_UNREADABLE", "--public-key: no such file", "missing.pem");
        assertThat(r.err().lines().toList()).hasSize(1);
    }

    @Test
    void aFileWithoutAnRsaKeyIsBadInputSayingWhatItFound() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        Path[] bad = {
            write("notes.txt", "just some words".getBytes(StandardCharsets.US_ASCII)),
            write("ec.pem", pem("PUBLIC KEY", ec.generateKeyPair().getPublic().getEncoded()).getBytes(StandardCharsets.US_ASCII)),
            write("broken.pem", "-----BEGIN PUBLIC KEY-----\nMIIB!!\n-----END PUBLIC KEY-----\n".getBytes(StandardCharsets.US_ASCII)),
        };
        for (Path file : bad) {
            Result r = probe("--dc", NO_DC, "--public-key", file.toString());
            assertThat(r.exit()).as(file + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).as(file.toString()).contains("PUBLIC_KEY_UNREADABLE", "expected");
            assertThat(r.err()).as(file.toString()).doesNotContain("LDAP_UNREACHABLE");
        }
    }

    @Test
    void aKeyIdAndAPublicKeyTogetherAreRefused() throws Exception {
        Path der = write("spki.der", key.getEncoded());
        Result r = probe("--dc", NO_DC, "--public-key", der.toString(), "--key-id", expectedKeyId());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("mutually exclusive");
    }

    @Test
    void withoutADcOrAKdcItSaysWhatItExpects() throws Exception {
        Path der = write("spki.der", key.getEncoded());
        Result r = probe("--public-key", der.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("INVALID_CONFIGURATION", "--dc URL with --key-id or --public-key");
    }
}
