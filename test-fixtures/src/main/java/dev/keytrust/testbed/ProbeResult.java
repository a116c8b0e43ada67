package dev.keytrust.testbed;

import java.time.Instant;
import java.util.Optional;

/**
 * What a KDC on one DC would conclude about a key now: it looks for the user whose msDS-KeyCredentialLink holds an
 * NGC value with the key's KeyID and checks a signature made with the key's private half against the public key it
 * found there.
 *
 * @param dc the DC asked
 * @param at when (testbed clock)
 * @param userDn the user the key belongs to, if the DC has it
 * @param signatureVerified whether a challenge signed with the private key verified with the stored public key
 * @param conclusion what a KDC would say, in a sentence
 */
public record ProbeResult(String dc, Instant at, Optional<String> userDn, boolean signatureVerified, String conclusion) {
    /** Whether a PKINIT logon with this key would succeed on this DC now. */
    public boolean wouldAuthenticate() {
        return userDn.isPresent() && signatureVerified;
    }
}
