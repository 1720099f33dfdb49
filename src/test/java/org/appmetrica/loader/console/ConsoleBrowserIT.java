package org.appmetrica.loader.console;

import org.appmetrica.loader.admin.ConsoleProcess;
import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.admin.RunningConsole;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin console in a real browser: Debian's headless Chromium driven through chromedriver (Selenium) against
 * {@code java -jar appmetrica-loader.jar console}, the Logs API simulator and the real ClickHouse. Logs in, starts a
 * load from the form and watches it reach COMPLETED, makes a load fail (the simulator answers 503), restarts it from
 * the page and watches the restart complete. Screenshots: target/console-screenshot.png (and -running, -failed).
 * <p>Chromium comes from .ci/run (apt-get install chromium chromium-driver); on a developer machine without it the
 * test is skipped, in CI (CI=true) it fails instead.
 */
class ConsoleBrowserIT {

    private static final String TOKEN = "browser-secret-token-0d6f3a";
    private static final String USER = "admin";
    private static final String PASSWORD = "browser-pw-71c2";
    private static final String DATABASE = TestClickHouse.database("it_console_browser");
    private static final int ROWS = 150;
    private static final Path SCREENSHOT = Path.of("target", "console-screenshot.png").toAbsolutePath();

    @RegisterExtension
    @Order(1)
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(
            SimulatorConfig.defaults(TOKEN).withRowsPerDay(ROWS).withReadyAfter(2).withSeed(9));
    @RegisterExtension
    @Order(2)
    static final RunningConsole running = RunningConsole.of("console-browser", env, TOKEN, USER, PASSWORD);

    private static LogsApiSimulator simulator;
    private static ClickHouseConnection clickhouse;
    private static ConsoleProcess console;
    private static Browser browser;
    private static WebDriver driver;

