package dev.keytrust.graph;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import java.time.OffsetDateTime;
import reactor.core.publisher.Mono;

/**
 * Reuses an access token until five minutes before it expires (MSAL does not reuse cached tokens when the
 * authority is on a port other than 443, which would mean one token request per Graph request). Graph refusing the
 * token (401) {@linkplain #invalidate() drops it}: on virtual time the testbed clock may have passed its expiry.
 */
final class CachingCredential implements TokenCredential {
    private final TokenCredential delegate;
    private AccessToken cached;

    CachingCredential(TokenCredential delegate) {
        this.delegate = delegate;
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.fromCallable(() -> getTokenSync(request));
    }

    @Override
    public synchronized AccessToken getTokenSync(TokenRequestContext request) {
        if (cached == null || cached.getExpiresAt().isBefore(OffsetDateTime.now().plusMinutes(5))) {
            cached = delegate.getTokenSync(request);
        }
        return cached;
    }

    synchronized void invalidate() {
        cached = null;
    }
}
