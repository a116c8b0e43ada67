package dev.keytrust.bench;

import dev.keytrust.encoding.Hex;
import dev.keytrust.encoding.WindowsTime;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeySource;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Throughput of the KeyCredential codec on one thread, for a 414-byte NGC value (the DSInternals generator
 * vector: RSA-2048 RSA1 key, device id, KeySource AD). Decoding always checks KeyID and KeyHash (two SHA-256).
 *
 * <p>Run: {@code mvn -B -Pbench -pl core -DskipTests verify -Djmh.include=KeyCredentialCodecBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class KeyCredentialCodecBenchmark {
    /** The DSInternals generator vector's expected blob (414 bytes). */
    private static final String BLOB_HEX = "0002000020000120717AE052FCCF546AAD0D51E878AAD69CE04FDC39F5A8D8E3CEBA6BCB4DA0E7"
            + "20000214B7474E61C1001D3E546CFED8E387CFC1AC86A2CA7B3CDCF1267614585E2A341B0103525341310008000003000000"
            + "000100000000000000000000010001C1A78914457758B0B13C70C710C7F8548F3F9ED56AD4640B6E6A112655C98ECAC1CBD6"
            + "8A298F5686C08439428A97FE6FDF58D78EA481905182BAD684C2D9C5CDE1CDE34AA19742E8BBF58B953EAC4C562FCF598CC1"
            + "76B02DBE9FFFEF5937A65815C236F92892F7E511A1FEDD5483CB33F1EA715D68106180DED2432A293367114A6E325E62F93F"
            + "73D7ECE4B6A2BCDB829D95C8645C3073B94BA7CB7515CD29042F0967201C6E24A77821E92A6C756DF79841ACBAAE11D90CA0"
            + "3B9FCD24EF9E304B5D35248A7BD70557399960277058AE3E99C7C7E2284858B7BF8B08CDD286964186A50A7FCBCC6A24F00F"
            + "EE5B9698BBD3B1AEAD0CE81FEA461C0ABD716843A50100040101000500100006E377F547D0D20A4A8ACAE0501098BDE40200"
            + "070100080008417BD66E6603D401080009417BD66E6603D401";
    private static final String OWNER = "CN=Account,CN=Users,DC=contoso,DC=com";

    private byte[] blob;
    private String dnBinary;
    private byte[] keyMaterial;
    private UUID deviceId;
    private Instant created;

    @Setup
    public void setUp() {
        blob = Hex.decode(BLOB_HEX);
        KeyCredential kc = KeyCredential.fromBlob(blob, OWNER);
        if (kc.blobLength() != 414 || !kc.keyHashValid() || !kc.keyIdValid().orElse(false)) {
            throw new IllegalStateException("benchmark input is not the 414-byte valid NGC value: " + kc);
        }
        dnBinary = kc.toDnBinary();
        keyMaterial = kc.keyMaterial().bytes();
        deviceId = kc.deviceId().orElseThrow();
        created = WindowsTime.fromFileTime(131734027581684545L);
    }

    /** Blob bytes to a KeyCredential, both hash checks included. */
    @Benchmark
    public KeyCredential decodeBlob() {
        return KeyCredential.fromBlob(blob);
    }

    /** An LDAP value string (hex, DN syntax check) to a KeyCredential, both hash checks included. */
    @Benchmark
    public KeyCredential decodeDnBinary() {
        return KeyCredential.fromDnBinary(dnBinary);
    }

    /** Building the 414-byte value from its inputs (KeyID and KeyHash computed). */
    @Benchmark
    public KeyCredential encode() {
        return KeyCredential.builder().publicKey(keyMaterial).deviceId(deviceId).creationTime(created)
                .ownerDn(OWNER).source(KeySource.AD).build();
    }

    /** Building and formatting the LDAP value string. */
    @Benchmark
    public String encodeDnBinary() {
        return encode().toDnBinary();
    }
}
