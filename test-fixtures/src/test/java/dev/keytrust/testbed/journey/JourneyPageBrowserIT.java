package dev.keytrust.testbed.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keytrust.testbed.Testbed;
import dev.keytrust.testbed.TestbedConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live journey page in a real browser (Debian's chromium, headless, driven through chromium-driver by Selenium),
 * checked as a person would look at it: three DCs drawn, DC3 in the other site, each key on DC2 after DC1 and on DC3
 * later; a site-link partition made from the page keeps DC3's arrival pending; after healing it arrives.
 *
 * <p>Saves {@code target/journey-page.png}; with {@code -Dkeytrust.screenshot=docs/journey-page.png} also the README's
 * screenshot (see the README's "Watching the journey").
 */
class JourneyPageBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    /** Reads what the page draws (the view is replaced at each pushed frame, so it is read in one script). */
    private static final String READ_KEYS = """
            return Array.from(document.querySelectorAll('.timeline .key-row')).map(r => ({
              keyId: r.dataset.keyId, user: r.dataset.user,
              visible: Object.fromEntries(Array.from(r.querySelectorAll('.event[data-kind="visible"]')).map(e => [e.dataset.dc, e.dataset.at])),
              pending: Array.from(r.querySelectorAll('.pending')).map(p => p.dataset.dc)}));
            """;

    private Testbed testbed;
    private JourneyServer server;
    private ChromeDriver browser;

    @BeforeEach
    void start(@TempDir Path profile) {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver): apt-get install chromium chromium-driver");
        // 1800: the agent's 30 minutes take one second, the site link's 180 minutes six
        testbed = Testbed.start(TestbedConfig.builder().users(6).seed(7).timeScale(1800).build());
        for (int i = 0; i < 3; i++) {
            testbed.registerKey(testbed.users().get(i), "PC-" + i);
        }
        server = JourneyServer.start(testbed, 0);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1060,1360",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (testbed != null) {
            testbed.close();
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> keys() {
        return (List<Map<String, Object>>) ((JavascriptExecutor) browser).executeScript(READ_KEYS);
    }

    private static Instant on(Map<String, Object> key, String dc) {
        Object at = ((Map<?, ?>) key.get("visible")).get(dc);
        return at == null ? null : Instant.parse(at.toString());
    }

    private Instant pageNow() {
        return Instant.parse(String.valueOf(((JavascriptExecutor) browser).executeScript(
                "return document.querySelector('.status').dataset.now")));
    }

    private Object script(String js) {
        return ((JavascriptExecutor) browser).executeScript(js);
    }

    private WebDriverWait waiting(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(200));
    }

    private void control(String action, String select, String value) {
        if (select != null) {
            new Select(browser.findElement(By.name(select))).selectByVisibleText(value);
        }
        script("document.getElementById('message').textContent = ''");
        browser.findElement(By.cssSelector("button[data-action='" + action + "']")).click();
        waiting(30).withMessage("an answer to " + action).until(d -> !d.findElement(By.id("message")).getText().isEmpty());
    }

    @Test
    void aPersonWatchesTheKeysTravelPartitionsTheSiteLinkFromThePageAndHealsIt(@TempDir Path dir) throws Exception {
        try {
            watchPartitionAndHeal(dir);
        } catch (RuntimeException | AssertionError e) {
            // what the page and the lab looked like when it failed
            e.addSuppressed(new AssertionError("the page's status: " + script("return document.querySelector('.status') "
                    + "&& document.querySelector('.status').textContent") + "\nkeys on the page: " + keys()
                    + "\n" + testbed.diagnostics()));
            screenshot("journey-page-failure.png");
            throw e;
        }
    }

    private void watchPartitionAndHeal(Path dir) throws Exception {
        browser.get(server.url());
        waiting(60).withMessage("three key rows").until(d -> keys().size() == 3);

        assertThat(script("return document.querySelectorAll('.topology .dc').length")).isEqualTo(3L);
        String site1 = (String) script("return document.querySelector('.topology .dc[data-dc=\"DC1\"]').dataset.site");
        String site3 = (String) script("return document.querySelector('.topology .dc[data-dc=\"DC3\"]').dataset.site");
        assertThat(site3).isEqualTo("Branch").isNotEqualTo(site1);

        waiting(90).withMessage("every key on DC1, DC2 and DC3 on the page")
                .until(d -> keys().stream().allMatch(k -> on(k, "DC1") != null && on(k, "DC2") != null && on(k, "DC3") != null));
        for (Map<String, Object> k : keys()) {
            assertThat(on(k, "DC2")).as("DC2 after DC1 for %s", k.get("user")).isAfter(on(k, "DC1"));
            assertThat(on(k, "DC3")).as("DC3 later for %s", k.get("user")).isAfter(on(k, "DC2"));
        }

        control("partition-link", "link", "HQ-Branch");
        assertThat(browser.findElement(By.id("message")).getText()).contains("partitioned");
        waiting(10).withMessage("the partition drawn on the site link")
                .until(d -> Boolean.TRUE.equals(script("return !!document.querySelector('.site-link.faulted')")));
        String user = testbed.users().get(3);
        control("register-key", "user", user);
        assertThat(browser.findElement(By.id("message")).getText()).contains("registered");
        waiting(60).withMessage("the new key on DC2").until(d -> keys().stream()
                .anyMatch(k -> k.get("user").equals(user) && on(k, "DC2") != null));
        Instant nextPull = Instant.parse((String) script(
                "return document.querySelector('.due[data-kind=\"site-link-pull\"]').dataset.at"));
        waiting(60).withMessage("the page's now past the next site-link pull at " + nextPull)
                .until(d -> pageNow().isAfter(nextPull.plus(Duration.ofMinutes(5))));
        Map<String, Object> partitioned = keys().stream().filter(k -> k.get("user").equals(user)).findFirst().orElseThrow();
        assertThat(on(partitioned, "DC3")).as("DC3 while HQ-Branch is partitioned").isNull();
        assertThat(String.valueOf(partitioned.get("pending"))).isEqualTo("[DC3]");
        // the view is redrawn as frames arrive: a click that lands on a row just replaced is tried again
        waiting(20).ignoring(org.openqa.selenium.StaleElementReferenceException.class).withMessage("a click on the new key's row")
                .until(d -> {
                    d.findElement(By.cssSelector(".key-row[data-user='" + user + "']")).click();
                    return true;
                });
        waiting(20).withMessage("the key's replication metadata").until(d -> d.findElement(By.id("details")).getText().contains("USN"));
        assertThat(browser.findElement(By.id("details")).getText()).contains("originating DC", "DC1", "not yet");
        Path shot = screenshot("journey-page.png");
        String readme = System.getProperty("keytrust.screenshot");
        if (readme != null && !readme.isBlank()) {
            Files.copy(shot, Path.of(readme), StandardCopyOption.REPLACE_EXISTING);
        }

        control("heal-link", "link", "HQ-Branch");
        assertThat(browser.findElement(By.id("message")).getText()).contains("healed");
        waiting(60).withMessage("the new key on DC3 after healing").until(d -> keys().stream()
                .anyMatch(k -> k.get("user").equals(user) && on(k, "DC3") != null));
        Map<String, Object> healed = keys().stream().filter(k -> k.get("user").equals(user)).findFirst().orElseThrow();
        assertThat(on(healed, "DC3")).isAfter(nextPull);
        screenshot("journey-page-healed.png");

        // the static report: the same picture from a file, nothing fetched
        Path report = testbed.writeReport(dir.resolve("journey.html"));
        browser.get(report.toUri().toString());
        assertThat(keys()).hasSize(4).allSatisfy(k -> assertThat(on(k, "DC3")).isNotNull());
        assertThat(script("return performance.getEntriesByType('resource').length")).isEqualTo(0L);
        browser.findElement(By.cssSelector(".key-row[data-user='" + user + "']")).click();
        assertThat(browser.findElement(By.cssSelector(".detail:not([hidden])")).getText()).contains(user, "originating DC");
    }

    private Path screenshot(String name) throws Exception {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        File png = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }
}
