package org.appmetrica.loader.it;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.model.Slice;
import org.appmetrica.loader.admin.LoadLauncher;
import org.appmetrica.loader.connection.ConnectionFile;
import org.appmetrica.loader.regular.RegularLoadRunner;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.SourceSpec;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatedData;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.appmetrica.loader.testing.ClickHouseGate;
import org.appmetrica.loader.testing.MutableClock;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ten simulated days of a regular load with late rows arriving: after every run ClickHouse equals the simulator's
 * current truth for every loaded day. A reader queries all the time from the second run on and must see, at every
 * read, every loaded day of both applications with a complete content (its old or its new row count, never a day
 * missing, doubled or partial); any failed read fails the test. Each run is held with one of its chunks staged
 * (ClickHouseGate) until the reader has read at least once, so reads do happen in the middle of every reload.
 * Then load-from moves later and earlier.
 */
class RegularLoadIT extends BatchIT {

    private static final String DB = TestClickHouse.database("it_regular");
    private static final String STAGE = DB + "._stage_events";
    private static final int ROWS = 60;
    private static final long SEED = 3;
    private static final List<Long> APPS = List.of(801L, 802L);

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(SimulatorConfig.defaults(TOKEN).withRowsPerDay(ROWS).withReadyAfter(0)
            .withSeed(SEED));

    /** What a reader may see at one moment: for each application/day the row counts allowed (0 = absent). */
    private record Expectation(Map<String, Set<Long>> allowed) {
        /** null when {@code seen} is allowed, else what is wrong. */
        String check(Map<String, Long> seen) {
            List<String> wrong = new ArrayList<>();
            allowed.forEach((key, counts) -> {
                long n = seen.getOrDefault(key, 0L);
                if (!counts.contains(n)) {
                    wrong.add(key + ": " + n + " rows, expected one of " + counts);
                }
            });
            seen.forEach((key, n) -> {
                if (!allowed.containsKey(key)) {
                    wrong.add(key + ": " + n + " rows of a day that is not loaded");
                }
            });
            return wrong.isEmpty() ? null : String.join("; ", wrong);
        }
    }

    /** Every expectation in force so far, in order; a read is checked against those in force while it ran. */
    private final List<Expectation> expectations = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final AtomicReference<CountDownLatch> readsWanted = new AtomicReference<>();
    private final AtomicLong reads = new AtomicLong();
    private final SourceSpec events = FieldCatalog.get().source("events").orElseThrow();

    @Test
    void tenDaysOfLateRowsThenLoadFromMoves() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2024-09-10T06:00:00Z"));
        ExecutorService runs = Executors.newSingleThreadExecutor();
        LogsApiSimulator simulator = env.simulator();
        ClickHouseConnection clickhouse = env.clickhouse();
        try (ClickHouseGate gate = ClickHouseGate.start(TestClickHouse.URL)) {
            simulator.setLateRows(new SimulatedData.LateRows(10, 3, () -> LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)));
            env.freshDatabase(DB);
            Properties p = parameters(simulator.baseUrl(), DB);
            p.setProperty("clickhouseUrl", gate.url());
            p.setProperty("name", "daily_events");
            p.setProperty("applicationIds", "801,802");
            p.setProperty("sources", "events");
            p.setProperty("loadFrom", "2024-09-05");
            p.setProperty("schedule", "daily 05:00");
            p.setProperty("reloadDays", "3");
            RegularLoadRunner runner = new RegularLoadRunner(operator(), clock, LoadLauncher.unattended(BatchIT::operator)::start);
            Callable<Optional<JobExecution>> run = () -> runner.runOnce(ConnectionFile.read(p).validated().definition(new Properties()));

