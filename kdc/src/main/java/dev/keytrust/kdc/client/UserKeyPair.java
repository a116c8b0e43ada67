package dev.keytrust.kdc.client;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.kdc.pkinit.KdcCertificates;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A Windows-Hello-like user key: an RSA-2048 key pair and its self-signed certificate ({@code CN=<user>}, no EKU, no
 * SAN), which is what MIT kinit signs a PKINIT request with ({@code -X X509_user_identity=FILE:cert,key}); the public
 * half goes into msDS-KeyCredentialLink.
 *
 * <pre>{@code
 * UserKeyPair alice = UserKeyPair.generate("alice", clock.instant());
 * alice.write(dir);                         // alice.pem (certificate), alice.key (private key, PKCS#8)
 * RSAPublicKey pub = alice.publicKey();     // for KeyCredential.builder().publicKey(pub)
 * }</pre>
 *
 * @param user the user the certificate names (CN)
 * @param certificate the self-signed certificate
 * @param privateKey the private key (never logged)
 */
public record UserKeyPair(String user, X509Certificate certificate, PrivateKey privateKey) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new RSA-2048 key and a certificate valid from a day before {@code now} for ten years. */
    public static UserKeyPair generate(String user, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return fromKeyPair(user, generator.generateKeyPair(), now);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is missing from the JDK", e);
        }
    }

    /** The self-signed certificate for an existing key pair. */
    public static UserKeyPair fromKeyPair(String user, KeyPair keys, Instant now) {
        X500Name name = new X500Name("CN=" + user);
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(63, RANDOM).add(BigInteger.ONE), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), name, keys.getPublic());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
            return new UserKeyPair(user, cert, keys.getPrivate());
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "could not make a certificate for " + user, e);
        }
    }

    /** Reads a certificate and its private key from PEM files (as {@link #write} leaves them). */
    public static UserKeyPair read(Path certificateFile, Path keyFile) {
        try (PEMParser certs = new PEMParser(new StringReader(Files.readString(certificateFile)));
             PEMParser keys = new PEMParser(new StringReader(Files.readString(keyFile)))) {
            Object cert = certs.readObject();
            Object key = keys.readObject();
            if (!(cert instanceof X509CertificateHolder holder)) {
                throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "expected a PEM CERTIFICATE in "
                        + certificateFile + ", found something else");
            }
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            PrivateKey privateKey;
            if (key instanceof PEMKeyPair pair) {
                privateKey = converter.getKeyPair(pair).getPrivate();
            } else if (key instanceof PrivateKeyInfo info) {
                privateKey = converter.getPrivateKey(info);
            } else {
                throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "expected an unencrypted PEM private key in "
                        + keyFile + ", found something else");
            }
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
            String cn = holder.getSubject().toString().replaceFirst("^CN=", "");
            return new UserKeyPair(cn, certificate, privateKey);
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyTrustException(ErrorCode.INVALID_CONFIGURATION, "cannot read the key pair " + certificateFile
                    + " / " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /** The RSA public key (what msDS-KeyCredentialLink holds). */
    public RSAPublicKey publicKey() {
        return (RSAPublicKey) certificate.getPublicKey();
    }

    /** The certificate's file in {@code dir}: {@code <user>.pem}. */
    public Path certificateFile(Path dir) {
        return dir.resolve(user + ".pem");
    }

    /** The private key's file in {@code dir}: {@code <user>.key}. */
    public Path keyFile(Path dir) {
        return dir.resolve(user + ".key");
    }

    /** Writes the certificate and the private key (owner-only permissions where the file system has them). */
    public void write(Path dir) {
        KdcCertificates.writeCertificate(certificate, certificateFile(dir));
        Path key = keyFile(dir);
        KdcCertificates.writePrivateKey(privateKey, key);
        try {
            Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: the key keeps the folder's permissions
        }
    }

    @Override
    public String toString() {
        return "UserKeyPair[" + user + ", private key hidden]";
    }
}
