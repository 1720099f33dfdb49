package org.appmetrica.loader.chaos;

import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.it.GroundTruth;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills the loader's JVM with SIGKILL at random moments — and, on some rounds, right after an INSERT reached
 * ClickHouse and before its checkpoint — restarts it until COMPLETED, and checks every table against the simulator.
 * {@code -Dchaos.kills=N} (default 6) and {@code -Dchaos.seed=S} choose how hard; {@code .ci/chaos} runs a long mode.
 */
class ChaosIT {

    private static final String TOKEN = "chaos-token-1c5e";
    private static final int ROWS_PER_DAY = 400;
    private static final long SEED = 21;

    @Test
    void killedAtRandomMomentsAndRestartedUntilCompletedLosesAndDoublesNothing() throws Exception {
        int kills = Integer.getInteger("chaos.kills", 6);
        Random random = new Random(Long.getLong("chaos.seed", 20261125L));
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "chaos");
        Path classpathDir = work.resolve("jobs");
        writeChaosJob(classpathDir);
        String database = "it_chaos";
        try (LogsApiSimulator simulator = new LogsApiSimulator(SimulatorConfig.defaults(TOKEN).withRowsPerDay(ROWS_PER_DAY)
                .withReadyAfter(2).withSeed(SEED)).start();
             ClickHouseConnection clickhouse = TestClickHouse.connect()) {
            TestClickHouse.recreate(clickhouse, database);
            Properties p = new Properties();
            p.setProperty("applicationIds", "601,602");
            p.setProperty("sources", "events,installations,crashes");
            p.setProperty("dateSince", "2024-07-01");
            p.setProperty("dateUntil", "2024-07-03");
            p.setProperty("chunkSize", "23");
            p.setProperty("apiUrl", simulator.baseUrl());
            p.setProperty("tokenRef", "env:CHAOS_TOKEN");
            p.setProperty("clickhouseUrl", TestClickHouse.URL);
            p.setProperty("clickhouseDatabase", database);
            p.setProperty("pollIntervalSeconds", "0");
            p.setProperty("retryBackoffSeconds", "0");
            p.setProperty("spoolDir", work.resolve("spool").toString());
            Path params = work.resolve("params.properties");
            try (OutputStream out = Files.newOutputStream(params)) {
                p.store(out, null);
            }

            Long executionId = null;
            int killed = 0;
            int haltsAfterInsert = 0;
            boolean completed = false;
            for (int round = 0; round < kills + 10 && !completed; round++) {
                boolean chaos = killed < kills;
                boolean haltAfterInsert = chaos && killed % 3 == 1; // rounds 2, 5, ... die right after an INSERT
                int haltAfter = haltAfterInsert ? 1 + random.nextInt(15) : 0;
                Path log = work.resolve("round-" + round + ".log");
                Process child = child(classpathDir, work, executionId, params, haltAfter, log);
                if (chaos && !haltAfterInsert) {
                    long delay = 300 + random.nextInt(2500);
                    if (!child.waitFor(delay, TimeUnit.MILLISECONDS)) {
                        child.destroyForcibly(); // SIGKILL
                    }
                }
                if (!child.waitFor(5, TimeUnit.MINUTES)) {
                    child.destroyForcibly();
                }
                int exit = child.waitFor();
                String output = Files.readString(log, StandardCharsets.UTF_8);
                Long id = output.lines().filter(l -> l.startsWith("execution id: ")).map(l -> Long.parseLong(l.substring(14).trim()))
                        .findFirst().orElse(null);
                if (id != null) {
                    executionId = id;
                }
                if (exit == 0) {
                    completed = true;
                } else if (exit == 137 || exit == 9 + 128) {
                    killed++;
                    if (output.contains("chaos: halting after write")) {
                        haltsAfterInsert++;
                    }
                } else if (!chaos) {
                    assertTrue(executionId != null, "no execution started: " + output);
                }
            }
            assertTrue(completed, "the load never completed; logs in " + work);
            assertTrue(killed >= Math.min(kills, 5), "killed only " + killed + " times");
            assertTrue(haltsAfterInsert >= 1 || kills < 2, "never killed right after an INSERT");
            GroundTruth.assertLoaded(clickhouse, p, database, SEED, ROWS_PER_DAY);
            System.out.println("chaos: " + killed + " kills (" + haltsAfterInsert + " right after an INSERT), exact result");
        }
    }

    private static Process child(Path classpathDir, Path work, Long executionId, Path params, int haltAfter, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dchaos.haltAfterWrites=" + haltAfter, "-cp", classpath(classpathDir), ChaosRunner.class.getName(),
                work.resolve("data").toString()));
        if (executionId == null) {
            cmd.add("start");
        } else {
            cmd.addAll(List.of("restart", Long.toString(executionId)));
        }
        cmd.add(params.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CHAOS_TOKEN", TOKEN);
        return pb.start();
    }

    private static String classpath(Path classpathDir) throws Exception {
        List<String> entries = new ArrayList<>(List.of(classpathDir.toString(), Path.of("target", "test-classes").toAbsolutePath().toString(),
                Path.of("target", "classes").toAbsolutePath().toString()));
        // The runtime libraries exactly as the standalone jar names them (target/lib may hold stale copies).
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(Path.of("target", "appmetrica-loader.jar").toFile())) {
            for (String lib : jar.getManifest().getMainAttributes().getValue("Class-Path").split(" ")) {
                entries.add(Path.of("target").resolve(lib).toAbsolutePath().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The production job with the halting listener added to the load step, under the id appmetrica-load-chaos. */
    static void writeChaosJob(Path classpathDir) throws Exception {
        String xml = Files.readString(Path.of("batch-jobs", "appmetrica-load.xml"), StandardCharsets.UTF_8)
                .replace("id=\"appmetrica-load\"", "id=\"appmetrica-load-chaos\"")
                .replace("<listener ref=\"slicePublishListener\"/>", "<listener ref=\"slicePublishListener\"/>\n            <listener ref=\"haltAfterWriteListener\"/>");
        assertTrue(xml.contains("haltAfterWriteListener"), "the chaos job must carry the halting listener");
        Path file = classpathDir.resolve("META-INF").resolve("batch-jobs").resolve("appmetrica-load-chaos.xml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, xml, StandardCharsets.UTF_8);
        assertEquals(1, xml.split("haltAfterWriteListener", -1).length - 1);
    }
}
