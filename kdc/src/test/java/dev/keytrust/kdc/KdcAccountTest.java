package dev.keytrust.kdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.kdc.protocol.Request;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KdcAccountTest {

    private static KdcAccount withSid(String sid) {
        return new KdcAccount("alice", Optional.empty(), List.of(), List.of(), "CORP.EXAMPLE.COMalice", false,
                List.of(), sid, List.of(513));
    }

    @Test
    void theRidIsTheLastSubAuthorityOfTheSid() {
        assertThat(withSid("S-1-5-21-1-2-3-1104").rid()).isEqualTo(1104);
    }

    @Test
    void aMalformedSidIsRefusedWhenTheAccountIsMade() {
        assertThatThrownBy(() -> withSid("not-a-sid")).isInstanceOf(KeyTrustException.class)
                .hasMessageContaining("alice").hasMessageContaining("'not-a-sid'")
                .satisfies(e -> assertThat(((KeyTrustException) e).errorCode())
                        .isEqualTo(ErrorCode.INVALID_CONFIGURATION));
        assertThatThrownBy(() -> withSid("S-1-5")).hasMessageContaining("RID");
    }

    @Test
    void keysAreNeverShownAndHaveTheirEnctypesLength() {
        assertThat(new KerberosKey(23, 1, new byte[16]).toString()).contains("hidden");
        assertThatThrownBy(() -> new KerberosKey(18, 1, new byte[16])).hasMessageContaining("32-byte");
    }

    @Test
    void logLinesGetPrincipalNamesWithoutControlCharacters() {
        assertThat(Request.forLog("alice\n2026 forged line")).isEqualTo("alice?2026 forged line");
    }
}
