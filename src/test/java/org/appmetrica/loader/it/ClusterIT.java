package org.appmetrica.loader.it;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.admin.LoadLauncher;
import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.ClickHouseSettings;
import org.appmetrica.loader.clickhouse.ClusterShards;
import org.appmetrica.loader.clickhouse.Identifiers;
import org.appmetrica.loader.clickhouse.SliceTables;
import org.appmetrica.loader.clickhouse.TableLayout;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.connection.ConnectionFile;
import org.appmetrica.loader.regular.RegularLoadRunner;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.appmetrica.loader.testing.Await;
import org.appmetrica.loader.testing.LoaderCommand;
import org.appmetrica.loader.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loads into a real ClickHouse 18.16 cluster of 2 shards x 2 replicas ({@code .ci/clickhouse.sh cluster start}) with
 * {@code clickhouseCluster}: a load SIGKILLed while it stages and then restarted with {@code restart ID}, and a regular
 * load, end with exactly the simulator's rows through the Distributed table and on every replica. Runs only with
 * {@code -Dcluster.url} (a node's HTTP URL); {@code -Dcluster.name} (c2x2) and {@code -Dcluster.httpPortOffset} (-780:
 * the CI nodes share 127.0.0.1, HTTP 2412N and TCP 2490N).
 */
@EnabledIfSystemProperty(named = "cluster.url", matches = ".+")
class ClusterIT extends BatchIT {

    private static final String URL = System.getProperty("cluster.url");
    private static final String CLUSTER = System.getProperty("cluster.name", "c2x2");
    private static final String OFFSET = System.getProperty("cluster.httpPortOffset", "-780");
    private static final int ROWS = 300;
    private static final long SEED = 16;

    @Test
    void aLoadKilledWhileStagingAndRestartedIsExactOnEveryReplica() throws Exception {
        String db = TestClickHouse.database("it_cluster_kill");
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cluster-kill");
        try (LogsApiSimulator simulator = simulator(); ClickHouseConnection entry = connect(URL)) {
            recreate(entry, db);
            Properties p = clusterParameters(simulator, db);
            p.setProperty("applicationIds", "601,602"); // 601 on shard 2 (index 1), 602 on shard 1
            p.setProperty("sources", "events,installations");
            p.setProperty("dateSince", "2024-07-01");
            p.setProperty("dateUntil", "2024-07-02");
            p.setProperty("chunkSize", "23");
            p.remove("tokenRef"); // the CLI reads the default, env:APPMETRICA_TOKEN
            List<String> run = new ArrayList<>(List.of("run"));
            p.stringPropertyNames().forEach(k -> run.add(k + "=" + p.getProperty(k)));
            Path log = work.resolve("run.log");
            Process first = start(work, run, log);
            long id = awaitExecutionId(first, log);
            // SIGKILL once rows are staged on a replica: a chunk may be in ClickHouse without its checkpoint
            Await.await(() -> !first.isAlive() || stagedRows(entry, db) > 0, done -> done, Duration.ofMinutes(2), Duration.ofMillis(20),
                    () -> "nothing staged: " + Files.readString(log));
            first.destroyForcibly();
            first.waitFor();
            assertEquals(137, first.exitValue(), "the run ended before it was killed: " + Files.readString(log));
            String output = "";
            for (int round = 0; round < 3; round++) {
                Path restartLog = work.resolve("restart-" + round + ".log");
                Process restart = start(work, List.of("restart", Long.toString(id)), restartLog);
                assertTrue(restart.waitFor(5, TimeUnit.MINUTES), "restart hung: " + Files.readString(restartLog));
                output = Files.readString(restartLog, StandardCharsets.UTF_8);
                if (restart.exitValue() == 0) {
                    break;
                }
                String failed = output;
                id = Long.parseLong(output.lines().filter(l -> l.startsWith("execution id: ")).findFirst()
                        .orElseThrow(() -> new AssertionError(failed)).substring("execution id: ".length()).trim());
            }
            assertTrue(output.contains("COMPLETED"), output);
            assertExact(entry, p, db);
        }
    }

