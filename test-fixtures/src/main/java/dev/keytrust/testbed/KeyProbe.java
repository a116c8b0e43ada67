package dev.keytrust.testbed;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import dev.keytrust.KeyTrustException;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeyUsage;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Optional;

/**
 * The KDC-like lookup: which user's msDS-KeyCredentialLink holds an NGC value with this KeyID on this DC, and does a
 * signature made with the private key verify with the public key stored there. Over LDAP, as any tool would.
 */
public final class KeyProbe {
    private KeyProbe() {
    }

    /** A match: the owner's DN and the stored value. */
    public record Found(String userDn, KeyCredential value) {
    }

    /** Finds the NGC value with {@code keyId} (base64) under {@code baseDn}, if any. */
    public static Optional<Found> find(LDAPConnection ldap, String baseDn, String keyId) throws LDAPException {
        for (SearchResultEntry e : ldap.search(baseDn, SearchScope.SUB, "(msDS-KeyCredentialLink=*)", "msDS-KeyCredentialLink")
                .getSearchEntries()) {
            for (String v : e.getAttributeValues("msDS-KeyCredentialLink")) {
                try {
                    KeyCredential kc = KeyCredential.fromDnBinary(v);
                    if (kc.keyIdBase64().equals(keyId) && kc.usage().map(KeyUsage.NGC::equals).orElse(false)) {
                        return Optional.of(new Found(e.getDN(), kc));
                    }
                } catch (KeyTrustException ignored) {
                    // a value a KDC could not read either
                }
            }
        }
        return Optional.empty();
    }

    /** What a KDC on {@code dc} concludes now; {@code privateKey} may be null (then no signature is checked). */
    public static ProbeResult probe(String dc, Instant at, LDAPConnection ldap, String baseDn, String keyId, PrivateKey privateKey)
            throws LDAPException {
        Optional<Found> found = find(ldap, baseDn, keyId);
        if (found.isEmpty()) {
            return new ProbeResult(dc, at, Optional.empty(), false, "no user on " + dc + " has an NGC key with KeyID " + keyId
                    + ": not yet replicated here (a PKINIT logon would fail with KDC_ERR_CLIENT_NOT_TRUSTED)");
        }
        Optional<RSAPublicKey> stored = found.get().value().keyMaterial().rsaPublicKey();
        boolean verified = privateKey != null && stored.isPresent() && verifies(privateKey, stored.get());
        String who = found.get().userDn();
        String conclusion = privateKey == null ? "the key belongs to " + who + " on " + dc
                : verified ? "a logon signed with this key would authenticate as " + who + " on " + dc
                : "the KeyID is on " + who + " but the stored public key does not verify this key's signature";
        return new ProbeResult(dc, at, Optional.of(who), verified, conclusion);
    }

    private static boolean verifies(PrivateKey privateKey, RSAPublicKey publicKey) {
        try {
            byte[] challenge = ("keytrust-probe-" + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance("SHA256withRSA");
            sign.initSign(privateKey);
            sign.update(challenge);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance("SHA256withRSA");
            verify.initVerify(publicKey);
            verify.update(challenge);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
