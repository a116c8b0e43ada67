package dev.keytrust.testbed.junit;

import dev.keytrust.testbed.Testbed;
import dev.keytrust.testbed.TestbedConfig;
import dev.keytrust.topology.TopologyYaml;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link KeyTrustTestbed}, also usable programmatically:
 * <pre>{@code
 * @RegisterExtension
 * static KeyTrustTestbedExtension lab = KeyTrustTestbedExtension.with(TestbedConfig.builder().users(3).build());
 * }</pre>
 * In a static field the testbed lives for the class and is reset before each test; in an instance field each test
 * gets its own. Testbeds are kept in the JUnit store and closed by it, so classes can run in parallel.
 */
public final class KeyTrustTestbedExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KeyTrustTestbedExtension.class);
    private final TestbedConfig programmatic;
    private boolean perClass;

    /** Used by {@link KeyTrustTestbed}. */
    public KeyTrustTestbedExtension() {
        this.programmatic = null;
    }

    private KeyTrustTestbedExtension(TestbedConfig config) {
        this.programmatic = config;
    }

    /** A programmatic extension for {@code @RegisterExtension}. */
    public static KeyTrustTestbedExtension with(TestbedConfig config) {
        return new KeyTrustTestbedExtension(config);
    }

    /** The testbed of the running test (after its start). */
    public Testbed testbed(ExtensionContext context) {
        Holder h = find(context);
        if (h == null) {
            throw new ExtensionConfigurationException("no testbed is running for " + context.getDisplayName());
        }
        return h.testbed;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        context.getStore(NAMESPACE).put("testbed", new Holder(Testbed.start(config(context))));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // closed by the store (Holder is a CloseableResource)
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Holder classLevel = context.getParent().map(p -> p.getStore(NAMESPACE).get("testbed", Holder.class)).orElse(null);
        if (perClass && classLevel != null) {
            classLevel.testbed.reset();
        } else {
            context.getStore(NAMESPACE).put("testbed", new Holder(Testbed.start(config(context))));
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        // a per-test testbed is closed by the test's store
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == Testbed.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Holder h = find(context);
        if (h == null) {
            throw new ParameterResolutionException("a Testbed parameter needs a running testbed, but none was started for "
                    + context.getDisplayName() + " (constructor injection needs @KeyTrustTestbed or a static @RegisterExtension field)");
        }
        return h.testbed;
    }

    private static Holder find(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            Holder h = c.getStore(NAMESPACE).get("testbed", Holder.class);
            if (h != null) {
                return h;
            }
        }
        return null;
    }

    private TestbedConfig config(ExtensionContext context) {
        if (programmatic != null) {
            return programmatic;
        }
        Class<?> type = context.getRequiredTestClass();
        KeyTrustTestbed a = type.getAnnotation(KeyTrustTestbed.class);
        if (a == null) {
            throw new ExtensionConfigurationException(KeyTrustTestbedExtension.class.getSimpleName() + " on " + type.getName()
                    + " needs @KeyTrustTestbed on the class, or register it with KeyTrustTestbedExtension.with(config)");
        }
        TestbedConfig.Builder b = TestbedConfig.builder().users(a.users()).seed(a.seed());
        try {
            b.agentInterval(Duration.parse(a.agentInterval()));
        } catch (DateTimeParseException e) {
            throw new ExtensionConfigurationException("@KeyTrustTestbed(agentInterval = \"" + a.agentInterval() + "\") on "
                    + type.getName() + " is not an ISO-8601 duration like PT30M");
        }
        if (!a.topology().isEmpty()) {
            b.topology(TopologyYaml.parse(readTopology(type, a.topology())));
        }
        return b.build();
    }

    private static String readTopology(Class<?> type, String where) {
        try {
            Path file = Path.of(where);
            if (Files.isRegularFile(file)) {
                return Files.readString(file);
            }
            try (InputStream in = type.getClassLoader().getResourceAsStream(where.startsWith("/") ? where.substring(1) : where)) {
                if (in == null) {
                    throw new ExtensionConfigurationException("@KeyTrustTestbed(topology = \"" + where + "\") on " + type.getName()
                            + ": no such file in " + Path.of("").toAbsolutePath() + " and no such class-path resource");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new ExtensionConfigurationException("cannot read topology " + where + ": " + e.getMessage(), e);
        }
    }

    private record Holder(Testbed testbed) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            testbed.close();
        }
    }
}