    /**
     * The replica taking shard 2's inserts (node 3, the first replica of shard 2) is SIGKILLed while it does: the load either
     * finishes through the other replica or fails naming ClickHouse; once node 3 is back, {@code restart ID} ends exact.
     */
    @Test
    void aReplicaStoppedDuringALoadEndsExactOnceItIsBack() throws Exception {
        String db = TestClickHouse.database("it_cluster_down");
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cluster-down");
        String node3 = "http://127.0.0.1:" + (24903 + Integer.parseInt(OFFSET));
        int rows = 3000; // about 130 INSERTs per slice: node 3 stops while they run
        try (LogsApiSimulator simulator = simulator(rows); ClickHouseConnection entry = connect(URL)) {
            recreate(entry, db);
            Properties p = clusterParameters(simulator, db);
            p.setProperty("applicationIds", "601,602");
            p.setProperty("sources", "events");
            p.setProperty("dateSince", "2024-07-01");
            p.setProperty("dateUntil", "2024-07-02");
            p.setProperty("chunkSize", "23");
            p.remove("tokenRef");
            List<String> run = new ArrayList<>(List.of("run"));
            p.stringPropertyNames().forEach(k -> run.add(k + "=" + p.getProperty(k)));
            Path log = work.resolve("run.log");
            Process first = start(work, run, log);
            long id = awaitExecutionId(first, log);
            Path runLog = log;
            Await.await(() -> !first.isAlive() || stagedRowsOn(node3, db) > 0, done -> done, Duration.ofMinutes(2), Duration.ofMillis(20),
                    () -> "nothing staged on node 3: " + Files.readString(runLog));
            cluster("kill-node", "3");
            try {
                assertTrue(first.waitFor(10, TimeUnit.MINUTES), "the run hung with node 3 down: " + Files.readString(log));
                String output = Files.readString(log, StandardCharsets.UTF_8);
                System.out.println("ClusterIT: with node 3 killed the run ended " + first.exitValue() + ": "
                        + output.lines().filter(l -> l.contains("FAILED") || l.contains("summary")).toList());
                assertTrue(first.exitValue() == 0 || output.contains("ClickHouse"), output);
            } finally {
                cluster("start-node", "3");
            }
            // after a kill -9 its tables stay read-only until its old ZooKeeper session expires (10 s here)
            try (ClickHouseConnection c = connect(node3)) {
                Await.await(() -> c.queryLong("SELECT count() FROM system.replicas WHERE is_readonly") == 0, Duration.ofMinutes(1),
                        () -> "node 3's replicas stayed read-only");
            }
            for (int round = 0; round < 3 && !Files.readString(log).contains("COMPLETED"); round++) {
                log = work.resolve("restart-" + round + ".log");
                // a backoff of its own (the first run had 0 s): 18.16 refuses DROP PARTITION with "Leader was suddenly
                // changed" (292) until node 3's tables have elected their leaders again; the retries wait that out
                Process restart = start(work, List.of("restart", Long.toString(id), "retryBackoffSeconds=1"), log);
                assertTrue(restart.waitFor(5, TimeUnit.MINUTES), "restart hung: " + Files.readString(log));
                String output = Files.readString(log);
                if (restart.exitValue() != 0) {
                    id = Long.parseLong(output.lines().filter(l -> l.startsWith("execution id: ")).findFirst()
                            .orElseThrow(() -> new AssertionError(output)).substring("execution id: ".length()).trim());
                }
            }
            assertTrue(Files.readString(log).contains("COMPLETED"), Files.readString(log));
            assertExact(entry, p, db, rows);
        }
    }

    private static long stagedRowsOn(String replica, String db) {
        try (ClickHouseConnection c = connect(replica)) {
            return c.queryLong("SELECT count() FROM system.tables WHERE database = '" + db + "' AND name = '_stage_events'") == 0 ? 0
                    : c.queryLong("SELECT count() FROM " + db + "._stage_events");
        }
    }

    private static void cluster(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", ".ci/cluster.sh"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
    }

    /**
     * A staging table no replica of the shard has inserted into (a load killed before its first INSERT there) has an
     * empty replication log: counting its slice on a replica finds 0 rows at once, not a wait for entries that never come.
     */
    @Test
    void aStagingTableNobodyInsertedIntoCountsNoRowsOnAReplica() throws Exception {
        String db = TestClickHouse.database("it_cluster_empty_log");
        try (ClickHouseConnection entry = connect(URL)) {
            recreate(entry, db);
            entry.execute("CREATE DATABASE " + db + " ON CLUSTER " + CLUSTER);
            TableLayout layout = new TableLayout(FieldCatalog.get().source("installations").orElseThrow());
            entry.execute(layout.createReplicatedSql(db, layout.stageTableName(), CLUSTER));
            ClusterShards shards = ClusterShards.read(entry, CLUSTER, ClickHouseSettings.endpointFromUrl(URL), Integer.parseInt(OFFSET));
            for (List<String> shard : shards.shards()) {
                for (String replica : shard) {
                    try (ClickHouseConnection c = connect(replica)) {
                        // before: "did not fetch every staged part … (replication queue 0, log 0 of 0)" after 30 s
                        assertEquals(0, new SliceTables(c, db, layout, 601, LocalDate.parse("2024-07-01"), true).stageRows(), replica);
                    }
                }
            }
        }
    }

