package dev.keytrust.dc.ntlm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NtlmAcceptorTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final ServerNames SERVER = new ServerNames("CORP", "DC1", "corp.example.com", "dc1.corp.example.com");
    /** [MS-NLMP] 4.2.4.3: the AUTHENTICATE message of the NTLMv2 example (User, Domain, Password). */
    private static final byte[] SPEC_AUTHENTICATE = HEX.parseHex(("4e544c4d535350000300000018001800"
            + "6c00000054005400840000000c000c00480000000800080054000000100010005c00000010001000d8000000358288e2"
            + "0501280a0000000f44006f006d00610069006e00550073006500720043004f004d005000550054004500520086c35097"
            + "ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa68cd0ab851e51c96aabc927bebef6a1c010100000000000000000000"
            + "00000000aaaaaaaaaaaaaaaa0000000002000c0044006f006d00610069006e0001000c00530065007200760065007200"
            + "0000000000000000c5dad2544fc9799094ce1ce90bc9d03e"));

    private static NtlmAccounts only(String domain, String user, String password, boolean enabled) {
        return (d, u) -> d.equalsIgnoreCase(domain) && u.equalsIgnoreCase(user)
                ? Optional.of(new NtlmAccount("CN=" + user + ",DC=corp", NtlmCrypto.ntHash(password), enabled))
                : Optional.empty();
    }

    private static NtlmAcceptor specAcceptor(NtlmAccounts accounts) {
        NtlmAcceptor acceptor = new NtlmAcceptor(SERVER, accounts, CLOCK, HEX.parseHex("0123456789abcdef"));
        acceptor.challenge(new NtlmTestClient("Domain", "User", "Password", 0xe2888235).negotiate());
        return acceptor;
    }

    @Test
    void ntHashAndNtowfv2MatchTheSpecificationsValues() {
        assertThat(HEX.formatHex(NtlmCrypto.ntHash("Password"))).isEqualTo("a4f49c406510bdcab6824ee7c30fd852");
        assertThat(HEX.formatHex(NtlmCrypto.ntowfv2(NtlmCrypto.ntHash("Password"), "User", "Domain")))
                .isEqualTo("0c868a403bfd7a93a3001ef22ef02e3f");
    }

    @Test
    void theSpecificationsAuthenticateMessageIsAcceptedAndItsSealedMessageOpens() {
        NtlmAcceptor.Outcome outcome = specAcceptor(only("Domain", "User", "Password", true)).authenticate(SPEC_AUTHENTICATE);

        assertThat(outcome).isInstanceOf(NtlmAcceptor.Accepted.class);
        NtlmAcceptor.Accepted accepted = (NtlmAcceptor.Accepted) outcome;
        assertThat(accepted.micPresent()).isFalse();
        assertThat(accepted.security().sealing()).isTrue();
        // [MS-NLMP] 4.2.4.4: the client sealed "Plaintext" (UTF-16LE) with sequence number 0
        byte[] token = HEX.parseHex("010000007fb38ec5c55d49760000000054e50165bf1936dc996020c1811b0f06fb5f");
        assertThat(new String(accepted.security().unwrap(token), StandardCharsets.UTF_16LE)).isEqualTo("Plaintext");
    }

    @Test
    void aWrongPasswordIsRefusedWithAdsData52e() {
        NtlmAcceptor.Outcome outcome = specAcceptor(only("Domain", "User", "Passw0rd", true)).authenticate(SPEC_AUTHENTICATE);

        assertThat(outcome).isInstanceOf(NtlmAcceptor.Refused.class);
        assertThat(((NtlmAcceptor.Refused) outcome).diagnostic()).isEqualTo(
                "80090308: LdapErr: DSID-0C090569, comment: AcceptSecurityContext error, data 52e, v4563");
    }

    @Test
    void anUnknownAccountIsRefusedAsAWrongPasswordIs() {
        NtlmAcceptor.Outcome outcome = specAcceptor(only("Domain", "Someone", "Password", true)).authenticate(SPEC_AUTHENTICATE);

        assertThat(((NtlmAcceptor.Refused) outcome).data()).isEqualTo("52e");
    }

    @Test
    void aDisabledAccountWithTheRightPasswordIsRefusedWithData533() {
        NtlmAcceptor.Outcome outcome = specAcceptor(only("Domain", "User", "Password", false)).authenticate(SPEC_AUTHENTICATE);

        assertThat(((NtlmAcceptor.Refused) outcome).diagnostic()).contains("data 533");
    }

    @Test
    void anNtlmV1ResponseIsRefused() {
        byte[] v1 = SPEC_AUTHENTICATE.clone();
        v1[20] = 24; // NtChallengeResponse length 24: NTLMv1
        v1[22] = 24;
        NtlmAcceptor.Outcome outcome = specAcceptor(only("Domain", "User", "Password", true)).authenticate(v1);

        assertThat(outcome).isInstanceOf(NtlmAcceptor.Refused.class);
        assertThat(((NtlmAcceptor.Refused) outcome).reason()).contains("NTLMv1");
    }

    @Test
    void aClientWithMicAndKeyExchangeIsAcceptedAndBothSidesExchangeSealedMessages() {
        NtlmTestClient client = new NtlmTestClient("corp", "alice", "S3cret!x");
        NtlmAcceptor acceptor = new NtlmAcceptor(SERVER, only("corp", "alice", "S3cret!x", true), CLOCK);
        byte[] challenge = acceptor.challenge(client.negotiate());

        NtlmAcceptor.Accepted accepted = (NtlmAcceptor.Accepted) acceptor.authenticate(client.authenticate(challenge));

        assertThat(accepted.micPresent()).isTrue();
        NtlmSecurity server = accepted.security();
        for (int i = 0; i < 3; i++) {
            byte[] request = ("request " + i).getBytes(StandardCharsets.UTF_8);
            assertThat(server.unwrap(client.security().wrap(request))).isEqualTo(request);
            byte[] response = ("response " + i).getBytes(StandardCharsets.UTF_8);
            assertThat(client.security().unwrap(server.wrap(response))).isEqualTo(response);
        }
    }

    @Test
    void aCorruptedMicIsRefused() {
        NtlmTestClient client = new NtlmTestClient("corp", "alice", "S3cret!x");
        client.corruptMic = true;
        NtlmAcceptor acceptor = new NtlmAcceptor(SERVER, only("corp", "alice", "S3cret!x", true), CLOCK);

        NtlmAcceptor.Outcome outcome = acceptor.authenticate(client.authenticate(acceptor.challenge(client.negotiate())));

        assertThat(((NtlmAcceptor.Refused) outcome).reason()).contains("MIC");
    }

    @Test
    void aTamperedSealedMessageDoesNotOpen() {
        NtlmTestClient client = new NtlmTestClient("corp", "alice", "S3cret!x");
        NtlmAcceptor acceptor = new NtlmAcceptor(SERVER, only("corp", "alice", "S3cret!x", true), CLOCK);
        NtlmAcceptor.Accepted accepted = (NtlmAcceptor.Accepted) acceptor.authenticate(
                client.authenticate(acceptor.challenge(client.negotiate())));
        byte[] token = client.security().wrap("modify me".getBytes(StandardCharsets.UTF_8));
        token[token.length - 1] ^= 1;

        assertThatThrownBy(() -> accepted.security().unwrap(token)).isInstanceOf(NtlmException.class)
                .hasMessageContaining("does not verify");
    }

    @Test
    void malformedMessagesAreRefusedWithAReason() {
        NtlmAcceptor acceptor = new NtlmAcceptor(SERVER, only("corp", "alice", "x", true), CLOCK);
        assertThatThrownBy(() -> acceptor.challenge(new byte[] {1, 2, 3})).isInstanceOf(NtlmException.class)
                .hasMessageContaining("NTLMSSP");
        assertThatThrownBy(() -> acceptor.authenticate(SPEC_AUTHENTICATE)).isInstanceOf(NtlmException.class)
                .hasMessageContaining("NEGOTIATE message first");
        NtlmAcceptor started = specAcceptor(only("Domain", "User", "Password", true));
        byte[] pastEnd = SPEC_AUTHENTICATE.clone();
        pastEnd[24] = (byte) 0xf0; // NtChallengeResponse offset far past the end
        assertThatThrownBy(() -> started.authenticate(pastEnd)).isInstanceOf(NtlmException.class)
                .hasMessageContaining("runs past its end");
    }

    @Test
    void theChallengeCarriesTheDcsNamesAndTimestamp() {
        NtlmAcceptor acceptor = new NtlmAcceptor(SERVER, only("corp", "alice", "x", true), CLOCK);
        byte[] challenge = acceptor.challenge(new NtlmTestClient("corp", "alice", "x").negotiate());
        int length = Short.toUnsignedInt((short) ((challenge[40] & 0xff) | (challenge[41] << 8)));
        int offset = (challenge[44] & 0xff) | (challenge[45] & 0xff) << 8;

        var pairs = TargetInfo.decode(java.util.Arrays.copyOfRange(challenge, offset, offset + length));

        assertThat(new String(pairs.get(TargetInfo.NB_DOMAIN_NAME), StandardCharsets.UTF_16LE)).isEqualTo("CORP");
        assertThat(new String(pairs.get(TargetInfo.NB_COMPUTER_NAME), StandardCharsets.UTF_16LE)).isEqualTo("DC1");
        assertThat(new String(pairs.get(TargetInfo.DNS_DOMAIN_NAME), StandardCharsets.UTF_16LE)).isEqualTo("corp.example.com");
        assertThat(new String(pairs.get(TargetInfo.DNS_COMPUTER_NAME), StandardCharsets.UTF_16LE))
                .isEqualTo("dc1.corp.example.com");
        assertThat(pairs.get(TargetInfo.TIMESTAMP)).hasSize(8);
    }
}
