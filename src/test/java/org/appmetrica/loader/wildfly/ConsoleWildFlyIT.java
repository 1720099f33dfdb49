package org.appmetrica.loader.wildfly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.appmetrica.loader.admin.ConsoleApplication;
import org.appmetrica.loader.admin.ConsoleProcess;
import org.appmetrica.loader.admin.LoginRequired;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.security.Routes;
import org.appmetrica.loader.testing.Await;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin console inside target/appmetrica-loader.war in WildFly 39: an application user in group appmetrica-admin
 * (add-user.sh -a, as docs/console.md says), the ClickHouse driver module, the WAR deployed at boot. Runs its own copy of
 * the server the build unpacked (target/console-wildfly, ports +500, started with the loads' allow-lists and the token
 * in its environment) so that the other WildFly ITs keep their fresh one; Arquillian has stopped theirs after each of
 * their classes, so one server runs at a time. After the first boot configure.sh runs on it, as docs/wildfly.md says (the
 * credential store with the token, the job repository's datasource), since connections are kept in that datasource.
 * Checks the BASIC login against the server's ApplicationRealm, a load started and restarted through the JAX-RS API
 * (live partitions from the server's JBeret), the error statuses, that the token is never served, and connections:
 * created, loaded by the server's scheduler, edited (dry run, full reload), paused, read back and run again after
 * server restarts, deleted with their data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleWildFlyIT {

    private static final String TOKEN = "wildfly-console-token-8e21f4";
    private static final String USER = "console-admin";
    private static final String PASSWORD = "Console-pw-4d2!";
    private static final int OFFSET = 500;
    private static final String BASE = "http://127.0.0.1:" + (8080 + OFFSET) + "/appmetrica-loader/";
    private static final String DATABASE = TestClickHouse.database("it_console_wildfly");
    private static final String CONNECTION_DATABASE = TestClickHouse.database("it_console_wildfly_conn");
    private static final String STORED_TOKEN = "cs:appmetrica/appmetrica-token";
    private static final int ROWS = 80;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(TOKEN, ROWS, 3);
    private static Path home;
    private static Process server;
    private static final List<Long> executions = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        home = WildFlyServer.PROJECT_DIR.resolve("target/console-wildfly");
        run(List.of("rm", "-rf", home.toString()), Map.of());
        run(List.of("cp", "-a", WildFlyServer.JBOSS_HOME.toString(), home.toString()), Map.of());
        // a server the WildFly ITs already configured is taken back to its first configuration, without their log
        WildFlyServer.resetToFirstConfiguration(home);
        WildFlyServer.deleteTree(home.resolve("standalone/log"));
        // docs/console.md's way to add a console user: an application user in group appmetrica-admin
        WildFlyServer.addConsoleUser(home, USER, PASSWORD);
        // The ClickHouse driver module the WAR depends on, installed offline with configure.cli's own command, so that
        // the WAR deploys at the first boot (the loads use clickhouseUrl; configure.sh adds the rest once it runs).
        if (!Files.isDirectory(home.resolve("modules/com/clickhouse/jdbc"))) {
            String moduleAdd = Files.readAllLines(WildFlyServer.PROJECT_DIR.resolve("server-config/wildfly/configure.cli")).stream()
                    .map(String::trim).filter(l -> l.startsWith("module add ")).findFirst().orElseThrow()
                    .replace("$moduleDir", System.getProperty("clickhouse.jdbc.module.dir"));
            run(List.of(home.resolve("bin/jboss-cli.sh").toString(), "--command=" + moduleAdd), Map.of());
        }
        Files.copy(Path.of(System.getProperty("war.file")), home.resolve("standalone/deployments/appmetrica-loader.war"),
                StandardCopyOption.REPLACE_EXISTING);

        Path failed = home.resolve("standalone/deployments/appmetrica-loader.war.failed");
        Path out = launch();
        Path deployed = home.resolve("standalone/deployments/appmetrica-loader.war.deployed");
        Await.await(() -> {
            if (Files.exists(failed) || !server.isAlive()) {
                throw new AssertionError("the WAR was not deployed: " + Files.readString(out) + "\n" + serverLog());
            }
            return Files.exists(deployed);
        }, Duration.ofMinutes(3), () -> "the WAR was not deployed: " + Files.readString(out) + "\n" + serverLog());
        assertFalse(json("GET", "api/catalog", null, 200).get("connections").asBoolean(),
                "no connections before the job repository has a datasource: they would be lost with a restart");
        // configure.sh as docs/wildfly.md runs it: the credential store (the token as cs:appmetrica/appmetrica-token) and the
        // job repository's datasource, which keeps the connections too; it reloads the server, the WAR deploys again
        WildFlyServer.CliRun configured = WildFlyServer.configure(home, 9990 + OFFSET, TOKEN, WildFlyServer.clickhouseJdbcUrl());
        assertEquals(0, configured.exitCode(), configured.output() + "\n" + serverLog());
        awaitConnections();
        env.freshDatabase(DATABASE);
        env.freshDatabase(DATABASE + "_2");
        env.freshDatabase(CONNECTION_DATABASE);
    }

    /** Starts the server (the WAR deploys at boot); its console output goes to standalone/log/console.out. */
    private static Path launch() throws Exception {
        Files.createDirectories(home.resolve("standalone/log"));
        Path out = home.resolve("standalone/log/console.out");
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/standalone.sh").toString(), "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
                "-Djboss.socket.binding.port-offset=" + OFFSET)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        pb.environment().put("JBOSS_HOME", home.toString());
        // the operator's allow-lists for loads started from the console: the simulator, the test's ClickHouse and spool
        pb.environment().put("JAVA_OPTS", "-Xms64m -Xmx512m -Djava.net.preferIPv4Stack=true -Dappmetrica.allow.apiUrls=" + env.apiUrl()
                + " -Dappmetrica.allow.clickhouse=" + WildFlyServer.clickhouseJdbcUrl()
                + " -Dappmetrica.allow.tokenRefs=env:APPMETRICA_TOKEN -Dappmetrica.allow.spoolDirs=" + home.resolve("spool"));
        pb.environment().put("APPMETRICA_TOKEN", TOKEN); // tokenRef=env:APPMETRICA_TOKEN, read by the server
        server = pb.start();
        return out;
    }

    /** Waits until the deployed console offers connections (after configure.sh's reload, after a restart). */
    private static void awaitConnections() throws Exception {
        Await.await(() -> {
            if (!server.isAlive()) {
                throw new AssertionError("the server ended\n" + serverLog());
            }
            try {
                Answer a = call("GET", "api/catalog", null, true, PASSWORD);
                boolean offered = a.status() == 200 && JSON.readTree(a.body()).get("connections").asBoolean();
                return offered ? "connections offered" : a.status() + " " + a.body();
            } catch (IOException e) {
                return e.toString(); // the server is (re)starting
            }
        }, "connections offered"::equals, Duration.ofMinutes(3),
                () -> "the console did not offer connections\n" + serverLog());
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            // SIGTERM: WildFly shuts down gracefully. Its JVM may outlive standalone.sh: wait for every process, so that a
            // server started next does not meet the old one on its ports.
            List<ProcessHandle> processes = new ArrayList<>(server.descendants().toList());
            processes.add(server.toHandle());
            processes.forEach(ProcessHandle::destroy);
            for (ProcessHandle p : processes) {
                try {
                    p.onExit().get(60, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    p.destroyForcibly();
                    p.onExit().get(30, TimeUnit.SECONDS);
                }
            }
            server = null;
        }
    }

    // ---------------------------------------------------------------- server handling

    private static String run(List<String> command, Map<String, String> env) throws Exception {
        Path log = Files.createTempFile(WildFlyServer.PROJECT_DIR.resolve("target"), "console-wildfly", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JBOSS_HOME", home.toString());
        pb.environment().put("JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not end within 3 minutes: " + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        if (p.exitValue() != 0) {
            throw new AssertionError(command + " failed with " + p.exitValue() + ":\n" + output + "\n" + serverLog());
        }
        return output;
    }

    private static String serverLog() {
        return WildFlyServer.logTail(home);
    }

    // ---------------------------------------------------------------- HTTP

    private record Answer(int status, String body, HttpResponse<String> response) {
    }

    private static Answer call(String method, String path, String body, boolean authenticated, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(30));
        if (authenticated) {
            b.header("Authorization", ConsoleProcess.basic(USER, password));
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r);
    }

    private static JsonNode json(String method, String path, String body, int status) throws Exception {
        Answer a = call(method, path, body, true, PASSWORD);
        assertEquals(status, a.status(), method + " " + path + ": " + a.body() + "\n" + (a.status() >= 500 ? serverLog() : ""));
        return JSON.readTree(a.body());
    }

    private static String load(String... extra) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("applicationIds", "901");
        p.put("sources", "events");
        p.put("dateSince", "2024-08-01");
        p.put("dateUntil", "2024-08-02");
        p.put("apiUrl", env.apiUrl());
        p.put("tokenRef", "env:APPMETRICA_TOKEN");
        p.put("clickhouseUrl", WildFlyServer.clickhouseJdbcUrl());
        p.put("clickhouseDatabase", DATABASE);
        p.put("pollIntervalSeconds", "0");
        p.put("retryBackoffSeconds", "0");
        p.put("spoolDir", home.resolve("spool").toString());
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return JSON.writeValueAsString(Map.of("parameters", p));
    }

    private static JsonNode awaitEnd(long id) throws Exception {
        return Await.await(() -> json("GET", "api/executions/" + id, null, 200),
                d -> List.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED").contains(d.at("/execution/status").asText()), Duration.ofMinutes(2),
                () -> "execution " + id + " did not end\n" + serverLog());
    }

    // ---------------------------------------------------------------- tests

    /**
     * Every route of the WAR's admin application (by reflection) and every file of the page, asked anonymously in many
     * spellings: the container's BASIC login covers /* whatever the spelling, and {@link LoginRequired} refuses any
     * matched resource method without a user besides.
     */
    @Test
    @Order(1)
    void everyRouteInEverySpellingNeedsALogin() throws Exception {
        List<Routes.Route> routes = new ArrayList<>(Routes.of(new ConsoleApplication().getClasses()));
        routes.addAll(Routes.staticFiles(false));
        List<Routes.Route> all = routes.stream().map(r -> new Routes.Route(r.method(), r.path(), false)).toList();
        assertTrue(all.size() > 30, all.toString());
        List<String> failures = Routes.anonymousFailures("127.0.0.1", 8080 + OFFSET, "/appmetrica-loader/", all);
        assertTrue(failures.isEmpty(), failures.size() + " anonymous requests were not refused: " + failures);
        String basic = ConsoleProcess.basic(USER, PASSWORD);
        assertEquals(200, Routes.status("127.0.0.1", 8080 + OFFSET, "GET", "/appmetrica-loader/api;x/session", "Authorization", basic),
                "the spelling reaches the resource with a login");
    }

    @Test
    @Order(1)
    void theConsoleNeedsAUserOfTheApplicationRealm() throws Exception {
        for (String path : List.of("api/executions", "api/jobs", "console/", "console/app.js")) {
            Answer anonymous = call("GET", path, null, false, null);
            assertEquals(401, anonymous.status(), path);
            assertTrue(anonymous.response().headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"), path);
            assertEquals(401, call("GET", path, null, true, "wrong-password").status(), path);
        }
        assertEquals(USER, json("GET", "api/session", null, 200).get("user").asText());
        assertEquals("container", json("GET", "api/session", null, 200).get("login").asText());
        Answer page = call("GET", "console/", null, true, PASSWORD);
        assertEquals(200, page.status());
        assertTrue(page.body().contains("app.js") && page.response().headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertEquals(200, call("GET", "console/app.js", null, true, PASSWORD).status());
        Answer bare = call("GET", "console", null, true, PASSWORD);
        assertEquals(303, bare.status());
        assertTrue(bare.response().headers().firstValue("Location").orElse("").endsWith("/appmetrica-loader/console/"));
        assertEquals("appmetrica-load", json("GET", "api/jobs", null, 200).get(0).get("name").asText());
        assertFalse(json("GET", "api/catalog", null, 200).get("sources").isEmpty());
    }

    @Test
    @Order(2)
    void loadStartedThroughTheApiCompletesWithLivePartitions() throws Exception {
        // outside the deployment's appmetrica.allow.* lists: refused, naming the parameter
        assertTrue(json("POST", "api/executions", load("apiUrl", "http://elsewhere.example:8080"), 403).get("message").asText()
                .contains("job parameter apiUrl"));
        assertTrue(json("POST", "api/executions", load("tokenRef", "file:/etc/ssh/ssh_host_ed25519_key"), 403).get("message").asText()
                .contains("job parameter tokenRef"));
        JsonNode started = json("POST", "api/executions", load(), 201);
        long id = started.get("id").asLong();
        executions.add(id);
        assertEquals("env:APPMETRICA_TOKEN", started.at("/parameters/tokenRef").asText(), "the reference, shown as such");
        JsonNode done = awaitEnd(id);
        assertEquals("COMPLETED", done.at("/execution/status").asText(), done.toString());
        JsonNode partitions = null;
        for (JsonNode s : done.get("steps")) {
            if (s.get("name").asText().equals("load-slices")) {
                partitions = s.get("partitions");
            }
        }
        assertTrue(partitions != null && partitions.size() == 2, "the server's JBeret shows the partitions: " + done);
        for (JsonNode p : partitions) {
            assertEquals("COMPLETED", p.get("status").asText());
            assertEquals("published", p.get("apiState").asText());
            assertEquals(ROWS, p.get("rowsWritten").asLong());
        }
        assertEquals(2L * ROWS, env.clickhouse().queryLong("SELECT count() FROM " + DATABASE + ".events"));
        assertEquals(id, json("GET", "api/executions", null, 200).get(0).get("id").asLong());

        // configure.sh's micrometer registry exports the loader's meters; the gauges are read every few seconds
        String metrics = awaitMetrics("appmetrica_loader_executions", "status=\"COMPLETED\"", v -> v == 1);
        assertEquals(2.0 * ROWS, metric(metrics, "appmetrica_loader_rows_loaded_total", "source=\"events\""), metrics);
        assertTrue(metric(metrics, "appmetrica_loader_bytes_loaded_total", "source=\"events\"") > 0, metrics);
        assertEquals(0.0, metric(metrics, "appmetrica_loader_executions", "status=\"STARTED\""), metrics);
    }

    /** The value of the first series of {@code name} whose labels contain {@code label}, or null. */
    private static Double metric(String metrics, String name, String label) {
        return metrics.lines().filter(l -> l.startsWith(name + "{") && l.substring(0, l.indexOf('}') + 1).contains(label)).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf('}') + 1).trim().split(" ")[0])).orElse(null);
    }

    /** Scrapes the server's Prometheus endpoint (management interface) until the series satisfies the condition. */
    private static String awaitMetrics(String name, String label, java.util.function.DoublePredicate condition) throws Exception {
        AtomicReference<String> last = new AtomicReference<>("");
        return Await.await(() -> HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (9990 + OFFSET) + "/prometheus"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()), r -> {
                    last.set(r.statusCode() + "\n" + r.body().lines().filter(l -> l.startsWith("appmetrica_")).collect(Collectors.joining("\n")));
                    Double v = r.statusCode() == 200 ? metric(r.body(), name, label) : null;
                    return v != null && condition.test(v);
                }, Duration.ofSeconds(60), () -> name + " " + label + " did not reach the expected value; last scrape: " + last.get()
                        + "\n" + serverLog()).body();
    }

    @Test
    @Order(3)
    void errorsAreJsonWithTheRightStatus() throws Exception {
        long done = executions.get(0);
        assertEquals("not-found", json("GET", "api/executions/987654", null, 404).get("error").asText());
        assertEquals("not-found", json("POST", "api/executions/987654/stop", "{}", 404).get("error").asText());
        assertEquals("not-found", json("GET", "api/nothing", null, 404).get("error").asText());
        assertEquals("method-not-allowed", json("DELETE", "api/executions/" + done, null, 405).get("error").asText());
        assertTrue(json("POST", "api/executions/" + done + "/restart", "{}", 409).get("message").asText().contains("only a FAILED or STOPPED"));
        assertTrue(json("POST", "api/executions/" + done + "/stop", "{}", 409).get("message").asText().contains("not running"));
        assertTrue(json("POST", "api/executions", load("applicationIds", "x"), 400).get("message").asText().contains("applicationIds='x'"));
        assertTrue(json("POST", "api/executions", load("password", TOKEN), 400).get("message").asText().contains("looks like a secret"));
        Answer text = call("POST", "api/executions/" + done + "/abandon", null, true, PASSWORD);
        assertEquals(415, text.status(), text.body());
    }

    @Test
    @Order(4)
    void failedLoadIsRestartedThroughTheApi() throws Exception {
        env.simulator().failNextRequests(1_000_000, 503);
        long failed = json("POST", "api/executions", load("maxRetries", "0", "clickhouseDatabase", DATABASE + "_2"), 201).get("id").asLong();
        JsonNode f = awaitEnd(failed);
        assertEquals("FAILED", f.at("/execution/status").asText());
        assertTrue(f.at("/execution/failure").asText().contains("503"), f.toString());
        env.simulator().failNextRequests(0, 503);
        JsonNode restarted = json("POST", "api/executions/" + failed + "/restart", "{\"parameters\":{\"maxRetries\":\"2\"}}", 201);
        long id = restarted.get("id").asLong();
        executions.add(failed);
        executions.add(id);
        assertEquals(failed, restarted.get("restartOf").asLong());
        assertEquals("2", restarted.at("/parameters/maxRetries").asText());
        assertEquals(DATABASE + "_2", restarted.at("/parameters/clickhouseDatabase").asText(), "the original parameters, shown merged");
        assertEquals("COMPLETED", awaitEnd(id).at("/execution/status").asText());
        assertEquals(2L * ROWS, env.clickhouse().queryLong("SELECT count() FROM " + DATABASE + "_2.events"));
        assertEquals("ABANDONED", json("POST", "api/executions/" + failed + "/abandon", "{}", 200).get("status").asText());
    }

    @Test
    @Order(5)
    void theTokenIsNeverServed() throws Exception {
        StringBuilder served = new StringBuilder();
        for (String path : List.of("api/jobs", "api/catalog", "api/executions", "api/schedules", "api/session")) {
            served.append(call("GET", path, null, true, PASSWORD).body());
        }
        for (long id : executions) {
            served.append(call("GET", "api/executions/" + id, null, true, PASSWORD).body());
        }
        assertTrue(served.toString().contains("env:APPMETRICA_TOKEN"));
        assertFalse(served.toString().contains(TOKEN));
        assertFalse(served.toString().contains(PASSWORD));
    }

    // ---------------------------------------------------------------- connections

    /** A regular connection to the simulator, with the token from the server's credential store (configure.sh put it there). */
    private static String connection(LocalDate loadFrom) {
        return "{\"name\": \"wf-shop\", \"applications\": [902], \"sources\": {\"events\": {}}, \"loadFrom\": \"" + loadFrom + "\", "
                + "\"regularity\": \"regular\", \"schedule\": \"03:00\", \"reloadDays\": 1, \"apiUrl\": \"" + env.apiUrl() + "\", "
                + "\"tokenRef\": \"" + STORED_TOKEN + "\", \"target\": {\"url\": \"" + WildFlyServer.clickhouseJdbcUrl() + "\", "
                + "\"database\": \"" + CONNECTION_DATABASE + "\"}}";
    }

    /** Polls the connection's view until it matches (a status the server reports, not a time). */
    private static JsonNode awaitView(String what, Predicate<JsonNode> done) throws Exception {
        return Await.await(() -> json("GET", "api/connections/wf-shop", null, 200), done, Duration.ofMinutes(3),
                () -> "the connection was not " + what + "\n" + serverLog());
    }

    private static long lastExecution(JsonNode view) {
        JsonNode last = view.get("lastRun");
        return last == null || last.isNull() ? -1 : last.get("executionId").asLong();
    }

    private static boolean ranAfter(JsonNode view, long execution) {
        return lastExecution(view) > execution && !"loading".equals(view.get("state").asText()) && !"new".equals(view.get("state").asText());
    }

    private static long connectionRows() {
        return env.clickhouse().queryLong("SELECT count() FROM " + CONNECTION_DATABASE + ".events");
    }

    @Test
    @Order(6)
    void theApplicationsPickerReadsTheStoredToken() throws Exception {
        String query = "api/applications?tokenRef=" + STORED_TOKEN + "&apiUrl=" + URLEncoder.encode(env.apiUrl(), StandardCharsets.UTF_8);
        assertTrue(json("GET", query, null, 200).isArray());
        assertEquals(403, call("GET", "api/applications?tokenRef=file:/etc/passwd&apiUrl=" + URLEncoder.encode(env.apiUrl(),
                StandardCharsets.UTF_8), null, true, PASSWORD).status(), "held to the allow-lists");
        // pasted tokens are kept in the credential store by configure.sh, not from the page
        assertEquals(501, call("POST", "api/secrets/token", "{\"name\": \"x\", \"token\": \"abcdef\"}", true, PASSWORD).status());
    }

    @Test
    @Order(7)
    void aConnectionLoadsIsEditedAndReloads() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertEquals(0, json("GET", "api/connections", null, 200).size());
        JsonNode created = json("POST", "api/connections", connection(today.minusDays(2)), 201);
        assertEquals(STORED_TOKEN, created.get("tokenRef").asText(), "the reference, shown as such");
        JsonNode loaded = awaitView("loaded", v -> ranAfter(v, -1));
        assertEquals("up-to-date", loaded.get("state").asText(), loaded.toString());
        assertFalse(loaded.get("nextRun").isNull(), "a regular connection waits for its next run: " + loaded);
        assertEquals(2L * ROWS, connectionRows(), "loaded by the server's scheduler from load-from to yesterday");
        assertEquals(1, json("GET", "api/connections", null, 200).size());

        String earlier = connection(today.minusDays(4));
        JsonNode dry = json("PUT", "api/connections/wf-shop?dryRun=true", earlier, 200);
        assertEquals("full-reload", dry.at("/plan/actions/0/kind").asText(), dry.toString());
        assertFalse(dry.has("connection"), "a dry run saves nothing");
        assertEquals(today.minusDays(2).toString(), json("GET", "api/connections/wf-shop", null, 200).get("loadFrom").asText());
        long firstRun = lastExecution(loaded);
        JsonNode edited = json("PUT", "api/connections/wf-shop", earlier, 200);
        assertEquals(today.minusDays(4).toString(), edited.at("/connection/loadFrom").asText());
        // a regular connection runs at once after the edit: the full reload
        JsonNode reloaded = awaitView("reloaded", v -> ranAfter(v, firstRun));
        assertEquals("up-to-date", reloaded.get("state").asText(), reloaded.toString());
        assertEquals(4L * ROWS, connectionRows(), "a full reload from the earlier load-from, every day once");
        assertEquals(4L, env.clickhouse().queryLong("SELECT uniqExact(load_date) FROM " + CONNECTION_DATABASE + ".events"));

        JsonNode paused = json("POST", "api/connections/wf-shop/pause", "{}", 200);
        assertEquals("paused", paused.get("state").asText());
        assertTrue(paused.get("nextRun").isNull(), paused.toString());
        assertEquals(409, call("POST", "api/connections/wf-shop/run", "{}", true, PASSWORD).status(), "a paused connection does not run");
    }

    @Test
    @Order(8)
    void connectionsSurviveAServerRestartAndRunAgain() throws Exception {
        long before = lastExecution(json("GET", "api/connections/wf-shop", null, 200));
        stopServer();
        launch();
        awaitConnections();
        JsonNode stillPaused = json("GET", "api/connections/wf-shop", null, 200);
        assertEquals("paused", stillPaused.get("state").asText(), "read back from the job repository's database: " + stillPaused);
        assertEquals(before, lastExecution(stillPaused), "a paused connection does not run at deployment");

        assertTrue(json("POST", "api/connections/wf-shop/resume", "{}", 200).has("name"));
        JsonNode resumed = awaitView("run after resume", v -> ranAfter(v, before));
        assertEquals("up-to-date", resumed.get("state").asText(), resumed.toString());
        // a restart with the connection active: the deployment schedules it again and it catches up at once
        stopServer();
        launch();
        awaitConnections();
        long resumedRun = lastExecution(resumed);
        JsonNode afterRestart = awaitView("run at deployment", v -> ranAfter(v, resumedRun));
        assertEquals("up-to-date", afterRestart.get("state").asText(), afterRestart.toString());
        assertFalse(afterRestart.get("nextRun").isNull(), afterRestart.toString());
        assertEquals(4L * ROWS, connectionRows(), "the re-load window replaced its days, nothing twice");
    }

    @Test
    @Order(9)
    void aConnectionIsDeletedWithItsData() throws Exception {
        StringBuilder served = new StringBuilder();
        served.append(call("GET", "api/connections", null, true, PASSWORD).body());
        served.append(call("GET", "api/connections/wf-shop", null, true, PASSWORD).body());
        assertTrue(served.toString().contains(STORED_TOKEN));
        assertFalse(served.toString().contains(TOKEN));
        json("POST", "api/connections/wf-shop/pause", "{}", 200);
        JsonNode deleted = json("DELETE", "api/connections/wf-shop?dropData=true", null, 200);
        assertEquals("wf-shop", deleted.get("deleted").asText());
        assertTrue(deleted.get("dataDropped").asBoolean());
        assertEquals(0, connectionRows(), "its data is dropped");
        assertEquals(404, call("GET", "api/connections/wf-shop", null, true, PASSWORD).status());
        assertEquals(0, json("GET", "api/connections", null, 200).size());
    }
}
