package dev.keytrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keytrust.encoding.Hex;
import dev.keytrust.keycredential.KeyCredential;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyTrustCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    static Result run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = KeyTrustCommand.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exit, out.toString(), err.toString());
    }

    static String resource(String name) throws IOException {
        try (InputStream in = KeyTrustCommandTest.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void helpListsTheCommands() {
        Result r = run("", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("decode", "encode", "Exit codes");
    }

    @Test
    void decodePrintsOneJsonObjectWithEveryDocumentedKey() throws Exception {
        String value = resource("decode-sample.txt").lines().findFirst().orElseThrow();
        Result r = run("", "decode", value);
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.outLines()).hasSize(1);
        JsonNode json = JSON.readTree(r.out());
        assertThat(json.fieldNames()).toIterable().containsExactly("version", "keyId", "keyIdValid", "keyHash",
                "keyHashValid", "usage", "source", "deviceId", "creationTime", "lastLogonTime", "customKeyInfo",
                "keyMaterial", "ownerDn", "entries");
        assertThat(json.get("version").asInt()).isEqualTo(0x200);
        assertThat(json.get("keyId").asText()).isEqualTo("OEXCJuKZ1n77Q9dQTaRi4tlRtRcSTl1BqbDGHloVuXg=");
        assertThat(json.get("keyIdValid").asBoolean()).isTrue();
        assertThat(json.get("keyHashValid").asBoolean()).isTrue();
        assertThat(json.get("usage").asText()).isEqualTo("NGC");
        assertThat(json.get("source").asText()).isEqualTo("AzureAD");
        assertThat(json.get("deviceId").asText()).isEqualTo("10985e4b-0809-443d-8679-149422d9e170");
        assertThat(json.get("creationTime").asText()).startsWith("2017-11-13T16:29:24.5657").endsWith("Z");
        assertThat(json.get("lastLogonTime").asText()).isEqualTo("0001-01-01T08:00:00Z");
        assertThat(json.at("/customKeyInfo/supportsNotification").asBoolean()).isTrue();
        assertThat(json.at("/keyMaterial/format").asText()).isEqualTo("RSA1");
        assertThat(json.at("/keyMaterial/rsaModulusBits").asInt()).isEqualTo(2048);
        assertThat(json.at("/keyMaterial/rsaExponent").asInt()).isEqualTo(65537);
        assertThat(json.at("/keyMaterial/length").asInt()).isEqualTo(283);
        assertThat(json.get("ownerDn").asText()).isEqualTo("CN=Account,DC=contoso,DC=com");
        assertThat(json.get("entries")).hasSize(9);
        assertThat(json.at("/entries/2/name").asText()).isEqualTo("KeyMaterial");
    }

    @Test
    void aBareBlobHasNoOwnerDn() throws Exception {
        String hex = resource("decode-sample.txt").lines().skip(1).findFirst().orElseThrow();
        for (String value : new String[] {hex, Base64.getEncoder().encodeToString(Hex.decode(hex))}) {
            Result r = run("", "decode", value);
            assertThat(r.exit()).isZero();
            assertThat(JSON.readTree(r.out()).get("ownerDn").isNull()).isTrue();
            assertThat(JSON.readTree(r.out()).get("source").asText()).isEqualTo("AD");
        }
    }

    @Test
    void invalidInputExitsTwoWithExactlyOneLineOnStandardError() {
        for (String bad : new String[] {"B:827:00:CN=x", "B:2:0G:CN=x", "B:2:00:CN=a,,b", "zz!", "00020000"}) {
            Result r = run("", "decode", bad);
            assertThat(r.exit()).as(bad).isEqualTo(2);
            assertThat(r.out()).as(bad).isEmpty();
            assertThat(r.err().lines().toList()).as(bad).hasSize(1);
            assertThat(r.err()).as(bad).startsWith("keytrust decode: ");
        }
    }

    @Test
    void standardInputModeDecodesEveryLineAndReportsBadOnesAsJsonErrorsExitingTwo() throws Exception {
        String sample = resource("decode-sample.txt");
        Result good = run(sample, "decode", "-");
        assertThat(good.exit()).isZero();
        assertThat(good.outLines()).hasSize(3);

        String mixed = sample.lines().findFirst().orElseThrow() + "\nB:4:00:CN=x\n\n" + sample.lines().skip(2).findFirst().orElseThrow() + "\n";
        Result r = run(mixed, "decode", "-");
        assertThat(r.exit()).isEqualTo(2);
        List<String> lines = r.outLines();
        assertThat(lines).hasSize(3);
        assertThat(JSON.readTree(lines.get(0)).has("keyId")).isTrue();
        JsonNode error = JSON.readTree(lines.get(1));
        assertThat(error.get("error").asText()).contains("count says 4");
        assertThat(error.get("code").asText()).isEqualTo("DN_BINARY_COUNT_MISMATCH");
        assertThat(error.get("line").asInt()).isEqualTo(2);
        assertThat(JSON.readTree(lines.get(2)).get("usage").asText()).isEqualTo("NGC");
    }

    @Test
    void standardInputLineNumbersCountLineFeedsOnlyAsWcDoesSoALoneCarriageReturnStaysInItsLine() throws Exception {
        String good = resource("decode-sample.txt").lines().findFirst().orElseThrow();
        String input = "B:4:00:CN=x\r" + good + "\nB:4:00:CN=y\r\n" + good + "\r\n";
        assertThat(input.chars().filter(c -> c == '\n').count()).as("wc -l").isEqualTo(3);
        Result r = run(input, "decode", "-");
        assertThat(r.exit()).isEqualTo(2);
        List<String> lines = r.outLines();
        assertThat(lines).hasSize(3);
        assertThat(JSON.readTree(lines.get(0)).get("line").asInt()).as("the lone CR does not end line 1").isEqualTo(1);
        assertThat(JSON.readTree(lines.get(1)).get("line").asInt()).isEqualTo(2);
        assertThat(JSON.readTree(lines.get(2)).has("keyId")).as("CR LF ends a line like LF").isTrue();
    }

    @Test
    void encodeOfTheDsInternalsGeneratorInputsPrintsItsExpectedValue(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key.rsa1");
        try (InputStream in = getClass().getResourceAsStream("/dsinternals-generator-key.rsa1")) {
            Files.write(key, in.readAllBytes());
        }
        Result r = run("", "encode", "--public-key", key.toString(), "--owner", "CN=Account,DC=contoso,DC=com",
                "--device-id", "47f577e3-d2d0-4a0a-8aca-e0501098bde4", "--created", "2018-06-13T22:32:38.1684545Z");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        String expected = resource("dsinternals-generator-expected.hex").strip();
        assertThat(r.out().strip()).isEqualTo("B:" + expected.length() + ":" + expected + ":CN=Account,DC=contoso,DC=com");
    }

    @Test
    void encodeReadsPemAndWritesTheAzureAdShape(@TempDir Path dir) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048, new SecureRandom(new byte[] {7}));
        RSAPublicKey pub = (RSAPublicKey) gen.generateKeyPair().getPublic();
        Path pem = dir.resolve("key.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pub.getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        Result r = run("", "encode", "--public-key", pem.toString(), "--owner", "CN=Alice,CN=Users,DC=corp,DC=example,DC=com",
                "--source", "AzureAD", "--created", "2026-11-25T09:00:00Z");
        assertThat(r.exit()).isZero();
        KeyCredential kc = KeyCredential.fromDnBinary(r.out().strip());
        assertThat(kc.source().name()).isEqualTo("AzureAD");
        assertThat(kc.keyMaterial().rsaPublicKey()).contains(pub);
        assertThat(kc.creationTime().orElseThrow().instant()).hasToString("2026-11-25T09:00:00Z");
    }

    @Test
    void encodeRefusesBadOptionsWithOneLine(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key.rsa1");
        try (InputStream in = getClass().getResourceAsStream("/dsinternals-generator-key.rsa1")) {
            Files.write(key, in.readAllBytes());
        }
        String[][] cases = {
            {"--public-key", dir.resolve("missing.pem").toString(), "--owner", "CN=x"},
            {"--public-key", key.toString(), "--owner", "not a dn"},
            {"--public-key", key.toString(), "--owner", "CN=x", "--device-id", "nope"},
            {"--public-key", key.toString(), "--owner", "CN=x", "--created", "yesterday"},
            {"--public-key", key.toString(), "--owner", "CN=x", "--source", "LDAP"},
        };
        for (String[] c : cases) {
            String[] args = new String[c.length + 1];
            args[0] = "encode";
            System.arraycopy(c, 0, args, 1, c.length);
            Result r = run("", args);
            assertThat(r.exit()).as(String.join(" ", c)).isEqualTo(2);
            assertThat(r.err().lines().toList()).as(String.join(" ", c)).hasSize(1);
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void aMistypedKeyIdIsBadInputNotAKeyThatHasNotArrived() {
        for (String bad : new String[] {"not base64!!", "AAAA", "Dk3"}) {
            Result r = run("", "probe", "--dc", "ldap://127.0.0.1:1", "--key-id", bad);
            assertThat(r.exit()).as(bad).isEqualTo(2);
            assertThat(r.err()).as(bad).contains("--key-id: expected a KeyID", "44 characters");
        }
    }

    @Test
    void virtualTimeAndATimeScaleTogetherAreRefused() {
        Result r = run("", "lab", "--virtual", "--time-scale", "60");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--virtual and --time-scale cannot be used together");
    }

    @Test
    void aMissingTopologyFileIsSaidToBeMissing() {
        Result r = run("", "lab", "--virtual", "--topology", "/nonexistent.yaml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("cannot read topology file /nonexistent.yaml: no such file")
                .doesNotContain("yaml: /nonexistent.yaml");
    }

    @Test
    void decodeReadsLdifAsLdapsearchPrintsItFoldedOrBase64() throws Exception {
        String value = Files.readAllLines(Path.of("src/test/resources/decode-sample.txt")).stream()
                .filter(l -> l.startsWith("B:")).findFirst().orElseThrow();
        StringBuilder folded = new StringBuilder("msDS-KeyCredentialLink: ");
        String rest = value;
        folded.append(rest, 0, 52);
        for (rest = rest.substring(52); !rest.isEmpty(); rest = rest.substring(Math.min(75, rest.length()))) {
            folded.append("\n ").append(rest, 0, Math.min(75, rest.length())); // ldapsearch folds at 76 columns
        }
        String base64 = java.util.Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
        String ldif = "# extended LDIF\n#\nversion: 1\n\ndn: CN=Alice,CN=Users,DC=corp,DC=example,DC=com\n"
                + "objectClass: user\n" + folded + "\nmsDS-KeyCredentialLink:: " + base64.substring(0, 60) + "\n "
                + base64.substring(60) + "\n\n# search result\nsearch: 2\nresult: 0 Success\n";
        Result r = run(ldif, "decode", "-");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.outLines()).hasSize(2).allSatisfy(l -> assertThat(JSON.readTree(l).get("keyId").asText())
                .isEqualTo(JSON.readTree(r.outLines().get(0)).get("keyId").asText()).isNotEmpty());
    }

    @Test
    void theCommandListShowsWholeSentencesAndEverySubcommandAnswersMinusV() {
        Result help = run("", "--help");
        assertThat(help.exit()).isZero();
        String list = help.out().substring(help.out().indexOf("Commands:"));
        List<String> commands = List.of("dc", "topology", "lab", "replicate", "syncall", "showrepl", "showutdvec", "fault",
                "graph-mock", "graph-keys", "agent", "probe", "showobjmeta", "decode", "encode");
        for (String command : commands) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\n  " + command + " +(.*?)(?=\\n  \\S|$)",
                    java.util.regex.Pattern.DOTALL).matcher(list);
            assertThat(m.find()).as(command).isTrue();
            String summary = m.group(1).replaceAll("\\s+", " ").strip();
            assertThat(summary).as(command + ": " + summary).matches(".*[.)]$");
            Result version = run("", command, "-V");
            assertThat(version.exit()).as(command).isZero();
            assertThat(version.out()).as(command).startsWith("keytrust ");
        }
    }

    @Test
    void everyCommandThatReadsGraphTakesTheSameCredentialOptions() {
        java.util.function.Function<String, java.util.Set<String>> options = command -> {
            picocli.CommandLine line = new picocli.CommandLine(new KeyTrustCommand(System.in)).getSubcommands().get(command);
            java.util.Set<String> names = new java.util.TreeSet<>();
            line.getCommandSpec().options().forEach(o -> names.addAll(List.of(o.names())));
            return names;
        };
        List<String> graphOptions = List.of("--tenant", "--client-id", "--client-secret-env", "--certificate",
                "--certificate-password-env", "--authority-host", "--graph-url", "--ca");
        assertThat(options.apply("agent")).containsAll(graphOptions);
        assertThat(options.apply("graph-keys")).containsAll(graphOptions);
    }

    @Test
    void aCertificatePasswordVariableThatIsNotSetIsBadInputNamingTheOption(@TempDir Path dir) throws Exception {
        Path certificate = Files.writeString(dir.resolve("app.p12"), "not read: the variable is checked first");
        Result r = run("", "graph-keys", "--tenant", "t", "--client-id", "c", "--certificate", certificate.toString(),
                "--certificate-password-env", "KEYTRUST_TEST_SURELY_UNSET_VARIABLE");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--certificate-password-env", "KEYTRUST_TEST_SURELY_UNSET_VARIABLE", "not set");
    }

    @Test
    void aCertificateFileWithoutACertificateIsBadInputNamingTheOptionBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        Path keyOnly = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
        // PATH is set in every environment: the secret is found, so the --ca file is what fails
        Result graphKeys = run("", "graph-keys", "--tenant", "t", "--client-id", "c", "--client-secret-env", "PATH",
                "--ca", keyOnly.toString());
        Result mock = run("", "graph-mock", "--client-certificate", dir.resolve("missing.pem").toString());
        for (Result r : List.of(graphKeys, mock)) {
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.err().lines().toList()).hasSize(1);
        }
        assertThat(graphKeys.err()).contains("INVALID_CONFIGURATION", "--ca: expected an X.509 certificate", "key.pem",
                "without a '-----BEGIN CERTIFICATE-----' block");
        assertThat(mock.err()).contains("INVALID_CONFIGURATION", "--client-certificate: expected an X.509 certificate",
                "missing.pem", "no such file");
        assertThat(mock.out()).isEmpty();
    }
}
