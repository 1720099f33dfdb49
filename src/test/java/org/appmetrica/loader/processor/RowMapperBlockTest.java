package org.appmetrica.loader.processor;

import org.appmetrica.loader.clickhouse.NativeBlock;
import org.appmetrica.loader.clickhouse.NativeDecoder;
import org.appmetrica.loader.clickhouse.TableLayout;
import org.appmetrica.loader.reader.Cells;
import org.appmetrica.loader.reader.RowBlock;
import org.appmetrica.loader.reader.RowBlocks;
import org.appmetrica.loader.schema.ColumnType;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.FieldSpec;
import org.appmetrica.loader.schema.SourceSpec;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocks of rows mapped column by column read back as the JDK's own parsers read the values, for every column type:
 * NULLs in each Nullable type, short and long strings (one-byte and longer varints, a value longer than a page), dates
 * of the cached day and of others, numbers of every length, and columns long enough that values land at pages' ends.
 */
class RowMapperBlockTest {

    @Test
    void blocksReadBackAsTheJdkParsesTheirValues() {
        for (String name : List.of("events", "clicks", "profiles_v2")) {
            SourceSpec source = FieldCatalog.get().source(name).orElseThrow();
            List<FieldSpec> fields = source.fields();
            List<String> requested = new ArrayList<>(fields.stream().map(FieldSpec::name).toList());
            requested.remove(1); // a field not requested: '' or NULL in every row
            java.util.Collections.reverse(requested); // request order differs from table order
            Random random = new Random(name.hashCode());
            int rows = 40_000;
            String[][] values = new String[rows][];
            for (int r = 0; r < rows; r++) {
                values[r] = new String[requested.size()];
                for (int i = 0; i < requested.size(); i++) {
                    ColumnType type = source.field(requested.get(i)).orElseThrow().column();
                    values[r][i] = r == 777 && type == ColumnType.STRING ? "ю".repeat(200_000) : ApiValues.random(type, random);
                }
            }
            RowMapper mapper = new RowMapper(source, requested, 9, LocalDate.of(2024, 3, 1), "s");
            NativeBlock byBlock = new NativeBlock(new TableLayout(source).columns());
            NativeBlock byRow = new NativeBlock(new TableLayout(source).columns());
            for (int first = 0; first < rows; first += 512) {
                Cells[] cells = new Cells[Math.min(512, rows - first)];
                for (int r = 0; r < cells.length; r++) {
                    cells[r] = Cells.of(values[first + r]);
                    mapper.map(first + r, cells[r], byRow);
                }
                mapper.map(RowBlocks.of(first, cells), byBlock);
            }
            assertEquals(rows, byBlock.rows());
            assertTrue(byBlock.size() > 4L * 256 * 1024, "columns span pages");
            byte[] bytes = byBlock.toByteArray();
            assertArrayEquals(byRow.toByteArray(), bytes, name + ": a block as its rows one by one");
            List<NativeDecoder.Column> columns = NativeDecoder.decode(bytes);
            for (int c = 0; c < fields.size(); c++) {
                FieldSpec field = fields.get(c);
                int at = requested.indexOf(field.name());
                List<Object> expected = new ArrayList<>();
                for (int r = 0; r < rows; r++) {
                    expected.add(at < 0 ? (field.column() == ColumnType.STRING ? "" : null) : ApiValues.parsed(field.column(), values[r][at]));
                }
                assertEquals(expected, columns.get(3 + c).values(), name + "." + field.name());
            }
            List<Object> positions = new ArrayList<>();
            for (long r = 0; r < rows; r++) {
                positions.add(r);
            }
            assertEquals(positions, columns.get(2).values());
        }
    }

