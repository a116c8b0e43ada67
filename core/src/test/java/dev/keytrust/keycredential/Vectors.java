package dev.keytrust.keycredential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keytrust.encoding.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The shared conformance vectors (a copy under src/test/resources/vectors). */
final class Vectors {
    private static final List<JsonNode> ALL = load();

    private Vectors() {
    }

    static List<JsonNode> all() {
        return ALL;
    }

    /** The parse vectors: real blobs with an independent decoding. */
    static Stream<JsonNode> parseVectors() {
        return ALL.stream().filter(v -> v.has("blob_hex") && v.has("decoded_independently"));
    }

    /** The DN-Binary string vectors. */
    static Stream<JsonNode> dnBinaryVectors() {
        return ALL.stream().filter(v -> v.has("dn_binary_string"));
    }

    static JsonNode byId(String id) {
        return ALL.stream().filter(v -> v.path("id").asText().equals(id)).findFirst().orElseThrow();
    }

    static byte[] blob(JsonNode v) {
        return Hex.decode(v.get("blob_hex").asText());
    }

    /** Every real value as bytes, for mutation tests. */
    static List<byte[]> realBlobs() {
        List<byte[]> out = new ArrayList<>();
        parseVectors().forEach(v -> out.add(blob(v)));
        return out;
    }

    private static List<JsonNode> load() {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/keycredential-vectors.json")) {
            if (in == null) {
                throw new IllegalStateException("test resource /vectors/keycredential-vectors.json is missing");
            }
            List<JsonNode> out = new ArrayList<>();
            new ObjectMapper().readTree(in).forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
