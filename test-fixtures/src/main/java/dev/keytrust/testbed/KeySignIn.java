package dev.keytrust.testbed;

import dev.keytrust.dc.DomainController;
import dev.keytrust.dc.kerberos.KdcService;
import dev.keytrust.kdc.client.PkinitClient;
import dev.keytrust.kdc.client.UserKeyPair;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sign-ins the testbed makes itself: a key-trust PKINIT AS exchange with a key's private half, through the KDC socket
 * of one DC, on the testbed clock. The user is named by UPN (an enterprise name), as Windows does.
 */
final class KeySignIn {
    private final Clock clock;
    private final Map<String, X509Certificate> certificates = new ConcurrentHashMap<>();

    KeySignIn(Clock clock) {
        this.clock = clock;
    }

    /** Signs in with {@code key} at {@code dc}'s KDC now. */
    PkinitClient.Outcome signIn(TestKey key, DomainController dc) {
        if (key.privateKey() == null) {
            throw new dev.keytrust.KeyTrustException(dev.keytrust.ErrorCode.INVALID_CONFIGURATION, "cannot sign in with "
                    + key + ": it was registered with its public key only, so the testbed does not hold its private half; "
                    + "sign in with the user's own key (kinit -X X509_user_identity=...)");
        }
        X509Certificate certificate = certificates.computeIfAbsent(key.keyId(), id -> UserKeyPair.fromKeyPair(
                key.userPrincipalName(), new KeyPair(key.publicKey(), key.privateKey()), clock.instant()).certificate());
        return PkinitClient.signIn(dc.host(), dc.port(KdcService.NAME), dc.config().domain().toUpperCase(Locale.ROOT),
                key.userPrincipalName(), key.privateKey(), certificate, clock);
    }

    /** Whether {@code dc} hosts a KDC that is serving. */
    static boolean hasKdc(DomainController dc) {
        return dc.isServing() && dc.services().contains(KdcService.NAME);
    }
}
