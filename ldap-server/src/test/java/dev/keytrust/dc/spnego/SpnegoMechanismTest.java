package dev.keytrust.dc.spnego;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.asn1.ASN1Element;
import com.unboundid.asn1.ASN1ObjectIdentifier;
import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.asn1.ASN1Sequence;
import com.unboundid.util.OID;
import dev.keytrust.dc.ntlm.NtlmAccount;
import dev.keytrust.dc.ntlm.NtlmCrypto;
import dev.keytrust.dc.ntlm.NtlmException;
import dev.keytrust.dc.ntlm.NtlmGss;
import dev.keytrust.dc.ntlm.NtlmTestClient;
import dev.keytrust.dc.service.BindStep;
import dev.keytrust.dc.service.DcContext;
import dev.keytrust.dc.service.SaslMechanism;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpnegoMechanismTest {
    private static final DcContext DC = new DcContext("DC1", "127.0.0.1", "corp.example.com", "DC=corp,DC=example,DC=com",
            Clock.systemUTC(), null);
    private static final NtlmGss NTLM = new NtlmGss(dc -> (domain, user) -> user.equalsIgnoreCase("alice")
            ? Optional.of(new NtlmAccount("CN=alice,CN=Users,DC=corp,DC=example,DC=com", NtlmCrypto.ntHash("S3cret!x"), true))
            : Optional.empty());
    private static final SpnegoMechanism SPNEGO = new SpnegoMechanism(List.of(NTLM), NTLM.sicily());
    private static final String KERBEROS = "1.2.840.113554.1.2.2";

    private static byte[] mechTypes(String... oids) throws Exception {
        ASN1Element[] list = new ASN1Element[oids.length];
        for (int i = 0; i < oids.length; i++) {
            list[i] = new ASN1ObjectIdentifier(new OID(oids[i]));
        }
        return new ASN1Sequence(list).encode();
    }

    private static byte[] init(byte[] mechTypes, byte[] mechToken) throws Exception {
        List<ASN1Element> fields = new java.util.ArrayList<>(List.of(new ASN1Element((byte) 0xa0, mechTypes)));
        if (mechToken != null) {
            fields.add(new ASN1Element((byte) 0xa2, new ASN1OctetString(mechToken).encode()));
        }
        return new ASN1Element((byte) 0x60, new ASN1Sequence(new ASN1ObjectIdentifier(new OID(SpnegoTokens.SPNEGO)),
                new ASN1Element((byte) 0xa0, new ASN1Sequence(fields).encode())).getValue()).encode();
    }

    @Test
    void anNtlmExchangeInSpnegoWithMechListMicEndsWithASigningLayerBothSidesAgreeOn() throws Exception {
        NtlmTestClient client = new NtlmTestClient("CORP", "alice", "S3cret!x");
        SaslMechanism.Conversation bind = SPNEGO.start(DC);
        byte[] types = mechTypes(NtlmGss.OID);

        BindStep first = bind.evaluate(init(types, client.negotiate()));
        SpnegoTokens.Resp challenge = SpnegoTokens.readResp(((BindStep.Continue) first).challenge());
        assertThat(challenge.negState()).isEqualTo(SpnegoTokens.ACCEPT_INCOMPLETE);
        assertThat(challenge.supportedMech()).isEqualTo(NtlmGss.OID);

        byte[] authenticate = client.authenticate(challenge.responseToken());
        byte[] clientMic = client.security().sign(types);
        BindStep done = bind.evaluate(SpnegoTokens.resp(null, null, authenticate, clientMic));

        BindStep.Done d = (BindStep.Done) done;
        assertThat(d.accountDn()).startsWith("CN=alice");
        SpnegoTokens.Resp last = SpnegoTokens.readResp(d.serverCredentials());
        assertThat(last.negState()).isEqualTo(SpnegoTokens.ACCEPT_COMPLETED);
        client.security().verify(types, last.mechListMic());
        client.security().resetHandles();
        byte[] request = "a search".getBytes(StandardCharsets.UTF_8);
        assertThat(d.securityLayer().unwrap(client.security().wrap(request))).isEqualTo(request);
        byte[] response = "its entries".getBytes(StandardCharsets.UTF_8);
        assertThat(client.security().unwrap(d.securityLayer().wrap(response))).isEqualTo(response);
    }

    @Test
    void aClientPreferringKerberosIsAskedForNtlmFirst() throws Exception {
        BindStep first = SPNEGO.start(DC).evaluate(init(mechTypes(KERBEROS, NtlmGss.OID), new byte[] {1, 2, 3}));

        SpnegoTokens.Resp resp = SpnegoTokens.readResp(((BindStep.Continue) first).challenge());
        assertThat(resp.supportedMech()).isEqualTo(NtlmGss.OID);
        assertThat(resp.responseToken()).isNull();
    }

    @Test
    void aClientStartingEmptyGetsTheDcsMechanismList() {
        BindStep first = SPNEGO.start(DC).evaluate(new byte[0]);

        SpnegoTokens.Init init = SpnegoTokens.readInit(((BindStep.Continue) first).challenge());
        assertThat(init.mechTypes()).containsExactly(NtlmGss.OID);
    }

    @Test
    void bareNtlmsspGetsBareAnswersAndAWrongPasswordGets52e() {
        NtlmTestClient client = new NtlmTestClient("CORP", "alice", "wrong");
        SaslMechanism.Conversation bind = SPNEGO.start(DC);

        byte[] challenge = ((BindStep.Continue) bind.evaluate(client.negotiate())).challenge();
        BindStep refused = bind.evaluate(client.authenticate(challenge));

        assertThat(((BindStep.Refused) refused).reason()).contains("data 52e");
    }

    @Test
    void aMechanismNotOfferedAndGarbageAreRefused() throws Exception {
        assertThat(SPNEGO.start(DC).evaluate(init(mechTypes(KERBEROS), new byte[] {1}))).isInstanceOf(BindStep.Refused.class);
        assertThat(SPNEGO.start(DC).evaluate("garbage".getBytes(StandardCharsets.UTF_8))).isInstanceOf(BindStep.Refused.class);
        assertThatThrownBy(() -> SPNEGO.start(DC).evaluate(new byte[] {0x60, 0x03, 0x06, 0x01}))
                .isInstanceOf(NtlmException.class);
    }
}
