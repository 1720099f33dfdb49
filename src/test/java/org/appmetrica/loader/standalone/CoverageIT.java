package org.appmetrica.loader.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.appmetrica.loader.admin.ConsoleProcess;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.appmetrica.loader.testing.Await;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Day coverage on the user's path: loads run by separate CLI processes (one completes, one fails), then the grid read
 * through the console's REST API and through {@code coverage --json} in another process; a day held in the simulator
 * shows as loading, and a restart of the failed day from the REST API turns it loaded.
 */
class CoverageIT {

    private static final String TOKEN = "coverage-secret-token-4e2a";
    private static final String USER = "analyst";
    private static final String PASSWORD = "coverage-pw-81d0";
    private static final int ROWS = 90;
    private static final long APP = 611;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(SimulatorConfig.defaults(TOKEN).withRowsPerDay(ROWS).withReadyAfter(0).withSeed(23));

    private static List<String> load(String database, String since, String until, String... extra) {
        List<String> p = new ArrayList<>(List.of("applicationIds=" + APP, "sources=events,installations", "dateSince=" + since, "dateUntil=" + until,
                "apiUrl=" + env.apiUrl(), "pollIntervalSeconds=0", "retryBackoffSeconds=0", "clickhouseUrl=" + TestClickHouse.jdbcUrl(),
                "clickhouseDatabase=" + database));
        p.addAll(List.of(extra));
        return p;
    }

