package org.appmetrica.loader.logsapi;

import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.FieldSpec;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The download path alone: one export fetched live from a running simulator (HTTP, SHA-256, spool write) and read back
 * while it arrives as the reader does (64 KB reads, gzip inflated when compressed), without parsing. Prints the CPU
 * time of the download thread and of the reading thread per run, so that a busy machine changes the figures little.
 * Not a test; {@code -Dbench.reuse=true} fetches the simulator's prepared export instead of asking for a fresh one.
 * {@code java -cp target/test-classes:target/appmetrica-loader.jar:target/lib/* \
 * org.appmetrica.loader.logsapi.DownloadSpeedBenchmark http://127.0.0.1:PORT TOKEN gzip|none [RUNS]}
 */
public final class DownloadSpeedBenchmark {

    public static void main(String[] args) throws Exception {
        String api = args[0];
        String token = args[1];
        boolean gzip = args[2].equals("gzip");
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        List<String> fields = FieldCatalog.get().source("events").orElseThrow().fields().stream().map(FieldSpec::name).toList();
        LocalDate day = LocalDate.of(2024, 1, 1);
        ExportRequest request = new ExportRequest(api, "events", "csv", 1, day, day, "default", fields, Map.of(), 1, 0);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        PollSettings poll = new PollSettings(Duration.ofMillis(200), Duration.ofMinutes(10), Duration.ofSeconds(1), 0, Duration.ofSeconds(1));
        for (int run = 0; run < runs; run++) {
            Path dir = Files.createTempDirectory("download-bench");
            Path target = dir.resolve("part.csv");
            LiveDownload live = new LiveDownload(request, target);
            boolean fresh = run == 0 && !Boolean.getBoolean("bench.reuse"); // later runs fetch the same prepared export again
            long[] downloadCpu = new long[2];
            Thread thread = new Thread(() -> {
                try (LogsApiTransport transport = new HttpLogsApiTransport(api, token, Duration.ofSeconds(5), Duration.ofMinutes(10),
                        new TransferSettings(TransferSettings.DEFAULT_MAX_EXPORT_BYTES, gzip))) {
                    ExportDownloader downloader = new ExportDownloader(transport, poll, Sleeper.SYSTEM, Clock.systemUTC(), () -> false,
                            ExportProgress.NONE);
                    live.finish(downloader.download(request, fresh, target, live), 0, 0);
                } catch (Throwable e) {
                    live.fail(e);
                } finally {
                    downloadCpu[0] = threads.getCurrentThreadCpuTime();
                    downloadCpu[1] = threads.getCurrentThreadUserTime();
                }
            }, "export-download");
            live.thread(thread);
            thread.start();
            live.awaitStart();
            long readStart = threads.getCurrentThreadCpuTime();
            long text = 0;
            byte[] buffer = new byte[1 << 16];
            try (InputStream raw = live.open(); InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    text += n;
                }
            }
            long readCpu = threads.getCurrentThreadCpuTime() - readStart;
            live.awaitEnd();
            LiveDownload.Finished done = live.finished();
            if (done == null) {
                throw new IllegalStateException("the download failed");
            }
            System.out.printf("run %d: %s %.1f MB received, %.1f MB of text; CPU s: download %.3f (system %.3f), reading %.3f, both %.3f%n", run,
                    gzip ? "gzip" : "none", done.download().bytes() / 1e6, text / 1e6, downloadCpu[0] / 1e9, (downloadCpu[0] - downloadCpu[1]) / 1e9, readCpu / 1e9,
                    (downloadCpu[0] + readCpu) / 1e9);
            Files.deleteIfExists(target);
            Files.deleteIfExists(dir);
        }
    }
}
