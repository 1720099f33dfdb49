package org.appmetrica.loader.simulator;

import org.appmetrica.loader.clickhouse.NativeBlock;
import org.appmetrica.loader.clickhouse.NativeDecoder;
import org.appmetrica.loader.clickhouse.TableLayout;
import org.appmetrica.loader.processor.RowMapper;
import org.appmetrica.loader.reader.Cells;
import org.appmetrica.loader.reader.CsvRowSource;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.FieldSpec;
import org.appmetrica.loader.schema.SourceSpec;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The INSERT bodies a load of an events export with every field sends, written to files, for measuring what each
 * format costs the server ({@code curl -T} each file; not a test): the simulator's export of ROWS rows mapped as the
 * processor maps it, chunks ended at 100 000 rows or 16 MB as the default chunk budget ends them, each chunk as the
 * Native block the writer sends (DIR/native/NNNN) and as the RowBinary rows the loader sent before 2026-12-07
 * (DIR/rowbinary/NNNN), plus DIR/columns (the INSERT's column list) and DIR/create.sql (the staging table).
 * {@code java -cp target/test-classes:target/appmetrica-loader.jar org.appmetrica.loader.simulator.ChunkDump ROWS DIR}
 */
public final class ChunkDump {

    private ChunkDump() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        SourceSpec events = FieldCatalog.get().source("events").orElseThrow();
        List<String> fields = events.fields().stream().map(FieldSpec::name).toList();
        LocalDate day = LocalDate.of(2024, 3, 1);
        Path csv = dir.resolve("events.csv");
        Files.createDirectories(dir.resolve("native"));
        Files.createDirectories(dir.resolve("rowbinary"));
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(csv), 1 << 20)) {
            ExportRenderer.render(new SimulatedData(7, rows), new ExportQuery(events, false, 4242, List.of(day), fields, Map.of(),
                    0, false, 1, 0, "dump"), 1, 0, 0, out, () -> false);
        }
        TableLayout layout = new TableLayout(events);
        Files.writeString(dir.resolve("columns"), String.join(", ", layout.columnNames()));
        Files.writeString(dir.resolve("create.sql"), layout.createTableSql("DATABASE"));
        RowMapper mapper = new RowMapper(events, fields, 4242, day, "dump");
        NativeBlock block = new NativeBlock(layout.columns());
        long n = 0;
        int chunks = 0;
        try (CsvRowSource source = new CsvRowSource(new BufferedInputStream(Files.newInputStream(csv), 1 << 20), fields, "dump.csv")) {
            for (Cells cells = source.next(); cells != null; cells = source.next()) {
                mapper.map(n++, cells, block);
                if (n % 512 == 0 && (block.rows() >= 100_000 || block.size() >= 16L << 20)) {
                    write(block, dir, chunks++);
                }
            }
        }
        if (block.rows() > 0) {
            write(block, dir, chunks++);
        }
        Files.delete(csv);
        System.out.println(n + " rows in " + chunks + " chunks");
    }

    private static void write(NativeBlock block, Path dir, int chunk) throws IOException {
        String name = String.format("%04d", chunk);
        byte[] nativeBytes = block.toByteArray();
        Files.write(dir.resolve("native").resolve(name), nativeBytes);
        Files.write(dir.resolve("rowbinary").resolve(name), rowBinary(NativeDecoder.decode(nativeBytes), block.rows()));
        block.reset();
    }

    /** The same rows as RowBinary: row by row, a null flag byte before each Nullable value. */
    static byte[] rowBinary(List<NativeDecoder.Column> columns, int rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int r = 0; r < rows; r++) {
            for (NativeDecoder.Column c : columns) {
                Object v = c.values().get(r);
                String type = c.type();
                if (type.startsWith("Nullable(")) {
                    out.write(v == null ? 1 : 0);
                    if (v == null) {
                        continue; // RowBinary has no value under a NULL
                    }
                    type = type.substring(9, type.length() - 1);
                }
                if (type.equals("String")) {
                    byte[] utf8 = ((String) v).getBytes(StandardCharsets.UTF_8);
                    int length = utf8.length;
                    while ((length & ~0x7F) != 0) {
                        out.write((length & 0x7F) | 0x80);
                        length >>>= 7;
                    }
                    out.write(length);
                    out.writeBytes(utf8);
                    continue;
                }
                long value = (Long) v;
                int width = switch (type) {
                    case "UInt8" -> 1;
                    case "Date" -> 2;
                    case "DateTime('UTC')" -> 4;
                    default -> 8;
                };
                for (int i = 0; i < width; i++) {
                    out.write((int) (value >>> (8 * i)));
                }
            }
        }
        return out.toByteArray();
    }
}
