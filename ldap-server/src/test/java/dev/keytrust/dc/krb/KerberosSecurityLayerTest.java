package dev.keytrust.dc.krb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keytrust.dc.ntlm.NtlmException;
import dev.keytrust.dc.service.BindStep;
import dev.keytrust.dc.service.SaslMechanism;
import dev.keytrust.dc.service.SecurityLayer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.MessageProp;
import org.ietf.jgss.Oid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DC's Kerberos acceptor and its RFC 4121 Wrap tokens against the JDK's own GSS-API and SASL GSSAPI initiators
 * (an independent implementation): mutual authentication, sealed and signed layers both ways, MICs, and what a
 * tampered, replayed or unsealed token gets.
 */
class KerberosSecurityLayerTest {
    private static final byte[] REQUEST = "a search request".getBytes(StandardCharsets.UTF_8);
    private static final byte[] RESPONSE = "its entries, and a longer answer than the request".getBytes(StandardCharsets.UTF_8);
    @TempDir
    static Path dir;
    private static JdkInitiator jdk;

    @BeforeAll
    static void setUp() {
        jdk = new JdkInitiator(dir);
    }

    @AfterAll
    static void tearDown() {
        jdk.close();
    }

    /** A JDK context and the DC's answer to its AP-REQ, after the JDK has read the AP-REP (if any). */
    private record Bind(GSSContext client, KerberosGss.KerberosContext server, BindStep.Done done) {
    }

    private static Bind bind(boolean mutual, boolean conf, boolean integ) throws Exception {
        return jdk.asAlice(() -> {
            GSSManager manager = GSSManager.getInstance();
            GSSContext client = manager.createContext(manager.createName(JdkInitiator.SERVICE,
                    new Oid("1.2.840.113554.1.2.2.1")), new Oid(GssTokens.KRB5), null, GSSContext.DEFAULT_LIFETIME);
            client.requestMutualAuth(mutual);
            client.requestConf(conf);
            client.requestInteg(integ);
            byte[] apReq = client.initSecContext(new byte[0], 0, 0);
            KerberosGss.KerberosContext server = new KerberosGss.KerberosContext(jdk.dc);
            BindStep.Done done = (BindStep.Done) server.accept(apReq);
            if (mutual) {
                assertThat(done.serverCredentials()).as("an AP-REP").isNotEmpty();
                assertThat(client.initSecContext(done.serverCredentials(), 0, done.serverCredentials().length)).isNull();
            } else {
                assertThat(done.serverCredentials()).isEmpty();
            }
            assertThat(client.isEstablished()).isTrue();
            return new Bind(client, server, done);
        });
    }

    private static byte[] clientWrap(GSSContext client, byte[] message, boolean privacy) throws Exception {
        return client.wrap(message, 0, message.length, new MessageProp(0, privacy));
    }

    @Test
    void aSealedLayerCarriesMessagesBothWaysAndTheJdkSeesThemPrivateAndInSequence() throws Exception {
        Bind b = bind(true, true, true);
        SecurityLayer layer = b.done().securityLayer();
        assertThat(layer).as("the JDK asked for confidentiality").isNotNull();
        assertThat(b.client().getConfState()).isTrue();

        for (int i = 0; i < 3; i++) {
            assertThat(layer.unwrap(clientWrap(b.client(), REQUEST, true))).isEqualTo(REQUEST);
            byte[] token = layer.wrap(RESPONSE);
            assertThat(token[2]).as("flags: sent by the acceptor, sealed, under its AP-REP's subkey").isEqualTo((byte) 0x07);
            assertThat(new String(token, StandardCharsets.ISO_8859_1)).as("sealed").doesNotContain("its entries");
            MessageProp prop = new MessageProp(0, false);
            assertThat(b.client().unwrap(token, 0, token.length, prop)).isEqualTo(RESPONSE);
            assertThat(prop.getPrivacy()).isTrue();
            assertThat(prop.isDuplicateToken() || prop.isOldToken() || prop.isGapToken() || prop.isUnseqToken()).isFalse();
        }
    }

    @Test
    void aSealedLayerRefusesTamperedReplayedAndUnsealedTokens() throws Exception {
        Bind b = bind(true, true, true);
        SecurityLayer layer = b.done().securityLayer();
        byte[] first = clientWrap(b.client(), REQUEST, true);
        byte[] tampered = first.clone();
        tampered[tampered.length - 20] ^= 1;

        assertThatThrownBy(() -> layer.unwrap(tampered)).isInstanceOf(NtlmException.class).hasMessageContaining("decrypt");
        assertThat(layer.unwrap(first)).isEqualTo(REQUEST);
        assertThatThrownBy(() -> layer.unwrap(first)).isInstanceOf(NtlmException.class).hasMessageContaining("replayed");
        assertThatThrownBy(() -> layer.unwrap(clientWrap(b.client(), REQUEST, false)))
                .isInstanceOf(NtlmException.class).hasMessageContaining("expected a sealed Wrap token");
    }

