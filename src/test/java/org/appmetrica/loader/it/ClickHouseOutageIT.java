package org.appmetrica.loader.it;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ClickHouse stopped in the middle of a load (by the same script CI starts it with): the run fails, a restart completes exactly. */
class ClickHouseOutageIT extends BatchIT {

    private static final int ROWS = 400;

    private static void clickhouse(String action) throws Exception {
        Process p = new ProcessBuilder("bash", Path.of(".ci", "clickhouse.sh").toString(), action).inheritIO().start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "clickhouse.sh " + action);
    }

    @Test
    void clickHouseGoneMidLoadThenBackAndRestarted() throws Exception {
        String database = "it_outage";
        try (LogsApiSimulator simulator = new LogsApiSimulator(SimulatorConfig.defaults(TOKEN).withRowsPerDay(ROWS).withReadyAfter(0).withSeed(13)).start()) {
            Properties p = parameters(simulator.baseUrl(), database);
            p.setProperty("applicationIds", "901");
            p.setProperty("sources", "events");
            p.setProperty("dateSince", "2024-10-01");
            p.setProperty("dateUntil", "2024-10-04");
            p.setProperty("chunkSize", "5");
            p.setProperty("parallelism", "1");
            p.setProperty("maxRetries", "1");
            try (ClickHouseConnection clickhouse = TestClickHouse.connect()) {
                TestClickHouse.recreate(clickhouse, database);
                long id = operator().start("appmetrica-load", p);
                long deadline = System.currentTimeMillis() + 60_000;
                while (clickhouse.queryLong("SELECT count() FROM system.parts WHERE database = '" + database
                        + "' AND table = '_stage_events' AND active") < 10 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(10);
                }
                JobExecution failed;
                try {
                    clickhouse("stop");
                    failed = await(id);
                } finally {
                    clickhouse("start");
                }
                assertEquals(BatchStatus.FAILED, failed.getBatchStatus(), describe(failed));
                assertTrue(failed.getExitStatus().contains("ClickHouse"), failed.getExitStatus());
            }
            try (ClickHouseConnection clickhouse = TestClickHouse.connect()) {
                JobExecution restarted = await(operator().restart(failedId(p, database), p));
                assertEquals(BatchStatus.COMPLETED, restarted.getBatchStatus(), describe(restarted));
                GroundTruth.assertLoaded(clickhouse, p, database, 13, ROWS);
            }
        }
    }

    private static long failedId(Properties p, String database) {
        return operator().getJobInstances("appmetrica-load", 0, 1).stream()
                .flatMap(i -> operator().getJobExecutions(i).stream())
                .filter(e -> database.equals(operator().getParameters(e.getExecutionId()).getProperty("clickhouseDatabase")))
                .mapToLong(JobExecution::getExecutionId).max().orElseThrow();
    }
}