    /**
     * A block with bad values fails naming the first of them in the rows' order (not the first column written), and
     * leaves nothing behind: the rows mapped before it stay, whole.
     */
    @Test
    void aBlockThatFailsNamesItsFirstBadRowAndLeavesNothing() {
        SourceSpec events = FieldCatalog.get().source("events").orElseThrow();
        List<String> fields = List.of("event_name", "event_datetime", "mcc", "event_json");
        RowMapper mapper = new RowMapper(events, fields, 3, LocalDate.of(2024, 3, 1), "s");
        NativeBlock block = new NativeBlock(new TableLayout(events).columns());
        mapper.map(RowBlocks.of(0, Cells.of("first", "2024-03-01 10:00:00", "1", "{}")), block);
        byte[] before = block.toByteArray();
        Cells[] rows = new Cells[600];
        for (int r = 0; r < rows.length; r++) {
            String time = r == 420 ? "2024-03-01 10:61:00" : "2024-03-01 10:00:00"; // event_datetime is written before mcc
            rows[r] = Cells.of("e" + r, time, r == 300 ? "3x" : String.valueOf(r), "{\"r\":" + r + "}");
        }
        ValueParseException e = assertThrows(ValueParseException.class, () -> mapper.map(RowBlocks.of(1, rows), block));
        assertTrue(e.getMessage().contains("s, row 302, field mcc: value '3x'"), e.getMessage());
        assertEquals(1, block.rows());
        assertArrayEquals(before, block.toByteArray(), "the failed block's values were dropped");
        rows[300] = Cells.of("e300", "2024-03-01 10:00:00", "300", "{}");
        e = assertThrows(ValueParseException.class, () -> mapper.map(RowBlocks.of(1, rows), block));
        assertTrue(e.getMessage().contains("s, row 422, field event_datetime: value '2024-03-01 10:61:00'"), e.getMessage());
        assertArrayEquals(before, block.toByteArray());
        rows[420] = Cells.of("e420", "2024-03-01 10:00:00", "420", "{}");
        mapper.map(RowBlocks.of(1, rows), block);
        assertEquals(601, block.rows());
        List<Object> mcc = NativeDecoder.decode(block.toByteArray()).stream().filter(c -> c.name().equals("mcc")).findFirst()
                .orElseThrow().values();
        assertEquals(Arrays.asList(1L, 0L, 1L), mcc.subList(0, 3));
        assertEquals(599L, mcc.get(600));
    }

    /** Dates of the cached day still have their time checked; another day, or a malformed one, is parsed in full. */
    @Test
    void theCachedDayStillChecksEachValue() {
        Dates dates = new Dates();
        byte[] ok = "2024-03-01 23:59:59".getBytes();
        assertEquals(LocalDateTime.of(2024, 3, 1, 23, 59, 59).toEpochSecond(ZoneOffset.UTC), dates.dateTime(ok, 0, ok.length));
        for (String bad : List.of("2024-03-01 24:00:00", "2024-03-01 23:60:00", "2024-03-01 23:00:60", "2024-03-01 2a:00:00",
                "2024-03-01 23-00:00", "2024-03-01 23:00;00", "2024-03-01_23:00:00", "2024-03-01 23:00:0/", "2024-03-01 23:00:00 ",
                "2024-03-01 :3:00:00")) {
            byte[] b = bad.getBytes();
            assertThrows(IllegalArgumentException.class, () -> dates.dateTime(b, 0, b.length), bad);
        }
        byte[] other = "x2023-02-28T00:00:01".getBytes();
        assertEquals(LocalDateTime.of(2023, 2, 28, 0, 0, 1).toEpochSecond(ZoneOffset.UTC), dates.dateTime(other, 1, other.length));
        byte[] impossible = "2023-02-29 00:00:00".getBytes();
        assertThrows(IllegalArgumentException.class, () -> dates.dateTime(impossible, 0, impossible.length));
        byte[] day = "2023-02-28".getBytes();
        assertEquals(LocalDate.of(2023, 2, 28).toEpochDay(), new Dates().date(day, 0, day.length));
        byte[] early = "1969-12-31 23:59:59".getBytes();
        assertThrows(IllegalArgumentException.class, () -> dates.dateTime(early, 0, early.length));
    }
}
