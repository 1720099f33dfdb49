package org.appmetrica.loader.security;

import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.testing.Await;
import org.appmetrica.loader.testing.LoaderCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Red team, issue 23 item 7: each attack of a hostile or hijacked Logs API, tried as written against the loader a user
 * runs ({@code java -Xmx256m -jar target/appmetrica-loader.jar run …}). Before, each ended in an OutOfMemoryError, a
 * thread that never ended (stop and TERM ignored) or a spool without limit; now each is refused or bounded, and the
 * process ends with the failure named.
 */
class HostileApiIT {

    private static final Duration SAFETY = Duration.ofMinutes(3);
    private static Path root;

    @BeforeAll
    static void createRoot() throws IOException {
        root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "hostile");
    }

    /** A one-slice load from {@code api}; more parameters in {@code extra}. */
    private static Process start(HostileApi api, Path dataDir, String... extra) throws IOException {
        List<String> command = new ArrayList<>(LoaderCommand.java("256m"));
        command.addAll(List.of("--data-dir", dataDir.toString(), "run", "applicationIds=11", "sources=events",
                "dateSince=2024-05-01", "dateUntil=2024-05-01", "apiUrl=" + api.url(), "fields.events=event_name",
                "pollIntervalSeconds=0", "retryBackoffSeconds=0", "maxRetries=0",
                "clickhouseUrl=" + TestClickHouse.jdbcUrl(), "clickhouseDatabase=" + TestClickHouse.database("it_hostile")));
        command.addAll(List.of(extra));
        Files.createDirectories(dataDir);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("out.txt").toFile());
        pb.environment().put("APPMETRICA_TOKEN", "hostile-test-token");
        return pb.start();
    }

    private static String await(Process p, Path dataDir) throws Exception {
        if (!p.waitFor(SAFETY.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the loader did not end: " + output(dataDir));
        }
        return output(dataDir);
    }

    private static String output(Path dataDir) throws IOException {
        return Files.readString(dataDir.resolve("out.txt"), StandardCharsets.UTF_8);
    }

    /** Runs a load to its end: its exit code and output; never an OutOfMemoryError. */
    private static String fails(HostileApi.Mode mode, String expected, String... extra) throws Exception {
        Path dataDir = root.resolve(mode.name());
        try (HostileApi api = new HostileApi(mode)) {
            Process p = start(api, dataDir, extra);
            String out = await(p, dataDir);
            assertEquals(1, p.exitValue(), out);
            assertTrue(out.contains(expected), out);
            assertFalse(out.contains("OutOfMemoryError"), out);
            assertFalse(out.contains("hostile-test-token"), out);
            return out;
        }
    }

    @Test
    void anEndlessErrorBodyIsCut() throws Exception {
        fails(HostileApi.Mode.ENDLESS_ERROR, "HTTP 500 aaaa");
    }

    @Test
    void anEndless202BodyIsCut() throws Exception {
        fails(HostileApi.Mode.ENDLESS_202, "pollTimeoutSeconds", "pollTimeoutSeconds=2");
    }

    @Test
    void aHugeHeaderFailsClearly() throws Exception {
        fails(HostileApi.Mode.HUGE_HEADER, "headers are larger than 64 KB");
    }

    @Test
    void anEndlessCsvFieldFailsClearly() throws Exception {
        fails(HostileApi.Mode.ENDLESS_FIELD, "a row or field larger than 64 MB");
    }

    @Test
    void anEndlessBodyAfterAReaderErrorIsNotDrained() throws Exception {
        // the live read fails at the header and closes the connection; the whole download that follows is bounded
        String out = fails(HostileApi.Mode.ENDLESS_UNTYPED, "maxExportBytes=20000000", "maxExportBytes=20000000");
        assertTrue(out.contains("does not list the requested fields"), out);
    }

    @Test
    void anEndlessFirstLineFailsClearly() throws Exception {
        fails(HostileApi.Mode.ENDLESS_LINE, "a row or field larger than 64 MB");
    }

    @Test
    void anEndlessValidBodyStopsAtMaxExportBytes() throws Exception {
        fails(HostileApi.Mode.ENDLESS_VALID, "maxExportBytes=20000000", "maxExportBytes=20000000");
        try (Stream<Path> files = Files.walk(root.resolve(HostileApi.Mode.ENDLESS_VALID.name()).resolve("spool"))) {
            long spooled = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            assertTrue(spooled <= 20_000_000, "the spool holds " + spooled + " bytes");
        }
    }

    @Test
    void anEncodingNotAskedForIsRefusedByName() throws Exception {
        String out = fails(HostileApi.Mode.BROTLI, "Content-Encoding 'br'");
        assertFalse(out.contains("not valid UTF-8"), out);
    }

    @Test
    void aSilentServerFailsAfterTheIdleTimeout() throws Exception {
        fails(HostileApi.Mode.DRIP, "Read timed out", "httpTimeoutSeconds=1");
    }

    @Test
    void termEndsARunBlockedInARead() throws Exception {
        for (HostileApi.Mode mode : List.of(HostileApi.Mode.DRIP, HostileApi.Mode.ENDLESS_VALID)) {
            Path dataDir = root.resolve("term-" + mode);
            try (HostileApi api = new HostileApi(mode)) {
                Process p = start(api, dataDir);
                // polls a state: the export is arriving (DRIP sent its CSV header, ENDLESS_VALID some MB)
                long arriving = mode == HostileApi.Mode.DRIP ? 50 : 5_000_000;
                Await.await(() -> {
                    assertTrue(p.isAlive(), output(dataDir));
                    return api.bytesSent() >= arriving && output(dataDir).contains("execution id:");
                }, done -> done, SAFETY, Duration.ofMillis(20), () -> mode + ": the export did not arrive: " + output(dataDir));
                new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
                String out = await(p, dataDir);
                assertEquals(3, p.exitValue(), mode + ": " + out);
                assertTrue(out.contains("STOPPED"), out);
            }
        }
    }
}
