package org.appmetrica.loader.it;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.appmetrica.loader.testing.ClickHouseGate;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One test per fault: the precise outcome (status, message, rows). */
class FaultsIT extends BatchIT {

    private static final int ROWS_PER_DAY = 150;
    private static final long SEED = 5;

    /** No faults before each test: the extension clears them. */
    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(TOKEN, ROWS_PER_DAY, SEED);

    @BeforeEach
    void rightToken() {
        System.setProperty("it.appmetrica.token", TOKEN);
    }

    private Properties load(String database) {
        env.freshDatabase(database);
        Properties p = parameters(env.apiUrl(), database);
        p.setProperty("applicationIds", "701");
        p.setProperty("sources", "events,errors");
        p.setProperty("dateSince", "2024-08-01");
        p.setProperty("dateUntil", "2024-08-02");
        p.setProperty("chunkSize", "40");
        p.setProperty("rateLimitWaitSeconds", "0");
        return p;
    }

    @Test
    void wrongTokenFailsAtOnceAndARestartAfterFixingItCompletes() throws Exception {
        String database = TestClickHouse.database("it_fault_token");
        Properties p = load(database);
        System.setProperty("it.appmetrica.token", "not-the-token");
        int before = env.simulator().requests().size();
        JobExecution failed = run(p);
        assertEquals(BatchStatus.FAILED, failed.getBatchStatus(), describe(failed));
        assertTrue(failed.getExitStatus().contains("HTTP 401"), failed.getExitStatus());
        assertFalse(failed.getExitStatus().contains("not-the-token"), "the token is never part of a message");
        assertEquals(4, env.simulator().requests().size() - before, "one request per slice, no retries on 401");

        System.setProperty("it.appmetrica.token", TOKEN);
        JobExecution restarted = await(operator().restart(failed.getExecutionId(), p));
        assertEquals(BatchStatus.COMPLETED, restarted.getBatchStatus(), describe(restarted));
        GroundTruth.assertLoaded(env.clickhouse(), p, database, SEED, ROWS_PER_DAY);
    }

    @Test
    void rateLimitStormsAndRandom5xxAreWaitedOut() throws Exception {
        String database = TestClickHouse.database("it_fault_storms");
        Properties p = load(database);
        env.simulator().failNextRequests(12, 429);
        JobExecution e = run(p);
        assertEquals(BatchStatus.COMPLETED, e.getBatchStatus(), describe(e));
        GroundTruth.assertLoaded(env.clickhouse(), p, database, SEED, ROWS_PER_DAY);

        for (int status : new int[] {500, 502, 504}) {
            env.simulator().failNextRequests(3, status);
            p.setProperty("maxRetries", "4");
            JobExecution again = run(p);
            assertEquals(BatchStatus.COMPLETED, again.getBatchStatus(), status + ": " + describe(again));
            GroundTruth.assertLoaded(env.clickhouse(), p, database, SEED, ROWS_PER_DAY);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"csv", "json"})
    void truncatedBodiesAreDetectedAndDownloadedAgain(String format) throws Exception {
        String database = TestClickHouse.database("it_fault_truncated_" + format);
        Properties p = load(database);
        p.setProperty("format", format);
        p.setProperty("parallelism", "1");
        env.simulator().truncateNextDownloads(1, 20_000); // a clean cut that only parsing can notice
        JobExecution e = run(p);
        assertEquals(BatchStatus.COMPLETED, e.getBatchStatus(), describe(e));
        GroundTruth.assertLoaded(env.clickhouse(), p, database, SEED, ROWS_PER_DAY);
    }

