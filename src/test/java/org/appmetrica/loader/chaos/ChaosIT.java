package org.appmetrica.loader.chaos;

import org.appmetrica.loader.testing.LoaderCommand;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.it.GroundTruth;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.appmetrica.loader.testing.ClickHouseGate;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGKILL at random moments — and right after ClickHouse acknowledged an INSERT whose answer the loader never got —
 * of {@code java -jar target/appmetrica-loader.jar run}, then {@code restart ID} as a user types it, until COMPLETED;
 * then every table must equal the simulator's data (count and a checksum over all columns). Once with one loader, once
 * with two loaders over overlapping days, both killed at random, so that kills also land while slice leases are held.
 * {@code -Dchaos.kills=N} (default 6) and {@code -Dchaos.seed=S}; {@code .ci/chaos} runs a long mode.
 */
class ChaosIT {

    private static final String TOKEN = "chaos-token-1c5e";
    private static final int ROWS_PER_DAY = 400;
    private static final long SEED = 21;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void oneLoaderKilledAtRandomAndRestartedWithRestartIdLosesAndDoublesNothing() throws Exception {
        int kills = Integer.getInteger("chaos.kills", 6);
        long seed = Long.getLong("chaos.seed", 20261128L);
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "chaos-one");
        String database = TestClickHouse.database("it_chaos_one");
        try (LogsApiSimulator simulator = simulator(); ClickHouseConnection clickhouse = TestClickHouse.connect();
             ClickHouseGate gate = ClickHouseGate.start(TestClickHouse.URL)) {
            TestClickHouse.recreate(clickhouse, database);
            Loader loader = new Loader("one", work, gate, parameters(simulator, gate, database, "2024-07-01", "2024-07-03"), database,
                    new Random(seed));
            String result = loader.untilCompleted(kills);
            System.out.println("chaos: " + result);
            GroundTruth.assertLoaded(clickhouse, loader.parameters, database, SEED, ROWS_PER_DAY);
        }
    }

    @Test
    void twoLoadersOverOverlappingDaysBothKilledAtRandomEndExact() throws Exception {
        int kills = Math.max(3, Integer.getInteger("chaos.kills", 6) * 2 / 3);
        long seed = Long.getLong("chaos.seed", 20261128L);
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "chaos-two");
        String database = TestClickHouse.database("it_chaos_two");
        try (LogsApiSimulator simulator = simulator(); ClickHouseConnection clickhouse = TestClickHouse.connect();
             ClickHouseGate gateA = ClickHouseGate.start(TestClickHouse.URL); ClickHouseGate gateB = ClickHouseGate.start(TestClickHouse.URL)) {
            TestClickHouse.recreate(clickhouse, database);
            // one data directory, one job repository: the two loaders meet on 07-12 and 07-13
            Loader a = new Loader("a", work, gateA, parameters(simulator, gateA, database, "2024-07-11", "2024-07-13"), database, new Random(seed));
            Loader b = new Loader("b", work, gateB, parameters(simulator, gateB, database, "2024-07-12", "2024-07-14"), database,
                    new Random(seed + 1));
            CompletableFuture<String> ra = CompletableFuture.supplyAsync(() -> a.untilCompletedUnchecked(kills));
            CompletableFuture<String> rb = CompletableFuture.supplyAsync(() -> b.untilCompletedUnchecked(kills));
            System.out.println("chaos: " + ra.get(15, TimeUnit.MINUTES) + "; " + rb.get(15, TimeUnit.MINUTES));
            Properties all = (Properties) a.parameters.clone();
            all.setProperty("dateUntil", "2024-07-14");
            GroundTruth.assertLoaded(clickhouse, all, database, SEED, ROWS_PER_DAY);
        }
    }

    private static LogsApiSimulator simulator() throws Exception {
        return new LogsApiSimulator(SimulatorConfig.defaults(TOKEN).withRowsPerDay(ROWS_PER_DAY).withReadyAfter(2).withSeed(SEED)).start();
    }

    private static Properties parameters(LogsApiSimulator simulator, ClickHouseGate gate, String database, String since, String until) {
        Properties p = new Properties();
        p.setProperty("applicationIds", "601,602");
        p.setProperty("sources", "events,installations,crashes");
        p.setProperty("dateSince", since);
        p.setProperty("dateUntil", until);
        p.setProperty("chunkSize", "23");
        p.setProperty("insertRows", "50"); // INSERTs of 2 chunks: deaths land within streamed INSERTs too, and often
        p.setProperty("apiUrl", simulator.baseUrl());
        p.setProperty("clickhouseUrl", gate.url());
        p.setProperty("clickhouseDatabase", database);
        p.setProperty("pollIntervalSeconds", "0");
        p.setProperty("retryBackoffSeconds", "0");
        return p;
    }

    /** One load as a user drives it: run, and after every death restart ID, each in a new JVM. */
    private static final class Loader {
        final String name;
        final Path work;
        final Path dataDir;
        final ClickHouseGate gate;
        final Properties parameters;
        final String stageTable;
        final Random random;
        final AtomicReference<Process> current = new AtomicReference<>();
        int round;

        Loader(String name, Path work, ClickHouseGate gate, Properties parameters, String database, Random random) {
            this.name = name;
            this.work = work;
            this.dataDir = work.resolve("data");
            this.gate = gate;
            this.parameters = parameters;
            this.stageTable = database + "._stage_events";
            this.random = random;
        }

        String untilCompletedUnchecked(int kills) {
            try {
                return untilCompleted(kills);
            } catch (Exception e) {
                throw new AssertionError(name + ": " + e.getMessage(), e);
            }
        }

        String untilCompleted(int kills) throws Exception {
            int killed = 0;
            int afterInsert = 0;
            Long id = null;
            for (round = 0; round < kills + 10; round++) {
                boolean chaos = killed < kills;
                boolean killAfterInsert = chaos && killed % 3 == 1; // the 2nd, 5th, ... death: right after an INSERT
                ClickHouseGate.Trigger trigger = null;
                if (chaos) {
                    // Gated on the load's own progress, never on a clock: a faster loader once finished before a timed kill.
                    // Right after an INSERT, before the loader hears of it; or from another thread, at a moment near it.
                    Runnable action = killAfterInsert ? this::kill : () -> new Thread(this::kill).start();
                    trigger = gate.onInsertAcknowledged(stageTable, gate.inserts(stageTable) + 1 + random.nextInt(12), action);
                }
                Path log = work.resolve(name + "-round-" + round + ".log");
                Process p = start(id, log);
                current.set(p);
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    Path threads = work.resolve(name + "-round-" + round + ".threads");
                    new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(p.pid()),
                            "Thread.print").redirectErrorStream(true).redirectOutput(threads.toFile()).start().waitFor(1, TimeUnit.MINUTES);
                    p.destroyForcibly();
                    throw new AssertionError(name + " round " + round + " hung; log " + log + ", threads " + threads);
                }
                String output = Files.readString(log, StandardCharsets.UTF_8);
                if (p.exitValue() == 0) {
                    assertTrue(output.contains("COMPLETED"), output);
                    assertTrue(killed >= Math.min(kills, 3), name + ": killed only " + killed + " times");
                    return name + " " + killed + " kills (" + afterInsert + " right after an INSERT), COMPLETED in round " + round;
                }
                if (p.exitValue() != 137) {
                    // Only a kill may end a round: any other end is a defect of the loader.
                    throw new AssertionError(name + " round " + round + " ended with " + p.exitValue() + ":\n" + output);
                }
                killed++;
                if (killAfterInsert && trigger.status() == 200) {
                    afterInsert++;
                }
                JsonNode latest = latestExecution();
                if (latest != null && latest.get("status").asText().equals("COMPLETED")) {
                    return name + " " + killed + " kills (" + afterInsert + " right after an INSERT), COMPLETED just before the last";
                }
                id = latest == null ? null : latest.get("id").asLong();
            }
            throw new AssertionError(name + ": the load never completed; logs in " + work);
        }

        private void kill() {
            Process p = current.get();
            if (p != null && p.isAlive()) {
                p.destroyForcibly(); // SIGKILL
                try {
                    p.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private Process start(Long executionId, Path log) throws Exception {
            List<String> cmd = new ArrayList<>(LoaderCommand.java("256m"));
            cmd.addAll(List.of("--data-dir", dataDir.toString()));
            if (executionId == null) {
                cmd.add("run");
                parameters.stringPropertyNames().forEach(k -> cmd.add(k + "=" + parameters.getProperty(k)));
            } else {
                cmd.addAll(List.of("restart", Long.toString(executionId)));
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("APPMETRICA_TOKEN", TOKEN);
            return pb.start();
        }

        /**
         * The newest execution of this loader's load, as {@code executions --json} lists it (that command also marks a
         * killed one FAILED): a kill can land before a run or a restart printed its id, or before it created its execution
         * at all (null: run again).
         */
        private JsonNode latestExecution() throws Exception {
            Path out = work.resolve(name + "-executions-" + round + ".json");
            Path err = work.resolve(name + "-executions-" + round + ".err");
            List<String> cmd = new ArrayList<>(LoaderCommand.java("128m"));
            cmd.addAll(List.of("--data-dir", dataDir.toString(), "executions", "--json"));
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0, "executions --json failed: " + Files.readString(out)
                    + Files.readString(err));
            JsonNode newest = null;
            for (JsonNode e : JSON.readTree(out.toFile())) {
                if (parameters.getProperty("dateSince").equals(e.get("parameters").path("dateSince").asText())
                        && (newest == null || e.get("id").asLong() > newest.get("id").asLong())) {
                    newest = e;
                }
            }
            return newest;
        }
    }
}
