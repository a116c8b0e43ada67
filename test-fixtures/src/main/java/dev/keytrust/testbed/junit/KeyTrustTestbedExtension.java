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
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link KeyTrustTestbed}, also usable programmatically, and then the testbed can be
 * driven through the extension object itself:
 * <pre>{@code
 * @RegisterExtension
 * static KeyTrustTestbedExtension lab = KeyTrustTestbedExtension.with(TestbedConfig.builder().users(3).build())
 *         .failOnTaskFailures(true);
 *
 * @Test
 * void aKeyReachesDc3() {
 *     TestKey key = lab.registerKey(lab.testbed().users().get(0), "laptop");
 *     lab.await().until(key).isVisibleOn("DC3");
 * }
 * }</pre>
 * In a static field the testbed lives for the class and is reset before each test; in an instance field each test
 * gets its own. Testbeds are kept in the JUnit store and closed by it, so classes can run in parallel.
 *
 * <p>When a test fails, the testbed's {@link Testbed#diagnostics() diagnostics} (pending work, failed scaled-time
 * tasks, each DC's replication partners, the last Graph requests, each key's journey) are attached to the failure
 * (as a suppressed exception, so they show in the report with the stack trace) and published as a report entry.
 * With {@link #failOnTaskFailures(boolean)}, a test during which a scaled-time task failed fails too. Next to the
 * diagnostics, a failed test's journey is written as a self-contained HTML report ({@link Testbed#writeReport}) to
 * {@code target/keytrust-reports/<class>.<method>.html} (see {@link #reportDirectory(Path)}); its path is in the
 * diagnostics and in the report entry {@code keytrust-journey-report}.
 */
public final class KeyTrustTestbedExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, AfterTestExecutionCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KeyTrustTestbedExtension.class);
    private final TestbedConfig programmatic;
    private final boolean failOnTaskFailures;
    private final Path reportDirectory;
    private boolean perClass;
    private volatile Testbed current;
    private volatile int failuresBefore;

    /** Used by {@link KeyTrustTestbed}. */
    public KeyTrustTestbedExtension() {
        this(null, false, DEFAULT_REPORT_DIRECTORY);
    }

    /** Where failed tests' journey reports go unless {@link #reportDirectory(Path)} says otherwise. */
    public static final Path DEFAULT_REPORT_DIRECTORY = Path.of("target", "keytrust-reports");

    private KeyTrustTestbedExtension(TestbedConfig config, boolean failOnTaskFailures, Path reportDirectory) {
        this.programmatic = config;
        this.failOnTaskFailures = failOnTaskFailures;
        this.reportDirectory = reportDirectory;
    }

    /** This extension, writing failed tests' journey reports to {@code directory} (created when needed). */
    public KeyTrustTestbedExtension reportDirectory(Path directory) {
        return new KeyTrustTestbedExtension(programmatic, failOnTaskFailures, java.util.Objects.requireNonNull(directory, "directory"));
    }

    /** A programmatic extension for {@code @RegisterExtension}. */
    public static KeyTrustTestbedExtension with(TestbedConfig config) {
        return new KeyTrustTestbedExtension(java.util.Objects.requireNonNull(config, "config"), false, DEFAULT_REPORT_DIRECTORY);
    }

    /**
     * This extension, failing a test during which a task on scaled time failed (default false: such failures are
     * logged and shown in the diagnostics only). On virtual time tasks throw on the test's own thread anyway.
     */
    public KeyTrustTestbedExtension failOnTaskFailures(boolean fail) {
        return new KeyTrustTestbedExtension(programmatic, fail, reportDirectory);
    }

    /**
     * The testbed of the test running now (for a static {@code @RegisterExtension} field: the class's testbed).
     *
     * @throws ExtensionConfigurationException outside a test of the class that registered this extension
     */
    public Testbed testbed() {
        Testbed t = current;
        if (t == null) {
            throw new ExtensionConfigurationException("no testbed is running: call the extension's methods from a test "
                    + "(or @BeforeEach) of the class that registers it");
        }
        return t;
    }

    /** {@link Testbed#registerKey(String, String)} on the running testbed. */
    public dev.keytrust.testbed.TestKey registerKey(String user, String deviceName) {
        return testbed().registerKey(user, deviceName);
    }

    /** {@link Testbed#removeKey} on the running testbed. */
    public void removeKey(dev.keytrust.testbed.TestKey key) {
        testbed().removeKey(key);
    }

    /** {@link Testbed#advance(Duration)} on the running testbed. */
    public java.time.Instant advance(Duration duration) {
        return testbed().advance(duration);
    }

    /** {@link Testbed#runUntilQuiet()} on the running testbed. */
    public java.time.Instant runUntilQuiet() {
        return testbed().runUntilQuiet();
    }

    /** {@link Testbed#await()} on the running testbed. */
    public dev.keytrust.testbed.TestbedAwait await() {
        return testbed().await();
    }

    /** {@link Testbed#dc(String)} on the running testbed. */
    public dev.keytrust.testbed.TestbedDc dc(String name) {
        return testbed().dc(name);
    }

    /** {@link Testbed#timeline(dev.keytrust.testbed.TestKey)} on the running testbed. */
    public dev.keytrust.testbed.KeyTimeline timeline(dev.keytrust.testbed.TestKey key) {
        return testbed().timeline(key);
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        Holder h = find(context);
        if (h == null) {
            return;
        }
        java.util.List<RuntimeException> failures = h.testbed.taskFailures();
        java.util.Optional<Throwable> failed = context.getExecutionException();
        if (failed.isPresent()) {
            String text = h.testbed.diagnostics() + journeyReport(h.testbed, context);
            context.publishReportEntry("keytrust-diagnostics", text);
            failed.get().addSuppressed(new TestbedDiagnosticsAttached(text));
            return;
        }
        if (failOnTaskFailures && failures.size() > failuresBefore) {
            AssertionError e = new AssertionError((failures.size() - failuresBefore) + " scheduled task(s) failed on "
                    + "scaled time during " + context.getDisplayName() + "; the first: "
                    + failures.get(failuresBefore).getMessage(), failures.get(failuresBefore));
            e.addSuppressed(new TestbedDiagnosticsAttached(h.testbed.diagnostics()));
            throw e;
        }
    }

    /** Writes the failed test's journey report; returns a line naming it for the diagnostics (or why there is none). */
    private String journeyReport(Testbed testbed, ExtensionContext context) {
        String name = context.getRequiredTestClass().getName() + "." + context.getTestMethod().map(m -> m.getName()).orElse("test")
                + ".html";
        try {
            Path file = testbed.writeReport(reportDirectory.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_"))).toAbsolutePath();
            context.publishReportEntry("keytrust-journey-report", file.toString());
            return "\njourney report: " + file;
        } catch (RuntimeException e) {
            return "\njourney report not written: " + e.getMessage();
        }
    }

    /** Carries the diagnostics of a failed test's testbed into its report; not an error of its own. */
    static final class TestbedDiagnosticsAttached extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TestbedDiagnosticsAttached(String diagnostics) {
            super("KeyTrust testbed diagnostics:\n" + diagnostics, null, false, false);
        }
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
        Holder h = new Holder(Testbed.start(config(context)));
        context.getStore(NAMESPACE).put("testbed", h);
        current = h.testbed;
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
            current = classLevel.testbed;
        } else {
            Holder h = new Holder(Testbed.start(config(context)));
            context.getStore(NAMESPACE).put("testbed", h);
            current = h.testbed;
        }
        failuresBefore = current.taskFailures().size();
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
