package org.appmetrica.loader.standalone;

import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.it.GroundTruth;
import org.appmetrica.loader.simulator.RecordedRequest;
import org.appmetrica.loader.testing.ClickHouseGate;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a user sees and types after a crash, and when two loads meet on the same days: separate JVMs running
 * {@code java -jar target/appmetrica-loader.jar} on one data directory, as in the README.
 */
class CrashAndLeasesCliIT {

    private static final String TOKEN = "crash-cli-token-51c2";
    private static final int ROWS = 300;
    private static final long SEED = 23;
    private static final Duration TIMEOUT = ClickHouseGate.TIMEOUT;

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(TOKEN, ROWS, SEED);
    private static Path dataDir;

    @BeforeAll
    static void createDataDir() throws Exception {
        dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "crash-cli");
    }

    private static List<String> load(String database, String clickhouseUrl, String since, String until, String... extra) {
        List<String> args = new ArrayList<>(List.of("applicationIds=701", "sources=events", "dateSince=" + since, "dateUntil=" + until,
                "apiUrl=" + env.apiUrl(), "pollIntervalSeconds=0", "clickhouseUrl=" + clickhouseUrl,
                "clickhouseDatabase=" + database, "parallelism=1", "chunkSize=50"));
        args.addAll(List.of(extra));
        return args;
    }

    private static String[] run(List<String> parameters) {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(parameters);
        return args.toArray(String[]::new);
    }

    private static Properties properties(List<String> parameters) {
        Properties p = new Properties();
        for (String kv : parameters) {
            p.setProperty(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        return p;
    }

    /** Starts a run whose export of {@code held} waits in the API queue (the simulator holds it) until released. */
    private static CliProcess runHolding(LocalDate held, List<String> parameters) throws Exception {
        env.simulator().hold("events", 701, held);
        CliProcess p = CliProcess.start(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), run(parameters));
        env.simulator().awaitHeldRequest(TIMEOUT);
        p.awaitOutput("execution id: ", TIMEOUT);
        return p;
    }

    /** Export requests the simulator received for one day of events. */
    private static long exportRequests(LocalDate day) {
        return env.simulator().requests().stream().filter(r -> r.path().contains("/logs/v1/export/events"))
                .filter(r -> day.toString().equals(dayOf(r))).count();
    }

    private static String dayOf(RecordedRequest r) {
        String since = r.query().get("date_since");
        return since == null ? null : since.substring(0, 10);
    }

    @Test
    void aKilledRunIsReportedCrashedAndRestartIdContinuesItExactly() throws Exception {
        String database = TestClickHouse.database("it_cli_crash");
        env.freshDatabase(database);
        LocalDate d1 = LocalDate.parse("2024-06-01");
        LocalDate d2 = d1.plusDays(1);
        try (ClickHouseGate gate = ClickHouseGate.start(TestClickHouse.URL)) {
            List<String> parameters = load(database, gate.url(), "2024-06-01", "2024-06-03");
            // 300 rows a day in chunks of 50, one INSERT a day: INSERT 2 is the 2nd day's. ClickHouse has it, the loader
            // has not heard back, so no checkpoint names its rows: the worst moment to die.
            ClickHouseGate.Hold ninth = gate.holdInsert(database + "._stage_events", 2);
            CliProcess running = CliProcess.start(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), run(parameters));
            ninth.awaitHeld(TIMEOUT, running::textSoFar);
            running.awaitOutput("execution id: ", TIMEOUT);

            CliProcess.Result alive = CliProcess.run(dataDir, Map.of(), "executions");
            running.process.destroyForcibly(); // SIGKILL
            assertTrue(running.process.waitFor(1, TimeUnit.MINUTES));
            long id = running.executionId();
            assertTrue(alive.output().matches("(?s).*\\n" + id + "\\s+STARTED.*"), "a live run in another process is never declared dead:\n"
                    + alive.output());
            ninth.release();

            CliProcess.Result listed = CliProcess.run(dataDir, Map.of(), "executions");
            assertTrue(listed.output().matches("(?s).*\\n" + id + "\\s+FAILED .*CRASHED: the process that ran it \\(pid "
                    + running.process.pid() + " .*"), listed.output());
            CliProcess.Result status = CliProcess.run(dataDir, Map.of(), "status", Long.toString(id));
            assertTrue(status.output().contains("INTERRUPTED"), status.output());
            CliProcess.Result stop = CliProcess.run(dataDir, Map.of(), "stop", Long.toString(id));
            assertEquals(1, stop.exitCode(), "nothing runs that could be stopped: " + stop.output());

            long day1Requests = exportRequests(d1);
            long day2Requests = exportRequests(d2);
            CliProcess.Result restarted = CliProcess.run(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), "restart", Long.toString(id));
            assertEquals(0, restarted.exitCode(), restarted.output());
            assertTrue(restarted.output().contains("app 701 events 2024-06-01: published before the restart; nothing to do"), restarted.output());
            assertEquals(day1Requests, exportRequests(d1), "the published day is not requested again");
            assertEquals(day2Requests, exportRequests(d2), "the day being loaded continues from its spool, not a new export");
            GroundTruth.assertLoaded(env.clickhouse(), properties(parameters), database, SEED, ROWS);
        }
    }

    /**
     * Killed while the INSERT of the 2nd day streams its chunks: ClickHouse has a part of its body, and the checkpoints
     * of the chunks already written name none of its rows (they count INSERTs that ended). The restart reads the day
     * again from row 0 out of its spool; rows exact.
     */
    @Test
    void aRunKilledInTheMiddleOfAnInsertIsRestartedExactly() throws Exception {
        String database = TestClickHouse.database("it_cli_mid_insert");
        env.freshDatabase(database);
        try (ClickHouseGate gate = ClickHouseGate.start(TestClickHouse.URL)) {
            List<String> parameters = load(database, gate.url(), "2024-06-11", "2024-06-13", "chunkSize=20");
            ClickHouseGate.BodyPause second = gate.pauseBody(database + "._stage_events", 2, 4_000);
            CliProcess running = CliProcess.start(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), run(parameters));
            second.awaitPaused(TIMEOUT, running::textSoFar);
            running.awaitOutput("execution id: ", TIMEOUT);
            running.process.destroyForcibly(); // SIGKILL
            assertTrue(running.process.waitFor(1, TimeUnit.MINUTES));
            second.release(); // the proxy reads the end of the killed loader's connection: ClickHouse gets a broken body

            CliProcess.Result restarted = CliProcess.run(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), "restart",
                    Long.toString(running.executionId()));
            assertEquals(0, restarted.exitCode(), restarted.output());
            GroundTruth.assertLoaded(env.clickhouse(), properties(parameters), database, SEED, ROWS);
            assertEquals(3, env.clickhouse().queryLong("SELECT count() FROM system.parts WHERE database = '" + database
                    + "' AND table = 'events' AND active"), "one part a day");
        }
    }

    @Test
    void aKilledScheduleLeavesAnExecutionThatRestartIdCompletes() throws Exception {
        String database = TestClickHouse.database("it_cli_schedule_crash");
        env.freshDatabase(database);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        env.simulator().hold("events", 701, today.minusDays(1)); // the first due day is published, the second waits in the queue
        try {
            Path config = regularConfig(database, "crash", today.minusDays(2));
            CliProcess schedule = CliProcess.start(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), "schedule", "--config", config.toString());
            env.simulator().awaitHeldRequest(TIMEOUT);
            schedule.process.destroyForcibly(); // SIGKILL
            assertTrue(schedule.process.waitFor(1, TimeUnit.MINUTES));
        } finally {
            env.simulator().releaseHeld();
        }
        CliProcess.Result listed = CliProcess.run(dataDir, Map.of(), "executions");
        java.util.regex.Matcher crashed = java.util.regex.Pattern.compile("\\n(\\d+)\\s+FAILED .*CRASHED: the process that ran it")
                .matcher(listed.output());
        long id = -1;
        while (crashed.find()) {
            id = Long.parseLong(crashed.group(1)); // the newest crashed execution is the schedule's
        }
        assertTrue(id > 0, listed.output());
        CliProcess.Result restarted = CliProcess.run(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), "restart", Long.toString(id));
        assertEquals(0, restarted.exitCode(), restarted.output());
        GroundTruth.assertLoaded(env.clickhouse(), properties(load(database, TestClickHouse.URL, today.minusDays(2).toString(),
                today.minusDays(1).toString())), database, SEED, ROWS);
    }

    /** A regular load definition (docs/loads.md, Regular loads) over this test's simulator and ClickHouse, plus {@code extra} keys. */
    private static Path regularConfig(String database, String name, LocalDate loadFrom, String... extra) throws Exception {
        Properties regular = properties(load(database, TestClickHouse.URL, "x", "x"));
        regular.remove("dateSince");
        regular.remove("dateUntil");
        regular.setProperty("name", name);
        regular.setProperty("loadFrom", loadFrom.toString());
        regular.setProperty("schedule", "daily 03:00");
        regular.setProperty("timeZone", "UTC");
        for (int i = 0; i < extra.length; i += 2) {
            regular.setProperty(extra[i], extra[i + 1]);
        }
        Path config = dataDir.resolve("regular-" + name + ".properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            regular.store(out, null);
        }
        return config;
    }

    @Test
    void twoRunsOverOverlappingDaysTakeTurnsAndLeaveEveryDayExact() throws Exception {
        String database = TestClickHouse.database("it_cli_overlap");
        env.freshDatabase(database);
        try {
            // the first run holds 06-12 while its export waits in the API queue; the second run reaches 06-12 first thing
            CliProcess a = runHolding(LocalDate.parse("2024-06-12"), load(database, TestClickHouse.URL, "2024-06-11", "2024-06-13"));
            List<String> second = load(database, TestClickHouse.URL, "2024-06-12", "2024-06-14");
            long aId = a.executionId();
            CliProcess b = CliProcess.start(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), run(second));
            b.awaitOutput("app 701 events 2024-06-12: waiting for execution " + aId + " (pid " + a.process.pid(), TIMEOUT);
            env.simulator().releaseHeld();
            CliProcess.Result ra = a.await();
            CliProcess.Result rb = b.await();
            assertEquals(0, ra.exitCode(), ra.output());
            assertEquals(0, rb.exitCode(), rb.output());
            Properties all = properties(load(database, TestClickHouse.URL, "2024-06-11", "2024-06-14"));
            GroundTruth.assertLoaded(env.clickhouse(), all, database, SEED, ROWS);
        } finally {
            env.simulator().releaseHeld();
        }
    }

    @Test
    void aSecondRunThatCannotWaitFailsNamingTheHolderAndTouchesNothing() throws Exception {
        String database = TestClickHouse.database("it_cli_busy");
        env.freshDatabase(database);
        try {
            CliProcess a = runHolding(LocalDate.parse("2024-06-21"), load(database, TestClickHouse.URL, "2024-06-21", "2024-06-21"));
            long aId = a.executionId();
            CliProcess.Result b = CliProcess.run(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), run(load(database, TestClickHouse.URL,
                    "2024-06-21", "2024-06-21", "leaseWaitSeconds=0")));
            assertEquals(1, b.exitCode(), b.output());
            assertTrue(b.output().contains("execution " + aId + " (pid " + a.process.pid()) && b.output().contains("leaseWaitSeconds"),
                    b.output());
            env.simulator().releaseHeld();
            CliProcess.Result ra = a.await();
            assertEquals(0, ra.exitCode(), ra.output());
            GroundTruth.assertLoaded(env.clickhouse(), properties(load(database, TestClickHouse.URL, "2024-06-21", "2024-06-21")), database, SEED, ROWS);
        } finally {
            env.simulator().releaseHeld();
        }
    }

    @Test
    void aScheduleAndAOneTimeRunOverTheSameDaysNeverCollide() throws Exception {
        String database = TestClickHouse.database("it_cli_schedule_overlap");
        env.freshDatabase(database);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate from = today.minusDays(3);
        LocalDate shared = today.minusDays(2);
        try {
            List<String> oneTime = load(database, TestClickHouse.URL, from.toString(), today.minusDays(1).toString());
            CliProcess a = runHolding(shared, oneTime);
            long aId = a.executionId();

            Path config = regularConfig(database, "overlap", from, "reloadWindowDays", "2"); // the old name: read, with a warning
            CliProcess b = CliProcess.start(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), "schedule", "--config", config.toString(), "--once");
            b.awaitOutput(shared + ": waiting for execution " + aId, TIMEOUT);
            env.simulator().releaseHeld();
            CliProcess.Result ra = a.await();
            CliProcess.Result rb = b.await();
            assertEquals(0, ra.exitCode(), ra.output());
            assertEquals(0, rb.exitCode(), rb.output());
            assertTrue(rb.output().contains("COMPLETED"), rb.output());
            assertTrue(rb.output().contains("reloadWindowDays is an old name, read as reloadDays; write reloadDays=2 instead"), rb.output());
            GroundTruth.assertLoaded(env.clickhouse(), properties(oneTime), database, SEED, ROWS);
        } finally {
            env.simulator().releaseHeld();
        }
    }
}
