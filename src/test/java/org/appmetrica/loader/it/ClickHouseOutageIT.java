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
     * ClickHouse applies an INSERT whose answer the loader never gets: the writer removes what landed and sends it again,
     * itself, so the execution completes exactly with a few more INSERTs — not the one-row chunks (and one-row parts)
     * a Jakarta Batch chunk retry would make of it.
     */
    @Test
    void anInsertWhoseAnswerIsLostIsSentAgainByTheWriter() throws Exception {
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
            ClickHouseGate.Trigger third = gate.dropAnswer(database + "._stage_events", 3);
            JobExecution done = await(operator().start("appmetrica-load", p));
            third.awaitDone(ClickHouseGate.TIMEOUT);
            assertEquals(BatchStatus.COMPLETED, done.getBatchStatus(), describe(done));
            int chunks = ROWS / 50;
            int inserts = gate.inserts(database + "._stage_events");
            assertTrue(inserts > chunks && inserts <= chunks + 2, "INSERTs: " + inserts + " for " + chunks + " chunks");
            try (ClickHouseConnection clickhouse = TestClickHouse.connect()) {
                GroundTruth.assertLoaded(clickhouse, p, database, 13, ROWS);
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
