package org.appmetrica.loader.processor;

import org.appmetrica.loader.clickhouse.NativeBlock;
import org.appmetrica.loader.clickhouse.NativeColumn;
import org.appmetrica.loader.clickhouse.PagedBytes;
import org.appmetrica.loader.clickhouse.TableLayout;
import org.appmetrica.loader.reader.Cells;
import org.appmetrica.loader.reader.RowBlock;
import org.appmetrica.loader.schema.ColumnType;
import org.appmetrica.loader.schema.FieldSpec;
import org.appmetrica.loader.schema.SourceSpec;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

/**
 * Maps API rows (UTF-8 values in requested-field order) to rows of a {@link NativeBlock} of the source's table (load
 * columns, then every field of the source in table order). Fields not requested are NULL, or '' for String columns.
 * Empty values become NULL in typed columns. A value that does not parse fails with context. A block of rows is
 * written column by column, each by a writer chosen once for its type ({@link ColumnWriter}); strings are copied as
 * bytes and numbers, dates and times parsed from bytes: no {@code String} per value.
 */
public final class RowMapper {

    private static final long DATE_MAX = 65535;
    private static final long DATETIME_MAX = 0xFFFFFFFFL;
    /** Index of the first field's column: after the load columns. */
    private static final int FIELDS = 3;

    private final String sliceName;
    private final String[] names;
    private final ColumnType[] types;
    /** For each table field, its index in the request, or -1 when it was not requested. */
    private final int[] requestIndex;
    /** For each table field, its writer. */
    private final ColumnWriter[] writers;
    private final byte[] applicationId;
    private final byte[] epochDay;
    /** The cell ends of the rows being mapped, as {@link ColumnWriter} reads them (cell k is [ends[k], ends[k+1])). */
    private int[] ends = new int[1024];
    /** For {@link #map(long, Cells)}: one row on its own. */
    private final NativeBlock single;

    public RowMapper(SourceSpec source, List<String> requestedFields, long applicationId, LocalDate partitionDay, String sliceName) {
        this.sliceName = sliceName;
        this.applicationId = littleEndian(applicationId, 8);
        this.epochDay = littleEndian(partitionDay.toEpochDay(), 2);
        List<FieldSpec> fields = source.fields();
        types = new ColumnType[fields.size()];
        names = new String[fields.size()];
        requestIndex = new int[fields.size()];
        writers = new ColumnWriter[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            types[i] = fields.get(i).column();
            names[i] = fields.get(i).name();
            requestIndex[i] = requestedFields.indexOf(names[i]);
            writers[i] = requestIndex[i] < 0 ? ColumnWriter.absent(types[i]) : ColumnWriter.of(types[i]);
        }
        single = new NativeBlock(new TableLayout(source).columns());
    }

