package dev.keytrust.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EncodingTest {
    @Test
    void guidsUseMicrosoftMixedEndianByteOrder() {
        byte[] raw = Hex.decode("E377F547D0D20A4A8ACAE0501098BDE4");
        UUID id = MsGuid.fromBytes(raw);
        assertThat(id).hasToString("47f577e3-d2d0-4a0a-8aca-e0501098bde4");
        assertThat(MsGuid.toBytes(id)).isEqualTo(raw);
    }

    @Test
    void filetimeAndDotNetTimesConvertBothWays() {
        Instant t = WindowsTime.fromFileTime(131734027581684545L);
        assertThat(t).isEqualTo(Instant.parse("2018-06-13T22:32:38.1684545Z"));
        assertThat(WindowsTime.toFileTime(t)).isEqualTo(131734027581684545L);
        assertThat(WindowsTime.fromFileTime(0)).isEqualTo(Instant.parse("1601-01-01T00:00:00Z"));
        assertThat(WindowsTime.fromDotNetTicks(0)).isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));

        long binary = WindowsTime.toDotNetBinaryUtc(Instant.parse("2019-06-21T16:04:56.9178259Z"));
        assertThat(WindowsTime.dotNetBinaryKind(binary)).isEqualTo(1);
        assertThat(WindowsTime.fromDotNetBinary(binary)).isEqualTo(Instant.parse("2019-06-21T16:04:56.9178259Z"));
        assertThat(WindowsTime.fromDotNetBinary(0x4000_0043_0E23_4000L)).isEqualTo(Instant.parse("0001-01-01T08:00:00Z"));
        assertThat(WindowsTime.fromFileTime(Long.MAX_VALUE)).isAfter(Instant.parse("+30000-01-01T00:00:00Z"));
    }

    @Test
    void hexIsWrittenUpperCaseAndReadInEitherCase() {
        assertThat(Hex.encode(new byte[] {0x0a, (byte) 0xff})).isEqualTo("0AFF");
        assertThat(Hex.decode("0aFf")).containsExactly(0x0a, 0xff);
        assertThat(Hex.isHex("0aF")).isFalse();
        assertThat(Hex.isHex("")).isFalse();
        assertThatThrownBy(() -> Hex.decode("0x")).hasMessageContaining("position 1");
    }
}
