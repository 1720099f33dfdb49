package org.appmetrica.loader.simulator;

import org.appmetrica.loader.clickhouse.TableLayout;
import org.appmetrica.loader.processor.RowMapper;
import org.appmetrica.loader.reader.BlockPipeline;
import org.appmetrica.loader.reader.CsvRowSource;
import org.appmetrica.loader.reader.JacksonCsvReference;
import org.appmetrica.loader.reader.JsonRowSource;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.FieldSpec;
import org.appmetrica.loader.schema.SourceSpec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The reader and processor alone, on one thread: an events export with every field (rendered by the simulator, held in
 * memory) parsed and mapped to a Native block by the byte-level path (CSV and JSON) and by the Jackson CSV reference the
 * loader used before. The loader's paths run as a load does: rows gathered in blocks, mapped into one Native block
 * reused per chunk of 100 000 rows (the writer's buffer, without the network). Figures are CPU time of the measuring
 * thread (so a busy machine changes them less than wall time) and bytes it allocated, per row, median of 5 runs after
 * warm-up. Run by {@code .ci/bench}; not a test.
 * {@code java -cp target/test-classes:target/appmetrica-loader.jar:target/lib/* org.appmetrica.loader.simulator.TranscodeSpeedBenchmark [ROWS [csv]]}
 */
public final class TranscodeSpeedBenchmark {

    private interface Path {
        long run(byte[] body) throws IOException;
    }

    public static void main(String[] args) throws Exception {
        SourceSpec events = FieldCatalog.get().source("events").orElseThrow();
        List<String> fields = events.fields().stream().map(FieldSpec::name).toList();
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        SimulatedData data = new SimulatedData(7, rows);
        LocalDate day = LocalDate.of(2024, 3, 1);
        byte[] csv = render(data, new ExportQuery(events, false, 4242, List.of(day), fields, Map.of(), 0, false, 1, 0, "speed"));
        byte[] json = render(data, new ExportQuery(events, true, 4242, List.of(day), fields, Map.of(), 0, false, 1, 0, "speed"));
        RowMapper mapper = new RowMapper(events, fields, 4242, day, "bench");
        BlockPipeline pipeline = new BlockPipeline(100_000, new TableLayout(events).columns());
        Path bytes = body -> pipeline.drain(new CsvRowSource(new ByteArrayInputStream(body), fields, "bench.csv"), mapper);
        Path parseOnly = body -> pipeline.drain(new CsvRowSource(new ByteArrayInputStream(body), fields, "bench.csv"), null);
        Path jsonPath = body -> pipeline.drain(new JsonRowSource(new ByteArrayInputStream(body), fields, "bench.json"), mapper);
        Path jackson = body -> {
            long n = 0;
            try (JacksonCsvReference source = new JacksonCsvReference(new ByteArrayInputStream(body), fields, "bench.csv")) {
                for (String[] values = source.next(); values != null; values = source.next()) {
                    n += mapper.map(n, values).length > 0 ? 1 : 0;
                }
            }
            return n;
        };
        System.out.printf("transcode (one thread, CPU time, median of 5): events, %d fields, %d rows, CSV %.1f MB, JSON %.1f MB%n",
                fields.size(), rows, csv.length / 1e6, json.length / 1e6);
        boolean all = args.length < 2 || !args[1].equals("csv"); // "csv": the loader's CSV path only (A/B runs)
        report("CSV bytes -> Native (loader)", bytes, csv, rows);
        report("  of which CSV -> RowBlocks", parseOnly, csv, rows);
        if (all) {
            report("CSV via Jackson Strings (before)", jackson, csv, rows);
            report("JSON via Jackson -> Native", jsonPath, json, rows);
        }
    }

    private static void report(String name, Path path, byte[] body, int rows) throws IOException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        for (int i = 0; i < 3; i++) {
            path.run(body);
        }
        double[] seconds = new double[5];
        double[] allocated = new double[5];
        for (int i = 0; i < 5; i++) {
            long a0 = threads.getThreadAllocatedBytes(self);
            long t0 = threads.getCurrentThreadCpuTime();
            long n = path.run(body);
            seconds[i] = (threads.getCurrentThreadCpuTime() - t0) / 1e9;
            allocated[i] = threads.getThreadAllocatedBytes(self) - a0;
            if (n != rows) {
                throw new IllegalStateException(name + ": " + n + " rows, not " + rows);
            }
        }
        Arrays.sort(seconds);
        Arrays.sort(allocated);
        double median = seconds[2];
        System.out.printf("  %-34s %9.0f rows/s  %6.0f MB/s  %6.0f CPU ns/row  %8.1f bytes/row allocated  (spread %.0f..%.0f rows/s)%n",
                name, rows / median, body.length / median / 1e6, median * 1e9 / rows, allocated[2] / rows,
                rows / seconds[4], rows / seconds[0]);
    }

    private static byte[] render(SimulatedData data, ExportQuery q) throws IOException, ExportRenderer.TooLargeException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExportRenderer.render(data, q, 1, 0, 0, out, () -> false);
        return out.toByteArray();
    }

}
