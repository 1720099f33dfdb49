package org.appmetrica.loader.simulator;

import org.appmetrica.loader.clickhouse.NativeBlock;
import org.appmetrica.loader.clickhouse.TableLayout;
import org.appmetrica.loader.processor.RowMapper;
import org.appmetrica.loader.reader.CsvRowSource;
import org.appmetrica.loader.reader.ParsedBlocks;
import org.appmetrica.loader.reader.RowBlock;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.FieldSpec;
import org.appmetrica.loader.schema.SourceSpec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The processor alone, on one thread: an events export with every field, parsed once into blocks as the reader gathers
 * them, then mapped into one Native block reused per chunk of 100 000 rows: the first few blocks again and again up to
 * ROWS rows (a reader hands over blocks it has just written, in the caches), then all of them once for a CRC. CPU ns per row of the
 * mapping only (median of 5 after warm-up). Not a test.
 * {@code java -cp target/test-classes:target/appmetrica-loader.jar:target/lib/* org.appmetrica.loader.simulator.MappingSpeedBenchmark [ROWS [RUNS [rows]]]}
 */
public final class MappingSpeedBenchmark {

    private static final int WINDOW = 4;

    public static void main(String[] args) throws Exception {
        SourceSpec events = FieldCatalog.get().source("events").orElseThrow();
        List<String> fields = events.fields().stream().map(FieldSpec::name).toList();
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        LocalDate day = LocalDate.of(2024, 3, 1);
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        ExportRenderer.render(new SimulatedData(7, rows),
                new ExportQuery(events, false, 4242, List.of(day), fields, Map.of(), 0, false, 1, 0, "speed"), 1, 0, 0, csv, () -> false);
        List<RowBlock> blocks = ParsedBlocks.of(new CsvRowSource(new ByteArrayInputStream(csv.toByteArray()), fields, "bench.csv"));
        RowMapper mapper = new RowMapper(events, fields, 4242, day, "bench");
        NativeBlock out = new NativeBlock(new TableLayout(events).columns());
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        boolean perRow = args.length > 2 && args[2].equals("rows"); // map(position, Cells, block): the old code has it too
        double[] ns = new double[runs];
        long bytes = 0;
        for (int i = -3; i < runs; i++) {
            long t0 = threads.getCurrentThreadCpuTime();
            bytes = 0;
            out.reset();
            int inChunk = 0;
            for (int b = 0, mapped = 0; mapped < rows; b++) {
                RowBlock block = blocks.get(b % WINDOW); // a few blocks again and again: in the caches, as the reader leaves them
                if (perRow) {
                    for (int r = 0; r < block.rows(); r++) {
                        mapper.map(block.firstPosition() + r, block.row(r), out);
                    }
                } else {
                    mapper.map(block, out);
                }
                mapped += block.rows();
                inChunk += block.rows();
                if (inChunk >= 100_000) {
                    bytes += out.size();
                    out.reset();
                    inChunk = 0;
                }
            }
            bytes += out.size();
            if (i >= 0) {
                ns[i] = (threads.getCurrentThreadCpuTime() - t0) / (double) rows;
            }
        }
        CRC32 crc = new CRC32(); // of the blocks, once more untimed: the same figure from the old code and the new means exact
        out.reset();
        int inChunk = 0;
        for (RowBlock block : blocks) {
            if (perRow) {
                for (int r = 0; r < block.rows(); r++) {
                    mapper.map(block.firstPosition() + r, block.row(r), out);
                }
            } else {
                mapper.map(block, out);
            }
            inChunk += block.rows();
            if (inChunk >= 100_000) {
                crc.update(out.toByteArray());
                out.reset();
                inChunk = 0;
            }
        }
        crc.update(out.toByteArray());
        Arrays.sort(ns);
        System.out.printf("mapping only (one thread, CPU time, median of %d, %s): %d rows, %.0f CPU ns/row (%.0f..%.0f), %.1f Native bytes/row, CRC32 %08x%n",
                runs, perRow ? "row by row" : "by block", rows, ns[runs / 2], ns[0], ns[runs - 1], bytes / (double) rows, crc.getValue());
    }
}
