package org.appmetrica.loader.admin;

import com.fasterxml.jackson.databind.JsonNode;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.it.GroundTruth;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.appmetrica.loader.testing.TestRepository;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.appmetrica.loader.admin.LoaderProcesses.properties;
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
    private static final long APP = 801;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(TOKEN, ROWS, SEED);
    private static Path dataDir;
    private static LoaderProcesses loader;

    @BeforeAll
    static void createDataDir() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "console-crash");
        dataDir = dir.resolve("data");
        loader = new LoaderProcesses(env, dir, TOKEN, USER, PASSWORD);
    }

    private static Map<String, String> load(String database, String since, String until) {
        return loader.load(APP, database, since, until);
    }

    @Test
    void aLoadStartedInTheConsoleWaitsForTheCliLoadOfTheSameDay() throws Exception {
        String database = TestClickHouse.database("it_console_cli_overlap");
        env.freshDatabase(database);
        LocalDate shared = LocalDate.parse("2024-08-02");
        env.simulator().hold("events", 801, shared);
        try (ConsoleProcess console = loader.console(dataDir)) {
            Path cliOut = Files.createTempFile(dataDir, "cli", ".out");
            Process cliProcess = loader.cli(TestRepository.options(dataDir), cliOut, LoaderProcesses.run(load(database, "2024-08-01", "2024-08-02")));
            env.simulator().awaitHeldRequest(TIMEOUT);
            String cliText = Files.readString(cliOut);
            long cliId = Long.parseLong(cliText.lines().filter(l -> l.startsWith("execution id: ")).findFirst().orElseThrow().substring(14).trim());

            long consoleId = loader.start(console, load(database, "2024-08-02", "2024-08-03"));
            LoaderProcesses.awaitOutput(console, "app 801 events 2024-08-02: waiting for execution " + cliId + " (pid " + cliProcess.pid(), TIMEOUT);
            env.simulator().releaseHeld();
            LoaderProcesses.ran(cliProcess, cliOut);
            assertEquals("COMPLETED", loader.awaitEnd(console, consoleId), console.text());
            GroundTruth.assertLoaded(env.clickhouse(), properties(load(database, "2024-08-01", "2024-08-03")), database, SEED, ROWS);
        } finally {
            env.simulator().releaseHeld();
        }
    }

    @Test
    void aConsoleKilledMidLoadLeavesAnExecutionTheNextConsoleRestarts() throws Exception {
        String database = TestClickHouse.database("it_console_crash");
        env.freshDatabase(database);
        Map<String, String> p = load(database, "2024-08-11", "2024-08-13");
        env.simulator().hold("events", 801, LocalDate.parse("2024-08-12"));
        long id;
        long pid;
        try (ConsoleProcess console = loader.console(dataDir)) {
            id = loader.start(console, p);
            env.simulator().awaitHeldRequest(TIMEOUT); // the first day is published, the second waits in the API queue
            pid = console.process.pid();
            console.process.destroyForcibly(); // SIGKILL
            assertTrue(console.process.waitFor(1, TimeUnit.MINUTES));
        } finally {
            env.simulator().releaseHeld();
        }
        try (ConsoleProcess next = loader.console(dataDir)) {
            JsonNode crashed = loader.get(next, "api/executions/" + id).get("execution");
            assertEquals("FAILED", crashed.get("status").asText(), crashed.toString());
            assertTrue(crashed.get("exitStatus").asText().startsWith("CRASHED: the process that ran it (pid " + pid), crashed.toString());
            assertEquals(1, crashed.get("progress").get("completed").asInt(), "one slice was published before the kill: " + crashed);
            assertTrue(crashed.get("actions").toString().contains("restart"), crashed.toString());
            long restarted = loader.post(next, "api/executions/" + id + "/restart", Map.of()).get("id").asLong();
            assertEquals("COMPLETED", loader.awaitEnd(next, restarted), next.text());
            assertTrue(next.text().contains("app 801 events 2024-08-11: published before the restart; nothing to do"), next.text());
        }
        GroundTruth.assertLoaded(env.clickhouse(), properties(p), database, SEED, ROWS);
    }
}
