package org.appmetrica.loader.it;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.appmetrica.loader.testing.ClickHouseGate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run stopped midway, and a run failed by a 5xx storm, are restarted and end with exactly the served rows. */
class RestartIT extends BatchIT {

    private static final int ROWS_PER_DAY = 200;
    private static LogsApiSimulator simulator;

    @BeforeAll
    static void start() throws Exception {
        simulator = new LogsApiSimulator(SimulatorConfig.defaults(TOKEN).withRowsPerDay(ROWS_PER_DAY).withReadyAfter(1).withSeed(7)).start();
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @BeforeEach
    void clearFaults() {
        simulator.failNextRequests(0, 503);
    }

    private Properties load(String database) {
        TestClickHouse.recreate(clickhouse, database);
        Properties p = parameters(simulator.baseUrl(), database);
        p.setProperty("applicationIds", "301");
        p.setProperty("sources", "events,crashes");
        p.setProperty("dateSince", "2024-04-01");
        p.setProperty("dateUntil", "2024-04-04");
        p.setProperty("chunkSize", "7");
        p.setProperty("parallelism", "1");
        return p;
    }

    private long loaded(String database) {
        return clickhouse.queryLong("SELECT count() FROM " + database + ".events") + clickhouse.queryLong("SELECT count() FROM " + database + ".crashes");
    }

    @Test
    void stoppedMidwayThenRestartedLoadsEveryRowOnce() throws Exception {
        String database = "it_restart_stop";
        Properties p = load(database);
        try (ClickHouseGate gate = ClickHouseGate.start(TestClickHouse.URL)) {
            p.setProperty("clickhouseUrl", gate.url());
            // the 3rd chunk of the first events slice is in ClickHouse, its answer held: the slice is midway
            ClickHouseGate.Hold third = gate.holdInsert(database + "._stage_events", 3);
            long id = operator().start("appmetrica-load", p);
            third.awaitHeld(ClickHouseGate.TIMEOUT, () -> describe(operator().getJobExecution(id)));
            operator().stop(id); // takes effect at the next checkpoint, which needs the held answer
            third.release();
            JobExecution stopped = await(id);
            assertEquals(BatchStatus.STOPPED, stopped.getBatchStatus(), describe(stopped));
            assertTrue(loaded(database) < 8 * ROWS_PER_DAY, "stopped before the end: " + loaded(database));
            assertTrue(clickhouse.queryLong("SELECT count() FROM " + database + "._stage_events") >= 3 * 7, "the slice was staged midway");

            JobExecution restarted = await(operator().restart(id, p));
            assertEquals(BatchStatus.COMPLETED, restarted.getBatchStatus(), describe(restarted));
            GroundTruth.assertLoaded(clickhouse, p, database, 7, ROWS_PER_DAY);
        }
    }

    @Test
    void failedByA5xxStormThenRestartedLoadsEveryRowOnce() throws Exception {
        String database = "it_restart_5xx";
        Properties p = load(database);
        p.setProperty("maxRetries", "2");
        simulator.failNextRequests(1_000_000, 503);
        JobExecution failed = run(p);
        assertEquals(BatchStatus.FAILED, failed.getBatchStatus(), describe(failed));
        assertTrue(failed.getExitStatus().contains("HTTP 503"), failed.getExitStatus());
        assertEquals(0, loaded(database));

        simulator.failNextRequests(0, 503);
        JobExecution restarted = await(operator().restart(failed.getExecutionId(), p));
        assertEquals(BatchStatus.COMPLETED, restarted.getBatchStatus(), describe(restarted));
        GroundTruth.assertLoaded(clickhouse, p, database, 7, ROWS_PER_DAY);
    }

    @Test
    void brokenDownloadsAreRetriedAndNeverLoadedPartially() throws Exception {
        String database = "it_restart_drops";
        Properties p = load(database);
        p.setProperty("format", "json");
        simulator.dropNextDownloads(3, 1000);
        JobExecution e = run(p);
        assertEquals(BatchStatus.COMPLETED, e.getBatchStatus(), describe(e));
        GroundTruth.assertLoaded(clickhouse, p, database, 7, ROWS_PER_DAY);
    }
}
