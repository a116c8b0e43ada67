package dev.keytrust.keycredential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.encoding.Hex;
import dev.keytrust.encoding.WindowsTime;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeyCredentialBuilderTest {
    private static final String OWNER = "CN=Account,DC=contoso,DC=com";

    @Test
    void encodingTheInputsOfTheDsInternalsGeneratorVectorGivesItsBlobByteForByte() {
        JsonNode v = Vectors.byId("DSI.KeyCredential_Generate_UserKey_FromPublicKey");
        KeyCredential kc = KeyCredential.builder()
                .publicKey(Hex.decode(v.at("/inputs/publicKey_hex").asText()))
                .deviceId(UUID.fromString(v.at("/inputs/deviceId").asText()))
                .creationTime(WindowsTime.fromFileTime(131734027581684545L))
                .ownerDn(OWNER)
                .build();
        assertThat(Hex.encode(kc.toBlob())).isEqualTo(v.get("expected_blob_hex").asText());
        assertThat(kc.keyHashValid()).isTrue();
        assertThat(kc.keyIdValid()).contains(true);
    }

    @Test
    void anAzureAdValueBuiltFromAnEntraKeysInputsEqualsWhatEntraWrote() {
        // UserKey2 is a real Entra-synced value: rebuild it from its key, device and creation time.
        KeyCredential real = KeyCredential.fromBlob(Vectors.blob(Vectors.byId("DSI.KeyCredential_Parse_UserKey2")), OWNER);
        KeyCredential built = KeyCredential.builder()
                .publicKey(real.keyMaterial().bytes())
                .deviceId(real.deviceId().orElseThrow())
                .creationTime(real.creationTime().orElseThrow().instant())
                .source(KeySource.AZURE_AD)
                .ownerDn(OWNER)
                .build();
        assertThat(Hex.encode(built.toBlob())).isEqualTo(Hex.encode(real.toBlob()));
    }

    @Test
    void theKeyIdOfKeyMaterialIsTheOneEntraWroteAndTheBuilderWrites() {
        KeyCredential real = KeyCredential.fromBlob(Vectors.blob(Vectors.byId("DSI.KeyCredential_Parse_UserKey2")), OWNER);
        byte[] material = real.keyMaterial().bytes();
        assertThat(KeyMaterial.keyIdBase64(material)).isEqualTo(real.keyIdBase64());
        assertThat(KeyMaterial.keyIdBase64(material))
                .isEqualTo(KeyCredential.builder().publicKey(material).ownerDn(OWNER)
                        .creationTime(Instant.parse("2026-01-01T00:00:00Z")).build().keyIdBase64())
                .isNotEqualTo(KeyMaterial.keyIdBase64(new byte[0]));
    }

    @Test
    void anRsaPublicKeyIsStoredAsAnRsa1BlobAndDecodesBackToTheSameKey() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048, new SecureRandom(new byte[] {42}));
        RSAPublicKey key = (RSAPublicKey) gen.generateKeyPair().getPublic();
        Instant created = Instant.parse("2026-11-25T10:15:30.1234567Z");
        UUID device = UUID.fromString("10985e4b-0809-443d-8679-149422d9e170");

        for (KeySource source : new KeySource[] {KeySource.AD, KeySource.AZURE_AD}) {
            KeyCredential kc = KeyCredential.builder().publicKey(key).ownerDn(OWNER).deviceId(device)
                    .creationTime(created).source(source).build();
            KeyCredential back = KeyCredential.fromDnBinary(kc.toDnBinary());
            assertThat(back.keyMaterial().format()).isEqualTo(KeyMaterial.Format.RSA1);
            assertThat(back.keyMaterial().rsaPublicKey()).contains(key);
            assertThat(back.source()).isEqualTo(source);
            assertThat(back.usage()).contains(KeyUsage.NGC);
            assertThat(back.deviceId()).contains(device);
            assertThat(back.creationTime().orElseThrow().instant()).isEqualTo(created);
            assertThat(back.keyHashValid()).isTrue();
            assertThat(back.keyIdValid()).contains(true);
            assertThat(back.blobLength()).isEqualTo(source == KeySource.AD ? 414 : 418);
        }
    }

    @Test
    void theAzureAdShapeCarriesEntrasCustomInformationPlaceholderAndToBinaryTimes() {
        KeyCredential kc = KeyCredential.builder().publicKey(rsa1()).ownerDn(OWNER)
                .creationTime(Instant.parse("2017-11-13T16:29:24.5657460Z")).source(KeySource.AZURE_AD).build();
        assertThat(kc.customKeyInfo().orElseThrow()).isEqualTo(CustomKeyInformation.AZURE_AD_NGC);
        assertThat(kc.lastLogonTime().orElseThrow().raw()).isEqualTo(KeyCredentialBuilder.AZURE_AD_LAST_LOGON_PLACEHOLDER);
        assertThat(kc.creationTime().orElseThrow().encoding()).isEqualTo(KeyTime.Encoding.DOTNET_BINARY);
        assertThat(WindowsTime.dotNetBinaryKind(kc.creationTime().orElseThrow().raw())).isEqualTo(1);
        assertThat(kc.deviceId()).isEmpty();
    }

    @Test
    void pemAndDerSubjectPublicKeyInfoAreConvertedToRsa1() {
        KeyMaterial material = KeyMaterial.describe(rsa1());
        byte[] spki = material.rsaPublicKey().orElseThrow().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(spki) + "\n-----END PUBLIC KEY-----\n";
        for (byte[] input : new byte[][] {spki, pem.getBytes()}) {
            KeyCredential kc = KeyCredential.builder().publicKey(input).ownerDn(OWNER).creationTime(Instant.EPOCH).build();
            assertThat(kc.keyMaterial().bytes()).isEqualTo(rsa1());
        }
    }

    @Test
    void missingSettingsAreRefusedNamingWhatIsMissing() {
        assertThatThrownBy(() -> KeyCredential.builder().ownerDn(OWNER).creationTime(Instant.EPOCH).build())
                .isInstanceOf(KeyTrustException.class).hasMessageContaining("no key material")
                .extracting(e -> ((KeyTrustException) e).errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThatThrownBy(() -> KeyCredential.builder().publicKey(rsa1()).creationTime(Instant.EPOCH).build())
                .hasMessageContaining("no owner DN");
        assertThatThrownBy(() -> KeyCredential.builder().publicKey(rsa1()).ownerDn(OWNER).build())
                .hasMessageContaining("no creation time");
        assertThatThrownBy(() -> KeyCredential.builder().publicKey(rsa1()).ownerDn("CN=a,,DC=b").creationTime(Instant.EPOCH).build())
                .isInstanceOf(KeyCredentialFormatException.class).hasMessageContaining("invalid DN");
        assertThatThrownBy(() -> KeyCredential.builder().publicKey("not a key".getBytes()))
                .isInstanceOf(KeyTrustException.class)
                .extracting(e -> ((KeyTrustException) e).errorCode()).isEqualTo(ErrorCode.PUBLIC_KEY_UNREADABLE);
    }

    private static byte[] rsa1() {
        return Hex.decode(Vectors.byId("DSI.KeyCredential_Generate_UserKey_FromPublicKey").at("/inputs/publicKey_hex").asText());
    }
}
