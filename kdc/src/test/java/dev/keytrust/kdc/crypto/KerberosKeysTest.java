package dev.keytrust.kdc.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keytrust.encoding.Hex;
import dev.keytrust.kdc.KerberosKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KerberosKeysTest {

    private static String hex(byte[] b) {
        return Hex.encode(b).toLowerCase(java.util.Locale.ROOT);
    }

    /** RFC 3962 appendix B: one and 1200 iterations, and a non-ASCII password (U+1D11E, encoded as UTF-8). */
    @ParameterizedTest(name = "etype {0}, {3} iterations")
    @CsvSource({
        "18, password,     ATHENA.MIT.EDUraeburn, 1,    fe697b52bc0d3ce14432ba036a92e65bbb52280990a2fa27883998d72af30161",
        "17, password,     ATHENA.MIT.EDUraeburn, 1,    42263c6e89f4fc28b8df68ee09799f15",
        "18, password,     ATHENA.MIT.EDUraeburn, 1200, 55a6ac740ad17b4846941051e1e8b0a7548d93b0ab30a8bc3ff16280382b8c2a",
        "17, password,     ATHENA.MIT.EDUraeburn, 1200, 4c01cd46d632d01e6dbe230a01ed642a",
        "18, \uD834\uDD1E, EXAMPLE.COMpianist,    50,   4b6d9839f84406df1f09cc166db4b83c571848b784a3d6bdc346589a3e393f9e"})
    void rfc3962VectorsGiveTheAppendixBKeys(int etype, String password, String salt, int iterations, String key) {
        assertThat(hex(KerberosKeys.aes(etype, password, salt, iterations))).isEqualTo(key);
    }

    @Test
    void ntHashOfPasswordIsTheWellKnownValue() {
        assertThat(hex(KerberosKeys.ntHash("password"))).isEqualTo("8846f7eaee8fb117ad06bdd830b7586c");
        assertThat(hex(KerberosKeys.ntHash(""))).isEqualTo("31d6cfe0d16ae931b73c59d7e0c089c0");
    }

    @Test
    void userSaltIsTheUpperCaseRealmThenTheNameAsStored() {
        assertThat(KerberosKeys.userSalt("corp.example.com", "Alice")).isEqualTo("CORP.EXAMPLE.COMAlice");
    }

    @Test
    void computerSaltUsesHostAndTheLowerCaseFullName() {
        assertThat(KerberosKeys.computerSalt("CORP.EXAMPLE.COM", "DC1$", "Corp.Example.com"))
                .isEqualTo("CORP.EXAMPLE.COMhostdc1.corp.example.com");
    }

    @Test
    void fromPasswordGivesAes256Aes128AndRc4WithTheKvno() {
        List<KerberosKey> keys = KerberosKeys.fromPassword("password", "ATHENA.MIT.EDUraeburn", 3);
        assertThat(keys).extracting(KerberosKey::etype).containsExactly(18, 17, 23);
        assertThat(keys).allMatch(k -> k.kvno() == 3);
        assertThat(hex(keys.get(2).keyBytes())).isEqualTo("8846f7eaee8fb117ad06bdd830b7586c");
        assertThat(keys.get(0).toString()).doesNotContain(hex(keys.get(0).keyBytes()));
    }
}
