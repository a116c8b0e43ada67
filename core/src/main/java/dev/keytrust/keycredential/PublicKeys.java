package dev.keytrust.keycredential;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Locale;

/**
 * Reads an RSA public key from the forms people have at hand: PEM ({@code PUBLIC KEY}, {@code RSA PUBLIC KEY}
 * or {@code CERTIFICATE}), DER SubjectPublicKeyInfo, DER PKCS#1 RSAPublicKey, or a BCRYPT RSA1 blob.
 *
 * <pre>{@code
 * RSAPublicKey key = PublicKeys.readRsa(Files.readAllBytes(Path.of("key.pem")));
 * }</pre>
 */
public final class PublicKeys {
    private PublicKeys() {
    }

    /**
     * Reads an RSA public key.
     *
     * @throws KeyTrustException ({@code PUBLIC_KEY_UNREADABLE}) saying what was found instead
     */
    public static RSAPublicKey readRsa(byte[] encoded) {
        byte[] der = encoded;
        String text = new String(encoded, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN ");
        if (begin >= 0) {
            int labelEnd = text.indexOf("-----", begin + 11);
            int end = labelEnd < 0 ? -1 : text.indexOf("-----END", labelEnd + 5);
            if (labelEnd < 0 || end < 0) {
                throw unreadable("a PEM block with BEGIN and END lines", "an incomplete PEM block");
            }
            String label = text.substring(begin + 11, labelEnd).trim().toUpperCase(Locale.ROOT);
            String body = text.substring(labelEnd + 5, end).replaceAll("\\s", "");
            try {
                der = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw unreadable("base64 inside the PEM block", "invalid base64 (" + e.getMessage() + ")");
            }
            if (label.equals("CERTIFICATE")) {
                return fromCertificate(der);
            }
        }
        KeyMaterial material = KeyMaterial.describe(der);
        return material.rsaPublicKey().orElseThrow(() -> unreadable(
                "an RSA public key (PEM, DER SubjectPublicKeyInfo, DER PKCS#1 or an RSA1 blob)",
                material.format() == KeyMaterial.Format.UNKNOWN ? material.length() + " bytes in no known key format"
                        : "a " + material.format() + " value without a usable RSA key"));
    }

    private static RSAPublicKey fromCertificate(byte[] der) {
        try {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            if (cert.getPublicKey() instanceof RSAPublicKey rsa) {
                return rsa;
            }
            throw unreadable("a certificate with an RSA key", "a " + cert.getPublicKey().getAlgorithm() + " key");
        } catch (CertificateException e) {
            throw unreadable("an X.509 certificate", "an unreadable certificate (" + e.getMessage() + ")");
        }
    }

    private static KeyTrustException unreadable(String expected, String found) {
        return new KeyTrustException(ErrorCode.PUBLIC_KEY_UNREADABLE,
                "expected " + expected + " but found " + found + "; export the key with e.g. "
                        + "'openssl rsa -pubout' or 'openssl x509 -pubkey -noout'");
    }
}