    /** A user's own ReplicatedMergeTree table of the loader's shape, with a replica path of theirs, is loaded into. */
    @Test
    void aUsersOwnReplicatedTableIsUsed() throws Exception {
        String db = TestClickHouse.database("it_cluster_own");
        try (LogsApiSimulator simulator = simulator(); ClickHouseConnection entry = connect(URL)) {
            recreate(entry, db);
            entry.execute("CREATE DATABASE " + db + " ON CLUSTER " + CLUSTER);
            TableLayout layout = new TableLayout(FieldCatalog.get().source("events").orElseThrow());
            String ownPath = "/users_own_path/" + db + "/events"; // theirs, and apart from other checkouts' runs on this cluster
            entry.execute(layout.createReplicatedSql(db, "events", CLUSTER).replace("/" + db + "/events'", ownPath + "'"));
            Properties p = clusterParameters(simulator, db);
            p.setProperty("applicationIds", "601,602");
            p.setProperty("sources", "events");
            p.setProperty("dateSince", "2024-07-01");
            p.setProperty("dateUntil", "2024-07-01");
            JobExecution e = run(p);
            assertEquals(BatchStatus.COMPLETED, e.getBatchStatus(), describe(e));
            assertTrue(entry.queryValue("SELECT engine_full FROM system.tables WHERE database = '" + db + "' AND name = 'events'")
                    .contains(ownPath), "the user's table was replaced");
            assertExact(entry, p, db);
        }
    }

    @Test
    void regularLoadsWorkOnTheCluster() throws Exception {
        String db = TestClickHouse.database("it_cluster_regular");
        try (LogsApiSimulator simulator = simulator(); ClickHouseConnection entry = connect(URL)) {
            recreate(entry, db);
            Properties p = clusterParameters(simulator, db);
            p.setProperty("name", "cluster_daily");
            p.setProperty("applicationIds", "801,802");
            p.setProperty("sources", "events");
            p.setProperty("loadFrom", "2024-09-06");
            p.setProperty("schedule", "daily 05:00");
            p.setProperty("reloadDays", "2");
            MutableClock clock = new MutableClock(Instant.parse("2024-09-09T06:00:00Z"));
            RegularLoadRunner runner = new RegularLoadRunner(operator(), clock, LoadLauncher.unattended(BatchIT::operator)::start);
            runAndCheck(runner, p, entry, db, "2024-09-06", "2024-09-08");
            clock.advance(Duration.ofDays(1));
            runAndCheck(runner, p, entry, db, "2024-09-06", "2024-09-09");
            // load-from moves later: the days before it are dropped on their shards
            p.setProperty("loadFrom", "2024-09-08");
            runAndCheck(runner, p, entry, db, "2024-09-08", "2024-09-09");
        }
    }

    private static void runAndCheck(RegularLoadRunner runner, Properties p, ClickHouseConnection entry, String db, String since,
                                     String until) throws Exception {
        Optional<JobExecution> e = runner.runOnce(ConnectionFile.read(p).validated().definition(new Properties()));
        assertEquals(BatchStatus.COMPLETED, e.orElseThrow().getBatchStatus(), describe(e.get()));
        Properties days = (Properties) p.clone();
        days.setProperty("dateSince", since);
        days.setProperty("dateUntil", until);
        assertExact(entry, days, db);
    }

    /**
     * Every source's rows equal the simulator's through the Distributed table, and on each replica (once it has fetched
     * what its shard received) those of the applications placed on its shard.
     */
    private static void assertExact(ClickHouseConnection entry, Properties p, String db) {
        assertExact(entry, p, db, ROWS);
    }