    @Test
    void aSpoolDeletedBetweenRunsIsDownloadedAgain() throws Exception {
        String database = TestClickHouse.database("it_fault_spool");
        Properties p = load(database);
        p.setProperty("chunkSize", "5");
        p.setProperty("insertRows", "5"); // one INSERT a chunk: the load can stop midway through a slice
        p.setProperty("parallelism", "1");
        try (ClickHouseGate gate = ClickHouseGate.start(TestClickHouse.URL)) {
            p.setProperty("clickhouseUrl", gate.url());
            // stopped in the middle of the first events slice: its file is spooled, 10 of its 30 chunks are staged
            ClickHouseGate.Hold tenth = gate.holdInsert(database + "._stage_events", 10);
            long id = operator().start("appmetrica-load", p);
            tenth.awaitHeld(ClickHouseGate.TIMEOUT, () -> describe(operator().getJobExecution(id)));
            operator().stop(id);
            tenth.release();
            JobExecution stopped = await(id);
            assertEquals(BatchStatus.STOPPED, stopped.getBatchStatus(), describe(stopped));
            Path spool = Path.of(p.getProperty("spoolDir"), Long.toString(operator().getJobInstance(id).getInstanceId()));
            assertTrue(Files.exists(spool), "the spool of the stopped run exists");
            try (Stream<Path> files = Files.walk(spool)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
            JobExecution restarted = await(operator().restart(id, p));
            assertEquals(BatchStatus.COMPLETED, restarted.getBatchStatus(), describe(restarted));
            GroundTruth.assertLoaded(env.clickhouse(), p, database, SEED, ROWS_PER_DAY);
            assertFalse(Files.exists(spool), "the spool is removed once the load completed");
        }
    }

    @Test
    void anExportNotReadyBeforeTheDeadlineFailsAndARestartKeepsWaitingForTheSameExport() throws Exception {
        String database = TestClickHouse.database("it_fault_deadline");
        try (LogsApiSimulator slow = new LogsApiSimulator(SimulatorConfig.defaults(TOKEN).withRowsPerDay(ROWS_PER_DAY).withReadyAfter(1)
                .withSeed(SEED)).start()) {
            slow.hold("events", 702, java.time.LocalDate.parse("2024-08-01")); // queued until released, whatever the polls
            env.freshDatabase(database);
            Properties p = parameters(slow.baseUrl(), database);
            p.setProperty("applicationIds", "702");
            p.setProperty("sources", "events");
            p.setProperty("dateSince", "2024-08-01");
            p.setProperty("dateUntil", "2024-08-01");
            p.setProperty("pollIntervalSeconds", "1");
            p.setProperty("pollTimeoutSeconds", "2");
            JobExecution failed = run(p);
            assertEquals(BatchStatus.FAILED, failed.getBatchStatus(), describe(failed));
            assertTrue(failed.getExitStatus().contains("did not prepare app 702 events 2024-08-01 within 2 s"), failed.getExitStatus());

            assertFalse(slow.heldRequests().isEmpty(), "the export was asked for and kept queued");

            slow.releaseHeld();
            p.setProperty("pollTimeoutSeconds", "60");
            JobExecution restarted = await(operator().restart(failed.getExecutionId(), p));
            assertEquals(BatchStatus.COMPLETED, restarted.getBatchStatus(), describe(restarted));
            GroundTruth.assertLoaded(env.clickhouse(), p, database, SEED, ROWS_PER_DAY);
            long fresh = slow.requests().stream().filter(r -> "no-cache".equals(r.cacheControl())).count();
            assertEquals(1, fresh, "the restart went on waiting for the export it had asked for, it did not order a new one");
        }
    }

    @Test
    void aDroppedColumnIsAddedAgainButOneWithAnotherTypeIsAClearError() throws Exception {
        String database = TestClickHouse.database("it_fault_altered");
        Properties p = load(database);
        assertEquals(BatchStatus.COMPLETED, run(p).getBatchStatus());
        env.clickhouse().execute("ALTER TABLE " + database + ".errors DROP COLUMN error_name");
        JobExecution again = run(p);
        assertEquals(BatchStatus.COMPLETED, again.getBatchStatus(), describe(again));
        GroundTruth.assertLoaded(env.clickhouse(), p, database, SEED, ROWS_PER_DAY);

        env.clickhouse().execute("ALTER TABLE " + database + ".errors DROP COLUMN error_name");
        env.clickhouse().execute("ALTER TABLE " + database + ".errors ADD COLUMN error_name Nullable(String)");
        JobExecution failed = run(p);
        assertEquals(BatchStatus.FAILED, failed.getBatchStatus());
        assertTrue(failed.getExitStatus().contains("column error_name has type Nullable(String), expected String"),
                failed.getExitStatus());
    }
}
