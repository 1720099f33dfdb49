package org.appmetrica.loader.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /api/connections… of the standalone console (a separate process), against the Logs API simulator and the real ClickHouse. */
class ConnectionsApiIT {

    private static final String TOKEN = "conn-api-secret-token-0d3f";
    private static final String USER = "operator";
    private static final String PASSWORD = "console-pw-77aa";
    private static final int ROWS = 90;
    private static final String DATABASE = "it_conn_api";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LogsApiSimulator simulator;
    private static ClickHouseConnection clickhouse;
    private static ConsoleProcess console;
    private static String auth;

    @BeforeAll
    static void start() throws Exception {
        simulator = new LogsApiSimulator(SimulatorConfig.defaults(TOKEN).withRowsPerDay(ROWS).withReadyAfter(0).withSeed(23)).start();
        clickhouse = TestClickHouse.connect();
        TestClickHouse.recreate(clickhouse, DATABASE);
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "conn-api");
        console = ConsoleProcess.start(dataDir.resolve("data"), ConsoleProcess.usersFile(dataDir, USER, PASSWORD), Map.of("APPMETRICA_TOKEN", TOKEN),
                "--allow-api-url", simulator.baseUrl(), "--allow-clickhouse", "jdbc:clickhouse://" + TestClickHouse.URL.replace("http://", ""));
        auth = ConsoleProcess.basic(USER, PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        if (console != null) {
            console.close();
        }
        simulator.close();
        clickhouse.close();
    }

    private static ConsoleProcess.Answer call(String method, String path, String body) throws Exception {
        return console.call(method, path, body, "Authorization", auth);
    }

    private static JsonNode json(ConsoleProcess.Answer a, int status) throws Exception {
        assertEquals(status, a.status(), a.body());
        return JSON.readTree(a.body());
    }

    private static String connection(LocalDate loadFrom, String apiUrl) {
        return "{\"name\": \"api-shop\", \"applications\": [701], \"sources\": {\"events\": {}}, \"loadFrom\": \"" + loadFrom + "\", "
                + "\"regularity\": \"one-time\", \"apiUrl\": \"" + apiUrl + "\", "
                + "\"target\": {\"url\": \"jdbc:clickhouse://" + TestClickHouse.URL.replace("http://", "") + "\", \"database\": \"" + DATABASE + "\"}}";
    }

    /** Polls the connection's view until it matches (a status the server reports, not a time). */
    private static JsonNode awaitView(Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            JsonNode v = json(call("GET", "/api/connections/api-shop", null), 200);
            if (done.test(v)) {
                return v;
            }
            assertTrue(System.nanoTime() < deadline, "the connection did not get there in 2 minutes: " + v);
            Thread.sleep(100); // polling a status over HTTP: the API offers no notification
        }
    }

    private static long rows() {
        return clickhouse.queryLong("SELECT count() FROM " + DATABASE + ".events");
    }

    @Test
    void createLoadEditRunPauseResumeAndDelete() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertTrue(json(call("GET", "/api/catalog", null), 200).get("connections").asBoolean());

        JsonNode created = json(call("POST", "/api/connections", connection(today.minusDays(2), simulator.baseUrl())), 201);
        assertEquals("api-shop", created.get("name").asText());
        JsonNode loaded = awaitView(v -> "up-to-date".equals(v.get("state").asText()) || "failed".equals(v.get("state").asText()));
        assertEquals("up-to-date", loaded.get("state").asText(), loaded.toString());
        assertEquals(2 * ROWS, rows(), "one-time: loaded at once");
        long firstRun = loaded.get("lastRun").get("executionId").asLong();

        assertEquals(409, call("POST", "/api/connections", connection(today.minusDays(2), simulator.baseUrl())).status());
        ConsoleProcess.Answer invalid = call("POST", "/api/connections", connection(today, simulator.baseUrl()).replace("one-time", "weekly"));
        assertEquals(400, invalid.status(), invalid.body());
        assertTrue(invalid.body().contains("regularity"), invalid.body());
        assertEquals(403, call("POST", "/api/connections", connection(today, "https://elsewhere.example")
                .replace("api-shop", "other")).status(), "outside the allow-lists");

        assertEquals(403, call("PUT", "/api/connections/api-shop", connection(today, "https://elsewhere.example")
                .replace("\"name\": \"api-shop\", ", "")).status(), "an edit is held to the allow-lists too, also without a name in its body");
        String earlier = connection(today.minusDays(4), simulator.baseUrl());
        JsonNode dry = json(call("PUT", "/api/connections/api-shop?dryRun=true", earlier), 200);
        assertEquals("full-reload", dry.get("plan").get("actions").get(0).get("kind").asText(), dry.toString());
        assertFalse(dry.has("connection"), "a dry run saves nothing");
        JsonNode edited = json(call("PUT", "/api/connections/api-shop", earlier), 200);
        assertEquals(today.minusDays(4).toString(), edited.get("connection").get("loadFrom").asText());
        assertEquals(202, call("POST", "/api/connections/api-shop/run", "{}").status());
        JsonNode reloaded = awaitView(v -> v.get("lastRun").get("executionId").asLong() != firstRun
                && !"loading".equals(v.get("state").asText()));
        assertEquals("up-to-date", reloaded.get("state").asText(), reloaded.toString());
        assertEquals(4 * ROWS, rows(), "a full reload from the earlier load-from, every day once");

        assertEquals("paused", json(call("POST", "/api/connections/api-shop/pause", "{}"), 200).get("state").asText());
        assertEquals(409, call("POST", "/api/connections/api-shop/run", "{}").status(), "a paused connection does not run");
        assertFalse("paused".equals(json(call("POST", "/api/connections/api-shop/resume", "{}"), 200).get("state").asText()));
        awaitView(v -> !"loading".equals(v.get("state").asText()));

        JsonNode deleted = json(call("DELETE", "/api/connections/api-shop?dropData=true", null), 200);
        assertEquals("api-shop", deleted.get("deleted").asText());
        assertTrue(deleted.get("dataDropped").asBoolean());
        assertEquals(0, rows(), "its data is dropped");
        assertEquals(404, call("GET", "/api/connections/api-shop", null).status());
        assertEquals(0, json(call("GET", "/api/connections", null), 200).size());
    }
}
