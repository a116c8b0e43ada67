package dev.keytrust.kdc.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DerTest {

    @Test
    void oneDefiniteLengthElementIsWellFormed() {
        assertThat(Der.isWellFormed(new byte[] {0x30, 0x03, 0x02, 0x01, 0x05})).isTrue();
    }

    @Test
    void trailingBytesTruncationAndIndefiniteLengthAreRefused() {
        assertThat(Der.isWellFormed(new byte[] {0x30, 0x03, 0x02, 0x01, 0x05, 0x00})).isFalse();
        assertThat(Der.isWellFormed(new byte[] {0x30, 0x05, 0x02, 0x01, 0x05})).isFalse();
        assertThat(Der.isWellFormed(new byte[] {0x30, (byte) 0x80, 0x00, 0x00})).isFalse();
        assertThat(Der.isWellFormed(new byte[0])).isFalse();
        assertThat(Der.isWellFormed(new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff,
                (byte) 0xff})).isFalse();
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        int depth = Der.MAX_DEPTH + 2;
        byte[] deep = new byte[depth * 2];
        for (int i = 0; i < depth; i++) {
            deep[2 * i] = 0x30;
            deep[2 * i + 1] = (byte) (2 * (depth - i - 1));
        }
        assertThat(Der.isWellFormed(deep)).isFalse();
    }

    @Test
    void reqBodyIsTheRawFieldFourOfTheKdcReq() {
        byte[] req = {0x6a, 0x0c, 0x30, 0x0a,
            (byte) 0xa1, 0x03, 0x02, 0x01, 0x05,
            (byte) 0xa4, 0x03, 0x30, 0x01, 0x00};
        assertThat(Der.isWellFormed(req)).isFalse(); // 0x30 0x01 0x00 is a bad inner element
        byte[] good = {0x6a, 0x0d, 0x30, 0x0b,
            (byte) 0xa1, 0x03, 0x02, 0x01, 0x05,
            (byte) 0xa4, 0x04, 0x30, 0x02, 0x05, 0x00};
        assertThat(Der.isWellFormed(good)).isTrue();
        assertThat(Der.reqBody(good)).hasValueSatisfying(b -> assertThat(b).containsExactly(0x30, 0x02, 0x05, 0x00));
    }
}
