package org.appmetrica.loader.wildfly;

import com.fasterxml.jackson.databind.JsonNode;
import org.appmetrica.loader.clickhouse.Identifiers;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.it.GroundTruth;
import org.appmetrica.loader.simulator.RecordedRequest;
import org.appmetrica.loader.testing.Await;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.jboss.dmr.ModelNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user's report, replayed in WildFly: a load of 28 slices, the server's JVM killed with SIGKILL while 10 slices
 * are published and 3 are waiting for their exports, the server started again. Then the execution shows as FAILED
 * with a CRASHED exit status (the deployment's crash check), in the management model and in the console, with the
 * right slice counts; restart-job through the management API (as jboss-cli does it) continues it: COMPLETED, the
 * tables exact, and not one request for an export of a slice published before the kill.
 * <p>No timing: the exports of the last 9 days are held in the simulator's queue, so the load reaches a state it cannot
 * leave (10 slices published, its 3 threads polling held exports), and the test waits for exactly that state.
 */
class WildFlyKillIT extends ManagedWildFly {

    private static final String TOKEN = "wildfly-kill-token-2b7d91";
    private static final int ROWS_PER_DAY = 300;
    private static final long SEED = 29;
    private static final long APP = 701;
    private static final String DATABASE = TestClickHouse.database("it_wildfly_kill");
    private static final LocalDate FIRST = LocalDate.parse("2024-06-01");
    private static final LocalDate LAST = LocalDate.parse("2024-06-14");
    /** Exports of this day and later stay queued until released: 5 days x 2 sources = 10 slices publish first. */
    private static final LocalDate FIRST_HELD = LocalDate.parse("2024-06-06");
    private static final int THREADS = 3;
    private static final int SLICES = 28;
    private static final int PUBLISHED = 10;

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(TOKEN, ROWS_PER_DAY, SEED);

    @Test
    void serverKilledMidLoadContinuesWithTheSlicesNotPublished() throws Exception {
        // A fresh server, configured as docs/wildfly.md says, the WAR deployed, a console user.
        WildFlyServer.addConsoleUser();
        startFreshServer(spoolDir());
        configureAndDeploy(TOKEN);

        // The load, stopped at the gate: slices of days before FIRST_HELD published, three held exports being polled.
        Properties p = load();
        env.simulator().holdExports(q -> !q.days().get(0).isBefore(FIRST_HELD));
        long id = WildFlyServer.startJob(p);
        awaitGate(id);
        // Every console read runs the crash check first (ExecutionQueries): the live execution of this server is left alone.
        JsonNode live = WildFlyServer.consoleGet("executions/" + id).get("execution");
        assertEquals("STARTED", live.get("status").asText(), live.toString());
        assertProgress(live, PUBLISHED + THREADS, PUBLISHED, 0, THREADS, 0);

        // kill -9 of the server's JVM
        long pid = WildFlyServer.serverPid();
        WildFlyServer.killServer(pid);

        // What the dead server left in its job repository (AppMetricaBatchDS, read with the server's own H2): the
        // execution still STARTED, owned by the dead JVM, and the held slices' leases, although the transactions of their
        // readers' open() never committed (the leases do not join the batch runtime's JTA transactions).
        WildFlyServer.withStoppedServersRepository(c -> {
            assertEquals("STARTED", one(c, "SELECT BATCHSTATUS FROM JOB_EXECUTION WHERE JOBEXECUTIONID = ?", id));
            assertTrue(one(c, "SELECT PROCESS_KEY FROM APPMETRICA_EXECUTION_OWNER WHERE JOBEXECUTIONID = ?", id).contains("|" + pid + "|"));
            List<String> held = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT SLICE_KEY FROM APPMETRICA_SLICE_LEASE WHERE HELD AND JOBEXECUTIONID = ? "
                    + "AND PROCESS_KEY LIKE ? ORDER BY SLICE_KEY")) {
                ps.setLong(1, id);
                ps.setString(2, "%|" + pid + "|%");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        held.add(rs.getString(1));
                    }
                }
            }
            assertEquals(List.of(DATABASE + "/crashes/" + APP + "/" + FIRST_HELD, DATABASE + "/events/" + APP + "/" + FIRST_HELD,
                    DATABASE + "/events/" + APP + "/" + FIRST_HELD.plusDays(1)), held, "the leases of the three slices loading at the kill");
            return null;
        });

        // The downloaded files are gone too, as after a reboot that empties /tmp (the default spoolDir): a published slice
        // must not need them. (The slices that were waiting keep their spool's mark that their exports were requested.)
        List<Path> downloaded;
        try (Stream<Path> files = Files.walk(spoolDir())) {
            downloaded = files.filter(f -> f.getFileName().toString().startsWith("part-")).toList(); // with their .sha256
        }
        assertEquals(PUBLISHED, downloaded.stream().filter(f -> !f.toString().endsWith(".sha256")).count(), downloaded.toString());
        for (Path f : downloaded) {
            Files.delete(f);
        }

        // The server again: Arquillian forgets the dead process, then starts the server; the WAR is deployed at boot.
        long logBeforeRestart = WildFlyServer.logSize();
        controller.stop(CONTAINER);
        controller.start(CONTAINER);
        assertTrue(WildFlyServer.logSince(logBeforeRestart).contains("crash check at deployment: executions [" + id + "]"), WildFlyServer.logTail());

        // FAILED with a CRASHED exit status, as read-attribute / read-resource (jboss-cli) and the console show it.
        assertEquals("FAILED", WildFlyServer.attribute(id, "batch-status"));
        ModelNode execution = WildFlyServer.executionResource(id);
        assertEquals("FAILED", execution.get("batch-status").asString(), execution.toString());
        String exit = execution.get("exit-status").asString();
        assertTrue(exit.startsWith("CRASHED: the process that ran it (pid " + pid + " on "), exit);
        JsonNode crashed = WildFlyServer.consoleGet("executions/" + id).get("execution");
        assertEquals("FAILED", crashed.get("status").asText());
        assertTrue(crashed.get("failure").asText().startsWith("crashed: "), crashed.toString());
        assertTrue(crashed.get("actions").toString().contains("restart"), crashed.toString());
        assertProgress(crashed, PUBLISHED + THREADS, PUBLISHED, THREADS, 0, 0);
        assertEquals(PUBLISHED * ROWS_PER_DAY, rows(), "exactly the published slices are in the tables");

        // restart-job, as jboss-cli runs it
        env.simulator().releaseHeld();
        int requestsBeforeRestart = env.simulator().requests().size(); // the new server has not called the API: nothing runs
        long restarted = WildFlyServer.restartJob(id);
        assertEquals("COMPLETED", WildFlyServer.awaitEnd(restarted, 300), WildFlyServer.describe(restarted));
        GroundTruth.assertLoaded(env.clickhouse(), p, DATABASE, SEED, ROWS_PER_DAY);

        // Requests per slice since the restart: none for a published slice; the three that were waiting kept waiting for
        // the same exports (no second Cache-Control: no-cache); the ones never started asked for fresh exports.
        Map<String, List<RecordedRequest>> after = bySlice(env.simulator().requests().subList(requestsBeforeRestart, env.simulator().requests().size()));
        List<String> expected = new ArrayList<>();
        for (LocalDate d = FIRST_HELD; !d.isAfter(LAST); d = d.plusDays(1)) {
            expected.add(d + "/crashes");
            expected.add(d + "/events");
        }
        assertEquals(expected, new ArrayList<>(after.keySet()), "requested after the restart: exactly the slices not published");
        for (Map.Entry<String, List<RecordedRequest>> e : after.entrySet()) {
            boolean wasLoading = List.of(FIRST_HELD + "/crashes", FIRST_HELD + "/events", FIRST_HELD.plusDays(1) + "/events").contains(e.getKey());
            boolean fresh = "no-cache".equals(e.getValue().get(0).cacheControl());
            assertEquals(!wasLoading, fresh, e.getKey() + ": " + e.getValue());
            assertTrue(e.getValue().stream().skip(1).noneMatch(r -> r.cacheControl() != null), e.getKey() + ": " + e.getValue());
        }

        // The console: the crashed execution keeps its counts, the restart completed the other 18 slices.
        JsonNode done = WildFlyServer.consoleGet("executions/" + restarted).get("execution");
        assertEquals("COMPLETED", done.get("status").asText());
        assertEquals(id, done.get("restartOf").asLong());
        assertProgress(done, SLICES - PUBLISHED, SLICES - PUBLISHED, 0, 0, PUBLISHED);
        assertProgress(WildFlyServer.consoleGet("executions/" + id).get("execution"), PUBLISHED + THREADS, PUBLISHED, THREADS, 0, 0);
    }

    /** The simulator holds the exports of FIRST_HELD and later. */
    private static boolean held(RecordedRequest r) {
        String day = r.query().get("date_since");
        return r.path().startsWith("/logs/v1/export/") && day != null && !day(r).isBefore(FIRST_HELD);
    }

    /**
     * Waits for the state the held exports lead to, which the load cannot leave while they are held: the 10 slices of the
     * days before FIRST_HELD published (COMPLETED in the console's live view of the partitions), and exactly 3 held
     * exports requested (one per thread). The deadline only turns a bug into a failure.
     */
    private static void awaitGate(long id) throws Exception {
        Await.await(() -> gate(id), gate -> gate.published() == PUBLISHED && gate.held() == THREADS, Duration.ofMinutes(3),
                () -> "gate not reached: " + PUBLISHED + " slices published and " + THREADS + " held exports requested\n" + WildFlyServer.logTail());
    }

    /** How far the load is: slices before FIRST_HELD published, held exports requested. */
    private record Gate(int published, long held) {
    }

    /** The gate's state now; more held exports than threads can never come back to the gate, and fail at once. */
    private static Gate gate(long id) throws Exception {
        {
            int published = 0;
            for (JsonNode step : WildFlyServer.consoleGet("executions/" + id).get("steps")) {
                if (step.get("name").asText().equals("load-slices")) {
                    for (JsonNode part : step.get("partitions")) {
                        if (part.get("status").asText().equals("COMPLETED") && part.get("apiState").asText().equals("published")
                                && LocalDate.parse(part.get("day").asText()).isBefore(FIRST_HELD)) {
                            published++;
                        }
                    }
                }
            }
            long heldRequested = bySlice(env.simulator().requests().stream().filter(WildFlyKillIT::held).toList()).size();
            if (heldRequested > THREADS) {
                throw new AssertionError("gate passed: " + published + " of " + PUBLISHED + " slices published, " + heldRequested
                        + " held exports requested (expected " + THREADS + ")\n" + WildFlyServer.logTail());
            }
            return new Gate(published, heldRequested);
        }
    }

    private static void assertProgress(JsonNode execution, int slices, int completed, int failed, int running, int earlier) {
        JsonNode p = execution.get("progress");
        String what = "execution " + execution.get("id") + " progress " + p;
        assertEquals(SLICES, p.get("planned").asInt(), what);
        assertEquals(slices, p.get("slices").asInt(), what);
        assertEquals(completed, p.get("completed").asInt(), what);
        assertEquals(failed, p.get("failed").asInt(), what);
        assertEquals(running, p.get("running").asInt(), what);
        assertEquals(earlier, p.get("earlier").asInt(), what);
    }

    /** Export requests by slice ("day/source"), in slice order; each slice's requests in the order they came. */
    private static Map<String, List<RecordedRequest>> bySlice(List<RecordedRequest> requests) {
        Map<String, List<RecordedRequest>> map = new TreeMap<>();
        for (RecordedRequest r : requests) {
            if (r.path().startsWith("/logs/v1/export/")) {
                String source = r.path().substring("/logs/v1/export/".length(), r.path().lastIndexOf('.'));
                assertEquals(Long.toString(APP), r.query().get("application_id"));
                map.computeIfAbsent(day(r) + "/" + source, k -> new ArrayList<>()).add(r);
            }
        }
        return map;
    }

    private static String one(java.sql.Connection c, String sql, long id) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), sql + " with " + id);
                return rs.getString(1);
            }
        }
    }

    private static Properties load() {
        Properties p = WildFlyServer.loadParameters(env.apiUrl(), env.freshDatabase(DATABASE), spoolDir());
        p.setProperty("applicationIds", Long.toString(APP));
        p.setProperty("sources", "events,crashes");
        p.setProperty("dateSince", FIRST.toString());
        p.setProperty("dateUntil", LAST.toString());
        p.setProperty("chunkSize", "100");
        p.setProperty("parallelism", Integer.toString(THREADS));
        p.setProperty("pollIntervalSeconds", "1");
        return p;
    }

    private static Path spoolDir() {
        return spoolDir("wildfly-kill-it-spool");
    }

    private static long rows() {
        long total = 0;
        for (String table : List.of("events", "crashes")) {
            total += env.clickhouse().queryLong("SELECT count() FROM " + Identifiers.qualified(DATABASE, table));
        }
        return total;
    }

    /** The day of an export request (date_since is "yyyy-MM-dd HH:mm:ss"). */
    private static LocalDate day(RecordedRequest r) {
        return LocalDate.parse(r.query().get("date_since").substring(0, 10));
    }
}
