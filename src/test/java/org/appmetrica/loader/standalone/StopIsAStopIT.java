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

/** After a stop no export request goes out; the slices not started are told in one line, the summary counts what was done. */
class StopIsAStopIT {

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
        String database = "it_ux_stop";
        env.freshDatabase(database);
        try (ClickHouseGate gate = ClickHouseGate.start(TestClickHouse.URL)) {
            // the stop comes while the 3rd chunk of the first events slice is in ClickHouse: 7 of the 8 slices are still to start
            ClickHouseGate.Hold third = gate.holdInsert(database + "._stage_events", 3);
            CliProcess running = CliProcess.start(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), "run", "applicationIds=401,402",
                    "sources=events,push_tokens", "dateSince=2024-05-01", "dateUntil=2024-05-03", "apiUrl=" + env.apiUrl(),
                    "pollIntervalSeconds=0", "clickhouseUrl=" + gate.url(), "clickhouseDatabase=" + database, "chunkSize=5", "parallelism=1");
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
}
