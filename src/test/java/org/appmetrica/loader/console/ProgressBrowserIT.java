package org.appmetrica.loader.console;

import org.appmetrica.loader.admin.ConsoleProcess;
import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.appmetrica.loader.testing.ClickHouseGate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 25 in a real browser (see {@link ConsoleBrowserIT}): the connection form's "Test connection" says which check
 * failed; a connection's load shows one bar for the whole execution with its figures; a stop from the page ends the
 * execution and the connection "stopped", never "failed". Screenshots: target/screenshots/ux-*.png.
 */
class ProgressBrowserIT {

    private static final String TOKEN = "progress-secret-token-8e2f";
    private static final String USER = "admin";
    private static final String PASSWORD = "progress-pw-19ce";
    private static final String DATABASE = TestClickHouse.database("it_ux_browser");
    private static final String NAME = "ux-shop";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots").toAbsolutePath();

    private static LogsApiSimulator simulator;
    private static ClickHouseConnection clickhouse;
    private static ClickHouseGate gate;
    private static ConsoleProcess console;
    private static Browser browser;
    private static WebDriver driver;

    @BeforeAll
    static void start() throws Exception {
        Browser.assumeInstalled();
        // the token reads application 801 only
        simulator = new LogsApiSimulator(SimulatorConfig.defaults(TOKEN).withTokens(Map.of(TOKEN, Set.of(801L)))
                .withRowsPerDay(150).withReadyAfter(1).withSeed(25)).start();
        clickhouse = TestClickHouse.connect();
        TestClickHouse.recreate(clickhouse, DATABASE);
        gate = ClickHouseGate.start(TestClickHouse.URL);
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "progress-browser");
        console = ConsoleProcess.start(work.resolve("data"), ConsoleProcess.usersFile(work, USER, PASSWORD), Map.of("APPMETRICA_TOKEN", TOKEN),
                "--allow-api-url", simulator.baseUrl(), "--allow-clickhouse", gate.url());
        browser = Browser.start(work, "1440,2000");
        driver = browser.driver;
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (console != null) {
            console.close();
        }
        if (gate != null) {
            gate.close();
        }
        if (simulator != null) {
            simulator.close();
            clickhouse.close();
        }
    }

    private static void screenshot(String name) throws Exception {
        browser.screenshot(SCREENSHOTS.resolve("ux-" + name + ".png"));
    }

    private static String testConnection() {
        browser.$("#c-test").click();
        return browser.waitUpTo(60).until(d -> {
            String ok = browser.$("#c-checks").getAttribute("data-ok");
            return ok == null || ok.isEmpty() ? null : ok;
        });
    }

    @Test
    void testConnectionThenWatchTheWholeLoadThenStopIt() throws Exception {
        browser.logIn(console.baseUrl, USER, PASSWORD, "connections-card");

        ConnectionForm form = ConnectionForm.openNew(browser);
        assertEquals("env:APPMETRICA_TOKEN", browser.$("#c-token-ref").getAttribute("value"), "the default reference is a value");
        form.name(NAME).apiUrl(simulator.baseUrl()).applications("801,999").onlySource("events")
                .loadFrom(LocalDate.now(ZoneOffset.UTC).minusDays(6)).clickhouse(gate.url(), DATABASE);

        // application 999 is not the token's: the test says so, and that the rest passed
        assertEquals("false", testConnection());
        assertEquals("true", browser.$("#c-checks li[data-check=clickhouse]").getAttribute("data-ok"), browser.$("#c-checks").getText());
        assertEquals("true", browser.$("#c-checks li[data-check=token]").getAttribute("data-ok"), browser.$("#c-checks").getText());
        assertEquals("false", browser.$("#c-checks li[data-check=applications]").getAttribute("data-ok"));
        assertTrue(browser.$("#c-checks li[data-check=applications]").getText().contains("cannot read application(s) [999]"),
                browser.$("#c-checks").getText());
        screenshot("test-connection-failed");
        form.applications("801");
        assertEquals("true", testConnection(), browser.$("#c-checks").getText());
        screenshot("test-connection-ok");

        // the load of the connection, held at its third INSERT: two days are in, the rest cannot finish meanwhile
        ClickHouseGate.Hold third = gate.holdInsert(DATABASE + "._stage_events", 3);
        form.save();
        third.awaitHeld(ClickHouseGate.TIMEOUT, () -> browser.$("#connections").getText());
        String row = "#connections tbody tr[data-name='" + NAME + "']";
        String nextRun = browser.awaitText(row + " td.next-run", t -> true, 30, "the connection's row");
        assertEquals("—", nextRun, "a one-time connection has no next run");
        browser.awaitText(row + " button.link", t -> true, 30, "the connection's last run");
        browser.clickLive(row + " button.link"); // its last run: the execution's detail
        String figures = browser.awaitText("#execution-progress", t -> t.contains(" left"), 30, "the execution's bar with the time left");
        assertTrue(figures.matches("(?s).*\\d+% · \\d+/\\d+ slices.*\\d+/\\d+ slices · [\\d,]+ rows · [\\d.]+ (B|KB|MB) · [\\d,]+ rows/s · about .+ left.*"), figures);
        screenshot("execution-bar");

        // stop from the page: the execution and the connection end "stopped", not "failed"
        long id = Long.parseLong(browser.liveText("#detail-title").replaceAll("\\D*(\\d+).*", "$1"));
        browser.clickLive("#executions tbody tr[data-id='" + id + "'] button[data-action=stop]");
        browser.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
        browser.$("#confirm-ok").click();
        browser.waitUpTo(30).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#executions tbody tr[data-id='" + id + "'][data-status='STOPPING']")));
        third.release();
        browser.waitUpTo(120).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#executions tbody tr[data-id='" + id + "'][data-status='STOPPED']")));
        browser.waitUpTo(30).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(row + "[data-state='stopped']")));
        String connection = browser.liveText(row);
        assertTrue(connection.contains("stopped") && !connection.contains("failed") && !connection.contains("STOPPED: STOPPED"), connection);
        browser.awaitText("#execution-progress", t -> t.contains("stopped"), 30, "the execution's bar says stopped");
        assertTrue(browser.liveText("#executions tbody tr[data-id='" + id + "']").contains("restart"), "a stopped load can be continued");
        screenshot("stopped");
        assertFalse(driver.getPageSource().contains(TOKEN), "no secret on the page");
    }
}
