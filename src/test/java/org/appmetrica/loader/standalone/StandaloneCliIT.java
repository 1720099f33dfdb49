package org.appmetrica.loader.standalone;

import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.appmetrica.loader.testing.ClickHouseGate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
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
    private static LogsApiSimulator simulator;
    private static ClickHouseConnection clickhouse;
    private static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        simulator = new LogsApiSimulator(SimulatorConfig.defaults(TOKEN).withRowsPerDay(ROWS).withReadyAfter(1).withSeed(11)).start();
        clickhouse = TestClickHouse.connect();
        dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cli-data");
    }

    @AfterAll
    static void stop() {
        simulator.close();
        clickhouse.close();
    }

    private static String[] load(String database) {
        return load(database, "jdbc:clickhouse://" + TestClickHouse.URL.replace("http://", ""));
    }

    private static String[] load(String database, String clickhouseUrl, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "applicationIds=401,402", "sources=events,push_tokens",
                "dateSince=2024-05-01", "dateUntil=2024-05-03", "apiUrl=" + simulator.baseUrl(), "pollIntervalSeconds=0",
                "clickhouseUrl=" + clickhouseUrl, "clickhouseDatabase=" + database));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static long rows(String database) {
        return clickhouse.queryLong("SELECT count() FROM " + database + ".events") + clickhouse.queryLong("SELECT count() FROM " + database + ".push_tokens");
    }

    @Test
    void runPrintsTheExecutionIdFirstThenProgressAndASummary() throws Exception {
        TestClickHouse.recreate(clickhouse, "it_cli_run");
        CliProcess.Result r = CliProcess.run(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), load("it_cli_run"));
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().lines().filter(l -> !l.startsWith("SLF4J")).findFirst().orElse("").startsWith("execution id: "), r.output());
        assertTrue(r.output().contains("app 401 events 2024-05-02: waiting in the API queue"), r.output());
        assertTrue(r.output().contains("summary of execution " + r.executionId() + ": COMPLETED"), r.output());
        assertTrue(r.output().matches("(?s).*events\\s+1800 rows.*"), r.output());
        assertEquals(2 * 3 * ROWS + 2 * ROWS, rows("it_cli_run"));
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
        String database = "it_cli_stop";
        TestClickHouse.recreate(clickhouse, database);
        try (ClickHouseGate gate = ClickHouseGate.start(TestClickHouse.URL)) {
            // Ctrl-C while the 3rd chunk of the first events slice is in ClickHouse and the loader waits for the answer
            ClickHouseGate.Hold third = gate.holdInsert(database + "._stage_events", 3);
            CliProcess running = CliProcess.start(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN),
                    load(database, gate.url(), "chunkSize=5", "parallelism=1"));
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
            assertTrue(stopped.output().contains("ended STOPPED"), stopped.output());
            assertTrue(rows(database) < 2 * 3 * ROWS + 2 * ROWS, "stopped before the end: " + rows(database));
            assertSpoolPrivate();

            CliProcess.Result restarted = CliProcess.run(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), "restart", Long.toString(id));
            assertEquals(0, restarted.exitCode(), restarted.output());
            assertEquals(2 * 3 * ROWS + 2 * ROWS, rows(database));
            assertEquals(2 * 3 * ROWS + 2 * ROWS, clickhouse.queryLong("SELECT count() FROM (SELECT DISTINCT load_application_id, load_date, load_row FROM "
                    + database + ".events UNION ALL SELECT DISTINCT load_application_id, load_date, load_row FROM " + database + ".push_tokens)"));
        }
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
