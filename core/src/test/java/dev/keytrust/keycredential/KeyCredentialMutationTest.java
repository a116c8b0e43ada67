package dev.keytrust.keycredential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.keytrust.encoding.Hex;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pushes mutated real values through the decoder: each must decode or fail with a
 * {@link KeyCredentialFormatException}, never another exception and never a hang. The seed is printed with any
 * failure; set {@code -Dkeytrust.mutation.seed=N} to replay one.
 */
class KeyCredentialMutationTest {
    private static final int BLOB_MUTATIONS = 100_000;
    private static final int STRING_MUTATIONS = 20_000;
    private static final long SEED = Long.getLong("keytrust.mutation.seed", 0x5EED_2026_1125L);

    @Test
    @Timeout(60)
    void aHundredThousandMutatedRealBlobsDecodeOrFailWithATypedError() {
        List<byte[]> real = Vectors.realBlobs();
        SplittableRandom random = new SplittableRandom(SEED);
        int decoded = 0;
        int refused = 0;
        for (int i = 0; i < BLOB_MUTATIONS; i++) {
            byte[] input = mutate(real.get(random.nextInt(real.size())), random);
            try {
                KeyCredential kc = KeyCredential.fromBlob(input);
                assertThat(kc.toBlob()).isEqualTo(input);
                describeEverything(kc);
                decoded++;
            } catch (KeyCredentialFormatException e) {
                assertThat(e.getMessage()).isNotBlank();
                assertThat(e.offset()).isBetween(-1L, (long) input.length);
                refused++;
            } catch (RuntimeException | Error e) {
                fail("mutation " + i + " (seed " + SEED + ") threw " + e + " for input " + Hex.encode(input), e);
            }
        }
        assertThat(decoded + refused).isEqualTo(BLOB_MUTATIONS);
        assertThat(decoded).as("some mutations (in key material, times, ids) still decode").isPositive();
        assertThat(refused).as("some mutations (in lengths, versions) are refused").isPositive();
    }

    @Test
    @Timeout(60)
    void mutatedDnBinaryStringsParseOrFailWithATypedError() {
        List<byte[]> real = Vectors.realBlobs();
        SplittableRandom random = new SplittableRandom(SEED ^ 0xD1);
        String alphabet = "B:0123456789abcdefABCDEFG,=+\\#; CN\"<>\0é";
        for (int i = 0; i < STRING_MUTATIONS; i++) {
            byte[] blob = real.get(random.nextInt(real.size()));
            StringBuilder s = new StringBuilder("B:" + blob.length * 2 + ":" + Hex.encode(blob) + ":CN=User\\, One,CN=Users,DC=corp,DC=example,DC=com");
            int edits = 1 + random.nextInt(3);
            for (int k = 0; k < edits; k++) {
                int at = random.nextInt(s.length());
                switch (random.nextInt(3)) {
                    case 0 -> s.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> s.deleteCharAt(at);
                    default -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String input = s.toString();
            try {
                KeyCredential kc = KeyCredential.fromDnBinary(input);
                assertThat(KeyCredential.fromDnBinary(kc.toDnBinary())).isEqualTo(kc);
            } catch (KeyCredentialFormatException e) {
                assertThat(e.getMessage()).isNotBlank();
            } catch (RuntimeException | Error e) {
                fail("string mutation " + i + " (seed " + SEED + ") threw " + e + " for input " + input, e);
            }
        }
    }

    private static void describeEverything(KeyCredential kc) {
        kc.toString();
        kc.keyMaterial().rsaModulusBits();
        kc.keyMaterial().rsaPublicKey();
        kc.customKeyInfo().ifPresent(c -> {
            c.reserved();
            c.encodedExtendedInfo();
            c.keyStrength();
        });
        kc.entries().forEach(kc::entryValue);
    }

    /** One to four random edits: flip bits, overwrite, insert, delete, truncate or stretch a length field. */
    private static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] b = original.clone();
        int edits = 1 + random.nextInt(4);
        for (int k = 0; k < edits && b.length > 0; k++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) random.nextInt(256);
                case 2 -> b = java.util.Arrays.copyOf(b, at);
                case 3 -> {
                    byte[] longer = new byte[b.length + 1 + random.nextInt(8)];
                    System.arraycopy(b, 0, longer, 0, at);
                    System.arraycopy(b, at, longer, longer.length - (b.length - at), b.length - at);
                    b = longer;
                }
                case 4 -> {
                    byte[] shorter = new byte[b.length - 1];
                    System.arraycopy(b, 0, shorter, 0, at);
                    System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                    b = shorter;
                }
                default -> {
                    // Aim at an entry header: the length field of some entry.
                    if (b.length > 6) {
                        int header = 4 + random.nextInt(Math.min(b.length - 6, 80));
                        b[header] = (byte) random.nextInt(256);
                        b[header + 1] = (byte) random.nextInt(4);
                    }
                }
            }
        }
        return b;
    }
}
