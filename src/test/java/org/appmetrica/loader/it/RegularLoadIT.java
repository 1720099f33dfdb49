package org.appmetrica.loader.it;

import org.appmetrica.loader.testing.MutableClock;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.job.Slice;
import org.appmetrica.loader.regular.RegularLoadDefinition;
import org.appmetrica.loader.regular.RegularLoadRunner;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.SourceSpec;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatedData;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ten simulated days of a regular load with late rows arriving: after every run ClickHouse equals the simulator's
 * current truth for every loaded day, and a reader querying during the re-loads never sees a day missing or doubled.
 * Then load-from moves later and earlier.
 */
class RegularLoadIT extends BatchIT {

    private static final String DB = "it_regular";
    private static final int ROWS = 60;
    private static final long SEED = 3;

    @Test
    void tenDaysOfLateRowsThenLoadFromMoves() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2024-09-10T06:00:00Z"));
        try (LogsApiSimulator simulator = new LogsApiSimulator(SimulatorConfig.defaults(TOKEN).withRowsPerDay(ROWS).withReadyAfter(0).withSeed(SEED)).start();
             ClickHouseConnection clickhouse = TestClickHouse.connect()) {
            simulator.setLateRows(new SimulatedData.LateRows(10, 3, () -> LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)));
            clickhouse.execute("DROP DATABASE IF EXISTS " + DB);
            Properties p = parameters(simulator.baseUrl(), DB);
            p.setProperty("name", "daily_events");
            p.setProperty("applicationIds", "801,802");
            p.setProperty("sources", "events");
            p.setProperty("loadFrom", "2024-09-05");
            p.setProperty("schedule", "daily 05:00");
            p.setProperty("reloadWindowDays", "3");
            RegularLoadRunner runner = new RegularLoadRunner(operator(), clock);
            SourceSpec events = FieldCatalog.get().source("events").orElseThrow();

            Map<LocalDate, Set<Long>> allowed = new HashMap<>();
            ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
            AtomicBoolean reading = new AtomicBoolean(true);
            Thread reader = new Thread(() -> {
                while (reading.get()) {
                    try {
                        for (String[] r : clickhouse.query("SELECT toString(load_date), load_application_id, count() FROM " + DB
                                + ".events GROUP BY load_date, load_application_id")) {
                            Set<Long> ok;
                            synchronized (allowed) {
                                ok = allowed.get(LocalDate.parse(r[0]));
                            }
                            long n = Long.parseLong(r[2]);
                            if (ok != null && !ok.contains(n)) {
                                violations.add(r[0] + " app " + r[1] + ": " + n + " rows, expected one of " + ok);
                            }
                        }
                    } catch (RuntimeException e) {
                        // the table does not exist yet
                    }
                }
            });
            reader.start();
            try {
                LocalDate loadFrom = LocalDate.parse("2024-09-05");
                for (int day = 0; day < 10; day++) {
                    LocalDate yesterday = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
                    SimulatedData truth = simulator.data();
                    synchronized (allowed) { // a day may show its old or its new content, never anything else
                        for (LocalDate d = loadFrom; !d.isAfter(yesterday); d = d.plusDays(1)) {
                            allowed.computeIfAbsent(d, k -> new HashSet<>()).add(truth.rowCount(801, events, d));
                        }
                    }
                    Optional<JobExecution> run = runner.runOnce(RegularLoadDefinition.parse(p));
                    assertTrue(run.isPresent(), "day " + day + ": yesterday is always due");
                    assertEquals(BatchStatus.COMPLETED, run.get().getBatchStatus(), describe(run.get()));
                    assertMatches(clickhouse, truth, events, loadFrom, yesterday);
                    clock.advance(Duration.ofDays(1));
                }
                LocalDate lastDay = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
                long loadedRuns = clickhouse.queryLong("SELECT uniqExact(execution_id) FROM " + DB + "._load_state FINAL");
                assertTrue(loadedRuns >= 4, "recent days were re-loaded by later runs: " + loadedRuns);

                synchronized (allowed) { // the days now final: their final content (and 0 once dropped)
                    for (LocalDate d = loadFrom; !d.isAfter(lastDay); d = d.plusDays(1)) {
                        allowed.computeIfAbsent(d, k -> new HashSet<>()).add(simulator.data().rowCount(801, events, d));
                        if (d.isBefore(LocalDate.parse("2024-09-09"))) {
                            allowed.remove(d); // dropped on purpose; a reload from the 3rd brings them back
                        }
                    }
                }
                p.setProperty("loadFrom", "2024-09-09"); // later: earlier days are dropped, the range reloaded
                assertEquals(BatchStatus.COMPLETED, runner.runOnce(RegularLoadDefinition.parse(p)).orElseThrow().getBatchStatus());
                assertEquals(0, clickhouse.queryLong("SELECT count() FROM " + DB + ".events WHERE load_date < '2024-09-09'"));
                assertEquals(0, clickhouse.queryLong("SELECT count() FROM " + DB + "._load_state FINAL WHERE day < '2024-09-09'"));
                assertMatches(clickhouse, simulator.data(), events, LocalDate.parse("2024-09-09"), lastDay.minusDays(0));

                p.setProperty("loadFrom", "2024-09-03"); // earlier: a full reload from the new day
                assertEquals(BatchStatus.COMPLETED, runner.runOnce(RegularLoadDefinition.parse(p)).orElseThrow().getBatchStatus());
                assertMatches(clickhouse, simulator.data(), events, LocalDate.parse("2024-09-03"), lastDay);
            } finally {
                reading.set(false);
                reader.join();
            }
            assertTrue(violations.isEmpty(), "a reader saw a day missing or doubled: " + violations.stream().limit(5).toList());
        }
    }

    private static void assertMatches(ClickHouseConnection clickhouse, SimulatedData truth, SourceSpec source, LocalDate from, LocalDate to) {
        List<Slice> slices = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            slices.add(new Slice(801, "events", d));
            slices.add(new Slice(802, "events", d));
        }
        List<String> fields = source.defaultFields().stream().map(f -> f.name()).toList();
        Map<String, Integer> expected = GroundTruth.expected(truth, source, fields, Map.of(), slices, "");
        Map<String, Integer> actual = GroundTruth.actual(clickhouse, DB, source);
        String diff = GroundTruth.difference(expected, actual);
        assertEquals(GroundTruth.count(expected), GroundTruth.count(actual), "rows " + from + ".." + to + diff);
        assertEquals(GroundTruth.checksum(expected), GroundTruth.checksum(actual), "checksum " + from + ".." + to + diff);
    }
}
