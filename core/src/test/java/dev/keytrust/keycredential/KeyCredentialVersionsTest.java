package dev.keytrust.keycredential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keytrust.encoding.Hex;
import dev.keytrust.encoding.LittleEndian;
import dev.keytrust.encoding.WindowsTime;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Legacy versions 0x0 and 0x100, and entries [MS-ADTS] does not define. */
class KeyCredentialVersionsTest {
    private static final byte[] RSA1 = Hex.decode(
            Vectors.byId("DSI.KeyCredential_Generate_UserKey_FromPublicKey").at("/inputs/publicKey_hex").asText());
    private static final Instant CREATED = Instant.parse("2016-03-01T12:00:00.5Z");

    @Test
    void versionZeroEntriesArePaddedToFourBytesAndItsTimesAreDotNetTicks() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 0, 0, 0});
        entry(out, 0x01, new byte[5], true);                    // 5 bytes + 3 padding
        entry(out, 0x03, RSA1, true);                           // 283 bytes + 1 padding
        entry(out, 0x04, "NGC".getBytes(), true);               // a legacy string usage
        entry(out, 0x09, int64(WindowsTime.toDotNetTicks(CREATED)), true);
        byte[] blob = out.toByteArray();

        KeyCredential kc = KeyCredential.fromBlob(blob);
        assertThat(kc.version()).isEqualTo(KeyCredential.VERSION_0);
        assertThat(kc.entries()).extracting(KeyCredentialEntry::identifier).containsExactly(1, 3, 4, 9);
        assertThat(kc.keyMaterial().rsaModulusBits()).hasValue(2048);
        assertThat(kc.usage()).isEmpty();
        assertThat(kc.legacyUsage()).contains("NGC");
        assertThat(kc.creationTime().orElseThrow().encoding()).isEqualTo(KeyTime.Encoding.DOTNET_TICKS);
        assertThat(kc.creationTime().orElseThrow().instant()).isEqualTo(CREATED);
        assertThat(kc.keyHashValid()).isFalse();
        assertThat(kc.toBlob()).isEqualTo(blob);
    }

    @Test
    void versionOneTimesAreToBinaryWhateverTheSource() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 1, 0, 0});
        entry(out, 0x01, new byte[32], false);
        entry(out, 0x03, RSA1, false);
        entry(out, 0x05, new byte[] {0}, false);
        entry(out, 0x09, int64(WindowsTime.toDotNetBinaryUtc(CREATED)), false);
        KeyCredential kc = KeyCredential.fromBlob(out.toByteArray());
        assertThat(kc.version()).isEqualTo(KeyCredential.VERSION_1);
        assertThat(kc.creationTime().orElseThrow().encoding()).isEqualTo(KeyTime.Encoding.DOTNET_BINARY);
        assertThat(kc.creationTime().orElseThrow().instant()).isEqualTo(CREATED);
        assertThat(kc.keyIdValid()).contains(false);
    }

    @Test
    void unknownEntriesAreListedAndKeptVerbatim() {
        byte[] real = Vectors.blob(Vectors.byId("DSI.KeyCredential_Parse_UserKey1"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(real);
        entry(out, 0x0A, new byte[] {1, 2, 3}, false);
        entry(out, 0xF0, new byte[0], false);
        byte[] blob = out.toByteArray();

        KeyCredential kc = KeyCredential.fromBlob(blob);
        assertThat(kc.unknownEntries()).extracting(KeyCredentialEntry::name).containsExactly("Unknown_0x0A", "Unknown_0xF0");
        assertThat(kc.entryValue(kc.unknownEntries().get(0))).containsExactly(1, 2, 3);
        assertThat(kc.toBlob()).isEqualTo(blob);
        assertThat(kc.keyHashValid()).as("the hash covers every byte after it, unknown entries too").isFalse();
        assertThat(KeyCredential.fromBlob(Arrays.copyOf(blob, real.length)).keyHashValid()).isTrue();
    }

    private static void entry(ByteArrayOutputStream out, int id, byte[] value, boolean pad) {
        byte[] header = new byte[3];
        LittleEndian.putUint16(header, 0, value.length);
        header[2] = (byte) id;
        out.writeBytes(header);
        out.writeBytes(value);
        if (pad) {
            out.writeBytes(new byte[(4 - value.length % 4) % 4]);
        }
    }

    private static byte[] int64(long v) {
        byte[] b = new byte[8];
        LittleEndian.putInt64(b, 0, v);
        return b;
    }
}
