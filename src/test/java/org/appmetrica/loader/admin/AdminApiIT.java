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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin REST API of the standalone console ({@code java -jar appmetrica-loader.jar console}, a separate process
 * with its H2 job repository), every endpoint and error case, against the Logs API simulator and the real ClickHouse;
 * the CLI's --json beside it; and that no secret value is ever served. The WAR serves the same API through JAX-RS over
 * the same ConsoleServices.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminApiIT {

    private static final String TOKEN = "admin-api-secret-token-51b7e2";
    private static final String FILE_TOKEN = "admin-api-file-token-9c04d1";
    private static final String USER = "operator";
    private static final String PASSWORD = "console-pw-3e9a";
    private static final int ROWS = 120;
    private static final String DATABASE = TestClickHouse.database("it_admin_api");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LogsApiSimulator simulator;
    /** Never ready: an export waits in its queue until stopped. */
    private static LogsApiSimulator slowSimulator;
    private static ClickHouseConnection clickhouse;
    private static Path dataDir;
    private static Path tokenFile;
    private static ConsoleProcess console;
    private static final List<Long> executions = new ArrayList<>();
    private static String auth;
    /** A port nothing listens on: a ClickHouse that does not answer, allowed by the operator. */
    private static int closedPort;

    @BeforeAll
    static void start() throws Exception {
        simulator = new LogsApiSimulator(SimulatorConfig.defaults(TOKEN).withTokens(Map.of(TOKEN, Set.of(), FILE_TOKEN, Set.of()))
                .withRowsPerDay(ROWS).withReadyAfter(1).withSeed(5)).start();
        slowSimulator = new LogsApiSimulator(SimulatorConfig.defaults(TOKEN).withRowsPerDay(ROWS).withReadyAfter(1_000_000)).start();
        clickhouse = TestClickHouse.connect();
        TestClickHouse.recreate(clickhouse, DATABASE);
        dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "admin-api");
        tokenFile = dataDir.resolve("token");
        Files.writeString(tokenFile, FILE_TOKEN);
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        Path users = ConsoleProcess.usersFile(dataDir, USER, PASSWORD);
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        // the operator allows the test's endpoints and references (the defaults are the official API and env:APPMETRICA_TOKEN)
        console = ConsoleProcess.start(dataDir.resolve("data"), users, Map.of("APPMETRICA_TOKEN", TOKEN),
                "--allow-api-url", simulator.baseUrl(), "--allow-api-url", slowSimulator.baseUrl(),
                "--allow-clickhouse", TestClickHouse.jdbcUrl(),
                "--allow-clickhouse", "jdbc:clickhouse://127.0.0.1:" + closedPort,
                "--allow-token-ref", "file:" + tokenFile, "--allow-secret", "env:ADMIN_API_UNSET_VARIABLE");
        auth = ConsoleProcess.basic(USER, PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        if (console != null) {
            console.close();
        }
        simulator.close();
        slowSimulator.close();
        clickhouse.close();
    }

    @BeforeEach
    void noFaults() {
        simulator.failNextRequests(0, 503);
    }

    // ---------------------------------------------------------------- helpers

    private static ConsoleProcess.Answer get(String path) throws Exception {
        return console.call("GET", path, null, "Authorization", auth);
    }

    private static ConsoleProcess.Answer post(String path, String body) throws Exception {
        return console.call("POST", path, body, "Authorization", auth);
    }

    private static JsonNode json(ConsoleProcess.Answer a, int status) throws Exception {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.header("Content-Type").startsWith("application/json"), a.header("Content-Type"));
        return JSON.readTree(a.body());
    }

    private static void error(ConsoleProcess.Answer a, int status, String error, String messagePart) throws Exception {
        JsonNode e = json(a, status);
        assertEquals(status, e.get("status").asInt(), a.body());
        assertEquals(error, e.get("error").asText(), a.body());
        assertTrue(e.get("message").asText().contains(messagePart), a.body());
    }

    private static String load(String apiUrl, String days, String... extra) throws Exception {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("applicationIds", "701");
        p.put("sources", "events,push_tokens");
        p.put("dateSince", "2024-06-01");
        p.put("dateUntil", "2024-06-0" + days);
        p.put("apiUrl", apiUrl);
        p.put("pollIntervalSeconds", "0");
        p.put("retryBackoffSeconds", "0");
        p.put("chunkSize", "50");
        p.put("clickhouseUrl", TestClickHouse.jdbcUrl());
        p.put("clickhouseDatabase", DATABASE);
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return JSON.writeValueAsString(Map.of("parameters", p));
    }

    private static JsonNode awaitExecution(long id, Predicate<JsonNode> done, String what) throws Exception {
        return Await.await(() -> json(get("api/executions/" + id), 200), done, Duration.ofSeconds(90), () -> {
            try {
                return "execution " + id + " never " + what + "\n" + console.text();
            } catch (java.io.IOException e) {
                return "execution " + id + " never " + what;
            }
        });
    }

    private static JsonNode awaitStatus(long id, String status) throws Exception {
        return awaitExecution(id, d -> List.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED").contains(d.at("/execution/status").asText()),
                "ended " + status);
    }

    private static JsonNode loadStep(JsonNode detail) {
        for (JsonNode s : detail.get("steps")) {
            if (s.get("name").asText().equals("load-slices")) {
                return s;
            }
        }
        throw new AssertionError("no load-slices step: " + detail);
    }

    // ---------------------------------------------------------------- tests

    @Test
    @Order(1)
    void everyApiPathNeedsALoginThePageDoesNot() throws Exception {
        ConsoleProcess.Answer anonymous = console.call("GET", "api/executions", null);
        error(anonymous, 401, "unauthorized", "log in");
        assertNotNull(anonymous.header("WWW-Authenticate"), "scripts get a Basic challenge");
        assertNull(console.call("GET", "api/executions", null, "X-Requested-With", "appmetrica-console").header("WWW-Authenticate"),
                "the page gets none (it shows its own login form)");
        error(console.call("GET", "api/jobs", null, "Authorization", ConsoleProcess.basic(USER, "wrong")), 401, "unauthorized", "log in");
        error(console.call("GET", "api/jobs", null, "Authorization", ConsoleProcess.basic("nobody", PASSWORD)), 401, "unauthorized", "log in");
        error(console.call("POST", "api/executions", load(simulator.baseUrl(), "1")), 401, "unauthorized", "log in");

        // the login form: a session cookie, HttpOnly and SameSite=Strict
        error(console.call("POST", "api/login", "{\"user\":\"" + USER + "\",\"password\":\"nope\"}"), 401, "unauthorized", "wrong user or password");
        ConsoleProcess.Answer login = console.call("POST", "api/login", "{\"user\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(USER, json(login, 200).get("user").asText());
        String cookie = login.header("Set-Cookie");
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        String session = cookie.substring(0, cookie.indexOf(';'));
        assertEquals(USER, json(console.call("GET", "api/session", null, "Cookie", session), 200).get("user").asText());
        assertEquals(200, console.call("GET", "api/jobs", null, "Cookie", session).status());
        assertEquals(200, console.call("POST", "api/logout", "{}", "Cookie", session).status());
        assertEquals(401, console.call("GET", "api/jobs", null, "Cookie", session).status(), "the session ended");

        // the page's static files need no login and hold no data
        ConsoleProcess.Answer page = console.call("GET", "console/", null);
        assertEquals(200, page.status());
        assertTrue(page.header("Content-Type").startsWith("text/html"));
        assertTrue(page.body().contains("app.js"));
        assertEquals(200, console.call("GET", "console/app.js", null).status());
        assertEquals(200, console.call("GET", "console/app.css", null).status());
        assertEquals(302, console.call("GET", "", null).status());
        assertEquals("/console/", console.call("GET", "", null).header("Location"));
        error(console.call("GET", "console/../pom.xml", null), 404, "not-found", "");
        assertTrue(page.header("Content-Security-Policy").contains("default-src 'self'"));
    }

    @Test
    @Order(2)
    void jobsAndCatalog() throws Exception {
        JsonNode jobs = json(get("api/jobs"), 200);
        assertEquals("appmetrica-load", jobs.get(0).get("name").asText(), jobs.toString());
        JsonNode catalog = json(get("api/catalog"), 200);
        assertTrue(catalog.get("sources").toString().contains("\"name\":\"events\",\"dated\":true"), catalog.toString());
        assertTrue(catalog.get("sources").toString().contains("\"name\":\"push_tokens\",\"dated\":false"), catalog.toString());
        assertTrue(catalog.get("regularLoads").asBoolean());
        assertEquals("env:APPMETRICA_TOKEN", catalog.at("/defaults/tokenRef").asText());
    }

    @Test
    @Order(3)
    void aBadStartIsRefusedWithTheReasonAndStartsNothing() throws Exception {
        int before = json(get("api/executions"), 200).size();
        error(console.call("POST", "api/executions", load(simulator.baseUrl(), "1"), "Authorization", auth, "Content-Type", "text/plain"),
                415, "unsupported-media-type", "application/json");
        error(post("api/executions", "not json"), 400, "bad-request", "not JSON");
        error(post("api/executions", "[1,2]"), 400, "bad-request", "JSON object");
        error(post("api/executions", load(simulator.baseUrl(), "1", "applicationIds", "abc")), 400, "bad-request", "applicationIds='abc'");
        error(post("api/executions", load(simulator.baseUrl(), "1", "dateUntil", "2024-05-01")), 400, "bad-request", "is before dateSince");
        error(post("api/executions", load(simulator.baseUrl(), "1", "sources", "nope")), 400, "bad-request", "unknown source 'nope'");
        error(post("api/executions", load(simulator.baseUrl(), "1", "tokenRef", "env:ADMIN_API_UNSET_VARIABLE")), 400, "bad-request",
                "the secret named by tokenRef=env:ADMIN_API_UNSET_VARIABLE is not set");
        // outside the operator's allow-lists: 403 naming the parameter, and nothing about the file named
        error(post("api/executions", load("http://elsewhere.example:8080", "1")), 403, "not-allowed", "job parameter apiUrl");
        ConsoleProcess.Answer key = post("api/executions", load(simulator.baseUrl(), "1", "tokenRef", "file:/etc/ssh/ssh_host_ed25519_key"));
        error(key, 403, "not-allowed", "job parameter tokenRef");
        assertFalse(key.body().contains("exist") || key.body().contains("chmod") || key.body().contains("ssh_host"), key.body());
        error(post("api/executions", load(simulator.baseUrl(), "1", "clickhouseUrl", "jdbc:clickhouse://elsewhere.example:8123")), 403,
                "not-allowed", "job parameter clickhouseUrl");
        ConsoleProcess.Answer secret = post("api/executions", load(simulator.baseUrl(), "1", "password", TOKEN));
        error(secret, 400, "bad-request", "looks like a secret");
        assertFalse(secret.body().contains(TOKEN), secret.body());
        ConsoleProcess.Answer raw = post("api/executions", load(simulator.baseUrl(), "1", "tokenRef", TOKEN));
        error(raw, 400, "bad-request", "is not a secret reference");
        assertFalse(raw.body().contains(TOKEN), "a token typed where its reference belongs is not echoed: " + raw.body());
        // checked before an execution is created, as the CLI's run: a ClickHouse that does not answer, with the cause
        ConsoleProcess.Answer down = post("api/executions", load(simulator.baseUrl(), "1", "clickhouseUrl", "jdbc:clickhouse://127.0.0.1:" + closedPort));
        error(down, 400, "bad-request", "ClickHouse at jdbc:clickhouse://127.0.0.1:" + closedPort + " does not answer");
        assertTrue(down.body().contains("Connection refused"), down.body());
        assertEquals(before, json(get("api/executions"), 200).size(), "nothing was started");
    }

    @Test
    @Order(4)
    void startedLoadShowsEveryPartitionAndCompletes() throws Exception {
        JsonNode started = json(post("api/executions", load(simulator.baseUrl(), "2", "tokenRef", "file:" + tokenFile)), 201);
        long id = started.get("id").asLong();
        executions.add(id);
        assertEquals("appmetrica-load", started.get("job").asText());
        assertTrue(List.of("STARTING", "STARTED").contains(started.get("status").asText()), started.toString());
        assertEquals("file:" + tokenFile, started.at("/parameters/tokenRef").asText(), "the reference, as given");
        assertEquals(dataDir.resolve("data").resolve("spool").toString(), started.at("/parameters/spoolDir").asText(), "the console's default");

        JsonNode done = awaitStatus(id, "COMPLETED");
        JsonNode e = done.get("execution");
        assertEquals("COMPLETED", e.get("status").asText(), done.toString());
        assertNull(e.get("restartOf").numberValue());
        assertEquals(List.of(), JSON.convertValue(e.get("actions"), List.class), "nothing to abandon in a completed load");
        assertEquals(3, e.at("/progress/planned").asInt()); // 2 days of events + push_tokens
        assertEquals(3, e.at("/progress/completed").asInt());
        assertEquals(3L * ROWS, e.at("/progress/rows").asLong());
        JsonNode partitions = loadStep(done).get("partitions");
        assertEquals(3, partitions.size(), partitions.toString());
        for (JsonNode p : partitions) {
            assertEquals("COMPLETED", p.get("status").asText(), p.toString());
            assertEquals(701, p.get("application").asLong());
            assertEquals("published", p.get("apiState").asText());
            assertEquals(100, p.get("apiProgress").asInt());
            assertEquals(ROWS, p.get("rowsWritten").asLong(), p.toString());
            assertEquals(ROWS, p.get("rowsRead").asLong(), p.toString());
            assertEquals(0, p.get("rowsSkipped").asLong());
            assertTrue(p.get("bytes").asLong() > 0, p.toString());
            assertTrue(p.get("lastError").isNull());
        }
        assertEquals("events", partitions.get(0).get("source").asText());
        assertEquals("2024-06-01", partitions.get(0).get("day").asText());
        assertEquals("push_tokens", partitions.get(2).get("source").asText());
        assertTrue(partitions.get(2).get("day").isNull());
        assertEquals(3L * ROWS, clickhouse.queryLong("SELECT count() FROM " + DATABASE + ".events")
                + clickhouse.queryLong("SELECT count() FROM " + DATABASE + ".push_tokens"));

        JsonNode list = json(get("api/executions?limit=5"), 200);
        assertEquals(id, list.get(0).get("id").asLong(), "newest first");
        assertEquals("COMPLETED", list.get(0).get("status").asText());
        assertEquals(1, json(get("api/executions?limit=1"), 200).size());
        error(get("api/executions?limit=x"), 400, "bad-request", "limit");
        error(get("api/executions?limit=0"), 400, "bad-request", "limit");
    }

    @Test
    @Order(5)
    void unknownExecutionsAndPathsAre404WrongStatesAre409() throws Exception {
        long done = executions.get(0);
        error(get("api/executions/987654"), 404, "not-found", "no execution 987654");
        error(post("api/executions/987654/stop", "{}"), 404, "not-found", "no execution 987654");
        error(post("api/executions/987654/restart", "{}"), 404, "not-found", "no execution 987654");
        error(post("api/executions/987654/abandon", "{}"), 404, "not-found", "no execution 987654");
        error(get("api/executions/abc"), 404, "not-found", "execution ids are numbers");
        error(get("api/nothing"), 404, "not-found", "no API");
        error(console.call("DELETE", "api/executions/" + done, null, "Authorization", auth), 405, "method-not-allowed", "GET");
        error(get("api/executions/" + done + "/stop"), 405, "method-not-allowed", "POST");
        error(post("api/executions/" + done + "/stop", "{}"), 409, "wrong-state", "COMPLETED, not running");
        error(post("api/executions/" + done + "/restart", "{}"), 409, "wrong-state", "only a FAILED or STOPPED execution can be restarted");
        error(console.call("POST", "api/executions/" + done + "/abandon", "", "Authorization", auth, "Content-Type", "text/plain"),
                415, "unsupported-media-type", "application/json");
    }

    @Test
    @Order(6)
    void failedLoadShowsItsReasonAndRestartsWithAnOverride() throws Exception {
        simulator.failNextRequests(1_000_000, 503);
        JsonNode started = json(post("api/executions", load(simulator.baseUrl(), "1", "maxRetries", "0", "sources", "events")), 201);
        long failed = started.get("id").asLong();
        JsonNode d = awaitStatus(failed, "FAILED");
        JsonNode e = d.get("execution");
        assertEquals("FAILED", e.get("status").asText(), d.toString());
        assertTrue(e.get("failure").asText().contains("503"), "the failure reason in full: " + e);
        assertEquals(List.of("restart", "abandon"), JSON.convertValue(e.get("actions"), List.class));
        JsonNode partition = loadStep(d).get("partitions").get(0);
        assertEquals("FAILED", partition.get("status").asText());
        assertTrue(partition.get("lastError").asText().contains("503"), partition.toString());

        simulator.failNextRequests(0, 503);
        error(post("api/executions/" + failed + "/restart", "{\"parameters\":{\"maxRetries\":\"many\"}}"), 400, "bad-request", "maxRetries='many'");
        error(post("api/executions/" + failed + "/restart", "{\"parameters\":{\"token\":\"" + TOKEN + "\"}}"), 400, "bad-request", "looks like a secret");
        JsonNode restarted = json(post("api/executions/" + failed + "/restart", "{\"parameters\":{\"maxRetries\":\"3\"}}"), 201);
        long id = restarted.get("id").asLong();
        assertEquals(failed, restarted.get("restartOf").asLong());
        assertEquals("3", restarted.at("/parameters/maxRetries").asText(), "the override");
        assertEquals(DATABASE, restarted.at("/parameters/clickhouseDatabase").asText(), "the original parameters");
        JsonNode completed = awaitStatus(id, "COMPLETED");
        assertEquals("COMPLETED", completed.at("/execution/status").asText(), completed.toString());
        executions.add(failed);
        executions.add(id);

        // only the most recent execution of a job instance can be restarted; an ended one can be abandoned
        error(post("api/executions/" + failed + "/restart", "{}"), 409, "wrong-state", "cannot be restarted: it was restarted already");
        JsonNode abandoned = json(post("api/executions/" + failed + "/abandon", "{}"), 200);
        assertEquals("ABANDONED", abandoned.get("status").asText());
        assertEquals(List.of(), JSON.convertValue(abandoned.get("actions"), List.class));
        error(post("api/executions/" + failed + "/abandon", "{}"), 409, "wrong-state", "ABANDONED already");
        error(post("api/executions/" + failed + "/restart", "{}"), 409, "wrong-state", "only a FAILED or STOPPED");
    }

    @Test
    @Order(7)
    void runningLoadShowsItsApiStateAndStops() throws Exception {
        JsonNode started = json(post("api/executions", load(slowSimulator.baseUrl(), "1", "sources", "events", "pollIntervalSeconds", "1")), 201);
        long id = started.get("id").asLong();
        executions.add(id);
        JsonNode queued = awaitExecution(id, d -> {
            for (JsonNode s : d.get("steps")) {
                JsonNode parts = s.get("partitions");
                if (s.get("name").asText().equals("load-slices") && parts.size() == 1 && "queued".equals(parts.get(0).get("apiState").asText())) {
                    return true;
                }
            }
            return false;
        }, "waited in the API queue");
        assertEquals("STARTED", queued.at("/execution/status").asText());
        assertEquals(List.of("stop"), JSON.convertValue(queued.at("/execution/actions"), List.class));
        assertEquals(1, queued.at("/execution/progress/running").asInt());
        error(post("api/executions/" + id + "/abandon", "{}"), 409, "wrong-state", "stop it first");
        error(post("api/executions/" + id + "/restart", "{}"), 409, "wrong-state", "only a FAILED or STOPPED");

        JsonNode stopping = json(post("api/executions/" + id + "/stop", "{}"), 202);
        assertEquals(id, stopping.get("id").asLong());
        JsonNode stopped = awaitStatus(id, "STOPPED");
        assertEquals("STOPPED", stopped.at("/execution/status").asText(), stopped.toString());
        assertEquals(List.of("restart", "abandon"), JSON.convertValue(stopped.at("/execution/actions"), List.class));
        error(post("api/executions/" + id + "/stop", "{}"), 409, "wrong-state", "not running");
    }

    @Test
    @Order(8)
    void regularLoadsAreConnections() throws Exception {
        // the in-memory regular loads are gone, with an answer that says where they went
        error(get("api/schedules"), 410, "gone", "regular loads are connections now");
        error(post("api/schedules", "{\"definition\":{\"name\":\"it_regular\"}}"), 410, "gone", "POST /api/connections");
        error(post("api/schedules/it_regular/cancel", "{}"), 410, "gone", "docs/connections.md");

        LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        String regular = "{\"name\": \"it_regular\", \"applications\": [702], \"sources\": {\"events\": {}}, \"loadFrom\": \"" + yesterday
                + "\", \"regularity\": \"regular\", \"schedule\": \"every 6 h\", \"timeZone\": \"UTC\", \"apiUrl\": \"" + simulator.baseUrl()
                + "\", \"target\": {\"url\": \"" + TestClickHouse.jdbcUrl() + "\", \"database\": \"" + DATABASE + "\"}}";
        assertEquals("it_regular", json(post("api/connections", regular), 201).get("name").asText());
        // it runs at once, then waits for its next time
        JsonNode c = Await.await(() -> json(get("api/connections/it_regular"), 200), v -> "up-to-date".equals(v.get("state").asText()),
                Duration.ofSeconds(90), () -> "the regular connection did not load");
        assertEquals("COMPLETED", c.at("/lastRun/status").asText(), c.toString());
        assertNotNull(c.get("nextRun").textValue(), c.toString());
        long id = c.at("/lastRun/executionId").asLong();
        executions.add(id);
        JsonNode e = json(get("api/executions/" + id), 200).get("execution");
        assertEquals(yesterday.toString(), e.at("/parameters/dateSince").asText(), e.toString());
        JsonNode deleted = json(console.call("DELETE", "api/connections/it_regular", null, "Authorization", auth), 200);
        assertEquals("it_regular", deleted.get("deleted").asText());
        error(get("api/connections/it_regular"), 404, "not-found", "no connection named it_regular");
    }

    @Test
    @Order(9)
    void theCliPrintsTheSameJson() throws Exception {
        Path data = dataDir.resolve("data");
        long completed = executions.get(0);
        ConsoleProcess.CliResult list = ConsoleProcess.cli(data, Map.of(), "executions", "--json");
        assertEquals(0, list.exitCode(), list.err());
        JsonNode cliList = JSON.readTree(list.out());
        JsonNode apiList = json(get("api/executions?limit=1000"), 200);
        assertEquals(apiList.size(), cliList.size());
        for (int i = 0; i < apiList.size(); i++) {
            for (String field : List.of("id", "status", "exitStatus", "failure", "started", "ended", "parameters", "restartOf", "progress", "actions")) {
                assertEquals(apiList.get(i).get(field), cliList.get(i).get(field), field + " of " + apiList.get(i));
            }
        }

        ConsoleProcess.CliResult status = ConsoleProcess.cli(data, Map.of(), "status", Long.toString(completed), "--json");
        assertEquals(0, status.exitCode(), status.err());
        JsonNode cliDetail = JSON.readTree(status.out());
        JsonNode apiDetail = json(get("api/executions/" + completed), 200);
        for (String field : List.of("id", "status", "exitStatus", "started", "ended", "parameters", "restartOf", "progress", "actions")) {
            assertEquals(apiDetail.get("execution").get(field), cliDetail.get("execution").get(field), field);
        }
        JsonNode cliPartitions = loadStep(cliDetail).get("partitions");
        assertEquals(3, cliPartitions.size());
        assertFalse(cliPartitions.get(0).get("metricsLive").asBoolean(), "another process reads the repository");
        assertEquals(ROWS, cliPartitions.get(0).get("rowsWritten").asLong(), "rows from the partition's report");

        ConsoleProcess.CliResult missing = ConsoleProcess.cli(data, Map.of(), "status", "987654", "--json");
        assertEquals(1, missing.exitCode());
        assertEquals(404, JSON.readTree(missing.out()).get("status").asInt(), missing.out());
        ConsoleProcess.CliResult stop = ConsoleProcess.cli(data, Map.of(), "stop", Long.toString(completed), "--json");
        assertEquals(1, stop.exitCode());
        assertEquals("wrong-state", JSON.readTree(stop.out()).get("error").asText(), stop.out());
        ConsoleProcess.CliResult abandon = ConsoleProcess.cli(data, Map.of(), "abandon", Long.toString(completed), "--json");
        assertEquals(0, abandon.exitCode(), abandon.err());
        assertEquals("ABANDONED", JSON.readTree(abandon.out()).get("status").asText());
        assertEquals("ABANDONED", json(get("api/executions/" + completed), 200).at("/execution/status").asText(), "the console sees it");
        ConsoleProcess.CliResult human = ConsoleProcess.cli(data, Map.of(), "abandon", Long.toString(completed));
        assertEquals(1, human.exitCode());
        assertTrue(human.err().contains("error: execution " + completed + " is ABANDONED already"), human.err());

        // the CLI stops an execution the console runs (through the job repository), and restarts it itself
        long stopped = executions.get(3);
        ConsoleProcess.CliResult restart = ConsoleProcess.cli(data, Map.of("APPMETRICA_TOKEN", TOKEN), "restart", Long.toString(stopped),
                "apiUrl=" + simulator.baseUrl(), "--json");
        assertEquals(0, restart.exitCode(), restart.out() + restart.err());
        JsonNode restarted = JSON.readTree(restart.out());
        assertEquals("COMPLETED", restarted.get("status").asText(), restart.out());
        assertEquals(stopped, restarted.get("restartOf").asLong());
        assertEquals(simulator.baseUrl(), restarted.at("/parameters/apiUrl").asText());
        assertTrue(restart.err().contains("execution id: " + restarted.get("id").asLong()), restart.err());
    }

    @Test
    @Order(10)
    void noSecretValueIsEverServed() throws Exception {
        List<String> served = new ArrayList<>();
        for (String path : List.of("api/session", "api/jobs", "api/catalog", "api/executions?limit=1000", "api/schedules", "console/",
                "console/app.js", "console/app.css")) {
            served.add(get(path).body());
        }
        JsonNode all = json(get("api/executions?limit=1000"), 200);
        assertTrue(all.size() >= 5, all.toString());
        for (JsonNode e : all) {
            served.add(get("api/executions/" + e.get("id").asLong()).body());
        }
        served.add(ConsoleProcess.cli(dataDir.resolve("data"), Map.of(), "executions", "--json").out());
        String everything = String.join("\n", served);
        assertTrue(everything.contains("env:APPMETRICA_TOKEN") || everything.contains("file:" + tokenFile), "references are shown");
        assertTrue(everything.contains("file:" + tokenFile), "the file reference is shown as given");
        assertFalse(everything.contains(TOKEN), "the token of env:APPMETRICA_TOKEN is never served");
        assertFalse(everything.contains(FILE_TOKEN), "the token of the file reference is never served");
        assertFalse(everything.contains(PASSWORD), "the console password is never served");
        assertFalse(console.text().contains(TOKEN) || console.text().contains(FILE_TOKEN), "nor printed by the console");
    }
}
