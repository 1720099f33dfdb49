package org.appmetrica.loader.admin;

import org.appmetrica.loader.testing.Await;
import java.util.List;
import java.util.ArrayList;
import org.appmetrica.loader.testing.LoaderCommand;
import org.appmetrica.loader.testing.TestRepository;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.it.GroundTruth;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console and the CLI on one data directory: a load started in the page waits for the CLI's load of the same day,
 * and a console killed with SIGKILL leaves an execution that the Restart action of the next console continues.
 */
class ConsoleCrashAndLeasesIT {

    private static final String TOKEN = "console-crash-token-77e1";
    private static final String USER = "ops";
    private static final String PASSWORD = "console-crash-pw";
    private static final int ROWS = 200;
    private static final long SEED = 31;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(TOKEN, ROWS, SEED);
    private static Path dataDir;
    private static Path users;

    @BeforeAll
    static void createDataDir() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "console-crash");
        dataDir = dir.resolve("data");
        users = ConsoleProcess.usersFile(dir, USER, PASSWORD);
    }

    private static Map<String, String> load(String database, String since, String until) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("applicationIds", "801");
        p.put("sources", "events");
        p.put("dateSince", since);
        p.put("dateUntil", until);
        p.put("apiUrl", env.apiUrl());
        p.put("pollIntervalSeconds", "0");
        p.put("chunkSize", "40");
        p.put("parallelism", "1");
        p.put("clickhouseUrl", "jdbc:clickhouse://" + TestClickHouse.URL.replace("http://", ""));
        p.put("clickhouseDatabase", database);
        return p;
    }

    private static Properties properties(Map<String, String> p) {
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    private static String[] cliRun(Map<String, String> p) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of("run"), p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()))
                .toArray(String[]::new);
    }

    private static JsonNode post(ConsoleProcess console, String path, Object body) throws Exception {
        ConsoleProcess.Answer a = console.call("POST", path, JSON.writeValueAsString(body), "Authorization", ConsoleProcess.basic(USER, PASSWORD));
        assertTrue(a.status() == 200 || a.status() == 201 || a.status() == 202, a.status() + " " + a.body());
        return JSON.readTree(a.body());
    }

    private static JsonNode get(ConsoleProcess console, String path) throws Exception {
        ConsoleProcess.Answer a = console.call("GET", path, null, "Authorization", ConsoleProcess.basic(USER, PASSWORD));
        assertEquals(200, a.status(), a.body());
        return JSON.readTree(a.body());
    }

    /** Waits for an execution's terminal status through the REST API (an explicit state, polled). */
    private static String awaitEnd(ConsoleProcess console, long id) throws Exception {
        return Await.await(() -> get(console, "api/executions/" + id).get("execution").get("status").asText(),
                status -> !status.equals("STARTING") && !status.equals("STARTED") && !status.equals("STOPPING"), Duration.ofMinutes(3),
                () -> "execution " + id + " did not end: " + text(console));
    }

    private static void awaitOutput(ConsoleProcess console, String text) throws Exception {
        Await.await(() -> {
            String out = console.text();
            if (!out.contains(text) && !console.process.isAlive()) {
                throw new AssertionError("the console ended without printing '" + text + "': " + out);
            }
            return out.contains(text);
        }, TIMEOUT, () -> "the console did not print '" + text + "': " + text(console));
    }

    private static String text(ConsoleProcess console) {
        try {
            return console.text();
        } catch (java.io.IOException e) {
            return "(its output cannot be read: " + e.getMessage() + ")";
        }
    }

    @Test
    void aLoadStartedInTheConsoleWaitsForTheCliLoadOfTheSameDay() throws Exception {
        String database = "it_console_cli_overlap";
        env.freshDatabase(database);
        LocalDate shared = LocalDate.parse("2024-08-02");
        env.simulator().hold("events", 801, shared);
        try (ConsoleProcess console = ConsoleProcess.start(dataDir, users, Map.of("APPMETRICA_TOKEN", TOKEN), allowed())) {
            Map<String, String> cli = load(database, "2024-08-01", "2024-08-02");
            List<String> command = new ArrayList<>(LoaderCommand.java("256m"));
            command.addAll(TestRepository.options(dataDir));
            command.addAll(List.of(cliRun(cli)));
            ProcessBuilder pb = new ProcessBuilder(command);
            Path cliOut = Files.createTempFile(dataDir, "cli", ".out");
            pb.redirectErrorStream(true).redirectOutput(cliOut.toFile()).environment().put("APPMETRICA_TOKEN", TOKEN);
            pb.environment().putAll(TestRepository.env());
            Process cliProcess = pb.start();
            env.simulator().awaitHeldRequest(TIMEOUT);
            String cliText = Files.readString(cliOut);
            long cliId = Long.parseLong(cliText.lines().filter(l -> l.startsWith("execution id: ")).findFirst().orElseThrow().substring(14).trim());

            long consoleId = post(console, "api/executions", Map.of("parameters", load(database, "2024-08-02", "2024-08-03"))).get("id").asLong();
            awaitOutput(console, "app 801 events 2024-08-02: waiting for execution " + cliId + " (pid " + cliProcess.pid());
            env.simulator().releaseHeld();
            assertTrue(cliProcess.waitFor(3, TimeUnit.MINUTES));
            assertEquals(0, cliProcess.exitValue(), Files.readString(cliOut));
            assertEquals("COMPLETED", awaitEnd(console, consoleId), console.text());
            GroundTruth.assertLoaded(env.clickhouse(), properties(load(database, "2024-08-01", "2024-08-03")), database, SEED, ROWS);
        } finally {
            env.simulator().releaseHeld();
        }
    }

    @Test
    void aConsoleKilledMidLoadLeavesAnExecutionTheNextConsoleRestarts() throws Exception {
        String database = "it_console_crash";
        env.freshDatabase(database);
        Map<String, String> p = load(database, "2024-08-11", "2024-08-13");
        env.simulator().hold("events", 801, LocalDate.parse("2024-08-12"));
        long id;
        long pid;
        try (ConsoleProcess console = ConsoleProcess.start(dataDir, users, Map.of("APPMETRICA_TOKEN", TOKEN), allowed())) {
            id = post(console, "api/executions", Map.of("parameters", p)).get("id").asLong();
            env.simulator().awaitHeldRequest(TIMEOUT); // the first day is published, the second waits in the API queue
            pid = console.process.pid();
            console.process.destroyForcibly(); // SIGKILL
            assertTrue(console.process.waitFor(1, TimeUnit.MINUTES));
        } finally {
            env.simulator().releaseHeld();
        }
        try (ConsoleProcess next = ConsoleProcess.start(dataDir, users, Map.of("APPMETRICA_TOKEN", TOKEN), allowed())) {
            JsonNode crashed = get(next, "api/executions/" + id).get("execution");
            assertEquals("FAILED", crashed.get("status").asText(), crashed.toString());
            assertTrue(crashed.get("exitStatus").asText().startsWith("CRASHED: the process that ran it (pid " + pid), crashed.toString());
            assertEquals(1, crashed.get("progress").get("completed").asInt(), "one slice was published before the kill: " + crashed);
            assertTrue(crashed.get("actions").toString().contains("restart"), crashed.toString());
            long restarted = post(next, "api/executions/" + id + "/restart", Map.of()).get("id").asLong();
            assertEquals("COMPLETED", awaitEnd(next, restarted), next.text());
            assertTrue(next.text().contains("app 801 events 2024-08-11: published before the restart; nothing to do"), next.text());
        }
        GroundTruth.assertLoaded(env.clickhouse(), properties(p), database, SEED, ROWS);
    }

    /** The console options that let loads reach the simulator and the test's ClickHouse. */
    private static String[] allowed() {
        return new String[] {"--allow-api-url", env.apiUrl(), "--allow-clickhouse", "jdbc:clickhouse://" + TestClickHouse.URL.replace("http://", "")};
    }
}
