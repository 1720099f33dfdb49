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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run --log-format json}: standard output is JSON lines only, one per progress event, with its fields; no secret. */
class JsonLogsIT {

    private static final String TOKEN = "json-logs-secret-token-77c1";
    private static final int ROWS = 70;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(SimulatorConfig.defaults(TOKEN).withRowsPerDay(ROWS).withReadyAfter(1).withSeed(3));

    private static ConsoleProcess.CliResult run(Path dataDir, String database, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--log-format", "json", "applicationIds=901", "sources=events",
                "dateSince=2024-05-01", "dateUntil=2024-05-02", "apiUrl=" + env.apiUrl(), "pollIntervalSeconds=0", "retryBackoffSeconds=0",
                "clickhouseUrl=" + TestClickHouse.jdbcUrl(), "clickhouseDatabase=" + database));
        args.addAll(List.of(extra));
        return ConsoleProcess.cli(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), args.toArray(String[]::new));
    }

    /** Every line of standard output is a JSON object. */
    private static List<JsonNode> events(ConsoleProcess.CliResult r) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (!line.isBlank()) {
                JsonNode e = JSON.readTree(line);
                assertTrue(e.isObject() && e.has("time") && e.has("level") && e.has("message"), line);
                events.add(e);
            }
        }
        return events;
    }

    private static long executionId(ConsoleProcess.CliResult r) {
        Matcher m = Pattern.compile("execution id: (\\d+)").matcher(r.err());
        assertTrue(m.find(), "the run's own lines go to standard error: " + r.err());
        return Long.parseLong(m.group(1));
    }

    private static JsonNode find(List<JsonNode> events, Predicate<JsonNode> p, String what) {
        return events.stream().filter(p).findFirst().orElseThrow(() -> new AssertionError("no " + what + " event in " + events));
    }

    @Test
    void aRunPrintsOneJsonObjectPerProgressEventWithItsFields() throws Exception {
        String database = env.freshDatabase(TestClickHouse.database("it_json_logs"));
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "json-logs");

        ConsoleProcess.CliResult ok = run(dataDir, database);
        assertEquals(0, ok.exitCode(), ok.out() + ok.err());
        long id = executionId(ok);
        List<JsonNode> events = events(ok);
        for (String day : List.of("2024-05-01", "2024-05-02")) {
            String slice = "901/events/" + day;
            JsonNode requested = find(events, e -> slice.equals(e.path("slice").asText()) && "requested".equals(e.path("state").asText()), "requested " + day);
            assertEquals(id, requested.get("execution").asLong(), requested.toString());
            assertEquals(901, requested.get("application").asLong());
            assertEquals("events", requested.get("source").asText());
            assertEquals(day, requested.get("day").asText());
            JsonNode downloaded = find(events, e -> slice.equals(e.path("slice").asText()) && "downloaded".equals(e.path("state").asText()), "downloaded " + day);
            assertTrue(downloaded.get("bytes").asLong() > 0, downloaded.toString());
            assertTrue(downloaded.has("durationMillis"), downloaded.toString());
            JsonNode loaded = find(events, e -> slice.equals(e.path("slice").asText()) && "loaded".equals(e.path("state").asText()), "loaded " + day);
            assertEquals(ROWS, loaded.get("rows").asLong(), loaded.toString());
            assertEquals(id, loaded.get("execution").asLong(), loaded.toString());
        }
        JsonNode ended = find(events, e -> e.path("message").asText().startsWith("execution " + id + " ended"), "execution ended");
        assertEquals("COMPLETED", ended.get("state").asText(), ended.toString());
        assertEquals(2L * ROWS, ended.get("rows").asLong(), ended.toString());
        assertEquals(2L * ROWS, env.clickhouse().queryLong("SELECT count() FROM " + database + ".events"));

        // a failing run: the retry and the failure carry the error
        env.simulator().failNextRequests(1_000_000, 503);
        ConsoleProcess.CliResult bad = run(dataDir, database, "maxRetries=1", "dateSince=2024-05-03", "dateUntil=2024-05-03");
        assertEquals(1, bad.exitCode(), bad.out() + bad.err());
        List<JsonNode> failed = events(bad);
        JsonNode retry = find(failed, e -> "retrying".equals(e.path("state").asText()), "retrying");
        assertEquals("901/events/2024-05-03", retry.get("slice").asText(), retry.toString());
        assertTrue(retry.get("error").asText().contains("503"), retry.toString());
        assertEquals("WARNING", retry.get("level").asText());
        JsonNode end = find(failed, e -> e.path("message").asText().startsWith("execution " + executionId(bad) + " ended"), "execution ended");
        assertEquals("FAILED", end.get("state").asText(), end.toString());

        for (ConsoleProcess.CliResult r : List.of(ok, bad)) {
            assertFalse((r.out() + r.err()).contains(TOKEN), "the token is never logged");
        }
        // the default stays lines for people
        env.simulator().failNextRequests(0, 503);
        ConsoleProcess.CliResult human = ConsoleProcess.cli(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), "run", "applicationIds=901", "sources=events",
                "dateSince=2024-05-04", "dateUntil=2024-05-04", "apiUrl=" + env.apiUrl(), "pollIntervalSeconds=0",
                "clickhouseUrl=" + TestClickHouse.jdbcUrl(), "clickhouseDatabase=" + database);
        assertEquals(0, human.exitCode(), human.out() + human.err());
        assertTrue(human.out().contains("execution id: ") && !human.out().trim().startsWith("{"), human.out());
    }

    @Test
    void theConsoleNamesTheExecutionOfEachSliceEvent() throws Exception {
        String database = env.freshDatabase(TestClickHouse.database("it_json_logs_console"));
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "json-logs-console");
        try (ConsoleProcess console = ConsoleProcess.start(work.resolve("data"), ConsoleProcess.usersFile(work, "ops", "json-logs-pw-1"),
                Map.of("APPMETRICA_TOKEN", TOKEN), "--log-format", "json", "--allow-api-url", env.apiUrl(),
                "--allow-clickhouse", TestClickHouse.jdbcUrl())) {
            String auth = ConsoleProcess.basic("ops", "json-logs-pw-1");
            List<Long> ids = new ArrayList<>();
            for (String day : List.of("2024-05-10", "2024-05-11")) {
                String body = JSON.writeValueAsString(Map.of("parameters", Map.of("applicationIds", "902", "sources", "events", "dateSince", day,
                        "dateUntil", day, "apiUrl", env.apiUrl(), "pollIntervalSeconds", "0",
                        "clickhouseUrl", TestClickHouse.jdbcUrl(), "clickhouseDatabase", database)));
                ConsoleProcess.Answer a = console.call("POST", "api/executions", body, "Authorization", auth);
                assertEquals(201, a.status(), a.body());
                ids.add(JSON.readTree(a.body()).get("id").asLong());
            }
            List<JsonNode> loaded = Await.await(() -> console.text().lines().filter(l -> l.startsWith("{")).map(JsonLogsIT::parse)
                    .filter(e -> "loaded".equals(e.path("state").asText())).toList(), l -> l.size() >= 2, Duration.ofSeconds(90),
                    () -> "two loaded slices: " + console.text());
            assertEquals(2, loaded.size(), console.text());
            for (JsonNode e : loaded) {
                long expected = e.get("day").asText().equals("2024-05-10") ? ids.get(0) : ids.get(1);
                assertEquals(expected, e.get("execution").asLong(), e.toString());
            }
            assertFalse(console.text().contains(TOKEN));
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
