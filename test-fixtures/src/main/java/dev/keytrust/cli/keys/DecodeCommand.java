package dev.keytrust.cli.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.keytrust.cli.KeyTrustCommand;
import dev.keytrust.keycredential.KeyCredential;
import dev.keytrust.keycredential.KeyCredentialFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code keytrust decode VALUE | -}: one msDS-KeyCredentialLink value (or one per stdin line) as JSON. */
@Command(name = "decode",
        description = {
            "Decode msDS-KeyCredentialLink values and print each as one JSON object.",
            "VALUE is a DN-Binary string (B:<count>:<hex>:<DN>), a hex blob or a base64 blob.",
            "With '-', reads standard input and prints one JSON line per value: one value per line (lines end with LF or",
            "CR LF), or LDIF as ldapsearch prints it (folded lines joined; msDS-KeyCredentialLink: and :: base64 values",
            "decoded; dn: and other attributes skipped). A bad value prints {\"error\": ...} and the exit code is 2 at the end."
        },
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  keytrust decode 'B:828:0002000020000120...:CN=Account,DC=contoso,DC=com'",
            "  ldapsearch -x -H ldap://127.0.0.1:14389 -D CN=Administrator,CN=Users,DC=corp,DC=example,DC=com -w PASSWORD \\",
            "    -b DC=corp,DC=example,DC=com '(msDS-KeyCredentialLink=*)' msDS-KeyCredentialLink | keytrust decode -"})
public final class DecodeCommand implements Callable<Integer> {
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
        Reader reader = new BufferedReader(new InputStreamReader(parent.stdin(), StandardCharsets.UTF_8));
        LdifLines lines = new LdifLines(reader);
        for (LdifLines.Logical logical = lines.next(); logical != null; logical = lines.next()) {
            String line = valueOf(logical.text());
            if (line == null || line.isBlank()) {
                continue;
            }
            Line decoded = decodeLine(line, logical.number());
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

    private static final java.util.regex.Pattern LDIF_ATTRIBUTE = java.util.regex.Pattern.compile(
            "^([A-Za-z][A-Za-z0-9;.-]*)(::?)[ ]*(.*)$");
    private static final java.util.regex.Pattern DN_BINARY = java.util.regex.Pattern.compile("^B:\\s*\\+?\\d+:.*");

    /**
     * The value a logical input line holds: the line itself for a bare value (a DN-Binary string, hex, base64);
     * for an LDIF line, the value of msDS-KeyCredentialLink ({@code ::} base64 decoded), or {@code null} for
     * anything else LDIF holds (dn, other attributes, comments, version).
     */
    static String valueOf(String line) {
        if (line.startsWith("#") || DN_BINARY.matcher(line).matches()) {
            return line.startsWith("#") ? null : line;
        }
        java.util.regex.Matcher m = LDIF_ATTRIBUTE.matcher(line);
        if (!m.matches()) {
            return line;
        }
        String attribute = m.group(1);
        int options = attribute.indexOf(';');
        if (!(options < 0 ? attribute : attribute.substring(0, options)).equalsIgnoreCase("msDS-KeyCredentialLink")) {
            return null;
        }
        if (m.group(2).equals("::")) {
            try {
                return new String(java.util.Base64.getMimeDecoder().decode(m.group(3)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return m.group(3); // reported as the value it is
            }
        }
        return m.group(3);
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