    @Test
    void integrityWithoutConfidentialitySignsEveryMessageInTheClear() throws Exception {
        Bind b = bind(true, false, true);
        SecurityLayer layer = b.done().securityLayer();
        assertThat(layer).isNotNull();

        assertThat(layer.unwrap(clientWrap(b.client(), REQUEST, false))).isEqualTo(REQUEST);
        byte[] token = layer.wrap(RESPONSE);
        assertThat(new String(token, StandardCharsets.ISO_8859_1)).contains("its entries");
        MessageProp prop = new MessageProp(0, true);
        assertThat(b.client().unwrap(token, 0, token.length, prop)).isEqualTo(RESPONSE);
        assertThat(prop.getPrivacy()).isFalse();
        byte[] changed = clientWrap(b.client(), REQUEST, false);
        changed[20] ^= 1;
        assertThatThrownBy(() -> layer.unwrap(changed)).isInstanceOf(NtlmException.class).hasMessageContaining("does not verify");
    }

    @Test
    void withoutMutualAuthenticationTheDcNumbersItsTokensFromTheClientsSequenceNumber() throws Exception {
        Bind b = bind(false, true, true);

        byte[] token = b.done().securityLayer().wrap(RESPONSE);
        assertThat(token[2]).as("no AP-REP, no acceptor subkey").isEqualTo((byte) 0x03);
        MessageProp prop = new MessageProp(0, false);
        assertThat(b.client().unwrap(token, 0, token.length, prop)).isEqualTo(RESPONSE);
        assertThat(prop.isGapToken() || prop.isOldToken() || prop.isUnseqToken()).as("in sequence").isFalse();
    }

    @Test
    void micTokensVerifyBothWays() throws Exception {
        Bind b = bind(true, true, true);
        byte[] mechTypes = {0x30, 0x0b, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x12, 0x01, 0x02, 0x02};

        b.server().verifyMic(mechTypes, b.client().getMIC(mechTypes, 0, mechTypes.length, new MessageProp(0, false)));
        byte[] mic = b.server().getMic(mechTypes);
        b.client().verifyMIC(mic, 0, mic.length, mechTypes, 0, mechTypes.length, new MessageProp(0, false));
        assertThatThrownBy(() -> b.server().verifyMic(REQUEST, b.client().getMIC(mechTypes, 0, mechTypes.length,
                new MessageProp(0, false)))).isInstanceOf(NtlmException.class);
    }

    @Test
    void aClientAskingForNeitherGetsNoLayer() throws Exception {
        assertThat(bind(true, false, false).done().securityLayer()).isNull();
    }

    @Test
    void theJdksSaslGssapiClientNegotiatesConfidentialityAndIntegrity() throws Exception {
        for (String qop : new String[] {"auth-conf", "auth-int", "auth"}) {
            jdk.asAlice(() -> {
                SaslClient client = Sasl.createSaslClient(new String[] {"GSSAPI"}, null, "ldap", "dc1.corp.example.com",
                        Map.of(Sasl.QOP, qop), null);
                SaslMechanism.Conversation server = new GssapiMechanism().start(jdk.dc);
                BindStep step = server.evaluate(client.evaluateChallenge(new byte[0]));
                while (step instanceof BindStep.Continue c) {
                    step = server.evaluate(client.evaluateChallenge(c.challenge()));
                }
                BindStep.Done done = (BindStep.Done) step;
                assertThat(client.isComplete()).isTrue();
                assertThat(client.getNegotiatedProperty(Sasl.QOP)).isEqualTo(qop);
                if (qop.equals("auth")) {
                    assertThat(done.securityLayer()).isNull();
                    return null;
                }
                assertThat(done.securityLayer().unwrap(client.wrap(REQUEST, 0, REQUEST.length))).isEqualTo(REQUEST);
                byte[] token = done.securityLayer().wrap(RESPONSE);
                assertThat(client.unwrap(token, 0, token.length)).as(qop).isEqualTo(RESPONSE);
                return null;
            });
        }
    }

    @Test
    void rotationIsUndoneForAnyCount() {
        byte[] data = {1, 2, 3, 4, 5};
        assertThat(WrapTokens.rotate(data, 2)).containsExactly(4, 5, 1, 2, 3);
        for (int count : new int[] {0, 1, 5, 28, 65535}) {
            assertThat(WrapTokens.unrotate(WrapTokens.rotate(data, count), count)).as("RRC " + count).isEqualTo(data);
        }
    }
}
