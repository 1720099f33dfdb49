package org.appmetrica.loader.standalone;

import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.testing.ClickHouseGate;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 27, compressed transfer: the loader asks for gzip, keeps the spool as received (compressed), reads rows live
 * from the arriving gzip and, after a stop, from the compressed spool, exact either way.
 */
class CompressedTransferIT {

    private static final String TOKEN = "gzip-secret-token-51c2";
    private static final int ROWS = 2000;

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(TOKEN, ROWS, 7);

    private static String[] load(String database, String clickhouseUrl, Path unused, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "applicationIds=401", "sources=events",
                "dateSince=2024-05-01", "dateUntil=2024-05-01", "apiUrl=" + env.apiUrl(), "pollIntervalSeconds=0",
                "clickhouseUrl=" + clickhouseUrl, "clickhouseDatabase=" + database));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static long distinctRows(String database) {
        return env.clickhouse().queryLong("SELECT count() FROM (SELECT DISTINCT load_application_id, load_date, load_row FROM "
                + database + ".events)");
    }

    @Test
    void aGzipExportLoadsExactLiveAndAfterARestartFromItsCompressedSpool() throws Exception {
        String database = TestClickHouse.database("it_gzip_restart");
        env.freshDatabase(database);
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cli-gzip");
        try (ClickHouseGate gate = ClickHouseGate.start(TestClickHouse.URL)) {
            ClickHouseGate.Hold third = gate.holdInsert(database + "._stage_events", 3);
            CliProcess running = CliProcess.start(data, Map.of("APPMETRICA_TOKEN", TOKEN),
                    load(database, "jdbc:clickhouse://" + gate.url().replace("http://", ""), data, "chunkSize=100", "insertRows=100", // one INSERT a chunk
                            "parallelism=1"));
            third.awaitHeld(ClickHouseGate.TIMEOUT, running::textSoFar);
            running.awaitOutput("execution id: ", ClickHouseGate.TIMEOUT);
            running.interrupt();
            running.awaitOutput("stop registered for execution", ClickHouseGate.TIMEOUT);
            third.release();
            CliProcess.Result stopped = running.await();
            assertEquals(3, stopped.exitCode(), stopped.output());
            assertTrue(env.clickhouse().queryLong("SELECT count() FROM " + database + ".events") < ROWS, "stopped before the end");

            Path part;
            try (Stream<Path> files = Files.walk(data.resolve("spool"))) {
                part = files.filter(f -> f.getFileName().toString().equals("part-0-of-1.csv")).findFirst().orElseThrow();
            }
            byte[] spooled = Files.readAllBytes(part);
            assertEquals(0x1F, spooled[0] & 0xFF, "the spool keeps the gzip bytes as received");
            assertEquals(0x8B, spooled[1] & 0xFF);
            long plain;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(part))) {
                plain = in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            assertTrue(spooled.length * 2L < plain, "compressed spool " + spooled.length + " bytes, the CSV " + plain);

            CliProcess.Result restarted = CliProcess.run(data, Map.of("APPMETRICA_TOKEN", TOKEN), "restart",
                    Long.toString(stopped.executionId()));
            assertEquals(0, restarted.exitCode(), restarted.output());
            assertEquals(ROWS, env.clickhouse().queryLong("SELECT count() FROM " + database + ".events"));
            assertEquals(ROWS, distinctRows(database));
        }
    }

    @Test
    void compressionNoneLoadsThePlainFile() throws Exception {
        String database = TestClickHouse.database("it_gzip_none");
        env.freshDatabase(database);
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cli-plain");
        CliProcess.Result r = CliProcess.run(data, Map.of("APPMETRICA_TOKEN", TOKEN),
                load(database, TestClickHouse.jdbcUrl(), data, "compression=none"));
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(ROWS, distinctRows(database));
        assertFalse(r.output().contains(TOKEN));
    }
}
