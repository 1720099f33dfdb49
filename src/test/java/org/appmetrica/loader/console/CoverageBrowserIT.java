package org.appmetrica.loader.console;

import org.appmetrica.loader.admin.ConsoleProcess;
import org.appmetrica.loader.admin.RunningConsole;
import org.appmetrica.loader.clickhouse.ClickHouseConnection;
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
import org.openqa.selenium.OutputType;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The day coverage view in a real browser (see {@link ConsoleBrowserIT}): loads run by the CLI leave a final range, a
 * failed day, a missing day and a drop in rows; the grid shows each, a click on the missing day loads exactly it and a
 * click on the failed day restarts its execution. Screenshots: target/screenshots/coverage.png (with the failed day)
 * and coverage-after.png.
 */
class CoverageBrowserIT {

    private static final String TOKEN = "coverage-browser-token-6a1f";
    private static final String USER = "admin";
    private static final String PASSWORD = "coverage-browser-pw-2b";
    private static final String DATABASE = TestClickHouse.database("it_coverage_browser");
    private static final int ROWS = 120;
    private static final long APP = 815;
    private static final Path SHOTS = Path.of("target", "screenshots").toAbsolutePath();

    @RegisterExtension
    @Order(1)
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(
            SimulatorConfig.defaults(TOKEN).withRowsPerDay(ROWS).withReadyAfter(0).withSeed(31));
    /** Its data directory holds three loads run with the CLI first, the middle one failed. */
    @RegisterExtension
    @Order(2)
    static final RunningConsole running = RunningConsole.of("coverage-browser", env, TOKEN, USER, PASSWORD).beforeStart(data -> {
        env.freshDatabase(DATABASE);
        run(data, "2024-07-01", "2024-07-04", 0);
        env.simulator().failNextRequests(1_000_000, 503);
        run(data, "2024-07-05", "2024-07-05", 1);
        env.simulator().failNextRequests(0, 503);
        env.simulator().setRowsPerDay(ROWS / 3); // a drop the chart shows
        run(data, "2024-07-07", "2024-07-09", 0);
    });

