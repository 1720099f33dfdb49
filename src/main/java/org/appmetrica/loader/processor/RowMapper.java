package org.appmetrica.loader.processor;

import org.appmetrica.loader.clickhouse.NativeBlock;
import org.appmetrica.loader.clickhouse.NativeColumn;
import org.appmetrica.loader.clickhouse.TableLayout;
import org.appmetrica.loader.reader.Cells;
import org.appmetrica.loader.schema.ColumnType;
import org.appmetrica.loader.schema.FieldSpec;
import org.appmetrica.loader.schema.SourceSpec;

import java.time.LocalDate;
import java.util.List;

/**
 * Maps one API row (UTF-8 values in requested-field order) to one row of a {@link NativeBlock} of the source's table
 * (load columns, then every field of the source in table order), value by value into the block's columns. Fields not requested are NULL, or '' for
 * String columns. Empty values become NULL in typed columns. A value that does not parse fails with context.
 * Strings are copied as bytes and numbers, dates and times parsed from bytes: no {@code String} per value.
 */
public final class RowMapper {

    private static final long DATE_MAX = 65535;
    private static final long DATETIME_MAX = 0xFFFFFFFFL;

    private final String sliceName;
    private final long applicationId;
    private final int epochDay;
    private final ColumnType[] types;
    private final String[] names;
    /** For each table field, its index in the request, or -1 when it was not requested. */
    private final int[] requestIndex;
    /** For {@link #map(long, Cells)}: one row on its own. */
    private final NativeBlock single;

    public RowMapper(SourceSpec source, List<String> requestedFields, long applicationId, LocalDate partitionDay, String sliceName) {
        this.sliceName = sliceName;
        this.applicationId = applicationId;
        this.epochDay = (int) partitionDay.toEpochDay();
        List<FieldSpec> fields = source.fields();
        types = new ColumnType[fields.size()];
        names = new String[fields.size()];
        requestIndex = new int[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            types[i] = fields.get(i).column();
            names[i] = fields.get(i).name();
            requestIndex[i] = requestedFields.indexOf(names[i]);
        }
        single = new NativeBlock(new TableLayout(source).columns());
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
        NativeColumn[] columns = out.columns();
        try {
            columns[0].int64(applicationId);
            columns[1].uint16(epochDay);
            columns[2].int64(position);
            byte[] bytes = cells.bytes();
            for (int i = 0; i < types.length; i++) {
                NativeColumn column = columns[FIELDS + i];
                int at = requestIndex[i];
                if (at < 0) {
                    absent(types[i], column);
                    continue;
                }
                int from = cells.start(at);
                int to = cells.end(at);
                try {
                    write(types[i], bytes, from, to, column);
                } catch (RuntimeException e) {
                    throw new ValueParseException(sliceName + ", row " + (position + 1) + ", field " + names[i] + ": value '"
                            + abbreviate(cells.text(at)) + "' is not a valid " + types[i].sql()
                            + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
                }
            }
        } catch (RuntimeException e) {
            out.dropPartialRow();
            throw e;
        }
        out.rowDone();
    }

    /** Index of the first field's column: after the load columns. */
    private static final int FIELDS = 3;

    private static void absent(ColumnType type, NativeColumn out) {
        if (type == ColumnType.STRING) {
            out.string(EMPTY, 0, 0);
        } else {
            out.nullValue();
        }
    }

    private static final byte[] EMPTY = new byte[0];

    private static void write(ColumnType type, byte[] b, int from, int to, NativeColumn out) {
        if (type == ColumnType.STRING) {
            out.string(b, from, to);
            return;
        }
        if (from == to) {
            out.nullValue();
            return;
        }
        switch (type) {
            case INT64 -> out.int64(Numbers.parseLong(b, from, to));
            case UINT64 -> out.int64(Numbers.parseUnsignedLong(b, from, to));
            case BOOL -> out.uint8(parseBool(b, from, to));
            case DATE -> out.uint16(parseDate(b, from, to));
            case DATETIME -> out.uint32(parseDateTime(b, from, to));
            default -> throw new IllegalStateException("unhandled type " + type);
        }
    }

    private static int parseBool(byte[] b, int from, int to) {
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
