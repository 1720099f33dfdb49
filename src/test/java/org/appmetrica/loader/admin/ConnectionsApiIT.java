package org.appmetrica.loader.admin;

import org.appmetrica.loader.testing.Await;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /api/connections… of the standalone console (a separate process), against the Logs API simulator and the real ClickHouse. */
class ConnectionsApiIT {

    private static final String TOKEN = "conn-api-secret-token-0d3f";
    /** pasted into the page: reads two applications only */
    private static final String PASTED = "conn-api-pasted-token-71c2e8";
    private static final String OAUTH_CLIENT = "api-test-client-1b7e";
    private static final String USER = "operator";
    private static final String PASSWORD = "console-pw-77aa";
    private static final int ROWS = 90;
    private static final String DATABASE = TestClickHouse.database("it_conn_api");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LogsApiSimulator simulator;
    private static ClickHouseConnection clickhouse;
    private static ConsoleProcess console;
    private static String auth;
    private static Path data;

    @BeforeAll
    static void start() throws Exception {
        simulator = new LogsApiSimulator(SimulatorConfig.defaults(TOKEN).withTokens(Map.of(TOKEN, Set.of(), PASTED, Set.of(811L, 812L)))
                .withRowsPerDay(ROWS).withReadyAfter(0).withSeed(23)).start();
        clickhouse = TestClickHouse.connect();
        TestClickHouse.recreate(clickhouse, DATABASE);
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "conn-api");
        data = dataDir.resolve("data");
        console = ConsoleProcess.start(data, ConsoleProcess.usersFile(dataDir, USER, PASSWORD), Map.of("APPMETRICA_TOKEN", TOKEN),
                "--allow-api-url", simulator.baseUrl(), "--allow-clickhouse", TestClickHouse.jdbcUrl(),
                "--oauth-client-id", OAUTH_CLIENT);
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
                + "\"target\": {\"url\": \"" + TestClickHouse.jdbcUrl() + "\", \"database\": \"" + DATABASE + "\"}}";
    }

    /** Polls the connection's view until it matches (a status the server reports, not a time). */
    private static JsonNode awaitView(Predicate<JsonNode> done) throws Exception {
        // polling a status over HTTP: the API offers no notification
        return Await.await(() -> json(call("GET", "/api/connections/api-shop", null), 200), done, Duration.ofMinutes(2),
                () -> "the connection did not get there");
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

    private static ConsoleProcess.Answer applications(String tokenRef, String apiUrl) throws Exception {
        return call("GET", "/api/applications?tokenRef=" + URLEncoder.encode(tokenRef, StandardCharsets.UTF_8)
                + "&apiUrl=" + URLEncoder.encode(apiUrl, StandardCharsets.UTF_8), null);
    }

    @Test
    void aPastedTokenIsStoredPrivatelyAndListsItsApplications() throws Exception {
        assertEquals(OAUTH_CLIENT, json(call("GET", "/api/catalog", null), 200).get("oauthClientId").asText());

        ConsoleProcess.Answer stored = call("POST", "/api/secrets/token", "{\"token\": \"" + PASTED + "\", \"name\": \"picker\"}");
        Path file = data.toAbsolutePath().resolve("secrets").resolve("token-picker");
        assertEquals("file:" + file, json(stored, 201).get("tokenRef").asText());
        assertFalse(stored.body().contains(PASTED), stored.body());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals(PASTED, Files.readString(file));
        String tokenRef = "file:" + file;

        ConsoleProcess.Answer badName = call("POST", "/api/secrets/token", "{\"token\": \"" + PASTED + "\", \"name\": \"../x\"}");
        assertEquals(400, badName.status(), badName.body());
        assertFalse(badName.body().contains(PASTED), badName.body());
        ConsoleProcess.Answer broken = call("POST", "/api/secrets/token", "{\"token\": " + PASTED + "}");
        assertEquals(400, broken.status(), broken.body());
        assertFalse(broken.body().contains(PASTED), "not even in the parser's message: " + broken.body());

        JsonNode apps = json(applications(tokenRef, simulator.baseUrl()), 200);
        List<Long> ids = new ArrayList<>();
        apps.forEach(a -> ids.add(a.get("id").asLong()));
        assertEquals(List.of(811L, 812L), ids, apps.toString());
        assertEquals("Simulated app 811", apps.get(0).get("name").asText());

        assertEquals(403, applications(tokenRef, "https://elsewhere.example").status(), "the token goes to allowed Logs APIs only");
        assertEquals(403, applications("file:" + data.toAbsolutePath().resolve("repository-password"), simulator.baseUrl()).status(),
                "no other file of the data directory");
        assertEquals(403, applications("file:" + file.getParent() + "/../secrets2/token-picker", simulator.baseUrl()).status(),
                "no way out of the secrets directory");
        assertEquals(403, applications("env:HOME", simulator.baseUrl()).status(), "nor a secret outside the allow-lists");
        assertEquals(200, applications("env:APPMETRICA_TOKEN", simulator.baseUrl()).status(), "the allowed default");

        // a stored token goes with the last connection that uses it (a paused one: nothing loads meanwhile)
        String picker = connection(LocalDate.now(ZoneOffset.UTC), simulator.baseUrl()).replace("api-shop", "picker-shop")
                .replace("\"regularity\"", "\"tokenRef\": \"" + tokenRef + "\", \"regularity\"")
                .replace(DATABASE, DATABASE + "_picker");
        assertEquals(201, call("POST", "/api/connections", picker).status());
        assertEquals(200, call("POST", "/api/connections/picker-shop/pause", "{}").status());
        assertEquals(200, call("DELETE", "/api/connections/picker-shop?dropData=true", null).status());
        assertFalse(Files.exists(file), "the pasted token is deleted with its connection");

        assertFalse(console.text().contains(PASTED), "no token in the console's output");
    }
}
