package dev.keytrust.graph.mock.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A compact RS256 JSON Web Token: what the mock issues as access tokens and what clients send as certificate
 * assertions. Only RS256 is accepted; anything else is {@linkplain #parse(String) refused}.
 *
 * @param header the JOSE header
 * @param claims the claims
 * @param signingInput {@code base64url(header) "." base64url(claims)}
 * @param signature the signature bytes
 */
public record Jwt(Map<String, Object> header, Map<String, Object> claims, String signingInput, byte[] signature) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    /** Signs {@code claims} with RS256; {@code extraHeader} adds fields such as {@code kid}. */
    public static String sign(Map<String, Object> extraHeader, Map<String, Object> claims, PrivateKey key) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "JWT");
        header.put("alg", "RS256");
        header.putAll(extraHeader);
        try {
            String input = B64URL.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + B64URL.encodeToString(JSON.writeValueAsBytes(claims));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64URL.encodeToString(rs256.sign());
        } catch (JsonProcessingException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
    }

    /**
     * Splits and decodes a token without checking its signature.
     *
     * @throws IllegalArgumentException saying what is malformed
     */
    @SuppressWarnings("unchecked")
    public static Jwt parse(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the token is empty");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected a JWT of three dot-separated parts but found " + parts.length);
        }
        try {
            Base64.Decoder d = Base64.getUrlDecoder();
            Map<String, Object> header = JSON.readValue(d.decode(parts[0]), Map.class);
            Map<String, Object> claims = JSON.readValue(d.decode(parts[1]), Map.class);
            if (!"RS256".equals(header.get("alg")) && !"PS256".equals(header.get("alg"))) {
                throw new IllegalArgumentException("expected alg RS256 or PS256 but found " + header.get("alg"));
            }
            return new Jwt(header, claims, parts[0] + "." + parts[1], d.decode(parts[2]));
        } catch (java.io.IOException | IllegalArgumentException e) {
            if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith("expected alg")) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException("the token is not base64url-encoded JSON: " + e.getMessage(), e);
        }
    }

    /** Whether the signature verifies with {@code key} (RS256, or RSASSA-PSS with SHA-256 for PS256). */
    public boolean verifiedBy(PublicKey key) {
        try {
            Signature rs256;
            if ("PS256".equals(header.get("alg"))) {
                rs256 = Signature.getInstance("RSASSA-PSS");
                rs256.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            } else {
                rs256 = Signature.getInstance("SHA256withRSA");
            }
            rs256.initVerify(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return rs256.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public String stringClaim(String name) {
        Object v = claims.get(name);
        return v == null ? null : v.toString();
    }

    /** A numeric date claim ({@code exp}, {@code nbf}) in epoch seconds, or -1 if absent or not a number. */
    public long epochClaim(String name) {
        Object v = claims.get(name);
        return v instanceof Number n ? n.longValue() : -1;
    }
}
