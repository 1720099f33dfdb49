package org.appmetrica.loader.wildfly;

import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.ClickHouseSettings;
import org.appmetrica.loader.clickhouse.Identifiers;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.it.GroundTruth;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The loader as a WAR in WildFly 39, set up the way the README's "Deploy to WildFly" section does it: the server is
 * configured by server-config/wildfly/configure.cli (run twice: idempotent), target/appmetrica-loader.war is deployed,
 * and loads are started and restarted with the batch-jberet management operations. The target is the real ClickHouse
 * through the datasource java:jboss/datasources/ClickHouseDS, the token comes from the credential store
 * (tokenRef=cs:appmetrica/appmetrica-token), the Logs API is the simulator in this JVM on 127.0.0.1.
 * <p>The tests share one server and run in order; each later one needs the configured, deployed server of the first.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WildFlyDeploymentIT {

    private static final String CONTAINER = "wildfly";
    private static final String TOKEN = "wildfly-it-token-5f1c0e";
    private static final int ROWS_PER_DAY = 200;
    private static final long SEED = 11;

    private static LogsApiSimulator simulator;
    private static ClickHouseConnection clickhouse;
    private static boolean deployed;

    @ArquillianResource
    ContainerController controller;
    @ArquillianResource
    Deployer deployer;

    /** The WAR the build produced, unchanged. */
    @Deployment(name = WildFlyServer.DEPLOYMENT, managed = false, testable = false)
    @TargetsContainer(CONTAINER)
    static WebArchive war() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("war.file")));
    }

    @BeforeAll
    static void startSimulatorAndClickHouse() throws Exception {
        simulator = new LogsApiSimulator(SimulatorConfig.defaults(TOKEN).withRowsPerDay(ROWS_PER_DAY).withReadyAfter(1).withSeed(SEED)).start();
        clickhouse = TestClickHouse.connect();
    }

    @BeforeEach
    void noFaults() {
        simulator.failNextRequests(0, 503);
    }

    /** Arquillian stops the server (a manual container) at the end of the suite. */
    @AfterAll
    static void stopSimulator() {
        simulator.close();
        clickhouse.close();
    }

    @Test
    @Order(1)
    void configurationScriptIsIdempotentAndTheWarDeploys() throws Exception {
        controller.start(CONTAINER);
        String jdbcUrl = "jdbc:clickhouse://" + ClickHouseSettings.endpointFromUrl(TestClickHouse.URL).substring("http://".length()) + "/default";

        WildFlyServer.CliRun first = WildFlyServer.configure(TOKEN, jdbcUrl);
        assertEquals(0, first.exitCode(), "first run of configure.cli:\n" + first.output());
        assertTrue(first.output().contains("reloading the server"), "the first run changes what needs a reload:\n" + first.output());
        WildFlyServer.CliRun second = WildFlyServer.configure(TOKEN, jdbcUrl);
        assertEquals(0, second.exitCode(), "second run of configure.cli:\n" + second.output());
        assertFalse(second.output().contains("reloading the server"), "the second run has nothing to change:\n" + second.output());
        assertFalse(second.output().contains("\"outcome\" => \"failed\""), second.output());
        assertEquals("running", WildFlyServer.serverState());

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
    }

    @Test
    @Order(2)
    void loadLandsInClickHouseThroughTheDataSource() throws Exception {
        assumeTrue(deployed, "the server is configured and the WAR deployed");
        String database = "it_wildfly_load";
        Properties p = load(database, "events,installations,push_tokens");
        p.setProperty("applicationIds", "501,502");
        long id = WildFlyServer.startJob(p);
        assertEquals("COMPLETED", WildFlyServer.awaitEnd(id, 180), exitStatus(id));
        GroundTruth.assertLoaded(clickhouse, p, database, SEED, ROWS_PER_DAY);

        // What the README's management command shows.
        ModelNode execution = WildFlyServer.batchRuntime().get("job", WildFlyServer.JOB, "execution", Long.toString(id));
        assertEquals("COMPLETED", execution.get("batch-status").asString(), execution.toString());
        assertFalse(Files.readString(WildFlyServer.serverLog()).contains(TOKEN), "the token never reaches the server log");
    }

    @Test
    @Order(3)
    void failedLoadIsRestartedThroughTheServersJobOperator() throws Exception {
        assumeTrue(deployed, "the server is configured and the WAR deployed");
        String database = "it_wildfly_restart";
        Properties p = load(database, "events,crashes");
        p.setProperty("format", "json"); // Jackson streaming from the server's module (the first load reads CSV)
        p.setProperty("maxRetries", "1");
        simulator.failNextRequests(1_000_000, 503);
        long failed = WildFlyServer.startJob(p);
        assertEquals("FAILED", WildFlyServer.awaitEnd(failed, 180), exitStatus(failed));
        assertTrue(WildFlyServer.attribute(failed, "exit-status").contains("503"), exitStatus(failed));
        assertEquals(0, rows(database));

        simulator.failNextRequests(0, 503);
        long restarted = WildFlyServer.restartJob(failed);
        assertEquals("COMPLETED", WildFlyServer.awaitEnd(restarted, 180), exitStatus(restarted));
        GroundTruth.assertLoaded(clickhouse, p, database, SEED, ROWS_PER_DAY);
    }

    @Test
    @Order(4)
    void jobRepositorySurvivesAServerRestartMidLoad() throws Exception {
        assumeTrue(deployed, "the server is configured and the WAR deployed");
        String database = "it_wildfly_server_restart";
        Properties p = load(database, "events,crashes");
        p.setProperty("dateUntil", "2024-05-06");
        p.setProperty("chunkSize", "5");
        long id = WildFlyServer.startJob(p);
        long deadline = System.currentTimeMillis() + 120_000;
        while (clickhouse.queryLong("SELECT sum(rows) FROM system.parts WHERE database = '" + Identifiers.requirePlainName("database", database)
                + "' AND active") < 20 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("STARTED", WildFlyServer.attribute(id, "batch-status"), "still loading when the server stops");

        controller.stop(CONTAINER); // a graceful shutdown: batch-jberet stops the running job
        controller.start(CONTAINER); // the deployment comes back with the server
        String afterRestart = WildFlyServer.attribute(id, "batch-status");
        assertTrue(List.of("STOPPED", "FAILED", "STARTED").contains(afterRestart),
                "the execution is still known after the restart, not finished: " + afterRestart);
        long before = rows(database);
        assertTrue(before < 12L * ROWS_PER_DAY, "the load was cut short: " + before + " rows");

        long restarted = WildFlyServer.restartJob(id);
        assertEquals("COMPLETED", WildFlyServer.awaitEnd(restarted, 180), exitStatus(restarted));
        GroundTruth.assertLoaded(clickhouse, p, database, SEED, ROWS_PER_DAY);
    }

    /** Parameters of a small load; the ClickHouse connection is the datasource's, the token the credential store's. */
    private static Properties load(String database, String sources) {
        clickhouse.execute("DROP DATABASE IF EXISTS " + Identifiers.quote(database));
        Properties p = new Properties();
        p.setProperty("applicationIds", "501");
        p.setProperty("sources", sources);
        p.setProperty("dateSince", "2024-05-01");
        p.setProperty("dateUntil", "2024-05-02");
        p.setProperty("apiUrl", simulator.baseUrl());
        p.setProperty("tokenRef", "cs:appmetrica/appmetrica-token");
        p.setProperty("clickhouseDataSource", "java:jboss/datasources/ClickHouseDS");
        p.setProperty("clickhouseDatabase", database);
        p.setProperty("chunkSize", "50");
        p.setProperty("parallelism", "2");
        p.setProperty("pollIntervalSeconds", "0");
        p.setProperty("retryBackoffSeconds", "0");
        p.setProperty("spoolDir", Path.of(System.getProperty("war.file")).resolveSibling("wildfly-it-spool").toString());
        return p;
    }

    /** Rows in the events and crashes tables of the database (0 for a table not created yet). */
    private static long rows(String database) {
        long total = 0;
        for (String table : List.of("events", "crashes")) {
            if (clickhouse.queryLong("SELECT count() FROM system.tables WHERE database = '" + Identifiers.requirePlainName("database", database)
                    + "' AND name = '" + table + "'") > 0) {
                total += clickhouse.queryLong("SELECT count() FROM " + Identifiers.qualified(database, table));
            }
        }
        return total;
    }

    private static String exitStatus(long id) {
        try {
            return "exit status: " + WildFlyServer.attribute(id, "exit-status") + "\n" + WildFlyServer.logTail();
        } catch (Exception e) {
            return "exit status unavailable: " + e + "\n" + WildFlyServer.logTail();
        }
    }
}