            // the first run creates the tables; the reader starts once they exist
            LocalDate loadFrom = LocalDate.parse("2024-09-05");
            LocalDate yesterday = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
            Optional<JobExecution> first = runner.runOnce(ConnectionFile.read(p).validated().definition(new Properties()));
            assertEquals(BatchStatus.COMPLETED, first.orElseThrow().getBatchStatus(), describe(first.get()));
            assertMatches(clickhouse, simulator.data(), loadFrom, yesterday);
            Map<String, Set<Long>> current = exactly(simulator.data(), loadFrom, yesterday);
            expectations.add(new Expectation(current));

            AtomicBoolean reading = new AtomicBoolean(true);
            Thread reader = new Thread(() -> {
                do {
                    read(clickhouse);
                } while (reading.get());
            }, "regular-load-reader");
            reader.start();
            try {
                for (int day = 1; day < 10; day++) {
                    clock.advance(Duration.ofDays(1));
                    yesterday = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
                    SimulatedData truth = simulator.data();
                    Map<String, Set<Long>> during = copy(current); // a day may show its old or its new content
                    for (LocalDate d = loadFrom; !d.isAfter(yesterday); d = d.plusDays(1)) {
                        for (long app : APPS) {
                            during.computeIfAbsent(key(app, d), k -> new TreeSet<>(Set.of(0L))).add(truth.rowCount(app, events, d));
                        }
                    }
                    expectations.add(new Expectation(during));
                    JobExecution e = runWhileReading(gate, runs, run, "day " + day);
                    assertEquals(BatchStatus.COMPLETED, e.getBatchStatus(), describe(e));
                    assertMatches(clickhouse, truth, loadFrom, yesterday);
                    current = exactly(truth, loadFrom, yesterday);
                    expectations.add(new Expectation(current));
                }
                LocalDate lastDay = yesterday;
                long loadedRuns = clickhouse.queryLong("SELECT uniqExact(execution_id) FROM " + DB + "._load_state FINAL");
                assertTrue(loadedRuns >= 4, "recent days were re-loaded by later runs: " + loadedRuns);

                // later: the days before it are dropped (each one at once), the range reloaded
                LocalDate later = LocalDate.parse("2024-09-09");
                Map<String, Set<Long>> during = copy(current);
                for (LocalDate d = loadFrom; d.isBefore(later); d = d.plusDays(1)) {
                    for (long app : APPS) {
                        during.get(key(app, d)).add(0L);
                    }
                }
                expectations.add(new Expectation(during));
                p.setProperty("loadFrom", later.toString());
                assertEquals(BatchStatus.COMPLETED, runWhileReading(gate, runs, run, "load-from later").getBatchStatus());
                assertEquals(0, clickhouse.queryLong("SELECT count() FROM " + DB + ".events WHERE load_date < '2024-09-09'"));
                assertEquals(0, clickhouse.queryLong("SELECT count() FROM " + DB + "._load_state FINAL WHERE day < '2024-09-09'"));
                assertMatches(clickhouse, simulator.data(), later, lastDay);
                current = exactly(simulator.data(), later, lastDay);
                expectations.add(new Expectation(current));

                // earlier: a full reload from the new day; the days before the old one appear, each one at once
                LocalDate earlier = LocalDate.parse("2024-09-03");
                during = copy(current);
                for (LocalDate d = earlier; !d.isAfter(lastDay); d = d.plusDays(1)) {
                    for (long app : APPS) {
                        during.computeIfAbsent(key(app, d), k -> new TreeSet<>(Set.of(0L))).add(simulator.data().rowCount(app, events, d));
                    }
                }
                expectations.add(new Expectation(during));
                p.setProperty("loadFrom", earlier.toString());
                assertEquals(BatchStatus.COMPLETED, runWhileReading(gate, runs, run, "load-from earlier").getBatchStatus());
                assertMatches(clickhouse, simulator.data(), earlier, lastDay);
                expectations.add(new Expectation(exactly(simulator.data(), earlier, lastDay)));
            } finally {
                reading.set(false);
                reader.join();
                runs.shutdownNow();
            }
            assertTrue(violations.isEmpty(), violations.size() + " of " + reads.get() + " reads saw a day missing, doubled or partial, or failed: "
                    + violations.stream().limit(5).toList());
        }
    }

    /**
     * Runs once with the first chunk of the run held in ClickHouse's staging table (so a slice is midway), lets the
     * reader read while it is held, then lets the run finish.
     */
    private JobExecution runWhileReading(ClickHouseGate gate, ExecutorService runs, Callable<Optional<JobExecution>> run, String what)
            throws Exception {
        ClickHouseGate.Hold hold = gate.holdInsert(STAGE, gate.inserts(STAGE) + 1);
        Future<Optional<JobExecution>> running = runs.submit(run);
        try {
            hold.awaitHeld(ClickHouseGate.TIMEOUT, () -> what + (running.isDone() ? ": the run ended without staging a chunk" : ""));
            CountDownLatch twoReads = new CountDownLatch(2); // the second one started after the hold
            readsWanted.set(twoReads);
            assertTrue(twoReads.await(ClickHouseGate.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), what + ": the reader did not read while a slice was midway");
        } finally {
            hold.release();
        }
        Optional<JobExecution> e = running.get(5, TimeUnit.MINUTES);
        assertTrue(e.isPresent(), what + ": something was due");
        return e.get();
    }

    /** One read: every application/day and its row count in one query (one snapshot), checked. */
    private void read(ClickHouseConnection clickhouse) {
        int from = expectations.size() - 1;
        try {
            Map<String, Long> seen = new HashMap<>();
            for (String[] r : clickhouse.query("SELECT load_application_id, toString(load_date), count() FROM " + DB
                    + ".events GROUP BY load_application_id, load_date")) {
                seen.put(key(Long.parseLong(r[0]), LocalDate.parse(r[1])), Long.parseLong(r[2]));
            }
            int to = expectations.size() - 1;
            String wrong = null;
            for (int i = from; i <= to; i++) {
                wrong = expectations.get(i).check(seen);
                if (wrong == null) {
                    break;
                }
            }
            if (wrong != null) {
                violations.add("read " + reads.get() + ": " + wrong);
            }
        } catch (RuntimeException e) {
            violations.add("read " + reads.get() + " failed: " + e);
        } finally {
            reads.incrementAndGet();
            CountDownLatch wanted = readsWanted.get();
            if (wanted != null) {
                wanted.countDown();
            }
        }
    }

    private static String key(long app, LocalDate day) {
        return app + "/" + day;
    }

    private static Map<String, Set<Long>> copy(Map<String, Set<Long>> m) {
        Map<String, Set<Long>> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, new TreeSet<>(v)));
        return out;
    }

    /** After a run: each day of the range exactly as the simulator serves it now. */
    private Map<String, Set<Long>> exactly(SimulatedData truth, LocalDate from, LocalDate to) {
        Map<String, Set<Long>> out = new TreeMap<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            for (long app : APPS) {
                out.put(key(app, d), new TreeSet<>(Set.of(truth.rowCount(app, events, d))));
            }
        }
        return out;
    }

    private void assertMatches(ClickHouseConnection clickhouse, SimulatedData truth, LocalDate from, LocalDate to) {
        List<Slice> slices = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            for (long app : APPS) {
                slices.add(new Slice(app, "events", d));
            }
        }
        List<String> fields = events.defaultFields().stream().map(f -> f.name()).toList();
        Map<String, Integer> expected = GroundTruth.expected(truth, events, fields, Map.of(), slices, "");
        Map<String, Integer> actual = GroundTruth.actual(clickhouse, DB, events);
        String diff = GroundTruth.difference(expected, actual);
        assertEquals(GroundTruth.count(expected), GroundTruth.count(actual), "rows " + from + ".." + to + diff);
        assertEquals(GroundTruth.checksum(expected), GroundTruth.checksum(actual), "checksum " + from + ".." + to + diff);
    }
}
