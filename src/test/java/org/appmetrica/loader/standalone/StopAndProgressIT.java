package org.appmetrica.loader.standalone;

import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.simulator.RecordedRequest;
import org.appmetrica.loader.testing.ClickHouseGate;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run tells its progress for the whole load; after a stop no export request goes out, the slices not started are told
 * in one line, and the summary counts what was done.
 */
class StopAndProgressIT {

    private static final String TOKEN = "stop-secret-token-51c2";
    private static final int ROWS = 300;

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(TOKEN, ROWS, 13);
    private static Path dataDir;

    @BeforeAll
    static void createDataDir() throws Exception {
        dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "stop-data");
    }

    @Test
    void aStoppedLoadAsksTheApiForNothingMore() throws Exception {
        String database = TestClickHouse.database("it_ux_stop");
        env.freshDatabase(database);
        try (ClickHouseGate gate = ClickHouseGate.start(TestClickHouse.URL)) {
            // the stop comes while the 3rd chunk of the first events slice is in ClickHouse: 7 of the 8 slices are still to start
            ClickHouseGate.Hold third = gate.holdInsert(database + "._stage_events", 3);
            CliProcess running = CliProcess.start(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), "run", "applicationIds=401,402",
                    "sources=events,push_tokens", "dateSince=2024-05-01", "dateUntil=2024-05-03", "apiUrl=" + env.apiUrl(),
                    "pollIntervalSeconds=0", "clickhouseUrl=" + gate.url(), "clickhouseDatabase=" + database, "chunkSize=5", "insertRows=5", // one INSERT a chunk
                    "parallelism=1");
            third.awaitHeld(ClickHouseGate.TIMEOUT, running::textSoFar);
            running.awaitOutput("execution id: ", ClickHouseGate.TIMEOUT);
            running.interrupt();
            running.awaitOutput("stop registered for execution", ClickHouseGate.TIMEOUT);
            List<RecordedRequest> beforeStop = List.copyOf(env.simulator().requests());
            third.release();
            CliProcess.Result stopped = running.await();
            assertEquals(3, stopped.exitCode(), stopped.output());
            List<RecordedRequest> exports = env.simulator().requests().stream().filter(r -> r.path().contains("/export/")).toList();
            assertEquals(beforeStop.stream().filter(r -> r.path().contains("/export/")).toList(), exports,
                    "no export request after the stop; " + stopped.output());
            String out = stopped.output();
            assertEquals(1, out.lines().filter(l -> l.endsWith(": requested")).count(), "only the first slice asked the API: " + out);
            assertFalse(out.contains("stop requested while waiting for the export"), out);
            assertTrue(out.contains("  7 slices not started"), out);
            assertTrue(out.contains("1 slices not finished"), out);
            assertTrue(out.matches("(?s).*\\n  total\\s+0 rows\\s+0 B\\s+0 of 8 slices loaded\\n.*"), out);
            assertTrue(out.contains("execution " + stopped.executionId() + " stopped"), out);
            assertFalse(out.contains("STOPPED: STOPPED"), out);
            assertTrue(out.endsWith("\n"), out);

            CliProcess.Result status = CliProcess.run(dataDir, Map.of(), "status", Long.toString(stopped.executionId()));
            assertTrue(status.output().contains("not started"), status.output());
            assertFalse(status.output().contains("ownerProcess"), status.output());
        }
    }

    @Test
    void aRunTellsItsProgressAndTheTimeLeft() throws Exception {
        String database = TestClickHouse.database("it_ux_progress");
        env.freshDatabase(database);
        try (ClickHouseGate gate = ClickHouseGate.start(TestClickHouse.URL)) {
            // held at the INSERT of the second events slice (one INSERT a slice): one slice is done, the load cannot end meanwhile
            ClickHouseGate.Hold second = gate.holdInsert(database + "._stage_events", 2);
            CliProcess running = CliProcess.start(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN, ProgressReporter.EVERY_ENV, "1"), "run",
                    "applicationIds=401,402", "sources=events,push_tokens", "dateSince=2024-05-01", "dateUntil=2024-05-03",
                    "apiUrl=" + env.apiUrl(), "pollIntervalSeconds=0", "clickhouseUrl=" + gate.url(), "clickhouseDatabase=" + database,
                    "chunkSize=100", "parallelism=1");
            second.awaitHeld(ClickHouseGate.TIMEOUT, running::textSoFar);
            running.awaitOutput(" left\n", ClickHouseGate.TIMEOUT);
            second.release();
            CliProcess.Result r = running.await();
            assertEquals(0, r.exitCode(), r.output());
            String line = r.output().lines().filter(l -> l.contains("progress: ") && l.endsWith(" left")).findFirst().orElseThrow();
            assertTrue(line.matches(".*progress: [1-7]/8 slices, [\\d,]+ rows, [\\d.]+ (B|KB|MB), [\\d,]+ rows/s, about .+ left"), line);
            assertTrue(r.output().matches("(?s).*\\n  total\\s+2,400 rows\\s+[\\d.]+ (KB|MB)\\s+8 of 8 slices loaded\\n.*"), r.output());
            assertFalse(r.output().matches("(?s).*\\d{5,} bytes.*"), "bytes for people: " + r.output());
            assertTrue(r.output().endsWith("\n"), r.output());
        }
    }

    @Test
    void aStartThatCannotWorkExits2WithTheCauseAndCreatesNoExecution() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "checks-data");
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String[] load = {"run", "applicationIds=401", "sources=events", "dateSince=2024-05-01", "dateUntil=2024-05-01",
                "apiUrl=" + env.apiUrl(), "clickhouseDatabase=it_ux_checks", "clickhouseUrl=jdbc:clickhouse://127.0.0.1:" + closed};
        CliProcess.Result down = CliProcess.run(data, Map.of("APPMETRICA_TOKEN", TOKEN), load);
        assertEquals(2, down.exitCode(), down.output());
        assertTrue(down.output().contains("error: ClickHouse at jdbc:clickhouse://127.0.0.1:" + closed + " does not answer"), down.output());
        assertTrue(down.output().contains("Connection refused"), down.output());
        assertFalse(down.output().contains("execution id"), down.output());

        load[load.length - 1] = "clickhouseUrl=" + TestClickHouse.jdbcUrl();
        CliProcess.Result refused = CliProcess.run(data, Map.of("APPMETRICA_TOKEN", "not-the-token"), load);
        assertEquals(2, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("refused the token (HTTP 401)"), refused.output());
        assertFalse(refused.output().contains("not-the-token"), "a refused secret is never echoed");

        CliProcess.Result executions = CliProcess.run(data, Map.of(), "executions");
        assertEquals(1, executions.output().lines().filter(l -> !l.startsWith("SLF4J") && !l.isBlank()).count(),
                "no execution was created: " + executions.output());
    }
}