    private static byte[] littleEndian(long value, int width) {
        byte[] b = new byte[width];
        for (int i = 0; i < width; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        return b;
    }

    /** Encodes the row given as text (tests, tools); the returned array is owned by the caller. */
    public byte[] map(long position, String[] values) {
        return map(position, Cells.of(values));
    }

    /** Encodes the row as a Native block of one row; the returned array is owned by the caller. */
    public byte[] map(long position, Cells cells) {
        single.reset();
        map(position, cells, single);
        return single.toByteArray();
    }

    /**
     * Appends the row to {@code out}, whose columns are the source's table's ({@link TableLayout#columns}). A row that
     * fails leaves nothing behind: its values appended so far are dropped.
     */
    public void map(long position, Cells cells, NativeBlock out) {
        out.mark();
        try {
            mapOne(position, cells, out);
        } catch (RuntimeException ex) {
            out.rollBack();
            throw ex;
        }
    }

    private void mapOne(long position, Cells cells, NativeBlock out) {
        int width = cells.width();
        int[] e = cellEnds(width);
        e[0] = width == 0 ? 0 : cells.start(0);
        for (int i = 0; i < width; i++) {
            e[i + 1] = cells.end(i);
        }
        mapRows(position, cells.bytes(), e, width, 1, out);
    }

    /**
     * Appends the block's rows to {@code out}, column by column. A block that fails leaves nothing behind; the failure
     * names the first row, in the export's order, with a value that does not parse.
     */
    public void map(RowBlock block, NativeBlock out) {
        int rows = block.rows();
        if (rows == 0) {
            return;
        }
        Cells first = block.row(0);
        int width = first.width();
        byte[] bytes = first.bytes();
        int[] e = cellEnds(rows * width);
        e[0] = width == 0 ? 0 : first.start(0);
        for (int r = 0, k = 1; r < rows; r++) {
            Cells row = block.row(r);
            for (int i = 0; i < width; i++) {
                e[k++] = row.end(i);
            }
        }
        out.mark();
        try {
            mapRows(block.firstPosition(), bytes, e, width, rows, out);
        } catch (RuntimeException ex) {
            out.rollBack();
            try {
                for (int r = 0; r < rows; r++) { // which row: each on its own, in order, up to the first that fails
                    mapOne(block.firstPosition() + r, block.row(r), out);
                }
            } finally {
                out.rollBack();
            }
            throw ex;
        }
    }

    private int[] cellEnds(int cells) {
        if (ends.length < cells + 1) {
            ends = new int[Math.max(cells + 1, ends.length * 2)];
        }
        return ends;
    }

    /**
     * Rows in tiles of {@link #TILE}: each tile's bytes stay in the core's first-level cache while its columns are
     * written one after the other (a whole block's are several times larger).
     */
    private void mapRows(long position, byte[] bytes, int[] e, int width, int rows, NativeBlock out) {
        NativeColumn[] columns = out.columns();
        for (int t = 0; t < rows; t += TILE) {
            int n = Math.min(TILE, rows - t);
            ColumnWriter.fill(columns[0].values(), applicationId, n);
            columns[0].added(n);
            ColumnWriter.fill(columns[1].values(), epochDay, n);
            columns[1].added(n);
            positions(columns[2], position + t, n);
            for (int i = 0; i < writers.length; i++) {
                try {
                    writers[i].write(bytes, e, width, t * width + requestIndex[i], n, columns[FIELDS + i]);
                } catch (RuntimeException ex) {
                    if (rows > 1) {
                        throw ex;
                    }
                    int at = requestIndex[i];
                    String value = new String(bytes, e[at], e[at + 1] - e[at], StandardCharsets.UTF_8);
                    throw new ValueParseException(sliceName + ", row " + (position + 1) + ", field " + names[i] + ": value '"
                            + abbreviate(value) + "' is not a valid " + types[i].sql()
                            + (ex.getMessage() == null ? "" : " (" + ex.getMessage() + ")"));
                }
            }
        }
        out.rowsDone(rows);
    }

    private static final int TILE = 128;

    /** The load_row column: each row's 0-based position in the export. */
    private static void positions(NativeColumn out, long first, int rows) {
        PagedBytes values = out.values();
        int r = 0;
        while (r < rows) {
            byte[] page = values.room(8);
            int p = values.at();
            int end = r + Math.min(rows - r, (page.length - p) / 8);
            for (; r < end; r++, p += 8) {
                ColumnWriter.LONGS.set(page, p, first + r);
            }
            values.at(p);
        }
        out.added(rows);
    }

    static int parseBool(byte[] b, int from, int to) {
        int length = to - from;
        if (length == 1 && (b[from] == '1' || b[from] == '0')) {
            return b[from] - '0';
        }
        if (length == 4 && b[from] == 't' && b[from + 1] == 'r' && b[from + 2] == 'u' && b[from + 3] == 'e') {
            return 1;
        }
        if (length == 5 && b[from] == 'f' && b[from + 1] == 'a' && b[from + 2] == 'l' && b[from + 3] == 's' && b[from + 4] == 'e') {
            return 0;
        }
        throw new IllegalArgumentException("expected true or false");
    }

    /** yyyy-MM-dd as days since 1970-01-01 (ClickHouse Date: 1970..2149). */
    static int parseDate(byte[] b, int from, int to) {
        if (to - from != 10 || b[from + 4] != '-' || b[from + 7] != '-') {
            throw new IllegalArgumentException("expected yyyy-MM-dd");
        }
        long days = epochDay(b, from);
        if (days < 0 || days > DATE_MAX) {
            throw new IllegalArgumentException("outside 1970-01-01..2149-06-06");
        }
        return (int) days;
    }

    /** yyyy-MM-dd HH:mm:ss as seconds since the epoch, reading the wall clock as UTC (columns are DateTime('UTC')). */
    static long parseDateTime(byte[] b, int from, int to) {
        if (to - from != 19 || b[from + 4] != '-' || b[from + 7] != '-' || (b[from + 10] != ' ' && b[from + 10] != 'T')
                || b[from + 13] != ':' || b[from + 16] != ':') {
            throw new IllegalArgumentException("expected yyyy-MM-dd HH:mm:ss");
        }
        int h = digits(b, from, 11, 13);
        int m = digits(b, from, 14, 16);
        int s = digits(b, from, 17, 19);
        if (h > 23 || m > 59 || s > 59) {
            throw new IllegalArgumentException("time out of range");
        }
        long seconds = epochDay(b, from) * 86400 + h * 3600L + m * 60L + s;
        if (seconds < 0 || seconds > DATETIME_MAX) {
            throw new IllegalArgumentException("outside the DateTime range 1970..2106");
        }
        return seconds;
    }

    /** The day of yyyy-MM-dd at {@code from}, as LocalDate counts it but without one per value; checks month and day. */
    static long epochDay(byte[] b, int from) {
        int year = digits(b, from, 0, 4);
        int month = digits(b, from, 5, 7);
        int day = digits(b, from, 8, 10);
        boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month] - (month == 2 && !leap ? 1 : 0)) {
            throw new IllegalArgumentException("no such day");
        }
        long total = 365L * year + (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400 + (367L * month - 362) / 12 + day - 1;
        if (month > 2) {
            total -= leap ? 1 : 2;
        }
        return total - DAYS_0000_TO_1970;
    }

    private static final int[] DAYS_IN_MONTH = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    private static final long DAYS_0000_TO_1970 = 719_528;

    /** The number in the digits at {@code [from, to)} of the value that starts at {@code value}. */
    private static int digits(byte[] b, int value, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            int c = b[value + i] - '0';
            if (c < 0 || c > 9) {
                throw new IllegalArgumentException("not a digit at position " + (i + 1));
            }
            n = n * 10 + c;
        }
        return n;
    }

    private static String abbreviate(String v) {
        return v.length() > 100 ? v.substring(0, 100) + "…" : v;
    }
}
