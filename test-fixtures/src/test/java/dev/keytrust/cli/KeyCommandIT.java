package dev.keytrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keytrust.graph.mock.DeviceKey;
import dev.keytrust.keycredential.KeyMaterial;
import dev.keytrust.testbed.Testbed;
import dev.keytrust.testbed.TestbedConfig;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keytrust key register|remove} against a running lab's Graph mock over its admin API (friction 8: before, this
 * needed curl), and the agent taking the registered key to the sync target DC.
 */
class KeyCommandIT {
    private static Testbed testbed;

    @BeforeAll
    static void start() {
        testbed = Testbed.start(TestbedConfig.builder().users(3).seed(11).build());
    }

    @AfterAll
    static void stop() {
        testbed.close();
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run keytrust(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = KeyTrustCommand.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String[] args(String... rest) {
        List<String> a = new java.util.ArrayList<>(List.of("key"));
        a.add(rest[0]);
        a.addAll(List.of("--graph", testbed.graphUrl(), "--ca", testbed.graphCertificatePem().toString()));
        a.addAll(List.of(rest).subList(1, rest.length));
        return a.toArray(String[]::new);
    }

    @Test
    void registerGivesTheShortUserAKeyFromItsPemAndTheAgentWritesItToDc1(@TempDir Path dir) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        RSAPublicKey pub = (RSAPublicKey) g.generateKeyPair().getPublic();
        Path pem = dir.resolve("key.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pub.getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        String upn = testbed.users().get(0);
        Run r = keytrust(args("register", "--user", upn.split("@")[0], "--public-key", pem.toString(), "--device", "CLI-PC"));
        assertThat(r.exit()).as(r.err()).isZero();
        String keyId = KeyMaterial.keyIdBase64(KeyMaterial.rsa1Blob(pub));
        assertThat(r.out()).contains("registered key " + keyId, upn, "CLI-PC");
        assertThat(testbed.graph().keys(upn)).extracting(DeviceKey::keyId).contains(keyId);

        // the lab follows keys registered through the admin API, so their journey is drawn and printed too
        dev.keytrust.testbed.TestKey followed = testbed.followKeysRegisteredElsewhere().stream()
                .filter(k -> k.keyId().equals(keyId)).findFirst().orElseThrow();
        assertThat(followed.privateKey()).isNull();
        assertThat(testbed.await().until(followed).isVisibleOn("DC1").visibleOn("DC1")).isPresent();
        assertThat(testbed.followKeysRegisteredElsewhere()).extracting(dev.keytrust.testbed.TestKey::keyId).doesNotContain(keyId);

        Run removed = keytrust(args("remove", "--user", upn, "--key-id", keyId));
        assertThat(removed.exit()).as(removed.err()).isZero();
        assertThat(removed.out()).contains("removed key " + keyId);
        assertThat(testbed.graph().keys(upn)).extracting(DeviceKey::keyId).doesNotContain(keyId);
    }

    @Test
    void aKeyWhoseKeyIdHasASlashIsRemovedToo() {
        String upn = testbed.users().get(1);
        String keyId = null;
        for (int i = 0; i < 64 && keyId == null; i++) { // about every other base64 KeyID holds a '/'
            Run r = keytrust(args("register", "--user", upn));
            assertThat(r.exit()).as(r.err()).isZero();
            keyId = testbed.graph().keys(upn).stream().map(DeviceKey::keyId).filter(k -> k.contains("/")).findFirst().orElse(null);
        }
        assertThat(keyId).isNotNull();
        Run removed = keytrust(args("remove", "--user", upn, "--key-id", keyId));
        assertThat(removed.exit()).as(removed.err()).isZero();
        assertThat(testbed.graph().keys(upn)).extracting(DeviceKey::keyId).doesNotContain(keyId);
    }

    @Test
    void aMockGeneratedKeyNeedsOnlyTheUser() {
        String upn = testbed.users().get(1);
        int before = testbed.graph().keys(upn).size();
        Run r = keytrust(args("register", "--user", upn));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(testbed.graph().keys(upn)).hasSize(before + 1);
    }

    @Test
    void anUnknownUserOrKeyIsBadInputThatChangesNothing() {
        Run r = keytrust(args("register", "--user", "nobody"));
        assertThat(r.exit()).isEqualTo(KeyTrustCommand.EXIT_INVALID);
        assertThat(r.err()).contains("no user 'nobody'", "UPN");
        String upn = testbed.users().get(2);
        int before = testbed.graph().keys(upn).size();
        Run k = keytrust(args("remove", "--user", upn, "--key-id", "bm90LWEta2V5"));
        assertThat(k.exit()).isEqualTo(KeyTrustCommand.EXIT_INVALID);
        assertThat(k.err()).contains("has no key 'bm90LWEta2V5'");
        assertThat(testbed.graph().keys(upn)).hasSize(before);
        Run noCa = keytrust("key", "register", "--graph", testbed.graphUrl(), "--ca", "/nonexistent.pem", "--user", upn);
        assertThat(noCa.exit()).isEqualTo(KeyTrustCommand.EXIT_INVALID);
        assertThat(noCa.err()).contains("no such file '/nonexistent.pem'");
    }
}
