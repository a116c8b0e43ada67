package dev.keytrust.keycredential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keytrust.ErrorCode;
import dev.keytrust.encoding.Hex;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every real value in the shared conformance file, checked against its independent decoding. */
class KeyCredentialVectorsTest {

    static Stream<Arguments> parseVectors() {
        return Vectors.parseVectors().map(v -> Arguments.of(v.get("id").asText(), v));
    }

    @Test
    void theSharedFileHoldsSeventeenParseVectors() {
        assertThat(Vectors.parseVectors().count()).isEqualTo(17);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parseVectors")
    void everyParseVectorRoundTripsByteForByte(String id, JsonNode vector) {
        byte[] blob = Vectors.blob(vector);
        String owner = vector.get("owner_dn_used_by_test").asText();

        KeyCredential fromBlob = KeyCredential.fromBlob(blob, owner);
        assertThat(fromBlob.toBlob()).isEqualTo(blob);
        String dnBinary = vector.get("dn_binary_string_derived").asText();
        assertThat(fromBlob.toDnBinary()).isEqualTo(dnBinary);

        KeyCredential fromString = KeyCredential.fromDnBinary(dnBinary);
        assertThat(fromString.toBlob()).isEqualTo(blob);
        assertThat(fromString.ownerDn()).contains(owner);
        assertThat(KeyCredential.fromDnBinary(lowerCaseHex(dnBinary)).toDnBinary()).isEqualTo(dnBinary);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parseVectors")
    void everyParseVectorDecodesAsTheIndependentDecodingSays(String id, JsonNode vector) {
        JsonNode d = vector.get("decoded_independently");
        KeyCredential kc = KeyCredential.fromBlob(Vectors.blob(vector));

        assertThat(kc.version()).isEqualTo(Integer.decode(d.get("version").asText()));
        List<String> expectedEntries = new ArrayList<>();
        d.get("entry_order").forEach(e -> expectedEntries.add(
                Integer.decode(e.get(0).asText()) + " " + e.get(1).asText() + " " + e.get(2).asInt()));
        assertThat(kc.entries()).extracting(e -> e.identifier() + " " + e.name() + " " + e.length())
                .containsExactlyElementsOf(expectedEntries);
        assertThat(Hex.encode(kc.keyId())).isEqualTo(d.get("KeyID_hex").asText());
        assertThat(kc.keyIdBase64()).isEqualTo(d.get("KeyID_b64").asText());
        assertThat(Hex.encode(kc.keyHash().orElseThrow())).isEqualTo(d.get("KeyHash_hex").asText());
        assertThat(kc.keyHashValid()).isEqualTo(d.get("SHA256(entries after KeyHash)==KeyHash").asBoolean());

        String usage = d.get("KeyUsage").asText();            // "0x01 NGC"
        assertThat(kc.usage()).map(KeyUsage::name).contains(usage.substring(5));
        if (kc.isNgc() || usage.endsWith("STK")) {
            assertThat(kc.keyIdValid()).contains(d.get("SHA256(KeyMaterial)==KeyID").asBoolean());
        } else {
            assertThat(kc.keyIdValid()).as("FIDO KeyID is the credential id, not checked").isEmpty();
        }
        if (d.has("KeySource")) {
            assertThat(kc.hasSourceEntry()).isTrue();
            assertThat(kc.source().name()).isEqualTo(d.get("KeySource").asText().substring(5));
        } else {
            assertThat(kc.hasSourceEntry()).isFalse();
            assertThat(kc.source()).isEqualTo(KeySource.AD);
        }
        assertThat(kc.deviceId().map(UUID::toString)).isEqualTo(Optional.ofNullable(
                d.has("DeviceId") ? d.get("DeviceId").asText() : null));
        if (d.has("CustomKeyInformation")) {
            JsonNode cki = d.get("CustomKeyInformation");
            CustomKeyInformation info = kc.customKeyInfo().orElseThrow();
            assertThat(Hex.encode(info.raw())).isEqualToIgnoringCase(cki.get("raw").asText());
            assertThat(info.version()).isEqualTo(cki.get("Version").asInt());
            assertThat(info.flags()).isEqualTo(Integer.decode(cki.get("Flags").asText()));
            if (cki.has("SupportsNotification")) {
                assertThat(info.supportsNotification()).hasValue(cki.get("SupportsNotification").asInt());
            }
        } else {
            assertThat(kc.customKeyInfo()).isEmpty();
        }
        checkKeyMaterial(kc.keyMaterial(), d.get("KeyMaterial"));
        checkTime(kc, kc.lastLogonTime(), d.get("KeyApproximateLastLogonTimeStamp"));
        checkTime(kc, kc.creationTime(), d.get("KeyCreationTime"));
    }

    @Test
    void upstreamExpectationsHold() {
        KeyCredential userKey1 = KeyCredential.fromBlob(Vectors.blob(Vectors.byId("DSI.KeyCredential_Parse_UserKey1")));
        assertThat(userKey1.keyIdBase64()).isEqualTo("IHF64FL8z1RqrQ1R6Hiq1pzgT9w59ajY4866a8tNoOc=");
        assertThat(userKey1.deviceId()).contains(UUID.fromString("47f577e3-d2d0-4a0a-8aca-e0501098bde4"));

        KeyCredential nonMfa = KeyCredential.fromBlob(Vectors.blob(Vectors.byId("DSI.KeyCredential_Parse_NonMFAKey")));
        assertThat(nonMfa.customKeyInfo().orElseThrow().hasFlag(CustomKeyInformation.FLAG_MFA_NOT_USED)).isTrue();
        assertThat(nonMfa.keyMaterial().rsaModulusBits()).hasValue(2048);

        KeyCredential fido = KeyCredential.fromBlob(Vectors.blob(Vectors.byId("DSI.KeyCredential_Parse_UserKeyFIDO0")));
        assertThat(fido.keyIdBase64()).isEqualTo("WEe6PFT+3MT+pJ2VfR/4jQ==");
        assertThat(fido.customKeyInfo().orElseThrow().hasFlag(CustomKeyInformation.FLAG_ATTESTATION)).isTrue();

        KeyCredential computer = KeyCredential.fromBlob(Vectors.blob(Vectors.byId("DSI.KeyCredential_Parse_ComputerKey")));
        assertThat(computer.customKeyInfo()).isEmpty();
        assertThat(computer.keyMaterial().rsaPublicKey()).isPresent();
    }

    @Test
    void theImpacketValueDecodesAndSaysItsHashIsWrong() {
        JsonNode v = Vectors.byId("DSI.KeyCredential_Parse_Impacket");
        KeyCredential kc = KeyCredential.fromBlob(Vectors.blob(v));
        assertThat(kc.keyHashValid()).isFalse();
        assertThat(kc.keyIdValid()).contains(true);
        assertThat(kc.creationTime().orElseThrow().instant().atOffset(java.time.ZoneOffset.UTC).getYear()).isEqualTo(3625);
        assertThat(kc.toBlob()).isEqualTo(Vectors.blob(v));
    }

    @Test
    void theTpmDeviceKeyIsDescribedWithItsRsaModulus() {
        KeyMaterial m = KeyCredential.fromBlob(Vectors.blob(Vectors.byId("DSI.KeyCredential_Parse_DeviceKey_TPM"))).keyMaterial();
        assertThat(m.format()).isEqualTo(KeyMaterial.Format.TPM_PCPM);
        assertThat(m.tpmVersion()).hasValue(2);
        assertThat(m.length()).isEqualTo(772);
        assertThat(m.rsaModulusBits()).hasValue(2048);
        assertThat(m.rsaExponent()).contains(BigInteger.valueOf(65537));
    }

    @Test
    void theSambaValueWithoutKeySourceReadsItsTimeAsFiletimeAndItsKeyIdAsTheFingerprint() {
        JsonNode v = Vectors.byId("SMB.kcl_prefix");
        String prefix = v.get("dn_binary_prefix").asText();        // B:772:<hex>:  (the DN was cut off)
        byte[] blob = Hex.decode(prefix.substring(6, prefix.length() - 1));
        KeyCredential kc = KeyCredential.fromBlob(blob);
        String fingerprint = Hex.encode(kc.keyId()).replaceAll("(..)(?!$)", "$1:");
        assertThat(fingerprint).isEqualTo(v.get("expected_fingerprint").asText());
        assertThat(kc.keyMaterial().format()).isEqualTo(KeyMaterial.Format.SPKI);
        assertThat(kc.keyMaterial().rsaModulusBits()).hasValue(2048);
        assertThat(kc.creationTime().orElseThrow().instant()).isEqualTo(Instant.parse("2025-08-07T23:04:53Z"));
        assertThat(kc.toBlob()).isEqualTo(blob);
    }

    static Stream<Arguments> validDnBinaryStrings() {
        return Vectors.dnBinaryVectors()
                .filter(v -> v.get("char_count_field").asInt() == v.get("hex_len").asInt())
                .map(v -> Arguments.of(v.get("id").asText(), v.get("dn_binary_string").asText(), v.get("dn").asText()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validDnBinaryStrings")
    void dnBinaryStringsRoundTripExactlyIncludingTheirDn(String id, String value, String dn) {
        KeyCredential kc = KeyCredential.fromDnBinary(value);
        assertThat(kc.ownerDn()).contains(dn);
        assertThat(kc.toDnBinary()).isEqualTo(value);
    }

    @Test
    void theNegativeDnBinaryVectorsAreRefusedForTheirCountMismatch() {
        List<JsonNode> negative = Vectors.dnBinaryVectors()
                .filter(v -> v.get("char_count_field").asInt() != v.get("hex_len").asInt()).toList();
        assertThat(negative).hasSize(2);
        for (JsonNode v : negative) {
            assertThatThrownBy(() -> KeyCredential.fromDnBinary(v.get("dn_binary_string").asText()))
                    .isInstanceOf(KeyCredentialFormatException.class)
                    .hasFieldOrPropertyWithValue("errorCode", ErrorCode.DN_BINARY_COUNT_MISMATCH)
                    .hasMessageContaining("count says " + v.get("char_count_field").asInt())
                    .hasMessageContaining(v.get("hex_len").asInt() + " follow");
        }
    }

    private static void checkKeyMaterial(KeyMaterial m, JsonNode expected) {
        String format = expected.get("format").asText();
        KeyMaterial.Format want = format.startsWith("BCRYPT") ? KeyMaterial.Format.RSA1
                : format.startsWith("DER PKCS#1") ? KeyMaterial.Format.PKCS1
                : format.startsWith("DER X.509") ? KeyMaterial.Format.SPKI
                : format.startsWith("PCP") ? KeyMaterial.Format.TPM_PCPM
                : format.startsWith("FIDO") ? KeyMaterial.Format.FIDO_JSON : null;
        assertThat(m.format()).isEqualTo(want);
        assertThat(m.length()).isEqualTo(expected.get("len").asInt());
        JsonNode bits = expected.has("BitLength") ? expected.get("BitLength") : expected.get("bits");
        if (bits != null) {
            assertThat(m.rsaModulusBits()).hasValue(bits.asInt());
            assertThat(m.rsaExponent()).contains(BigInteger.valueOf(expected.get("exponent").asLong()));
            assertThat(Hex.encode(m.rsaModulus().orElseThrow().toByteArray())).contains(expected.get("modulus_first8").asText());
            assertThat(m.rsaPublicKey()).isPresent();
        }
    }

    private static void checkTime(KeyCredential kc, Optional<KeyTime> actual, JsonNode expected) {
        if (expected == null) {
            assertThat(actual).isEmpty();
            return;
        }
        KeyTime t = actual.orElseThrow();
        assertThat(Hex.encode(le(t.raw()))).isEqualTo(expected.get("raw_LE_hex").asText());
        String iso = KeySource.AD.equals(kc.source()) ? expected.get("as_FILETIME_UTC").asText()
                : expected.get("as_.NET_DateTime.ToBinary").get(0).asText();
        assertThat(t.encoding()).isEqualTo(KeySource.AD.equals(kc.source()) ? KeyTime.Encoding.FILETIME
                : KeyTime.Encoding.DOTNET_BINARY);
        Instant want = OffsetDateTime.parse(iso).toInstant();
        assertThat(t.instant().truncatedTo(ChronoUnit.MICROS)).isEqualTo(want);
    }

    private static byte[] le(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    private static String lowerCaseHex(String dnBinary) {
        int second = dnBinary.indexOf(':', 2);
        int third = dnBinary.indexOf(':', second + 1);
        return dnBinary.substring(0, second + 1) + dnBinary.substring(second + 1, third).toLowerCase()
                + dnBinary.substring(third);
    }
}
