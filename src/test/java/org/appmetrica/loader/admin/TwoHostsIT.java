package org.appmetrica.loader.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.it.GroundTruth;
import org.appmetrica.loader.simulator.RecordedRequest;
import org.appmetrica.loader.testing.Await;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.appmetrica.loader.testing.TestRepository;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two loader consoles as two hosts ({@code --host-id host-a}, {@code host-b}) on one PostgreSQL job repository, as
 * separate processes started as a user would. A load started on host A with {@code autoRestart=2}: killed with
 * SIGKILL mid-load, host B marks it crashed once A's heartbeat is older than the timeout and restarts it by itself;
 * stopped with SIGSTOP for less than the timeout, B leaves it alone and A finishes it. Runs in the failsafe execution
 * {@code postgres} (-Drepository.url); skipped on H2.
 */
class TwoHostsIT {

    private static final String TOKEN = "two-hosts-token-8d1e";
    private static final String USER = "ops";
    private static final String PASSWORD = "two-hosts-pw";
    private static final int ROWS = 200;
    private static final long SEED = 41;
    private static final int INTERVAL = 1;
    private static final int TIMEOUT_SECONDS = 8;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(TOKEN, ROWS, SEED);
    private static Path dir;
    private static LoaderProcesses loader;

    @BeforeAll
    static void createDirs() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "two-hosts");
        loader = new LoaderProcesses(env, dir, TOKEN, USER, PASSWORD);
    }

    /** The options of one host: its own data directory, the shared repository, short heartbeats. */
    private static List<String> global(String host, Path dataDir, Path repositoryKey) {
        return List.of("--data-dir", dataDir.toString(), "--repository-url", TestRepository.url(repositoryKey),
                "--host-id", host, "--heartbeat-interval", Integer.toString(INTERVAL), "--heartbeat-timeout", Integer.toString(TIMEOUT_SECONDS));
    }

    /** A console of one host. */
    private static ConsoleProcess console(String host, Path repositoryKey) throws Exception {
        Path dataDir = dir.resolve(host + "-" + UUID.randomUUID());
        return loader.console(global(host, dataDir, repositoryKey), dataDir);
    }

    /** A load that the survivor restarts by itself. */
    private static Map<String, String> load(String database, String since, String until) {
        Map<String, String> p = loader.load(901, database, since, until);
        p.put("autoRestart", "2");
        return p;
    }

    private static long start(ConsoleProcess console, Map<String, String> parameters) throws Exception {
        return loader.start(console, parameters);
    }

    private static long publishedRows(String database, LocalDate day) {
        if (env.clickhouse().queryLong("SELECT count() FROM system.tables WHERE database = '" + database + "' AND name = 'events'") == 0) {
            return 0;
        }
        return env.clickhouse().queryLong("SELECT count() FROM " + database + ".events WHERE load_date = '" + day + "'");
    }

    /** Whether the repository records the slice of {@code day} of that execution COMPLETED (as {@code status --json} shows it). */
    private static boolean completed(Path dataDir, Path key, long execution, LocalDate day) throws Exception {
        Path out = dir.resolve("status.out");
        JsonNode view = JSON.readTree(ran(cli("host-a", dataDir, key, out, "status", Long.toString(execution), "--json"), out));
        for (JsonNode partition : view.findParents("day")) {
            if (day.toString().equals(partition.path("day").asText()) && "COMPLETED".equals(partition.path("status").asText())) {
                return true;
            }
        }
        return false;
    }

    private static long exportRequests(LocalDate day) {
        return env.simulator().requests().stream().filter(r -> r.path().contains("/logs/v1/export/events"))
                .filter(r -> day.toString().equals(dayOf(r))).count();
    }

    private static String dayOf(RecordedRequest r) {
        String since = r.query().get("date_since");
        return since == null ? null : since.substring(0, 10);
    }

    // ---------------------------------------------------------------- the shared repository, read directly

    private static <T> T query(Path key, String sql, Object... args) throws SQLException {
        try (Connection c = TestRepository.open(key); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                @SuppressWarnings("unchecked")
                T v = rs.next() ? (T) rs.getObject(1) : null;
                return v;
            }
        }
    }

    /** The executions of the job instance of {@code id}, oldest first. */
    private static List<Long> executionsOfInstance(Path key, long id) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = TestRepository.open(key); PreparedStatement ps = c.prepareStatement("SELECT JOBEXECUTIONID FROM JOB_EXECUTION "
                + "WHERE JOBINSTANCEID = (SELECT JOBINSTANCEID FROM JOB_EXECUTION WHERE JOBEXECUTIONID = ?) ORDER BY JOBEXECUTIONID")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private static Instant heartbeat(Path key, String host) throws SQLException {
        java.sql.Timestamp t = query(key, "SELECT MAX(HEARTBEAT) FROM APPMETRICA_PROCESS WHERE PROCESS_KEY LIKE ?", host + "|%");
        return t == null ? Instant.EPOCH : t.toInstant();
    }

    /** Polls the repository (an explicit state) until the execution has ended; its status. */
    private static String awaitEnd(Path key, long id) throws Exception {
        return Await.await(() -> (String) query(key, "SELECT BATCHSTATUS FROM JOB_EXECUTION WHERE JOBEXECUTIONID = ?", id),
                status -> status != null && !status.equals("STARTING") && !status.equals("STARTED") && !status.equals("STOPPING"),
                Duration.ofMinutes(4), () -> "execution " + id + " did not end");
    }

    /** Polls the repository until the job instance of {@code id} has a second execution (a restart); that one's id. */
    private static long awaitRestart(Path key, long id, Await.Description output) throws Exception {
        return Await.await(() -> executionsOfInstance(key, id), executions -> executions.size() >= 2, TIMEOUT,
                () -> "host B did not restart execution " + id + ":\n" + output.text()).get(1);
    }

    /** A CLI command of one host, started (output in a file beside its data directory). */
    private static Process cli(String host, Path dataDir, Path repositoryKey, Path output, String... args) throws Exception {
        Files.createDirectories(dataDir);
        return loader.cli(global(host, dataDir, repositoryKey), output, args);
    }

    private static String ran(Process p, Path output) throws Exception {
        return LoaderProcesses.ran(p, output);
    }

    /** False while the process runs; a process that ended before the state was reached fails the wait at once. */
    private static boolean ended(Process p, String what, Path output) throws Exception {
        if (!p.isAlive()) {
            throw new AssertionError(what + " ended with " + p.exitValue() + ": " + Files.readString(output));
        }
        return false;
    }

    private static void signal(Process p, String signal) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
    }

    @Test
    void theSurvivorRestartsTheLoadOfAKilledHostByItselfAndItEndsExact() throws Exception {
        assumeTrue(TestRepository.postgres(), "two hosts share a PostgreSQL repository: -Drepository.url");
        Path key = dir.resolve("repository-kill");
        String database = TestClickHouse.database("it_two_hosts_kill");
        env.freshDatabase(database);
        Map<String, String> p = load(database, "2024-09-01", "2024-09-03");
        LocalDate published = LocalDate.parse("2024-09-01");
        env.simulator().hold("events", 901, LocalDate.parse("2024-09-02"));
        try (ConsoleProcess a = console("host-a", key); ConsoleProcess b = console("host-b", key)) {
            long id;
            long publishedRequests;
            Instant lastBeatOfA;
            try {
                id = start(a, p);
                env.simulator().awaitHeldRequest(TIMEOUT); // gate: the first day is published, the second waits in the API queue
                publishedRequests = exportRequests(published);
                signal(a.process, "KILL");
                assertTrue(a.process.waitFor(1, TimeUnit.MINUTES));
                lastBeatOfA = heartbeat(key, "host-a");
            } finally {
                env.simulator().releaseHeld();
            }
            // host B notices: A's execution marked crashed, and restarted by B (a second execution of the same instance)
            long restarted = awaitRestart(key, id, b::text);
            String crashed = query(key, "SELECT EXITSTATUS FROM JOB_EXECUTION WHERE JOBEXECUTIONID = ?", id);
            assertTrue(crashed.startsWith("CRASHED: the process that ran it (pid " + a.process.pid() + " on host-a)"), crashed);
            java.sql.Timestamp noticed = query(key, "SELECT ENDTIME FROM JOB_EXECUTION WHERE JOBEXECUTIONID = ?", id);
            Duration after = Duration.between(lastBeatOfA, noticed.toInstant());
            // within the timeout plus one interval of A's last heartbeat (plus a margin for a loaded machine), never before
            assertTrue(after.compareTo(Duration.ofSeconds(TIMEOUT_SECONDS)) >= 0, "marked " + after + " after A's last heartbeat");
            assertTrue(after.compareTo(Duration.ofSeconds(TIMEOUT_SECONDS + INTERVAL + 5)) <= 0, "marked " + after + " after A's last heartbeat");

            assertEquals("COMPLETED", awaitEnd(key, restarted), b.text());
            String owner = query(key, "SELECT PROCESS_KEY FROM APPMETRICA_EXECUTION_OWNER WHERE JOBEXECUTIONID = ?", restarted);
            assertTrue(owner.startsWith("host-b|" + b.process.pid() + "|"), owner);
            assertTrue(b.text().contains("execution " + id + " crashed (1 of autoRestart=2): restarted by this process as execution " + restarted),
                    b.text());
            assertTrue(b.text().contains("app 901 events 2024-09-01: published before the restart; nothing to do"), b.text());
            assertEquals(publishedRequests, exportRequests(published), "no export of the published day is requested again");
            assertEquals(2, executionsOfInstance(key, id).size(), "one restart only");
        }
        Properties expected = new Properties();
        expected.putAll(p);
        GroundTruth.assertLoaded(env.clickhouse(), expected, database, SEED, ROWS);
    }

    @Test
    void aConnectionRunOfAKilledHostIsFinishedAndRecordedByTheSurvivor() throws Exception {
        assumeTrue(TestRepository.postgres(), "two hosts share a PostgreSQL repository: -Drepository.url");
        Path key = dir.resolve("repository-connection");
        String database = TestClickHouse.database("it_two_hosts_conn");
        env.freshDatabase(database);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate published = today.minusDays(3);
        Path dataA = dir.resolve("conn-a");
        Path definition = dir.resolve("shop-2.json");
        Files.writeString(definition, "{\"name\": \"shop-2\", \"applications\": [901], \"sources\": {\"events\": {}}, \"loadFrom\": \""
                + published + "\", \"regularity\": \"one-time\", \"apiUrl\": \"" + env.apiUrl() + "\", \"tokenRef\": \"env:APPMETRICA_TOKEN\", "
                + "\"target\": {\"url\": \"" + TestClickHouse.jdbcUrl() + "\", \"database\": \"" + database + "\"}}");
        ran(cli("host-a", dataA, key, dir.resolve("add.out"), "connections", "add", "--file", definition.toString()), dir.resolve("add.out"));
        // host B: a schedule of a regular load of its own (a console would run the connection itself: it runs every active one)
        Properties regular = new Properties();
        regular.putAll(Map.of("name", "other", "loadFrom", today.minusDays(1).toString(), "schedule", "daily 03:00", "timeZone", "UTC",
                "applicationIds", "902", "sources", "events", "apiUrl", env.apiUrl(), "pollIntervalSeconds", "0",
                "clickhouseUrl", TestClickHouse.jdbcUrl(), "clickhouseDatabase", database + "_b"));
        Path config = dir.resolve("other.properties");
        try (java.io.OutputStream out = Files.newOutputStream(config)) {
            regular.store(out, null);
        }
        Path outB = dir.resolve("schedule-b.out");
        Process b = cli("host-b", dir.resolve("conn-b"), key, outB, "schedule", "--config", config.toString());
        try {
            // B's own first run is over: the next execution is A's
            Await.await(() -> Files.readString(outB).contains("other: next run at") || ended(b, "host B's schedule", outB), TIMEOUT,
                    () -> "host B's schedule: " + Files.readString(outB));
            env.simulator().hold("events", 901, today.minusDays(2));
            long id;
            long publishedRequests;
            Path runOut = dir.resolve("run.out");
            try {
                Process a = cli("host-a", dataA, key, runOut, "connections", "run", "shop-2");
                env.simulator().awaitHeldRequest(TIMEOUT); // gate: the second day waits in the API queue
                // and the first day is published: its rows are in the target table (slices load in parallel here)
                Await.await(() -> publishedRows(database, published) >= ROWS || ended(a, "the run", runOut), TIMEOUT,
                        () -> "the first day was not published: " + Files.readString(runOut));
                // and recorded as done in the repository: the rows reach the table a moment before the slice's commit, and
                // a kill between the two leaves a slice that a restart must load again (asking for its export again)
                Long running = query(key, "SELECT MAX(JOBEXECUTIONID) FROM JOB_EXECUTION");
                Await.await(() -> completed(dataA, key, running, published) || ended(a, "the run", runOut), TIMEOUT,
                        () -> "the first day was not recorded: " + Files.readString(runOut));
                publishedRequests = exportRequests(published);
                signal(a, "KILL");
                assertTrue(a.waitFor(1, TimeUnit.MINUTES));
                Long latest = query(key, "SELECT MAX(JOBEXECUTIONID) FROM JOB_EXECUTION");
                id = latest; // the run's: B's only execution ended before it started
            } finally {
                env.simulator().releaseHeld();
            }
            long restarted = awaitRestart(key, id, () -> Files.readString(outB));
            assertEquals("COMPLETED", awaitEnd(key, restarted), Files.readString(outB));
            // the connection's days recorded as loaded by B: the state of the connection, polled
            String state = Await.await(() -> JSON.readTree(ran(cli("host-a", dataA, key, dir.resolve("list.out"), "connections", "list", "--json"),
                            dir.resolve("list.out"))).toString(), s -> s.contains("\"state\":\"up-to-date\""), TIMEOUT,
                    () -> "shop-2 never became up-to-date:\n" + Files.readString(outB));
            assertTrue(state.contains("\"executionId\":" + restarted), state);
            String again = ran(cli("host-a", dataA, key, dir.resolve("again.out"), "connections", "run", "shop-2"), dir.resolve("again.out"));
            assertTrue(again.contains("nothing due"), again);
            assertEquals(publishedRequests, exportRequests(published), "no export of the published day is requested again");
        } finally {
            signal(b, "TERM");
            assertTrue(b.waitFor(1, TimeUnit.MINUTES));
        }
        Properties expected = new Properties();
        expected.putAll(Map.of("applicationIds", "901", "sources", "events", "dateSince", published.toString(),
                "dateUntil", today.minusDays(1).toString(), "apiUrl", env.apiUrl(), "clickhouseDatabase", database));
        GroundTruth.assertLoaded(env.clickhouse(), expected, database, SEED, ROWS);
    }

    @Test
    void aPausedHostThatComesBackWithinTheTimeoutKeepsItsLoad() throws Exception {
        assumeTrue(TestRepository.postgres(), "two hosts share a PostgreSQL repository: -Drepository.url");
        Path key = dir.resolve("repository-pause");
        String database = TestClickHouse.database("it_two_hosts_pause");
        env.freshDatabase(database);
        Map<String, String> p = load(database, "2024-09-11", "2024-09-12");
        env.simulator().hold("events", 901, LocalDate.parse("2024-09-12"));
        try (ConsoleProcess a = console("host-a", key); ConsoleProcess b = console("host-b", key)) {
            long id;
            try {
                id = start(a, p);
                env.simulator().awaitHeldRequest(TIMEOUT); // gate: A is in the middle of the load
                signal(a.process, "STOP");
                Instant stopped = Instant.now();
                try {
                    // B's heartbeat opens each of its rounds (AutoRestart): two written after the STOP prove that a whole
                    // round of B's ran while A was paused
                    List<Instant> beats = new ArrayList<>(List.of(stopped)); // B's heartbeats seen since the STOP, after it
                    Await.await(() -> {
                        Instant now = heartbeat(key, "host-b");
                        if (now.isAfter(beats.get(beats.size() - 1))) {
                            beats.add(now);
                        }
                        return beats.size() > 2;
                    }, TIMEOUT, () -> "host B's heartbeat stopped:\n" + b.text());
                    Instant seen = beats.get(beats.size() - 1);
                    Instant lastOfA = heartbeat(key, "host-a");
                    assertTrue(Duration.between(lastOfA, seen).compareTo(Duration.ofSeconds(TIMEOUT_SECONDS)) < 0,
                            "the pause stayed shorter than the timeout: A's last heartbeat " + lastOfA + ", B's round " + seen);
                } finally {
                    signal(a.process, "CONT");
                }
            } finally {
                env.simulator().releaseHeld();
            }
            assertEquals("COMPLETED", awaitEnd(key, id), a.text());
            assertEquals(List.of(id), executionsOfInstance(key, id), "B neither marked nor restarted A's live execution");
            String owner = query(key, "SELECT PROCESS_KEY FROM APPMETRICA_EXECUTION_OWNER WHERE JOBEXECUTIONID = ?", id);
            assertTrue(owner.startsWith("host-a|"), owner);
            assertFalse(b.text().contains("restarted by this process"), b.text());
            assertEquals(Optional.empty(), Optional.ofNullable((Object) query(key,
                    "SELECT EXITSTATUS FROM JOB_EXECUTION WHERE EXITSTATUS LIKE 'CRASHED:%'")), "nothing was marked crashed");
        }
        Properties expected = new Properties();
        expected.putAll(p);
        GroundTruth.assertLoaded(env.clickhouse(), expected, database, SEED, ROWS);
    }
}
