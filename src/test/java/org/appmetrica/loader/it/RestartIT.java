package org.appmetrica.loader.it;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.testing.ClickHouseGate;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run stopped midway, and a run failed by a 5xx storm, are restarted and end with exactly the served rows. */
class RestartIT extends BatchIT {

    private static final int ROWS_PER_DAY = 200;

    /** No faults before each test: the extension clears them. */
    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(TOKEN, ROWS_PER_DAY, 7);

    private Properties load(String database) {
        env.freshDatabase(database);
        Properties p = parameters(env.apiUrl(), database);
        p.setProperty("applicationIds", "301");
        p.setProperty("sources", "events,crashes");
        p.setProperty("dateSince", "2024-04-01");
        p.setProperty("dateUntil", "2024-04-04");
        p.setProperty("chunkSize", "7");
        p.setProperty("parallelism", "1");
        return p;
    }

    private long loaded(String database) {
        return env.clickhouse().queryLong("SELECT count() FROM " + database + ".events") + env.clickhouse().queryLong("SELECT count() FROM " + database + ".crashes");
    }

    @Test
    void stoppedMidwayThenRestartedLoadsEveryRowOnce() throws Exception {
        String database = TestClickHouse.database("it_restart_stop");
        Properties p = load(database);
        try (ClickHouseGate gate = ClickHouseGate.start(TestClickHouse.URL)) {
            p.setProperty("clickhouseUrl", gate.url());
            p.setProperty("insertRows", "7"); // one INSERT a chunk: the load can stop midway through a slice
            // the 3rd chunk of the first events slice is in ClickHouse, its answer held: the slice is midway
            ClickHouseGate.Hold third = gate.holdInsert(database + "._stage_events", 3);
            long id = operator().start("appmetrica-load", p);
            third.awaitHeld(ClickHouseGate.TIMEOUT, () -> describe(operator().getJobExecution(id)));
            operator().stop(id); // takes effect at the next checkpoint, which needs the held answer
            third.release();
            JobExecution stopped = await(id);
            assertEquals(BatchStatus.STOPPED, stopped.getBatchStatus(), describe(stopped));
            assertTrue(loaded(database) < 8 * ROWS_PER_DAY, "stopped before the end: " + loaded(database));
            assertTrue(env.clickhouse().queryLong("SELECT count() FROM " + database + "._stage_events") >= 3 * 7, "the slice was staged midway");

            JobExecution restarted = await(operator().restart(id, p));
            assertEquals(BatchStatus.COMPLETED, restarted.getBatchStatus(), describe(restarted));
            GroundTruth.assertLoaded(env.clickhouse(), p, database, 7, ROWS_PER_DAY);
        }
    }

    @Test
    void failedByA5xxStormThenRestartedLoadsEveryRowOnce() throws Exception {
        String database = TestClickHouse.database("it_restart_5xx");
        Properties p = load(database);
        p.setProperty("maxRetries", "2");
        env.simulator().failNextRequests(1_000_000, 503);
        JobExecution failed = run(p);
        assertEquals(BatchStatus.FAILED, failed.getBatchStatus(), describe(failed));
        assertTrue(failed.getExitStatus().contains("HTTP 503"), failed.getExitStatus());
        assertEquals(0, loaded(database));

        env.simulator().failNextRequests(0, 503);
        JobExecution restarted = await(operator().restart(failed.getExecutionId(), p));
        assertEquals(BatchStatus.COMPLETED, restarted.getBatchStatus(), describe(restarted));
        GroundTruth.assertLoaded(env.clickhouse(), p, database, 7, ROWS_PER_DAY);
    }

    @Test
    void brokenDownloadsAreRetriedAndNeverLoadedPartially() throws Exception {
        String database = TestClickHouse.database("it_restart_drops");
        Properties p = load(database);
        p.setProperty("format", "json");
        env.simulator().dropNextDownloads(3, 1000);
        JobExecution e = run(p);
        assertEquals(BatchStatus.COMPLETED, e.getBatchStatus(), describe(e));
        GroundTruth.assertLoaded(env.clickhouse(), p, database, 7, ROWS_PER_DAY);
    }
}
