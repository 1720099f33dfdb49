package org.appmetrica.loader.admin;

import org.appmetrica.loader.clickhouse.ClickHouseTarget;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.appmetrica.loader.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks before a start, against the simulator's management API and a ClickHouse port nothing listens on. */
class StartChecksTest {

    private static final String TOKEN = "checks-token-5d1e";
    private static LogsApiSimulator simulator;
    private static int closedPort;

    @BeforeAll
    static void start() throws Exception {
        simulator = new LogsApiSimulator(SimulatorConfig.defaults(TOKEN).withPort(0).withTokens(Map.of(TOKEN, Set.of(101L, 102L)))).start();
        System.setProperty("startchecks.token", TOKEN);
        System.setProperty("startchecks.wrong", "wrong-token");
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private static ClickHouseTarget nowhere() {
        return new ClickHouseTarget("jdbc:clickhouse://127.0.0.1:" + closedPort, "default", "env:NO_SUCH_PASSWORD_VAR", null, "db");
    }

    private static Map<String, StartChecks.Result> byName(List<StartChecks.Result> results) {
        Map<String, StartChecks.Result> m = new java.util.LinkedHashMap<>();
        results.forEach(r -> m.put(r.check(), r));
        return m;
    }

    @Test
    void clickHouseDownIsToldWithItsCause() {
        Map<String, StartChecks.Result> r = byName(StartChecks.run(simulator.baseUrl(), "prop:startchecks.token", List.of(101L), nowhere()));
        assertFalse(r.get(StartChecks.CLICKHOUSE).ok());
        assertTrue(r.get(StartChecks.CLICKHOUSE).message().contains("Connection refused"), r.get(StartChecks.CLICKHOUSE).message());
        assertTrue(r.get(StartChecks.CLICKHOUSE).message().contains(Integer.toString(closedPort)), r.get(StartChecks.CLICKHOUSE).message());
        assertTrue(r.get(StartChecks.TOKEN).ok(), r.toString());
        assertTrue(r.get(StartChecks.APPLICATIONS).ok(), r.toString());
    }

    @Test
    void aRefusedTokenAndAnUnreadableApplicationAreNamed() {
        Map<String, StartChecks.Result> bad = byName(StartChecks.run(simulator.baseUrl(), "prop:startchecks.wrong", List.of(101L), nowhere()));
        assertFalse(bad.get(StartChecks.TOKEN).ok());
        assertTrue(bad.get(StartChecks.TOKEN).message().contains("refused the token (HTTP 401)"), bad.toString());
        assertFalse(bad.get(StartChecks.TOKEN).message().contains("wrong-token"), "a refused secret is never echoed");

        Map<String, StartChecks.Result> apps = byName(StartChecks.run(simulator.baseUrl(), "prop:startchecks.token", List.of(101L, 303L), nowhere()));
        assertFalse(apps.get(StartChecks.APPLICATIONS).ok());
        assertEquals("the token cannot read application(s) [303]; it can read [101, 102]", apps.get(StartChecks.APPLICATIONS).message());
    }

    /** ClickHouse that accepts and stays silent until the Logs API was asked: checked one after the other, it never is. */
    @Test
    void clickHouseAndTheLogsApiAreAskedAtOnce() throws Exception {
        AtomicBoolean apiAskedWhileClickHouseWaited = new AtomicBoolean();
        int before = simulator.requests().size();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread clickhouse = new Thread(() -> {
                try (Socket s = silent.accept()) {
                    Await.await(() -> simulator.requests().size() > before, Boolean::booleanValue, Duration.ofSeconds(20),
                            Duration.ofMillis(5), () -> "the Logs API asked while ClickHouse stays silent");
                    apiAskedWhileClickHouseWaited.set(true);
                } catch (Throwable e) {
                    // not asked in time (the assertion below fails), or the check gave up on the silent socket
                }
            });
            clickhouse.start();
            Map<String, StartChecks.Result> r = byName(StartChecks.run(simulator.baseUrl(), "prop:startchecks.token", List.of(101L),
                    new ClickHouseTarget("jdbc:clickhouse://127.0.0.1:" + silent.getLocalPort(), "default", "env:NO_SUCH_PASSWORD_VAR", null, "db")));
            clickhouse.join();
            assertTrue(apiAskedWhileClickHouseWaited.get(), "the Logs API was asked only after ClickHouse answered");
            assertFalse(r.get(StartChecks.CLICKHOUSE).ok(), r.toString());
            assertEquals(List.of(StartChecks.CLICKHOUSE, StartChecks.TOKEN, StartChecks.APPLICATIONS), List.copyOf(r.keySet()));
        }
    }

    @Test
    void anApiThatDoesNotAnswerFails() {
        Map<String, StartChecks.Result> r = byName(StartChecks.run("http://127.0.0.1:" + closedPort, "prop:startchecks.token", List.of(1L), nowhere()));
        assertFalse(r.get(StartChecks.TOKEN).ok());
        assertTrue(r.get(StartChecks.TOKEN).message().startsWith("the Logs API at http://127.0.0.1:" + closedPort + " does not answer"), r.toString());
    }
}
