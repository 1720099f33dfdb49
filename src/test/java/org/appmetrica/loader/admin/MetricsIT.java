package org.appmetrica.loader.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.testing.Await;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoublePredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's /metrics, scraped while a load waits in the API queue (the simulator holds one day's export) and after
 * it: the gauges read from the job repository and the counters of the data path, checked against ClickHouse.
 */
class MetricsIT {

    private static final String TOKEN = "metrics-token-5d1c";
    private static final String USER = "ops";
    private static final String PASSWORD = "metrics-pw-81f2";
    private static final String SCRAPER_TOKEN = "scraper-token-3c9e0a7f41d2";
    private static final int ROWS = 150;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    @Order(1)
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(TOKEN, ROWS, 41);
    @RegisterExtension
    @Order(2)
    static final RunningConsole consoles = RunningConsole.of("metrics", env, TOKEN, USER, PASSWORD).perTest();

    private static Map<String, String> load(String database, String since, String until) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("applicationIds", "801");
        p.put("sources", "events");
        p.put("dateSince", since);
        p.put("dateUntil", until);
        p.put("apiUrl", env.apiUrl());
        p.put("pollIntervalSeconds", "0");
        p.put("retryBackoffSeconds", "0");
        p.put("chunkSize", "40");
        p.put("parallelism", "1");
        p.put("clickhouseUrl", TestClickHouse.jdbcUrl());
        p.put("clickhouseDatabase", database);
        return p;
    }

    /** A console of the test's own, whose /metrics also takes the scraper's token. */
    private static ConsoleProcess console(String name) throws Exception {
        Path tokenFile = Files.createTempDirectory(Path.of("target").toAbsolutePath(), name + "-token").resolve("metrics-token");
        Files.writeString(tokenFile, SCRAPER_TOKEN + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        return consoles.open(name, "--metrics-token-file", tokenFile.toString());
    }

    private static long start(ConsoleProcess console, Map<String, String> parameters) throws Exception {
        ConsoleProcess.Answer a = console.call("POST", "api/executions", JSON.writeValueAsString(Map.of("parameters", parameters)),
                "Authorization", ConsoleProcess.basic(USER, PASSWORD));
        assertTrue(a.status() == 200 || a.status() == 201 || a.status() == 202, a.status() + " " + a.body());
        return JSON.readTree(a.body()).get("id").asLong();
    }

    private static String scrape(ConsoleProcess console) throws Exception {
        ConsoleProcess.Answer a = console.call("GET", "metrics", null, "Authorization", ConsoleProcess.basic(USER, PASSWORD));
        assertEquals(200, a.status(), a.body());
        assertTrue(a.header("Content-Type").startsWith("text/plain"), a.header("Content-Type"));
        return a.body();
    }

    /** The value of one series (name with its labels as Micrometer writes them, sorted), or null when absent. */
    private static Double value(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).orElse(null);
    }

    /** Scrapes until the series satisfies the condition: an explicit state, polled, with a deadline. */
    private static String awaitSeries(ConsoleProcess console, String series, DoublePredicate condition) throws Exception {
        return Await.await(() -> scrape(console), metrics -> {
            Double v = value(metrics, series);
            return v != null && condition.test(v);
        }, TIMEOUT, () -> series + " did not reach the expected value; the console:\n" + console.text());
    }

    private static String awaitEnd(ConsoleProcess console, long id) throws Exception {
        return Await.await(() -> JSON.readTree(console.call("GET", "api/executions/" + id, null, "Authorization",
                        ConsoleProcess.basic(USER, PASSWORD)).body()).get("execution").get("status").asText(),
                status -> !status.equals("STARTING") && !status.equals("STARTED") && !status.equals("STOPPING"), Duration.ofMinutes(3),
                () -> "execution " + id + " did not end: " + console.text());
    }

    private static long rowsIn(String database) {
        return env.clickhouse().queryLong("SELECT count() FROM " + database + ".events");
    }

    private static long dayStart(String day) {
        return LocalDate.parse(day).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    @Test
    void aScrapeDuringALoadShowsWhatTheLoadDid() throws Exception {
        String database = TestClickHouse.database("it_metrics_load");
        env.freshDatabase(database);
        env.simulator().hold("events", 801, LocalDate.parse("2024-08-02"));
        env.simulator().failNextRequests(1, 503); // the first request is retried once
        try (ConsoleProcess console = console("metrics-load")) {
            ConsoleProcess.Answer anonymous = console.call("GET", "metrics", null);
            assertEquals(401, anonymous.status(), "a scrape needs a console user");
            assertEquals(401, console.call("GET", "metrics", null, "Authorization", "Bearer " + SCRAPER_TOKEN + "x").status(), "a wrong token");
            assertEquals(401, console.call("GET", "api/executions", null, "Authorization", "Bearer " + SCRAPER_TOKEN).status(),
                    "the scraper's token opens /metrics only");
            ConsoleProcess.Answer byToken = console.call("GET", "metrics", null, "Authorization", "Bearer " + SCRAPER_TOKEN);
            assertEquals(200, byToken.status(), byToken.body());
            assertEquals(0.0, value(byToken.body(), "appmetrica_loader_executions{status=\"STARTED\"}"), byToken.body());

            long id = start(console, load(database, "2024-08-01", "2024-08-03"));
            env.simulator().awaitHeldRequest(TIMEOUT);
            // the first day is published, the second waits in the API queue, the third has not started
            String during = awaitSeries(console, "appmetrica_loader_slices{state=\"queued\"}", v -> v == 1);
            assertEquals(1.0, value(during, "appmetrica_loader_executions{status=\"STARTED\"}"), during);
            assertEquals(0.0, value(during, "appmetrica_loader_executions{status=\"COMPLETED\"}"), during);
            assertEquals(1.0, value(during, "appmetrica_loader_slices{state=\"published\"}"), during);
            assertEquals(1.0, value(during, "appmetrica_loader_slices{state=\"pending\"}"), during);
            long dayOne = rowsIn(database);
            assertTrue(dayOne > 0, "day one is in ClickHouse");
            assertEquals((double) dayOne, value(during, "appmetrica_loader_rows_loaded_total{source=\"events\"}"), during);
            assertTrue(value(during, "appmetrica_loader_bytes_loaded_total{source=\"events\"}") > 0, during);
            assertEquals(1.0, value(during, "appmetrica_loader_retries_total{kind=\"api_5xx\"}"), during);
            String appSource = "{application=\"801\",source=\"events\"}";
            assertEquals((double) dayStart("2024-08-01"), value(during, "appmetrica_loader_last_loaded_day_seconds" + appSource), during);
            double lag = value(during, "appmetrica_loader_freshness_lag_seconds" + appSource);
            double expectedLag = System.currentTimeMillis() / 1000.0 - dayStart("2024-08-02");
            assertTrue(Math.abs(lag - expectedLag) < 120, lag + " vs " + expectedLag);
            // the held export keeps being polled: its time in the queue grows
            double waited = value(during, "appmetrica_loader_api_queue_wait_seconds_total{source=\"events\"}");
            awaitSeries(console, "appmetrica_loader_api_queue_wait_seconds_total{source=\"events\"}", v -> v > waited);

            env.simulator().releaseHeld();
            assertEquals("COMPLETED", awaitEnd(console, id), console.text());
            String after = scrape(console);
            assertEquals(0.0, value(after, "appmetrica_loader_executions{status=\"STARTED\"}"), after);
            assertEquals(1.0, value(after, "appmetrica_loader_executions{status=\"COMPLETED\"}"), after);
            assertEquals(0.0, value(after, "appmetrica_loader_slices{state=\"queued\"}"), "no load runs: " + after);
            assertEquals(0.0, value(after, "appmetrica_loader_slices{state=\"published\"}"), "no load runs: " + after);
            long all = rowsIn(database);
            assertTrue(all > dayOne, "three days are in ClickHouse");
            assertEquals((double) all, value(after, "appmetrica_loader_rows_loaded_total{source=\"events\"}"), after);
            assertEquals((double) dayStart("2024-08-03"), value(after, "appmetrica_loader_last_loaded_day_seconds" + appSource), after);
            assertNull(value(after, "appmetrica_loader_failures_total{kind=\"api_4xx\"}"), after);
        } finally {
            env.simulator().releaseHeld();
        }
    }

    @Test
    void aRefusedExportCountsAsAnApiFailure() throws Exception {
        String database = TestClickHouse.database("it_metrics_refused");
        env.freshDatabase(database);
        env.simulator().failNextRequests(1, 403);
        try (ConsoleProcess console = console("metrics-refused")) {
            long id = start(console, load(database, "2024-08-05", "2024-08-05"));
            assertEquals("FAILED", awaitEnd(console, id), console.text());
            String after = scrape(console);
            assertEquals(1.0, value(after, "appmetrica_loader_executions{status=\"FAILED\"}"), after);
            assertTrue(value(after, "appmetrica_loader_failures_total{kind=\"api_4xx\"}") >= 1, after);
            assertNull(value(after, "appmetrica_loader_rows_loaded_total{source=\"events\"}"), "nothing was published: " + after);
        }
    }
}
