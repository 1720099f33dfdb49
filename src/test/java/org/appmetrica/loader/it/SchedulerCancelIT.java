package org.appmetrica.loader.it;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.admin.LoadLauncher;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.connection.ConnectionFile;
import org.appmetrica.loader.regular.RegularLoadDefinition;
import org.appmetrica.loader.regular.Scheduler;
import org.appmetrica.loader.testing.ClickHouseGate;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cancelling a regular load (a connection paused, edited or deleted, the console ending) while its execution runs ends
 * the scheduler's wait without interrupting the run's thread (an interrupt inside an embedded H2 call closes the job
 * repository for the whole process), and the execution goes on to load every row once.
 */
class SchedulerCancelIT extends BatchIT {

    private static final int ROWS_PER_DAY = 40;
    private static final long SEED = 11;

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(TOKEN, ROWS_PER_DAY, SEED);

    @Test
    void cancelDuringARunEndsTheWaitWithoutAnInterruptAndTheExecutionCompletes() throws Exception {
        String database = TestClickHouse.database("it_sched_cancel");
        env.freshDatabase(database);
        BlockingQueue<Boolean> interruptedAtEnd = new ArrayBlockingQueue<>(4);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1) {
            @Override
            protected void afterExecute(Runnable r, Throwable t) {
                interruptedAtEnd.add(Thread.currentThread().isInterrupted()); // before the pool clears it for the next task
            }
        };
        List<String> lines = new CopyOnWriteArrayList<>();
        BlockingQueue<Long> started = new ArrayBlockingQueue<>(4);
        try (ClickHouseGate gate = ClickHouseGate.start(TestClickHouse.URL)) {
            Properties p = parameters(env.apiUrl(), database);
            p.setProperty("clickhouseUrl", gate.url());
            p.setProperty("name", "cancelled_events");
            p.setProperty("applicationIds", "1");
            p.setProperty("sources", "events");
            p.setProperty("loadFrom", "2024-04-01");
            p.setProperty("schedule", "daily 05:00");
            p.setProperty("parallelism", "1");
            RegularLoadDefinition definition = ConnectionFile.read(p).validated().definition(new Properties());
            ClickHouseGate.Hold firstInsert = gate.holdInsert(database + "._stage_events", 1);
            Clock clock = Clock.fixed(Instant.parse("2024-04-03T06:00:00Z"), ZoneOffset.UTC); // due: April 1 and 2
            Scheduler scheduler = new Scheduler(BatchIT::operator, LoadLauncher.unattended(BatchIT::operator)::start, executor, clock,
                    lines::add).onStarted((name, id) -> started.add(id));

            scheduler.add(definition);
            Long id = started.poll(2, TimeUnit.MINUTES);
            assertNotNull(id, "no execution started: " + lines);
            firstInsert.awaitHeld(ClickHouseGate.TIMEOUT, () -> describe(operator().getJobExecution(id)));
            scheduler.cancel("cancelled_events");

            // the wait ended while the execution was held mid-load, and the run's thread was not interrupted
            Boolean interrupted = interruptedAtEnd.poll(2, TimeUnit.MINUTES);
            assertNotNull(interrupted, "the run did not end after the cancel: " + lines);
            assertEquals(false, interrupted, "the cancel interrupted the run's thread");
            assertEquals(BatchStatus.STARTED, operator().getJobExecution(id).getBatchStatus());
            assertTrue(scheduler.list().isEmpty(), "still scheduled: " + scheduler.list());

            firstInsert.release();
            JobExecution end = await(id);
            assertEquals(BatchStatus.COMPLETED, end.getBatchStatus(), describe(end));
            Properties loaded = new Properties();
            loaded.putAll(p);
            List.of("name", "loadFrom", "schedule").forEach(loaded::remove); // the connection's, not the job's
            loaded.setProperty("dateSince", "2024-04-01");
            loaded.setProperty("dateUntil", "2024-04-02");
            GroundTruth.assertLoaded(env.clickhouse(), loaded, database, SEED, ROWS_PER_DAY);
        } finally {
            executor.shutdownNow();
        }
    }
}
