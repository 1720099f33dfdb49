package org.appmetrica.loader.console;

import org.appmetrica.loader.admin.ConsoleProcess;
import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatorConfig;
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
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections in a real browser (issue 14), as {@link ConsoleBrowserIT} runs the console: headless Debian Chromium through
 * chromedriver against {@code java -jar appmetrica-loader.jar console}, the Logs API simulator and the real ClickHouse.
 * Creates a connection through the form with a pasted token and applications picked from the API's list, watches it
 * load, edits its load-from and confirms the plan's full reload, restarts the console and finds it still there and
 * scheduled, runs it now, pauses it and deletes it with its data. The token never appears in the page or the console's
 * output. Screenshots: target/connections-screenshot-*.png.
 */
class ConnectionsBrowserIT {

    private static final String TOKEN = "connections-secret-token-5be1c9";
    private static final String OAUTH_CLIENT = "browser-test-client-4f80";
    private static final String USER = "admin";
    private static final String PASSWORD = "connections-pw-3a9d";
    private static final String DATABASE = TestClickHouse.database("it_console_connections");
    private static final String NAME = "shop";
    private static final int ROWS = 120;
    private static final String CLICKHOUSE = TestClickHouse.jdbcUrl();
    private static final Path SCREENSHOTS = Path.of("target").toAbsolutePath();

    private static LogsApiSimulator simulator;
    private static ClickHouseConnection clickhouse;
    private static ConsoleProcess console;
    private static Browser browser;
    private static WebDriver driver;
    private static Path work;
    private static Path users;

    @BeforeAll
    static void start() throws Exception {
        Browser.assumeInstalled();
        // the token reads three applications: the picker lists them by name
        simulator = new LogsApiSimulator(SimulatorConfig.defaults(TOKEN).withTokens(Map.of(TOKEN, Set.of(901L, 902L, 903L)))
                .withRowsPerDay(ROWS).withReadyAfter(1).withSeed(14)).start();
        clickhouse = TestClickHouse.connect();
        TestClickHouse.recreate(clickhouse, DATABASE);
        work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "connections-browser");
        users = ConsoleProcess.usersFile(work, USER, PASSWORD);
        startConsole();

