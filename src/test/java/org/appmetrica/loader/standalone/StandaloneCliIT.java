package org.appmetrica.loader.standalone;

import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.config.PrivateFiles;
import org.appmetrica.loader.logsapi.ExportDownloader;
import org.appmetrica.loader.logsapi.ExportProgress;
import org.appmetrica.loader.logsapi.ExportRequest;
import org.appmetrica.loader.logsapi.HttpLogsApiTransport;
import org.appmetrica.loader.logsapi.PollSettings;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.FieldSpec;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.appmetrica.loader.testing.ClickHouseGate;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a user runs it: separate JVMs, the H2 job repository under --data-dir, exit codes. */
class StandaloneCliIT {

    private static final String TOKEN = "cli-secret-token-7f3a9c";
    private static final int ROWS = 300;

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(TOKEN, ROWS, 11);
    private static Path dataDir;

    @BeforeAll
    static void createDataDir() throws Exception {
        dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cli-data");
    }

    private static String[] load(String database) {
        return load(database, TestClickHouse.jdbcUrl());
    }

    private static String[] load(String database, String clickhouseUrl, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "applicationIds=401,402", "sources=events,push_tokens",
                "dateSince=2024-05-01", "dateUntil=2024-05-03", "apiUrl=" + env.apiUrl(), "pollIntervalSeconds=0",
                "clickhouseUrl=" + clickhouseUrl, "clickhouseDatabase=" + database));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static long rows(String database) {
        return env.clickhouse().queryLong("SELECT count() FROM " + database + ".events") + env.clickhouse().queryLong("SELECT count() FROM " + database + ".push_tokens");
    }

    @Test
    void runPrintsTheExecutionIdFirstThenProgressAndASummary() throws Exception {
        String database = env.freshDatabase(TestClickHouse.database("it_cli_run"));
        CliProcess.Result r = CliProcess.run(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), load(database));
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().lines().filter(l -> !l.startsWith("SLF4J")).findFirst().orElse("").startsWith("execution id: "), r.output());
        assertTrue(r.output().contains("app 401 events 2024-05-02: waiting in the API queue"), r.output());
        assertTrue(r.output().contains("summary of execution " + r.executionId() + ": COMPLETED"), r.output());
        assertTrue(r.output().matches("(?s).*events\\s+1,800 rows.*"), r.output());
        assertEquals(2 * 3 * ROWS + 2 * ROWS, rows(database));
        assertFalse(r.output().contains(TOKEN), "the token must never be printed");

        CliProcess.Result list = CliProcess.run(dataDir, Map.of(), "executions");
        assertTrue(list.output().matches("(?s).*\\n" + r.executionId() + "\\s+COMPLETED.*"), list.output());
        CliProcess.Result status = CliProcess.run(dataDir, Map.of(), "status", Long.toString(r.executionId()));
        assertTrue(status.output().contains("401/events/2024-05-01"), status.output());
        assertTrue(status.output().contains("published"), status.output());
        assertNoSecretOnDisk();
    }

    @Test
    void badParametersExitWith2AndStartNothing() throws Exception {
        CliProcess.Result r = CliProcess.run(dataDir, Map.of(), "run", "applicationIds=abc", "sources=events",
                "dateSince=2024-05-01", "dateUntil=2024-05-01");
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("applicationIds='abc'"), r.output());
        assertFalse(r.output().contains("execution id"), r.output());
    }

    @Test
    void ctrlCStopsAndRestartCompletesExactly() throws Exception {
        String database = TestClickHouse.database("it_cli_stop");
        env.freshDatabase(database);
        try (ClickHouseGate gate = ClickHouseGate.start(TestClickHouse.URL)) {
            // Ctrl-C while the 3rd chunk of the first events slice is in ClickHouse and the loader waits for the answer
            ClickHouseGate.Hold third = gate.holdInsert(database + "._stage_events", 3);
            CliProcess running = CliProcess.start(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN),
                    load(database, gate.url(), "chunkSize=5", "insertRows=5", "parallelism=1")); // one INSERT a chunk
            third.awaitHeld(ClickHouseGate.TIMEOUT, running::textSoFar);
            running.awaitOutput("execution id: ", ClickHouseGate.TIMEOUT); // printed once Ctrl-C means a graceful stop
            CliProcess.Result listed = CliProcess.run(dataDir, Map.of(), "executions"); // while the run holds the repository
            running.interrupt();
            running.awaitOutput("stop registered for execution", ClickHouseGate.TIMEOUT); // it stops at the next checkpoint
            third.release();
            CliProcess.Result stopped = running.await();
            assertEquals(3, stopped.exitCode(), stopped.output());
            long id = stopped.executionId();
            assertTrue(listed.output().matches("(?s).*\\n" + id + "\\s+STARTED.*"), listed.output());
            assertTrue(stopped.output().contains("stopped as asked"), stopped.output());
            assertTrue(rows(database) < 2 * 3 * ROWS + 2 * ROWS, "stopped before the end: " + rows(database));
            assertSpoolPrivate();

            CliProcess.Result restarted = CliProcess.run(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), "restart", Long.toString(id));
            assertEquals(0, restarted.exitCode(), restarted.output());
            assertEquals(2 * 3 * ROWS + 2 * ROWS, rows(database));
            assertEquals(2 * 3 * ROWS + 2 * ROWS, env.clickhouse().queryLong("SELECT count() FROM (SELECT DISTINCT load_application_id, load_date, load_row FROM "
                    + database + ".events UNION ALL SELECT DISTINCT load_application_id, load_date, load_row FROM " + database + ".push_tokens)"));
        }
    }

    @Test
    void aSpoolLeftInTheWayIsNeverLoaded() throws Exception {
        String database = TestClickHouse.database("it_cli_planted");
        env.freshDatabase(database);
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cli-planted");
        // A new repository numbers its first instance 1, like a recreated one: plant another export where instance 1's spool goes.
        Path slice = data.resolve("spool/1/401_events_2024-05-01");
        PrivateFiles.createDirectories(data.resolve("spool"), slice);
        try (LogsApiSimulator other = new LogsApiSimulator(SimulatorConfig.defaults(TOKEN).withRowsPerDay(7).withReadyAfter(0).withSeed(11)).start();
             HttpLogsApiTransport transport = new HttpLogsApiTransport(other.baseUrl(), TOKEN, Duration.ofSeconds(5), Duration.ofSeconds(30))) {
            LocalDate day = LocalDate.of(2024, 5, 1);
            List<String> fields = FieldCatalog.get().source("events").orElseThrow().defaultFields().stream().map(FieldSpec::name).toList();
            new ExportDownloader(transport, new PollSettings(Duration.ZERO, Duration.ofMinutes(1), Duration.ZERO, 3, Duration.ZERO),
                    d -> { }, Clock.systemUTC(), () -> false, ExportProgress.NONE)
                    .download(new ExportRequest(other.baseUrl(), "events", "csv", 401, day, day, "default", fields, Map.of(), 1, 0),
                            true, slice.resolve("part-0-of-1.csv"));
        }

        CliProcess.Result r = CliProcess.run(data, Map.of("APPMETRICA_TOKEN", TOKEN), "run", "applicationIds=401", "sources=events",
                "dateSince=2024-05-01", "dateUntil=2024-05-01", "apiUrl=" + env.apiUrl(), "pollIntervalSeconds=0",
                "clickhouseUrl=" + TestClickHouse.jdbcUrl(), "clickhouseDatabase=" + database);
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(ROWS, env.clickhouse().queryLong("SELECT count() FROM " + database + ".events"), "the load's own export, not the planted one of 7 rows");
        assertFalse(Files.exists(data.resolve("spool/1")), "instance 1 was this load, and its spool is gone once it completed");
    }

    @Test
    void abandonDeletesTheSpool() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cli-abandon");
        String database = env.freshDatabase(TestClickHouse.database("it_cli_abandon"));
        env.simulator().failNextRequests(1_000_000, 503); // the export fails; the checks before the start pass
        CliProcess.Result failed = CliProcess.run(data, Map.of("APPMETRICA_TOKEN", TOKEN), "run", "applicationIds=401",
                "sources=events", "dateSince=2024-05-01", "dateUntil=2024-05-01", "apiUrl=" + env.apiUrl(), "pollIntervalSeconds=0",
                "clickhouseUrl=" + TestClickHouse.jdbcUrl(), "clickhouseDatabase=" + database,
                "maxRetries=0");
        env.simulator().failNextRequests(0, 503);
        assertEquals(1, failed.exitCode(), failed.output());
        Path spool = data.resolve("spool/1");
        assertTrue(Files.isDirectory(spool), "a failed load keeps its spool for the restart");
        CliProcess.Result abandoned = CliProcess.run(data, Map.of(), "abandon", Long.toString(failed.executionId()));
        assertEquals(0, abandoned.exitCode(), abandoned.output());
        assertFalse(Files.exists(spool), "an abandoned load is never restarted: its raw data goes");
        assertTrue(Files.isDirectory(data.resolve("spool")));
    }

    /** What a stopped load keeps of the users' raw data is private to the OS user: directories 700, files 600. */
    private static void assertSpoolPrivate() throws Exception {
        try (Stream<Path> all = Files.walk(dataDir.resolve("spool"))) {
            List<Path> paths = all.toList();
            assertTrue(paths.stream().anyMatch(Files::isRegularFile), "the stopped load keeps its spool: " + paths);
            for (Path p : paths) {
                assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------",
                        java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
            }
        }
    }

    /** The token appears in no file the loader wrote: job repository, spool, configuration. */
    private static void assertNoSecretOnDisk() throws Exception {
        byte[] secret = TOKEN.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(f);
                assertFalse(indexOf(content, secret) >= 0, "the token is stored in " + f);
            }
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