    @BeforeAll
    static void start() throws Exception {
        Browser.assumeInstalled();
        simulator = env.simulator();
        clickhouse = env.clickhouse();
        env.freshDatabase(DATABASE);
        console = running.console();
        browser = Browser.start(Files.createTempDirectory(Path.of("target").toAbsolutePath(), "console-browser"), "1440,1500");
        driver = browser.driver;
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    private static void screenshot(Path file) throws Exception {
        browser.screenshot(file);
    }

    /** Fills the start form for a one-time load and submits it; returns the execution id the page reports. */
    private static long startLoad(String applications, String extra) {
        browser.type("#f-apps", applications);
        browser.$("#f-no-sources").click();
        browser.$("#f-sources input[value=events]").click();
        browser.$("#f-sources input[value=installations]").click();
        browser.setValue("#f-since", "2024-07-01");
        browser.setValue("#f-until", "2024-07-02");
        new org.openqa.selenium.support.ui.Select(browser.$("#f-dimension")).selectByValue("default");
        browser.setValue("#f-extra", "apiUrl=" + simulator.baseUrl() + "\nclickhouseUrl=" + TestClickHouse.jdbcUrl()
                + "\nclickhouseDatabase=" + DATABASE + "\npollIntervalSeconds=1\nretryBackoffSeconds=0\nchunkSize=40\n" + extra);
        String before = browser.$("#start-result").getText();
        browser.$("#start-submit").click();
        String text = browser.waitUpTo(20).until(d -> {
            String t = browser.$("#start-result").getText();
            return t.isEmpty() || t.equals(before) ? null : t;
        });
        Matcher m = Pattern.compile("Execution (\\d+) started").matcher(text);
        assertTrue(m.find(), "the page says which execution started: " + text);
        return Long.parseLong(m.group(1));
    }

    private static String row(long id) {
        return "#executions tbody tr[data-id='" + id + "']";
    }

    private static void awaitStatus(long id, String status, int seconds) {
        try {
            browser.waitUpTo(seconds).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(row(id) + "[data-status='" + status + "']")));
        } catch (RuntimeException e) {
            throw new AssertionError("execution " + id + " did not reach " + status + " on the page: "
                    + browser.liveText("#executions"), e);
        }
    }

    /** Waits until the detail shows 4 slice rows that match {@code rows}; fails with the rows it showed last. */
    private static void awaitSlices(String rows, int seconds, String what) {
        browser.awaitLive("#partitions tbody", body -> body.findElements(By.cssSelector(rows)).stream().map(WebElement::getText).toList(),
                shown -> shown.size() == 4, seconds, what);
    }

    @Test
    void logInStartWatchFailRestartFromThePage() throws Exception {
        driver.get(console.baseUrl + "console/");
        browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        browser.type("#login-user", USER);
        browser.type("#login-password", "wrong");
        browser.$("#login-submit").click();
        browser.waitUpTo(20).until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "Wrong user or password"));
        browser.type("#login-password", PASSWORD);
        browser.$("#login-submit").click();
        browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("start-form")));
        assertEquals(USER, browser.$("#user").getText());

        // a load started from the form; its slices appear with their API state and progress bars, then it completes
        long first = startLoad("801", "");
        browser.waitUpTo(30).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(row(first))));
        awaitSlices("tr[data-partition]", 120, "the first load's 4 slices in its detail");
        screenshot(SCREENSHOT.resolveSibling("console-screenshot-running.png"));
        awaitStatus(first, "COMPLETED", 120);
        awaitSlices("tr[data-status='COMPLETED']", 20, "the first load's 4 slices COMPLETED in its detail");
        String title = browser.liveText("#detail-title");
        assertTrue(title.contains("Execution " + first), title);
        String partitions = browser.liveText("#partitions");
        assertTrue(partitions.contains("published"), partitions);
        String firstRow = browser.liveText(row(first));
        assertTrue(firstRow.contains("4/4 slices"), firstRow);
        assertEquals(4L * ROWS, clickhouse.queryLong("SELECT count() FROM " + DATABASE + ".events")
                + clickhouse.queryLong("SELECT count() FROM " + DATABASE + ".installations"));

        // a load that fails: the reason is shown in full
        simulator.failNextRequests(1_000_000, 503);
        long failed = startLoad("802", "maxRetries=0");
        awaitStatus(failed, "FAILED", 120);
        browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("detail-failure")));
        String reason = browser.liveText("#detail-failure");
        assertTrue(reason.contains("503"), "the failure reason: " + reason);
        screenshot(SCREENSHOT.resolveSibling("console-screenshot-failed.png"));

        // restart from the page, with confirmation, and watch it complete
        simulator.failNextRequests(0, 503);
        browser.clickLive(row(failed) + " button[data-action=restart]");
        browser.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
        String confirmTitle = browser.$("#confirm-title").getText();
        assertTrue(confirmTitle.contains("Restart execution " + failed), confirmTitle);
        browser.$("#confirm-ok").click();
        String notice = browser.waitUpTo(20).until(d -> {
            String t = browser.$("#notice").getText();
            return t.contains("restarted as execution") ? t : null;
        });
        Matcher m = Pattern.compile("restarted as execution (\\d+)").matcher(notice);
        assertTrue(m.find(), notice);
        long restarted = Long.parseLong(m.group(1));
        awaitStatus(restarted, "COMPLETED", 120);
        browser.awaitText("#detail-title", t -> t.contains("Execution " + restarted), 20, "the restart's detail");
        awaitSlices("tr[data-status='COMPLETED']", 20, "the restart's 4 slices COMPLETED in its detail");
        String facts = browser.liveText("#detail-facts");
        assertTrue(facts.contains(Long.toString(failed)), "restart of " + failed + ": " + facts);
        assertTrue(browser.liveText(row(failed)).contains("FAILED"));
        assertEquals(8L * ROWS, clickhouse.queryLong("SELECT count() FROM " + DATABASE + ".events")
                + clickhouse.queryLong("SELECT count() FROM " + DATABASE + ".installations"));
        screenshot(SCREENSHOT);
        assertTrue(Files.size(SCREENSHOT) > 10_000, "a real screenshot");
        assertTrue(!driver.getPageSource().contains(TOKEN), "no secret on the page");
    }
}