        browser = Browser.start(work, "1440,2200");
        driver = browser.driver;
    }

    /** The console with no token in its environment: the only token is the one pasted into the page. */
    private static void startConsole() throws Exception {
        console = ConsoleProcess.start(work.resolve("data"), users, Map.of(), "--allow-api-url", simulator.baseUrl(),
                "--allow-clickhouse", CLICKHOUSE, "--oauth-client-id", OAUTH_CLIENT);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (console != null) {
            console.close();
        }
        if (simulator != null) {
            simulator.close();
            clickhouse.close();
        }
    }

    private static void screenshot(String name) throws Exception {
        browser.screenshot(SCREENSHOTS.resolve("connections-screenshot-" + name + ".png"));
    }

    private static void logIn() {
        browser.logIn(console.baseUrl, USER, PASSWORD, "connections-card");
    }

    private static String row() {
        return "#connections tbody tr[data-name='" + NAME + "']";
    }

    private static String awaitNotice(String part) {
        return browser.waitUpTo(30).until(d -> {
            String t = browser.$("#notice").getText();
            return t.contains(part) ? t : null;
        });
    }

    private static final Pattern COVERS = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}) … (\\d{4}-\\d{2}-\\d{2})");

    /** The connection's row as one redraw of the page showed it. */
    private record Row(String state, String covers, String lastRun, String nextRun, String text) {

        /** The first and last day it covers, or null. */
        LocalDate[] days() {
            Matcher m = COVERS.matcher(covers);
            return m.find() ? new LocalDate[] {LocalDate.parse(m.group(1)), LocalDate.parse(m.group(2))} : null;
        }
    }

    /** Reads the connection's row until it passes {@code expected}; every field comes from the same redraw. */
    private static Row awaitRow(Predicate<Row> expected, int seconds, String what) {
        return browser.awaitLive(row(), r -> new Row(r.getAttribute("data-state"), r.findElement(By.cssSelector("td.covers")).getText(),
                r.findElement(By.cssSelector("td:nth-child(5)")).getText(), r.findElement(By.cssSelector("td.next-run")).getText(),
                r.getText()), expected, seconds, "connection " + NAME + ": " + what);
    }

    /** Waits for the state, and for an up-to-date connection the days it covers: the page may show the state a refresh before the days. */
    private static Row awaitState(String state, int seconds) {
        boolean covering = state.equals("up-to-date");
        return awaitRow(r -> r.state().equals(state) && (!covering || r.days() != null), seconds, state + (covering ? " with the days it covers" : ""));
    }

    private static long rows() {
        boolean exists = clickhouse.queryLong("SELECT count() FROM system.tables WHERE database = '" + DATABASE + "' AND name = 'events'") > 0;
        return exists ? clickhouse.queryLong("SELECT count() FROM " + DATABASE + ".events") : 0;
    }

    private static long days(LocalDate[] covers) {
        return ChronoUnit.DAYS.between(covers[0], covers[1]) + 1;
    }

    @Test
    void createWatchEditRestartPauseDeleteFromThePage() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate loadFrom = today.minusDays(3);
        logIn();

        // create: a pasted token, applications from the picker, a regular load into our ClickHouse
        ConnectionForm form = ConnectionForm.openNew(browser);
        assertEquals("https://oauth.yandex.ru/authorize?response_type=token&client_id=" + OAUTH_CLIENT, browser.$("#c-get-token").getAttribute("href"));
        form.name(NAME).apiUrl(simulator.baseUrl()).token(TOKEN).applications("903");
        browser.$("#c-apps-load").click();
        browser.waitUpTo(30).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#c-apps-picker input[value='902']")));
        assertTrue(browser.$("#c-apps-picker").getText().contains("Simulated app 901"), browser.$("#c-apps-picker").getText());
        assertTrue(browser.$("#c-apps-picker input[value='903']").isSelected(), "a typed id is ticked in the picker");
        assertEquals("", browser.$("#c-token").getAttribute("value"), "the pasted token left the page once stored");
        String tokenRef = browser.$("#c-token-ref").getAttribute("value");
        assertFalse(tokenRef.isEmpty() || tokenRef.contains(TOKEN), tokenRef);
        browser.$("#c-apps-picker input[value='903']").click();
        browser.$("#c-apps-picker input[value='901']").click();
        browser.$("#c-apps-picker input[value='902']").click();
        assertEquals("901,902", browser.$("#c-apps").getAttribute("value"));
        form.onlySource("events").loadFrom(loadFrom).regular("03:00", "UTC", 1).clickhouse(CLICKHOUSE, DATABASE).clickhouseUser("default")
                .save();
        awaitNotice("Connection " + NAME + " created");
        assertTrue(!browser.$("#conn-form-card").isDisplayed(), "the form closes once saved");

        // watch it load: every day from load-from on, for both applications
        browser.waitUpTo(30).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(row())));
        screenshot("loading");
        Row loaded = awaitState("up-to-date", 180);
        LocalDate[] covers = loaded.days();
        assertEquals(loadFrom, covers[0], loaded.text());
        assertEquals(2 * days(covers) * ROWS, rows());
        assertTrue(loaded.text().contains("901,902"), loaded.text());

        // edit load-from to a later day: the page shows the plan (a full reload) before anything is saved
        LocalDate later = today.minusDays(2);
        browser.clickLive(row() + " button[data-action=edit]");
        browser.waitUpTo(10).until(ExpectedConditions.attributeToBe(By.id("c-name"), "value", NAME));
        assertTrue(browser.$("#c-name").getAttribute("readonly") != null, "the name cannot be edited");
        assertEquals(tokenRef, browser.$("#c-token-ref").getAttribute("value"));
        browser.setValue("#c-load-from", later.toString());
        browser.$("#c-save").click();
        browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#confirm-list li[data-kind='full-reload']")));
        String plan = browser.$("#confirm-list").getText();
        // the server's sentences say what happens (loads every day from the new day again, drops the days before it)
        assertTrue(plan.contains(later.toString()) && plan.contains("again"), "the plan says what the edit does: " + plan);
        assertFalse(driver.findElements(By.cssSelector("#confirm-list li[data-kind='drop-days-before']")).isEmpty(),
                "a later load-from drops the earlier days: " + plan);
        screenshot("plan");
        browser.$("#confirm-ok").click();
        awaitNotice("Connection " + NAME + " saved");
        covers = awaitRow(r -> r.state().equals("up-to-date") && r.covers().startsWith(later.toString()) && r.days() != null, 180,
                "up-to-date from " + later).days();
        assertEquals(2 * days(covers) * ROWS, rows(), "a full reload from the later day: the earlier days are gone");

        // the connection outlives the console, and is scheduled again: the new console runs it at once (the re-load
        // window is due), then waits for its next time
        String runBeforeRestart = awaitRow(r -> true, 10, "its last run").lastRun();
        console.close();
        startConsole();
        logIn();
        awaitRow(r -> !r.lastRun().equals(runBeforeRestart) && r.state().equals("up-to-date"), 180, "a new run after the restart, up to date");
        Row scheduled = awaitRow(r -> !r.nextRun().equals("—"), 30, "scheduled again");
        assertTrue(scheduled.text().contains(later.toString()), scheduled.text());

        // run now: a new execution, and up to date again
        String lastRun = scheduled.lastRun();
        browser.clickLive(row() + " button[data-action=run]");
        awaitNotice("a run starts now");
        awaitRow(r -> !r.lastRun().equals(lastRun) && r.state().equals("up-to-date"), 180, "a new run, up to date");

        // pause, then delete with its data
        browser.clickLive(row() + " button[data-action=pause]");
        awaitState("paused", 30);
        assertFalse(driver.findElements(By.cssSelector(row() + " button[data-action=resume]")).isEmpty(), "a paused connection offers resume");
        screenshot("paused");
        browser.clickLive(row() + " button[data-action=delete]");
        browser.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-check")));
        browser.$("#confirm-check").click();
        browser.$("#confirm-ok").click();
        awaitNotice("its data dropped");
        browser.waitUpTo(30).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(row()), 0));
        assertEquals(0, rows());

        assertFalse(driver.getPageSource().contains(TOKEN), "no token in the page");
        assertFalse(console.text().contains(TOKEN), "no token in the console's output");
    }
}
