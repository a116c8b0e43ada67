package dev.keytrust.keycredential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keytrust.ErrorCode;
import dev.keytrust.encoding.Hex;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad input gets a typed error naming the reason and where it was found. */
class KeyCredentialBadInputTest {
    private static final byte[] REAL = Vectors.blob(Vectors.byId("DSI.KeyCredential_Parse_UserKey1"));
    private static final String DN = "CN=Account,DC=contoso,DC=com";

    @Test
    void anEmptyValueIsRefused() {
        assertThat(failure(new byte[0])).extracting(KeyCredentialFormatException::errorCode).isEqualTo(ErrorCode.KEYCREDENTIAL_EMPTY);
        assertThatThrownBy(() -> KeyCredential.parse("   ")).isInstanceOf(KeyCredentialFormatException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> KeyCredential.fromDnBinary("")).isInstanceOf(KeyCredentialFormatException.class);
    }

    @Test
    void aTruncatedBlobNamesTheOffsetWhereItEnded() {
        KeyCredentialFormatException e = failure(Arrays.copyOf(REAL, 2));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.KEYCREDENTIAL_TRUNCATED);
        assertThat(e.offset()).isZero();

        e = failure(Arrays.copyOf(REAL, 5));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.KEYCREDENTIAL_TRUNCATED);
        assertThat(e.offset()).isEqualTo(4);
        assertThat(e).hasMessageContaining("at byte 4").hasMessageContaining("only 1 byte(s) remain");
    }

    @Test
    void anEntryLengthPastTheEndNamesTheEntryAndOffset() {
        KeyCredentialFormatException e = failure(Arrays.copyOf(REAL, 100));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.KEYCREDENTIAL_ENTRY_PAST_END);
        assertThat(e.offset()).isEqualTo(74);
        assertThat(e).hasMessageContaining("KeyMaterial at byte 74 declares 283 value bytes but only 23 remain");
    }

    @Test
    void anUnknownVersionIsRefused() {
        byte[] b = REAL.clone();
        b[1] = 0x03;
        assertThat(failure(b)).hasMessageContaining("0x300").extracting(KeyCredentialFormatException::errorCode)
                .isEqualTo(ErrorCode.KEYCREDENTIAL_UNSUPPORTED_VERSION);
    }

    @Test
    void aWrongSizeFixedEntryIsRefused() {
        // KeySource entry (at byte 364) declared 2 bytes long instead of 1.
        byte[] b = REAL.clone();
        assertThat(b[366]).isEqualTo((byte) EntryType.KEY_SOURCE);
        b[364] = 2;
        KeyCredentialFormatException e = failure(b);
        assertThat(e.errorCode()).isEqualTo(ErrorCode.KEYCREDENTIAL_BAD_ENTRY_LENGTH);
        assertThat(e.offset()).isEqualTo(364);
    }

    @Test
    void aBlobWithoutKeyMaterialIsRefused() {
        byte[] b = Hex.decode("00020000" + "0100" + "01" + "AA");
        assertThat(failure(b).errorCode()).isEqualTo(ErrorCode.KEYCREDENTIAL_MISSING_ENTRY);
    }

    @Test
    void oddAndNonHexDigitsAreRefusedWithTheirPosition() {
        KeyCredentialFormatException e = catchThrowableOfType(KeyCredentialFormatException.class,
                () -> KeyCredential.fromDnBinary("B:3:ABC:" + DN));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.DN_BINARY_BAD_HEX);
        assertThat(e).hasMessageContaining("even number");

        e = catchThrowableOfType(KeyCredentialFormatException.class, () -> KeyCredential.fromDnBinary("B:4:0G00:" + DN));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.DN_BINARY_BAD_HEX);
        assertThat(e.offset()).isEqualTo(5);
        assertThat(e).hasMessageContaining("character 5").hasMessageContaining("'G'");
    }

    @Test
    void theCountIsReadAsAdReadsItAndTheMarkerMustBeAnUpperCaseB() {
        assertThat(DnBinary.parse("B:+4:0a00:" + DN)).hasToString("B:4:0A00:" + DN);
        assertThat(DnBinary.parse("B: 04:0A00:" + DN)).hasToString("B:4:0A00:" + DN);
        for (String refused : new String[] {"b:4:0A00:", "B:-4:0A00:", "B:+:0A00:", "B:+-4:0A00:"}) {
            KeyCredentialFormatException e = catchThrowableOfType(KeyCredentialFormatException.class,
                    () -> DnBinary.parse(refused + DN));
            assertThat(e).as(refused).isNotNull();
            assertThat(e.errorCode()).as(refused).isEqualTo(ErrorCode.DN_BINARY_SYNTAX);
        }
        assertThat(catchThrowableOfType(KeyCredentialFormatException.class, () -> DnBinary.parse("b:4:0A00:" + DN)))
                .hasMessageContaining("upper-case B");
    }

    @Test
    void aCountMismatchIsRefused() {
        String hex = Hex.encode(REAL);
        KeyCredentialFormatException e = catchThrowableOfType(KeyCredentialFormatException.class,
                () -> KeyCredential.fromDnBinary("B:" + (hex.length() + 2) + ":" + hex + ":" + DN));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.DN_BINARY_COUNT_MISMATCH);
    }

    @Test
    void badDnsAreRefusedNamingTheCharacter() {
        String prefix = "B:" + REAL.length * 2 + ":" + Hex.encode(REAL) + ":";
        for (String bad : new String[] {"not a dn", "CN=a,,DC=b", "CN=a,", "=a", "CN=a\\zz", "CN=a;DC=b", "CN=#abc"}) {
            KeyCredentialFormatException e = catchThrowableOfType(KeyCredentialFormatException.class,
                    () -> KeyCredential.fromDnBinary(prefix + bad));
            assertThat(e).as(bad).isNotNull();
            assertThat(e.errorCode()).as(bad).isEqualTo(ErrorCode.INVALID_DN);
            assertThat(e.offset()).as(bad).isGreaterThanOrEqualTo(prefix.length());
        }
    }

    @Test
    void awkwardButValidDnsRoundTripExactly() {
        String prefix = "B:" + REAL.length * 2 + ":" + Hex.encode(REAL) + ":";
        for (String dn : new String[] {
            "CN=Smith\\, John,OU=Sales+L=Berlin,DC=corp,DC=example,DC=com",
            "CN = Admin,CN = Users,DC = contoso,DC = com",
            "CN=\\23hash\\2Cescaped,DC=x", "UID=jdoe+CN=John Doe,DC=x", "1.2.840.113556.1.4.1=#04024869,DC=x",
            "CN=Ünïcödé,DC=x", ""}) {
            assertThat(KeyCredential.fromDnBinary(prefix + dn).toDnBinary()).isEqualTo(prefix + dn);
        }
    }

    @Test
    void inputThatIsNeitherDnBinaryHexNorBase64IsRefused() {
        assertThatThrownBy(() -> KeyCredential.parse("hello world!"))
                .isInstanceOf(KeyCredentialFormatException.class)
                .extracting(e -> ((KeyCredentialFormatException) e).errorCode())
                .isEqualTo(ErrorCode.KEYCREDENTIAL_UNRECOGNISED_INPUT);
    }

    @Test
    void hexAndBase64BlobsAreAccepted() {
        assertThat(KeyCredential.parse(Hex.encode(REAL).toLowerCase()).toBlob()).isEqualTo(REAL);
        assertThat(KeyCredential.parse(java.util.Base64.getEncoder().encodeToString(REAL)).toBlob()).isEqualTo(REAL);
        assertThat(KeyCredential.parse(java.util.Base64.getUrlEncoder().encodeToString(REAL)).toBlob()).isEqualTo(REAL);
    }

    @Test
    @Timeout(5)
    void aMegabyteOfGarbageGetsATypedErrorQuickly() {
        Random random = new Random(20261125L);
        byte[] garbage = new byte[1 << 20];
        random.nextBytes(garbage);
        assertThat(failure(garbage)).isNotNull();
        garbage[0] = 0;
        garbage[1] = 2;
        garbage[2] = 0;
        garbage[3] = 0;
        assertThat(failure(garbage)).isNotNull();
        StringBuilder s = new StringBuilder("B:2097152:");
        s.append(Hex.encode(garbage)).append(":CN=x");
        assertThatThrownBy(() -> KeyCredential.fromDnBinary(s.toString())).isInstanceOf(KeyCredentialFormatException.class);
        assertThatThrownBy(() -> KeyCredential.parse(new String(garbage, java.nio.charset.StandardCharsets.ISO_8859_1)))
                .isInstanceOf(KeyCredentialFormatException.class);
    }

    private static KeyCredentialFormatException failure(byte[] blob) {
        KeyCredentialFormatException e = catchThrowableOfType(KeyCredentialFormatException.class, () -> KeyCredential.fromBlob(blob, DN));
        assertThat(e).as("expected a KeyCredentialFormatException").isNotNull();
        return e;
    }
}