    private static LogsApiSimulator simulator;
    private static ClickHouseConnection clickhouse;
    private static ConsoleProcess console;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        Browser.assumeInstalled();
        simulator = env.simulator();
        clickhouse = env.clickhouse();
        console = running.console();
        browser = Browser.start(Files.createTempDirectory(Path.of("target").toAbsolutePath(), "coverage-browser"), "1440,1200");
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    private static void run(Path data, String since, String until, int exitCode) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "applicationIds=" + APP, "sources=events,installations", "dateSince=" + since,
                "dateUntil=" + until, "apiUrl=" + env.apiUrl(), "pollIntervalSeconds=0", "retryBackoffSeconds=0", "maxRetries=0",
                "clickhouseUrl=" + TestClickHouse.jdbcUrl(), "clickhouseDatabase=" + DATABASE));
        ConsoleProcess.CliResult r = ConsoleProcess.cli(data, Map.of("APPMETRICA_TOKEN", TOKEN), args.toArray(String[]::new));
        assertEquals(exitCode, r.exitCode(), r.out() + r.err());
    }

    /** One bar of the rows-per-day chart. */
    private record Bar(String fill, int height) {
    }

    private static String cell(String day, String source) {
        return "#coverage td.cov-cell[data-day='" + day + "'][data-source='" + source + "']";
    }

    private static String stateOf(String day, String source) {
        return browser.liveAttribute(cell(day, source), "data-state");
    }

    private static void awaitState(String day, String source, String state, int seconds) {
        try {
            browser.waitUpTo(seconds).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(cell(day, source) + "[data-state='" + state + "']")));
        } catch (RuntimeException e) {
            throw new AssertionError(day + " " + source + " never became " + state + ": " + browser.liveText("#coverage-card"), e);
        }
    }

    private static void shoot(String name) throws Exception {
        Files.createDirectories(SHOTS);
        Path shot = browser.$("#coverage-card").getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(SHOTS.resolve(name)) > 5_000, "a real screenshot");
    }

    @Test
    void gridAfterALoadWithAFailedDayThenLoadAndRestartFromIt() throws Exception {
        browser.logIn(console.baseUrl, USER, PASSWORD, "coverage-form");

        // the newest load's database is suggested
        browser.waitUpTo(20).until(d -> DATABASE.equals(browser.$("#cov-database").getAttribute("value")));
        browser.$("#cov-show").click();
        awaitState("2024-07-05", "events", "failed", 30);

        // what the grid shows: final days with their rows, the failed day with its reason, the missing day, the drop
        assertEquals("Application " + APP, browser.liveText("#coverage .cov-app h3"));
        for (String day : List.of("2024-07-01", "2024-07-04", "2024-07-07", "2024-07-09")) {
            for (String source : List.of("events", "installations")) {
                assertEquals("final", stateOf(day, source), day + " " + source);
            }
        }
        assertEquals(Integer.toString(ROWS), browser.liveAttribute(cell("2024-07-01", "events"), "data-rows"));
        assertEquals(Integer.toString(ROWS / 3), browser.liveAttribute(cell("2024-07-09", "events"), "data-rows"));
        assertEquals("failed", stateOf("2024-07-05", "installations"));
        assertEquals("missing", stateOf("2024-07-06", "events"));
        assertEquals("missing", stateOf("2024-07-06", "installations"));
        String failures = browser.liveText("#coverage .cov-failures");
        assertTrue(failures.contains("2024-07-05 events") && failures.contains("503"), failures);
        // the chart: one bar per day, the failed day's red, the drop visible in the heights (all read from one drawing)
        List<Bar> bars = browser.awaitLive("#coverage svg.cov-chart", chart -> chart.findElements(By.cssSelector("rect")).stream()
                .map(r -> new Bar(r.getAttribute("fill"), Integer.parseInt(r.getAttribute("height")))).toList(), b -> true, 10, "the chart");
        assertEquals(9, bars.size(), bars.toString());
        assertEquals("#d64545", bars.get(4).fill());
        assertTrue(bars.get(0).height() > 2 * bars.get(8).height(), "a drop to a third of the rows: " + bars);
        assertEquals(0, bars.get(5).height(), "the missing day has no bar");
        shoot("coverage.png");

        // the failure links to its execution: the detail card shows it with the reason
        String failedId = browser.liveAttribute(cell("2024-07-05", "events"), "data-execution");
        browser.clickLive("#coverage .cov-failures button[data-execution='" + failedId + "']");
        browser.awaitText("#detail-title", t -> t.contains("Execution " + failedId), 20, "the failed execution's detail");
        browser.awaitText("#detail-failure", t -> t.contains("503"), 20, "the failed execution's reason");

        // a click on the missing day offers to load exactly it
        browser.clickLive(cell("2024-07-06", "events"));
        browser.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
        assertEquals("Load application " + APP + ", events, 2024-07-06?", browser.$("#confirm-title").getText());
        browser.$("#confirm-ok").click();
        awaitState("2024-07-06", "events", "final", 90);
        assertEquals("missing", stateOf("2024-07-06", "installations"), "only the clicked source was loaded");
        assertEquals(ROWS / 3, clickhouse.queryLong("SELECT count() FROM " + DATABASE + ".events WHERE load_date = '2024-07-06'"));

        // a click on the failed day offers to restart its execution
        browser.clickLive(cell("2024-07-05", "installations"));
        browser.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
        assertTrue(browser.$("#confirm-title").getText().startsWith("Restart execution "), browser.$("#confirm-title").getText());
        browser.$("#confirm-ok").click();
        awaitState("2024-07-05", "events", "final", 90);
        awaitState("2024-07-05", "installations", "final", 30);
        assertEquals(ROWS / 3, clickhouse.queryLong("SELECT count() FROM " + DATABASE + ".events WHERE load_date = '2024-07-05'"));
        assertEquals(ROWS / 3, clickhouse.queryLong("SELECT count() FROM " + DATABASE + ".installations WHERE load_date = '2024-07-05'"));
        assertTrue(browser.driver.findElements(By.cssSelector("#coverage .cov-failures")).isEmpty(), "no failure left");
        shoot("coverage-after.png");
        assertFalse(browser.driver.getPageSource().contains(TOKEN), "no secret on the page");
    }
}
