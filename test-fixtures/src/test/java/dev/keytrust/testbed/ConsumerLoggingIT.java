package dev.keytrust.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Using the test kit from another project (issue 17, friction 3): the library brings no SLF4J binding of its own, and
 * a consumer's test output at its binding's usual level shows the testbed's lines but none of ApacheDS's warnings.
 */
class ConsumerLoggingIT {

    @Test
    void aConsumersTestOutputHasNoApacheDsLines(@TempDir Path dir) throws Exception {
        Path testClasses = Path.of(ConsumerLab.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path copy = dir.resolve("consumer").resolve("dev/keytrust/testbed/ConsumerLab.class");
        Files.createDirectories(copy.getParent());
        Files.copy(testClasses.resolve("dev/keytrust/testbed/ConsumerLab.class"), copy);
        List<String> classPath = new ArrayList<>(List.of(dir.resolve("consumer").toString()));
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !Path.of(e).toAbsolutePath().equals(testClasses.toAbsolutePath())) // not this project's simplelogger.properties
                .forEach(classPath::add);
        Path err = dir.resolve("stderr");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-cp", String.join(File.pathSeparator, classPath),
                ConsumerLab.class.getName()).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(err);
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(out).contains("converged");
        assertThat(log).contains("INFO dev.keytrust.testbed.Testbed - registered");
        assertThat(log.lines().filter(l -> l.contains("org.apache.directory"))).as(log).isEmpty();
    }

    @Test
    void theLibraryShipsNoSlf4jBindingAndKeepsTheCommandLinesOneOptional() throws Exception {
        Path mainClasses = Path.of(Testbed.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(mainClasses)) {
            assertThat(mainClasses.resolve("META-INF/services/org.slf4j.spi.SLF4JServiceProvider")).doesNotExist();
            assertThat(mainClasses.resolve("org/slf4j")).doesNotExist();
        }
        String pom = Files.readString(Path.of("pom.xml"));
        int simple = pom.indexOf("<artifactId>slf4j-simple</artifactId>");
        assertThat(simple).as("the command line's binding").isPositive();
        String declaration = pom.substring(simple, pom.indexOf("</dependency>", simple));
        assertThat(declaration).as("slf4j-simple must not reach a consumer's class path").contains("<optional>true</optional>");
    }
}
