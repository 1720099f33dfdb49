package org.appmetrica.loader.wildfly;

import org.appmetrica.loader.clickhouse.Identifiers;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.it.GroundTruth;
import org.appmetrica.loader.simulator.RecordedRequest;
import org.appmetrica.loader.testing.Await;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The loader as a WAR in WildFly 39, set up the way docs/wildfly.md does it: the server is
 * configured by server-config/wildfly/configure.cli (run twice: idempotent), target/appmetrica-loader.war is deployed,
 * and loads are started and restarted with the batch-jberet management operations. The target is the real ClickHouse
 * through the datasource java:jboss/datasources/ClickHouseDS, the token comes from the credential store
 * (tokenRef=cs:appmetrica/appmetrica-token), the Logs API is the simulator in this JVM on 127.0.0.1.
 * <p>The tests share one server and run in order; each later one needs the configured, deployed server of the first.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WildFlyDeploymentIT extends ManagedWildFly {

    private static final String TOKEN = "wildfly-it-token-5f1c0e";
    private static final int ROWS_PER_DAY = 200;
    private static final long SEED = 11;

    /** No faults before each test: the extension clears them. */
    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(TOKEN, ROWS_PER_DAY, SEED);
    private static boolean deployed;

    @Test
    @Order(1)
    void configurationScriptIsIdempotentAndTheWarDeploys() throws Exception {
        long logStart = WildFlyServer.logSize();
        startFreshServer(spoolDir());
        String jdbcUrl = WildFlyServer.clickhouseJdbcUrl() + "/default";

        WildFlyServer.CliRun first = WildFlyServer.configure(TOKEN, jdbcUrl);
        assertEquals(0, first.exitCode(), "first run of configure.cli:\n" + first.output());
        // a new credential store gets its aliases added, not a set-secret that fails first (docs/wildfly.md's run shows no ERROR)
        assertFalse(WildFlyServer.logSince(logStart).contains("WFLYCTL0013"), WildFlyServer.logTail());
        assertTrue(first.output().contains("reloading the server"), "the first run changes what needs a reload:\n" + first.output());
        WildFlyServer.CliRun second = WildFlyServer.configure(TOKEN, jdbcUrl);
        assertEquals(0, second.exitCode(), "second run of configure.cli:\n" + second.output());
        assertFalse(second.output().contains("reloading the server"), "the second run has nothing to change:\n" + second.output());
        assertFalse(second.output().contains("\"outcome\" => \"failed\""), second.output());
        assertEquals("running", WildFlyServer.serverState());
        assertTrue(repositoryUrl().endsWith(";WRITE_DELAY=0"), "H2 writes each commit at once: " + repositoryUrl());

        assertConfigurationPrivate();

        // A server configured by the script's earlier versions (no WRITE_DELAY=0, the store password in clear text) is
        // brought up to date, with a reload.
        ModelNode oldUrl = Operations.createWriteAttributeOperation(batchDataSource(), "connection-url",
                new ModelNode().setExpression("jdbc:h2:file:${jboss.server.data.dir}/appmetrica/batch-repository;DB_CLOSE_ON_EXIT=FALSE"));
        WildFlyServer.execute(oldUrl);
        ModelNode clearStorePassword = new ModelNode();
        clearStorePassword.get("clear-text").set(WildFlyServer.STORE_PASSWORD);
        WildFlyServer.execute(Operations.createWriteAttributeOperation(credentialStore(), "credential-reference", clearStorePassword));
        assertTrue(Files.readString(standaloneXml()).contains(WildFlyServer.STORE_PASSWORD), "the old form, in clear text");
        WildFlyServer.CliRun upgrade = WildFlyServer.configure(TOKEN, jdbcUrl);
        assertEquals(0, upgrade.exitCode(), "configure.sh over the old URL and password:\n" + upgrade.output());
        assertTrue(upgrade.output().contains("adding WRITE_DELAY=0") && upgrade.output().contains("reloading the server"), upgrade.output());
        assertTrue(upgrade.output().contains("clear-text password in standalone.xml replaced by the masked form"), upgrade.output());
        assertTrue(repositoryUrl().endsWith(";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0"), repositoryUrl());
        assertEquals("running", WildFlyServer.serverState());
        assertConfigurationPrivate();

        ModelNode batch = WildFlyServer.execute(Operations.createReadAttributeOperation(
                Operations.createAddress("subsystem", "batch-jberet"), "default-job-repository"));
        assertEquals("appmetrica", batch.asString(), "batch-jberet uses the JDBC job repository");
        ModelNode test = WildFlyServer.execute(Operations.createOperation("test-connection-in-pool",
                Operations.createAddress("subsystem", "datasources", "data-source", "ClickHouseDS")));
        assertTrue(test.get(0).asBoolean(), "ClickHouseDS connects");
        String config = Files.readString(WildFlyServer.JBOSS_HOME.resolve("standalone/configuration/standalone.xml"));
        assertFalse(config.contains(TOKEN), "the token is in the credential store, not in standalone.xml");

        deployer.deploy(WildFlyServer.DEPLOYMENT);
        deployed = true;
        assertTrue(WildFlyServer.batchRuntime().get("job-xml-names").asString().contains("appmetrica-load.xml"));
        // the deployment's crash check found the coordination tables' datasource (and no crashed execution on a new server)
        String log = WildFlyServer.logSince(logStart);
        assertTrue(log.contains("slice leases and execution owners are kept in java:jboss/datasources/AppMetricaBatchDS "
                + "(JDBC, outside the batch runtime's JTA transactions)"), WildFlyServer.logTail());
        assertTrue(log.contains("crash check at deployment: no execution was left behind"), WildFlyServer.logTail());
    }

    /**
     * What the server keeps of secrets is its user's alone: the store password is masked in standalone.xml, and the
     * directories holding standalone.xml (with its history) and the credential store are 700 (the server rewrites
     * the files themselves with its own umask). The store still opens: its aliases are listed.
     */
    private static void assertConfigurationPrivate() throws Exception {
        String config = Files.readString(standaloneXml());
        assertFalse(config.contains(WildFlyServer.STORE_PASSWORD), "the credential store password is not in standalone.xml in clear");
        String reference = WildFlyServer.execute(Operations.createReadAttributeOperation(credentialStore(), "credential-reference"))
                .get("clear-text").asString();
        assertTrue(reference.startsWith("MASK-"), reference);
        for (Path dir : List.of(standaloneXml().getParent(), WildFlyServer.JBOSS_HOME.resolve("standalone/data/appmetrica"))) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), dir.toString());
        }
        assertTrue(Files.exists(WildFlyServer.JBOSS_HOME.resolve("standalone/data/appmetrica/credentials.cs")));
        ModelNode aliases = WildFlyServer.execute(Operations.createOperation("read-aliases", credentialStore()));
        assertTrue(aliases.asString().contains("appmetrica-token"), aliases.asString());
    }

    private static Path standaloneXml() {
        return WildFlyServer.JBOSS_HOME.resolve("standalone/configuration/standalone.xml");
    }

    private static ModelNode credentialStore() {
        return Operations.createAddress("subsystem", "elytron", "credential-store", "appmetrica");
    }

    private static ModelNode batchDataSource() {
        return Operations.createAddress("subsystem", "datasources", "data-source", "AppMetricaBatchDS");
    }

    private static String repositoryUrl() throws Exception {
        return WildFlyServer.execute(Operations.createReadAttributeOperation(batchDataSource(), "connection-url")).asString();
    }

    @Test
    @Order(2)
    void loadLandsInClickHouseThroughTheDataSource() throws Exception {
        assumeTrue(deployed, "the server is configured and the WAR deployed");
        String database = TestClickHouse.database("it_wildfly_load");
        Properties p = load(database, "events,installations,push_tokens");
        p.setProperty("applicationIds", "501,502");
        long id = WildFlyServer.startJob(p);
        assertEquals("COMPLETED", WildFlyServer.awaitEnd(id, 180), WildFlyServer.describe(id));
        GroundTruth.assertLoaded(env.clickhouse(), p, database, SEED, ROWS_PER_DAY);

        // What docs/wildfly.md's management command shows, once the model lists the execution (see WildFlyServer.awaitListed:
        // a listing refreshed less than 3 s before the execution started does not have it yet).
        WildFlyServer.awaitListed(id);
        ModelNode execution = WildFlyServer.batchRuntime().get("job", WildFlyServer.JOB, "execution", Long.toString(id));
        assertEquals("COMPLETED", execution.get("batch-status").asString(), execution.toString());
        assertEquals("COMPLETED", WildFlyServer.executionResource(id).get("batch-status").asString());
        // the end line docs/wildfly.md greps for (ExecutionEndListener): status, duration, rows written
        long rows = 0;
        for (String table : List.of("events", "installations", "push_tokens")) {
            rows += env.clickhouse().queryLong("SELECT count() FROM " + Identifiers.qualified(database, table));
        }
        assertTrue(Files.readString(WildFlyServer.serverLog()).matches("(?s).*execution " + id + " ended: COMPLETED in \\d+ s, " + rows
                + " rows written\\R.*"), WildFlyServer.logTail());
        assertFalse(Files.readString(WildFlyServer.serverLog()).contains(TOKEN), "the token never reaches the server log");
    }

    @Test
    @Order(3)
    void failedLoadIsRestartedThroughTheServersJobOperator() throws Exception {
        assumeTrue(deployed, "the server is configured and the WAR deployed");
        String database = TestClickHouse.database("it_wildfly_restart");
        Properties p = load(database, "events,crashes");
        p.setProperty("format", "json"); // Jackson streaming from the server's module (the first load reads CSV)
        p.setProperty("maxRetries", "1");
        env.simulator().failNextRequests(1_000_000, 503);
        long failed = WildFlyServer.startJob(p);
        assertEquals("FAILED", WildFlyServer.awaitEnd(failed, 180), WildFlyServer.describe(failed));
        assertTrue(WildFlyServer.attribute(failed, "exit-status").contains("503"), WildFlyServer.describe(failed));
        assertEquals(0, rows(database));

        env.simulator().failNextRequests(0, 503);
        long restarted = WildFlyServer.restartJob(failed);
        assertEquals("COMPLETED", WildFlyServer.awaitEnd(restarted, 180), WildFlyServer.describe(restarted));
        GroundTruth.assertLoaded(env.clickhouse(), p, database, SEED, ROWS_PER_DAY);
    }

    @Test
    @Order(4)
    void jobRepositorySurvivesAServerRestartMidLoad() throws Exception {
        assumeTrue(deployed, "the server is configured and the WAR deployed");
        String database = TestClickHouse.database("it_wildfly_server_restart");
        Properties p = load(database, "events,crashes");
        p.setProperty("dateUntil", "2024-05-06");
        p.setProperty("chunkSize", "5");
        p.setProperty("pollIntervalSeconds", "1"); // the held exports are polled while the test waits
        // The gate: the exports of 2024-05-04 and later stay queued in the API. The six slices of the first three days
        // load and publish; then both threads (parallelism 2) wait for held exports, and the load cannot move on.
        LocalDate firstHeld = LocalDate.parse("2024-05-04");
        env.simulator().holdExports(q -> !q.days().get(0).isBefore(firstHeld));
        long id = WildFlyServer.startJob(p);
        awaitGate(id, database, LocalDate.parse("2024-05-01"), firstHeld, 2);
        assertEquals("STARTED", WildFlyServer.attribute(id, "batch-status"), "still loading when the server stops");
        int requestsBefore = env.simulator().requests().size();

        controller.stop(CONTAINER); // a graceful shutdown: batch-jberet stops the running job
        controller.start(CONTAINER); // the deployment comes back with the server
        String afterRestart = WildFlyServer.attribute(id, "batch-status");
        // STOPPED once the stop completed; FAILED (crashed, by the crash check at deployment) if the JVM ended first
        assertTrue(List.of("STOPPED", "FAILED").contains(afterRestart), "the execution is known after the restart, ended: "
                + afterRestart + " " + WildFlyServer.describe(id));
        assertEquals(6L * ROWS_PER_DAY, rows(database), "exactly the published slices are in the tables");

        env.simulator().releaseHeld();
        long restarted = WildFlyServer.restartJob(id);
        assertEquals("COMPLETED", WildFlyServer.awaitEnd(restarted, 180), WildFlyServer.describe(restarted));
        GroundTruth.assertLoaded(env.clickhouse(), p, database, SEED, ROWS_PER_DAY);
        for (RecordedRequest r : env.simulator().requests().subList(requestsBefore, env.simulator().requests().size())) {
            assertFalse(r.path().startsWith("/logs/v1/export/") && !onOrAfter(r, firstHeld),
                    "a slice published before the server stopped is not requested again: " + r);
        }
    }

    /**
     * Waits for the state the held exports lead to, which nothing can move past while they are held: every slice of the
     * days before {@code firstHeld} published (its rows in the target table: only publishing puts them there), and
     * {@code threads} held exports requested. The deadline only turns a bug into a failure.
     */
    private static void awaitGate(long id, String database, LocalDate first, LocalDate firstHeld, int threads) throws Exception {
        long expected = 2L * ROWS_PER_DAY * first.until(firstHeld).getDays();
        Await.await(() -> gate(id, database, first, firstHeld, threads), gate -> gate.published() == expected && gate.held() == threads,
                Duration.ofMinutes(3), () -> "gate not reached: " + expected + " rows published and " + threads + " held exports requested "
                        + WildFlyServer.describe(id));
    }

    /** How far the load is: rows of the days before firstHeld published, held exports requested. */
    private record Gate(long published, long held) {
    }

    /** The gate's state now; more held exports than threads can never come back to the gate, and fail at once. */
    private static Gate gate(long id, String database, LocalDate first, LocalDate firstHeld, int threads) throws Exception {
        {
            long published = 0;
            for (LocalDate d = first; d.isBefore(firstHeld); d = d.plusDays(1)) {
                published += rows(database, d);
            }
            long held = env.simulator().requests().stream().filter(r -> onOrAfter(r, firstHeld))
                    .map(r -> r.path() + "?" + r.query().get("date_since")).distinct().count();
            if (held > threads) {
                throw new AssertionError("gate passed: " + published + " rows published, " + held
                        + " held exports requested (expected " + threads + ") " + WildFlyServer.describe(id));
            }
            return new Gate(published, held);
        }
    }

    /** Parameters of a small load; the ClickHouse connection is the datasource's, the token the credential store's. */
    private static Properties load(String database, String sources) {
        Properties p = WildFlyServer.loadParameters(env.apiUrl(), env.freshDatabase(database), spoolDir());
        p.setProperty("applicationIds", "501");
        p.setProperty("sources", sources);
        p.setProperty("dateSince", "2024-05-01");
        p.setProperty("dateUntil", "2024-05-02");
        p.setProperty("chunkSize", "50");
        p.setProperty("parallelism", "2");
        return p;
    }

    private static Path spoolDir() {
        return spoolDir("wildfly-it-spool");
    }

    /** Rows in the events and crashes tables of the database (0 for a table not created yet). */
    private static long rows(String database) {
        return rows(database, null);
    }

    /** The same, of one day only (null: every day). */
    private static long rows(String database, LocalDate day) {
        long total = 0;
        for (String table : List.of("events", "crashes")) {
            if (env.clickhouse().queryLong("SELECT count() FROM system.tables WHERE database = '" + Identifiers.requirePlainName("database", database)
                    + "' AND name = '" + table + "'") > 0) {
                total += env.clickhouse().queryLong("SELECT count() FROM " + Identifiers.qualified(database, table)
                        + (day == null ? "" : " WHERE load_date = '" + day + "'"));
            }
        }
        return total;
    }

    /** An export request of the day given or later (date_since is "yyyy-MM-dd HH:mm:ss"; undated sources have none). */
    private static boolean onOrAfter(RecordedRequest r, LocalDate day) {
        String since = r.query().get("date_since");
        return r.path().startsWith("/logs/v1/export/") && since != null && !LocalDate.parse(since.substring(0, 10)).isBefore(day);
    }
}