    private static CliProcess.Result run(Path dataDir, List<String> parameters) throws Exception {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(parameters);
        return CliProcess.run(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), args.toArray(String[]::new));
    }

    private static JsonNode cell(JsonNode coverage, String day, String source) {
        for (JsonNode d : coverage.at("/applications/0/days")) {
            if (d.get("day").asText().equals(day)) {
                return d.get("cells").get(source);
            }
        }
        throw new AssertionError("no day " + day + " in " + coverage);
    }

    @Test
    void gridFromRestAndCliAfterALoadWithAFailedDayThenLoadingAndRestarted() throws Exception {
        String database = env.freshDatabase(TestClickHouse.database("it_coverage"));
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "coverage");
        Path dataDir = work.resolve("data");

        CliProcess.Result loaded = run(dataDir, load(database, "2024-07-01", "2024-07-02"));
        assertEquals(0, loaded.exitCode(), loaded.output());
        env.simulator().failNextRequests(1_000_000, 503);
        CliProcess.Result failed = run(dataDir, load(database, "2024-07-04", "2024-07-04", "maxRetries=0"));
        assertEquals(1, failed.exitCode(), failed.output());
        long failedId = failed.executionId();
        env.simulator().failNextRequests(0, 503);

        try (ConsoleProcess console = ConsoleProcess.start(dataDir, ConsoleProcess.usersFile(work, USER, PASSWORD), Map.of("APPMETRICA_TOKEN", TOKEN),
                "--allow-api-url", env.apiUrl(), "--allow-clickhouse", TestClickHouse.jdbcUrl())) {
            String auth = ConsoleProcess.basic(USER, PASSWORD);
            assertEquals(401, console.call("GET", "api/coverage?database=" + database, null).status(), "behind the console's login");
            assertEquals(400, console.call("GET", "api/coverage", null, "Authorization", auth).status());
            assertEquals(400, console.call("GET", "api/coverage?database=x%3Bdrop", null, "Authorization", auth).status());

            ConsoleProcess.Answer answer = console.call("GET", "api/coverage?database=" + database, null, "Authorization", auth);
            assertEquals(200, answer.status(), answer.body());
            JsonNode rest = JSON.readTree(answer.body());
            assertEquals("2024-07-01", rest.get("from").asText(), answer.body());
            assertEquals("2024-07-04", rest.get("to").asText(), answer.body());
            assertEquals(1, rest.get("applications").size(), answer.body());
            assertEquals(APP, rest.at("/applications/0/applicationId").asLong());
            assertEquals("[\"events\",\"installations\"]", rest.at("/applications/0/sources").toString());
            for (String day : List.of("2024-07-01", "2024-07-02")) {
                for (String source : List.of("events", "installations")) {
                    JsonNode c = cell(rest, day, source);
                    assertEquals("final", c.get("state").asText(), "a one-time load of a past day: " + c);
                    assertEquals(ROWS, c.get("rows").asLong(), c.toString());
                    assertEquals(loaded.executionId(), c.get("executionId").asLong(), c.toString());
                    assertFalse(c.get("loadedAt").isNull(), c.toString());
                }
            }
            assertEquals(2 * ROWS, rest.at("/applications/0/days/0/rows").asLong(), "rows of the day, all sources");
            assertEquals("missing", cell(rest, "2024-07-03", "events").get("state").asText());
            assertEquals(0, rest.at("/applications/0/days/2/rows").asLong());
            JsonNode bad = cell(rest, "2024-07-04", "events");
            assertEquals("failed", bad.get("state").asText(), bad.toString());
            assertEquals(failedId, bad.get("executionId").asLong(), bad.toString());
            assertTrue(bad.get("error").asText().contains("503"), bad.toString());
            assertTrue(bad.get("restartable").asBoolean(), bad.toString());
            assertEquals(database, rest.at("/applications/0/startParameters/clickhouseDatabase").asText(), "a start reuses the load's parameters");
            assertFalse(rest.at("/applications/0/startParameters").has("dateSince"), rest.toString());
            assertFalse(answer.body().contains(TOKEN));

            // filters
            JsonNode events = JSON.readTree(console.call("GET", "api/coverage?database=" + database + "&source=events&from=2024-07-02&to=2024-07-03",
                    null, "Authorization", auth).body());
            assertEquals("[\"events\"]", events.at("/applications/0/sources").toString(), events.toString());
            assertEquals(2, events.at("/applications/0/days").size(), events.toString());
            assertEquals(0, JSON.readTree(console.call("GET", "api/coverage?database=" + database + "&application=1", null, "Authorization", auth)
                    .body()).get("applications").size());

            // the CLI in another process answers the same JSON, and a readable grid
            ConsoleProcess.CliResult cli = ConsoleProcess.cli(dataDir, Map.of(), "coverage", "--database", database, "--json");
            assertEquals(0, cli.exitCode(), cli.out() + cli.err());
            assertEquals(rest, JSON.readTree(cli.out()));
            ConsoleProcess.CliResult human = ConsoleProcess.cli(dataDir, Map.of(), "coverage", "--database", database);
            assertEquals(0, human.exitCode(), human.out() + human.err());
            assertTrue(human.out().contains("2024-07-04") && human.out().contains("X failed") && human.out().contains(". missing"), human.out());
            assertTrue(human.out().contains("execution " + failedId + " failed"), human.out());

            // a missing day started from the API, held in the API queue: loading; then released: loaded
            env.simulator().hold("events", APP, LocalDate.parse("2024-07-03"));
            String start = JSON.writeValueAsString(Map.of("parameters", Map.of("applicationIds", Long.toString(APP), "sources", "events",
                    "dateSince", "2024-07-03", "dateUntil", "2024-07-03", "apiUrl", env.apiUrl(), "pollIntervalSeconds", "0",
                    "clickhouseUrl", TestClickHouse.jdbcUrl(), "clickhouseDatabase", database)));
            ConsoleProcess.Answer started = console.call("POST", "api/executions", start, "Authorization", auth);
            assertEquals(201, started.status(), started.body());
            long startedId = JSON.readTree(started.body()).get("id").asLong();
            awaitCell(console, auth, database, "2024-07-03", "events", c -> "loading".equals(c.get("state").asText())
                    && c.get("executionId").asLong() == startedId);
            env.simulator().releaseHeld();
            JsonNode done = awaitCell(console, auth, database, "2024-07-03", "events", c -> "final".equals(c.get("state").asText()));
            assertEquals(ROWS, done.get("rows").asLong(), done.toString());

            // the failed day restarted from the API: loaded by the restart
            ConsoleProcess.Answer restarted = console.call("POST", "api/executions/" + failedId + "/restart", "{}", "Authorization", auth);
            assertEquals(201, restarted.status(), restarted.body());
            long restartId = JSON.readTree(restarted.body()).get("id").asLong();
            JsonNode fixed = awaitCell(console, auth, database, "2024-07-04", "installations", c -> "final".equals(c.get("state").asText()));
            assertEquals(restartId, fixed.get("executionId").asLong(), fixed.toString());
            assertEquals(ROWS, fixed.get("rows").asLong(), fixed.toString());
            assertEquals(ROWS, env.clickhouse().queryLong("SELECT count() FROM " + database + ".installations WHERE load_date = '2024-07-04'"));
        }
    }

    @Test
    void aRegularConnectionsRecentDaysAreInsideTheReloadWindow() throws Exception {
        String database = env.freshDatabase(TestClickHouse.database("it_coverage_regular"));
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "coverage-regular");
        LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
        Path file = dataDir.resolve("daily.json");
        Files.writeString(file, "{\"name\": \"daily-shop\", \"applications\": [612], \"sources\": {\"events\": {}}, \"loadFrom\": \""
                + today.minusDays(4) + "\", \"regularity\": \"regular\", \"reloadDays\": 3, \"apiUrl\": \"" + env.apiUrl()
                + "\", \"tokenRef\": \"env:APPMETRICA_TOKEN\", \"target\": {\"url\": \"" + TestClickHouse.jdbcUrl() + "\", \"database\": \"" + database + "\"}}");
        assertEquals(0, CliProcess.run(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), "connections", "add", "--file", file.toString()).exitCode());
        CliProcess.Result ran = CliProcess.run(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), "schedule", "--connection", "daily-shop", "--once");
        assertEquals(0, ran.exitCode(), ran.output());

        ConsoleProcess.CliResult cli = ConsoleProcess.cli(dataDir, Map.of(), "coverage", "--database", database, "--json");
        assertEquals(0, cli.exitCode(), cli.out() + cli.err());
        JsonNode c = JSON.readTree(cli.out());
        assertEquals(today.minusDays(4).toString(), c.get("from").asText(), c.toString());
        assertEquals(today.minusDays(1).toString(), c.get("to").asText(), c.toString());
        // loaded now: a day is final once its end plus the 3-day window has passed
        assertEquals("final", cell(c, today.minusDays(4).toString(), "events").get("state").asText(), c.toString());
        for (int back = 3; back >= 1; back--) {
            JsonNode recent = cell(c, today.minusDays(back).toString(), "events");
            assertEquals("reloadable", recent.get("state").asText(), recent.toString());
            assertEquals(ROWS, recent.get("rows").asLong(), recent.toString());
            assertFalse(recent.get("loadedAt").isNull(), recent.toString());
        }

        // yesterday's data dropped behind the job repository's back: the slice that wrote it does not make it loaded
        String yesterday = today.minusDays(1).toString();
        env.clickhouse().execute("ALTER TABLE " + database + ".events DROP PARTITION (612, '" + yesterday + "')");
        env.clickhouse().deleteAndWait(database, "_load_state", "day = '" + yesterday + "'", 60_000);
        JsonNode dropped = JSON.readTree(ConsoleProcess.cli(dataDir, Map.of(), "coverage", "--database", database, "--json").out());
        assertEquals("missing", cell(dropped, yesterday, "events").get("state").asText(), dropped.toString());

        // and with no execution left that knew yesterday (as if its run had not happened yet), a regular load's grid
        // still ends yesterday, which shows missing: stale data is visible
        long id = c.at("/applications/0/days/0/cells/events/executionId").asLong();
        assertEquals(0, ConsoleProcess.cli(dataDir, Map.of(), "abandon", Long.toString(id)).exitCode());
        ConsoleProcess.CliResult stale = ConsoleProcess.cli(dataDir, Map.of(), "coverage", "--database", database, "--json");
        JsonNode s = JSON.readTree(stale.out());
        assertEquals(yesterday, s.get("to").asText(), s.toString());
        assertEquals("missing", cell(s, yesterday, "events").get("state").asText(), s.toString());
        assertEquals("reloadable", cell(s, today.minusDays(2).toString(), "events").get("state").asText(), s.toString());
    }

    /** Polls the REST coverage until the cell matches, up to 90 s. */
    private static JsonNode awaitCell(ConsoleProcess console, String auth, String database, String day, String source, Predicate<JsonNode> wanted)
            throws Exception {
        return Await.await(() -> {
            ConsoleProcess.Answer a = console.call("GET", "api/coverage?database=" + database, null, "Authorization", auth);
            assertEquals(200, a.status(), a.body());
            return cell(JSON.readTree(a.body()), day, source);
        }, wanted, Duration.ofSeconds(90), () -> "the " + day + " " + source + " cell never became as expected\n" + console.text());
    }
}
