package org.appmetrica.loader.it;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.appmetrica.loader.testing.ClickHouseGate;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ClickHouse stopped in the middle of a load (by the same script CI starts it with): the run fails, a restart completes exactly. */
class ClickHouseOutageIT extends BatchIT {

    private static final int ROWS = 400;

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(SimulatorConfig.defaults(TOKEN).withRowsPerDay(ROWS).withReadyAfter(0)
            .withSeed(13));

    private static void clickhouse(String action) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", Path.of(".ci", "clickhouse.sh").toString(), action).inheritIO();
        // the port under test: clickhouse.sh refuses to stop a server of another port (CH_DIR must come from the caller)
        builder.environment().put("CH_HTTP", String.valueOf(URI.create(TestClickHouse.URL).getPort()));
        Process p = builder.start();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES) && p.exitValue() == 0, "clickhouse.sh " + action);
    }

    /**
     * ClickHouse applies an INSERT whose answer the loader never gets. The INSERT streamed all 8 chunks of the slice, whose
     * bytes are gone: the chunk is retried by the job, the reader reads the rows again from the checkpoint (row 0) out
     * of its spool, the writer removes what landed and streams them again in one INSERT. Exactly once, with 2 INSERTs and
     * so 1 part, not the one-row chunks (and one-row parts) a Jakarta Batch chunk retry would make of a chunk's INSERT.
     */
    @Test
    void anInsertWhoseAnswerIsLostIsReadAgainAndSentAgain() throws Exception {
        String database = env.freshDatabase(TestClickHouse.database("it_lost_answer"));
        Properties p = parameters(env.apiUrl(), database);
        p.setProperty("applicationIds", "902");
        p.setProperty("sources", "events");
        p.setProperty("dateSince", "2024-10-01");
        p.setProperty("dateUntil", "2024-10-01");
        p.setProperty("chunkSize", "50");
        p.setProperty("retryBackoffSeconds", "0");
        try (ClickHouseGate gate = ClickHouseGate.start(TestClickHouse.URL)) {
            p.setProperty("clickhouseUrl", gate.url());
            ClickHouseGate.Trigger first = gate.dropAnswer(database + "._stage_events", 1);
            JobExecution done = await(operator().start("appmetrica-load", p));
            first.awaitDone(ClickHouseGate.TIMEOUT);
            assertEquals(BatchStatus.COMPLETED, done.getBatchStatus(), describe(done));
            assertEquals(2, gate.inserts(database + "._stage_events"), "INSERTs of 8 chunks, one answer lost");
            try (ClickHouseConnection clickhouse = TestClickHouse.connect()) {
                GroundTruth.assertLoaded(clickhouse, p, database, 13, ROWS);
                assertEquals(1, clickhouse.queryLong("SELECT count() FROM system.parts WHERE database = '" + database
                        + "' AND table = 'events' AND active"), "parts of the published slice");
            }
        }
    }

    @Test
    void clickHouseGoneMidLoadThenBackAndRestarted() throws Exception {
        String database = env.freshDatabase(TestClickHouse.database("it_outage"));
        Properties p = parameters(env.apiUrl(), database);
        p.setProperty("applicationIds", "901");
        p.setProperty("sources", "events");
        p.setProperty("dateSince", "2024-10-01");
        p.setProperty("dateUntil", "2024-10-04");
        p.setProperty("chunkSize", "5");
        p.setProperty("insertRows", "5"); // one INSERT a chunk: ClickHouse goes away midway through a slice
        p.setProperty("parallelism", "1");
        p.setProperty("maxRetries", "1");
        try (ClickHouseGate gate = ClickHouseGate.start(TestClickHouse.URL)) {
            p.setProperty("clickhouseUrl", gate.url());
            // ClickHouse goes away right after it acknowledged the 10th chunk of the first slice, before the
            // loader hears of it: the loader's next request finds no server
            ClickHouseGate.Hold tenth = gate.holdInsert(database + "._stage_events", 10);
            long id = operator().start("appmetrica-load", p);
            tenth.awaitHeld(ClickHouseGate.TIMEOUT, () -> describe(operator().getJobExecution(id)));
            JobExecution failed;
            try {
                clickhouse("stop");
                tenth.release();
                failed = await(id);
            } finally {
                clickhouse("start");
            }
            assertEquals(BatchStatus.FAILED, failed.getBatchStatus(), describe(failed));
            assertTrue(failed.getExitStatus().contains("ClickHouse"), failed.getExitStatus());
            assertTrue(gate.inserts(database + "._stage_events") > 10, "the loader went on after the held INSERT: " + gate.inserts());

            // a new connection: the ClickHouse that started again
            try (ClickHouseConnection clickhouse = TestClickHouse.connect()) {
                JobExecution restarted = await(operator().restart(id, p));
                assertEquals(BatchStatus.COMPLETED, restarted.getBatchStatus(), describe(restarted));
                GroundTruth.assertLoaded(clickhouse, p, database, 13, ROWS);
            }
        }
    }
}
