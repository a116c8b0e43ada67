package dev.keytrust.kdc.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keytrust.encoding.Hex;
import dev.keytrust.kdc.KerberosKey;
import java.security.GeneralSecurityException;
import java.util.Random;
import org.apache.kerby.kerberos.kerb.crypto.CheckSumHandler;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.type.base.CheckSumType;
import org.apache.kerby.kerberos.kerb.type.base.EncryptedData;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@link AesCts} against RFC 3962's vectors and against Kerby's independent implementation, both directions. */
class AesCtsTest {
    private static final byte[] CHICKEN_TERIYAKI = Hex.decode("636869636b656e207465726979616b69");
    private static final String SOUP = "I would like the General Gau's Chicken, please, and wonton soup.";
    private final Random random = new Random(3962);

    @Test
    void ctsGivesRfc3962AppendixBCiphertexts() throws Exception {
        assertThat(cts(17)).isEqualTo("c6353568f2bf8cb4d8a580362da7ff7f97");
        assertThat(cts(31)).isEqualTo("fc00783e0efdb2c1d445d4c8eff7ed2297687268d6ecccc0c07b25e25ecfe5");
        assertThat(cts(32)).isEqualTo("39312523a78662d5be7fcbcc98ebf5a897687268d6ecccc0c07b25e25ecfe584");
        assertThat(cts(47)).isEqualTo("97687268d6ecccc0c07b25e25ecfe584b3fffd940c16a18c1b5549d2f838029e"
                + "39312523a78662d5be7fcbcc98ebf5");
        assertThat(cts(64)).isEqualTo("97687268d6ecccc0c07b25e25ecfe58439312523a78662d5be7fcbcc98ebf5a8"
                + "4807efe836ee89a526730dbc2f7bc8409dad8bbb96c4cdc03bc103e1a194bbd8");
    }

    @ParameterizedTest
    @ValueSource(ints = {17, 31, 32, 47, 48, 64})
    void ctsDecryptInvertsEncrypt(int length) throws Exception {
        byte[] plain = java.util.Arrays.copyOf(SOUP.getBytes(java.nio.charset.StandardCharsets.US_ASCII), length);
        assertThat(AesCts.ctsDecrypt(CHICKEN_TERIYAKI, AesCts.ctsEncrypt(CHICKEN_TERIYAKI, plain))).isEqualTo(plain);
    }

    @ParameterizedTest
    @ValueSource(ints = {KerberosKey.AES128_CTS_HMAC_SHA1_96, KerberosKey.AES256_CTS_HMAC_SHA1_96})
    void kerbyDecryptsWhatThisEncryptsAndTheOtherWayRound(int etype) throws Exception {
        for (int length : new int[] {0, 1, 15, 16, 17, 31, 32, 33, 100, 1000}) {
            byte[] key = bytes(etype == KerberosKey.AES128_CTS_HMAC_SHA1_96 ? 16 : 32);
            byte[] plain = bytes(length);
            EncryptionKey kerbyKey = new EncryptionKey(etype, key);
            EncryptedData ours = new EncryptedData();
            ours.setEType(EncryptionType.fromValue(etype));
            ours.setCipher(AesCts.encrypt(key, 2, plain));
            assertThat(EncryptionHandler.decrypt(ours, kerbyKey, KeyUsage.KDC_REP_TICKET)).as("length %d", length)
                    .isEqualTo(plain);
            EncryptedData theirs = EncryptionHandler.encrypt(plain, kerbyKey, KeyUsage.AS_REP_ENCPART);
            assertThat(AesCts.decrypt(key, 3, theirs.getCipher())).as("length %d", length).isEqualTo(plain);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {KerberosKey.AES128_CTS_HMAC_SHA1_96, KerberosKey.AES256_CTS_HMAC_SHA1_96})
    void checksumIsKerbysHmacSha196Aes(int etype) throws Exception {
        byte[] key = bytes(etype == KerberosKey.AES128_CTS_HMAC_SHA1_96 ? 16 : 32);
        byte[] data = bytes(600);
        CheckSumType type = etype == KerberosKey.AES128_CTS_HMAC_SHA1_96 ? CheckSumType.HMAC_SHA1_96_AES128
                : CheckSumType.HMAC_SHA1_96_AES256;
        assertThat(AesCts.checksum(key, 17, data))
                .isEqualTo(CheckSumHandler.checksumWithKey(type, data, key, KeyUsage.APP_DATA_CKSUM).getChecksum());
    }

    @Test
    void aWrongKeyAnAlteredByteOrAnotherUsageFailTheIntegrityCheck() throws Exception {
        byte[] key = bytes(32);
        byte[] sealed = AesCts.encrypt(key, 1, bytes(40));
        assertThatThrownBy(() -> AesCts.decrypt(bytes(32), 1, sealed)).isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("integrity");
        assertThatThrownBy(() -> AesCts.decrypt(key, 2, sealed)).isInstanceOf(GeneralSecurityException.class);
        byte[] altered = sealed.clone();
        altered[20] ^= 1;
        assertThatThrownBy(() -> AesCts.decrypt(key, 1, altered)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void shortCiphertextOrAKeyOfAnotherLengthIsRefusedWithTheLengthNamed() {
        assertThatThrownBy(() -> AesCts.decrypt(bytes(32), 1, new byte[27]))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("found 27");
        assertThatThrownBy(() -> AesCts.encrypt(new byte[24], 1, new byte[1]))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("found 24 bytes");
    }

    private static String cts(int length) throws Exception {
        byte[] plain = java.util.Arrays.copyOf(SOUP.getBytes(java.nio.charset.StandardCharsets.US_ASCII), length);
        return Hex.encode(AesCts.ctsEncrypt(CHICKEN_TERIYAKI, plain)).toLowerCase(java.util.Locale.ROOT);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
