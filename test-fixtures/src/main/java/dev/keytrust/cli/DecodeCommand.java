package dev.keytrust.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeyCredentialFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code keytrust decode VALUE | -}: one msDS-KeyCredentialLink value (or one per stdin line) as JSON. */
@Command(name = "decode",
        description = {
            "Decode msDS-KeyCredentialLink values and print each as one JSON object.",
            "VALUE is a DN-Binary string (B:<count>:<hex>:<DN>), a hex blob or a base64 blob.",
            "With '-', reads one value per line from standard input and prints one JSON line per value;",
            "a bad line prints {\"error\": ...} and the exit code is 2 at the end."
        },
        mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  keytrust decode 'B:828:0002000020000120...:CN=Account,DC=contoso,DC=com'"})
final class DecodeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    private KeyTrustCommand parent;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VALUE", description = "The value to decode, or '-' for standard input.")
    private String value;

    @Option(names = "--pretty", description = "Indent the JSON (one value only).")
    private boolean pretty;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!value.equals("-")) {
            KeyCredential kc = KeyCredential.parse(value);
            ObjectWriter writer = pretty ? JSON.writer().with(SerializationFeature.INDENT_OUTPUT) : JSON.writer();
            out.println(writer.writeValueAsString(KeyCredentialJson.toMap(kc)));
            return 0;
        }
        int failures = 0;
        int lineNumber = 0;
        BufferedReader reader = new BufferedReader(new InputStreamReader(parent.stdin(), StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            Line decoded = decodeLine(line, lineNumber);
            out.println(decoded.json());
            if (!decoded.ok()) {
                failures++;
            }
        }
        out.flush();
        if (failures > 0) {
            spec.commandLine().getErr().println("decode: " + failures + " of the input lines could not be decoded");
            return KeyTrustCommand.EXIT_INVALID;
        }
        return 0;
    }

    /** One output line and whether its input decoded. */
    private record Line(String json, boolean ok) {
    }

    private static Line decodeLine(String line, int lineNumber) {
        Map<String, Object> result;
        boolean ok;
        try {
            result = KeyCredentialJson.toMap(KeyCredential.parse(line));
            ok = true;
        } catch (KeyCredentialFormatException e) {
            result = new LinkedHashMap<>();
            result.put("error", KeyTrustCommand.oneLine(e.getMessage()));
            result.put("code", e.errorCode().name());
            result.put("line", lineNumber);
            ok = false;
        }
        try {
            return new Line(JSON.writeValueAsString(result), ok);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