    private static void assertExact(ClickHouseConnection entry, Properties p, String db, int rows) {
        ClusterShards shards = ClusterShards.read(entry, CLUSTER, ClickHouseSettings.endpointFromUrl(URL), Integer.parseInt(OFFSET));
        for (String source : p.getProperty("sources").split(",")) {
            var spec = FieldCatalog.get().source(source).orElseThrow();
            for (int shard = 0; shard < shards.shards().size(); shard++) {
                int s = shard;
                LongPredicate onShard = app -> shards.shardOf(app) == s;
                Map<String, Integer> expected = GroundTruth.expected(entry, loadParameters(p), source, SEED, rows, onShard);
                for (String replica : shards.shards().get(shard)) {
                    try (ClickHouseConnection c = connect(replica)) {
                        c.execute("SYSTEM SYNC REPLICA " + Identifiers.qualified(db, source));
                        Map<String, Integer> actual = GroundTruth.actual(c, db, spec);
                        assertEquals(expected, actual, source + " on replica " + replica + GroundTruth.difference(expected, actual));
                    }
                }
            }
            Map<String, Integer> expected = GroundTruth.expected(entry, loadParameters(p), source, SEED, rows, app -> true);
            Map<String, Integer> actual = GroundTruth.actual(entry, db, source + "_all", spec);
            assertEquals(GroundTruth.count(expected), GroundTruth.count(actual), source + "_all: row count" + GroundTruth.difference(expected, actual));
            assertEquals(GroundTruth.checksum(expected), GroundTruth.checksum(actual), source + "_all: checksum");
        }
    }

    /** The load parameters of a regular definition's parameters (without name, loadFrom, schedule, reloadDays). */
    private static Properties loadParameters(Properties p) {
        Properties load = (Properties) p.clone();
        for (String k : List.of("name", "loadFrom", "schedule", "reloadDays")) {
            load.remove(k);
        }
        return load;
    }

    private static long stagedRows(ClickHouseConnection entry, String db) {
        ClusterShards shards = ClusterShards.read(entry, CLUSTER, ClickHouseSettings.endpointFromUrl(URL), Integer.parseInt(OFFSET));
        long rows = 0;
        for (List<String> shard : shards.shards()) {
            for (String replica : shard) {
                try (ClickHouseConnection c = connect(replica)) {
                    if (c.queryLong("SELECT count() FROM system.tables WHERE database = '" + db + "' AND name = '_stage_events'") > 0) {
                        rows += c.queryLong("SELECT count() FROM " + db + "._stage_events");
                    }
                }
            }
        }
        return rows;
    }

    private static Properties clusterParameters(LogsApiSimulator simulator, String db) {
        Properties p = parameters(simulator.baseUrl(), db);
        p.setProperty("clickhouseUrl", URL);
        p.setProperty("clickhouseCluster", CLUSTER);
        p.setProperty("clickhouseClusterHttpPortOffset", OFFSET);
        return p;
    }

    private static LogsApiSimulator simulator() throws Exception {
        return simulator(ROWS);
    }

    private static LogsApiSimulator simulator(int rowsPerDay) throws Exception {
        return new LogsApiSimulator(SimulatorConfig.defaults(TOKEN).withRowsPerDay(rowsPerDay).withReadyAfter(0).withSeed(SEED)).start();
    }

    private static void recreate(ClickHouseConnection entry, String db) {
        entry.execute("DROP DATABASE IF EXISTS " + Identifiers.quote(db) + " ON CLUSTER " + Identifiers.quote(CLUSTER));
    }

    private static ClickHouseConnection connect(String url) {
        return ClickHouseConnection.open(new ClickHouseSettings(ClickHouseSettings.endpointFromUrl(url), "default", "", "default",
                Duration.ofMinutes(2)));
    }

    private static Process start(Path work, List<String> args, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(LoaderCommand.java("256m"));
        cmd.addAll(List.of("--data-dir", work.resolve("data").toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("APPMETRICA_TOKEN", TOKEN);
        return pb.start();
    }

    private static long awaitExecutionId(Process p, Path log) throws Exception {
        Optional<String> line = Await.await(() -> {
            Optional<String> found = Files.readString(log, StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("execution id: ")).findFirst();
            assertTrue(found.isPresent() || p.isAlive(), "ended with no execution id: " + Files.readString(log));
            return found;
        }, Optional::isPresent, Duration.ofMinutes(1), Duration.ofMillis(10), () -> "no execution id: " + Files.readString(log));
        return Long.parseLong(line.get().substring("execution id: ".length()).trim());
    }
}
