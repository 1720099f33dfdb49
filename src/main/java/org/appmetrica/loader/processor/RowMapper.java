package org.appmetrica.loader.processor;

import org.appmetrica.loader.clickhouse.RowBinaryBuffer;
import org.appmetrica.loader.schema.ColumnType;
import org.appmetrica.loader.schema.FieldSpec;
import org.appmetrica.loader.schema.SourceSpec;

import java.time.LocalDate;
import java.util.List;

/**
 * Maps one API row (text values in requested-field order) to one RowBinary row of the source's table
 * (load columns, then every field of the source in table order). Fields not requested are NULL, or '' for
 * String columns. Empty values become NULL in typed columns. A value that does not parse fails with context.
 */
public final class RowMapper {

    private final String sliceName;
    private final long applicationId;
    private final int epochDay;
    private final ColumnType[] types;
    private final String[] names;
    /** For each table field, its index in the request, or -1 when it was not requested. */
    private final int[] requestIndex;
    private final RowBinaryBuffer buffer = new RowBinaryBuffer(1024);

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
    }

    /** Encodes the row; the returned array is owned by the caller. */
    public byte[] map(long position, String[] values) {
        buffer.reset();
        buffer.int64(applicationId);
        buffer.uint16(epochDay);
        buffer.int64(position);
        for (int i = 0; i < types.length; i++) {
            int at = requestIndex[i];
            String value = at < 0 ? null : values[at];
            try {
                write(types[i], value);
            } catch (RuntimeException e) {
                throw new ValueParseException(sliceName + ", row " + (position + 1) + ", field " + names[i] + ": value '"
                        + abbreviate(value) + "' is not a valid " + types[i].sql() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
            }
        }
        return buffer.toByteArray();
    }

    private void write(ColumnType type, String value) {
        if (type == ColumnType.STRING) {
            buffer.string(value == null ? "" : value);
            return;
        }
        if (value == null || value.isEmpty()) {
            buffer.nullFlag(true);
            return;
        }
        buffer.nullFlag(false);
        switch (type) {
            case INT64 -> buffer.int64(Long.parseLong(value));
            case UINT64 -> buffer.int64(Long.parseUnsignedLong(value));
            case BOOL -> buffer.uint8(parseBool(value));
            case DATE -> buffer.uint16(parseDate(value));
            case DATETIME -> buffer.uint32(parseDateTime(value));
            default -> throw new IllegalStateException("unhandled type " + type);
        }
    }

    private static int parseBool(String v) {
        return switch (v) {
            case "true", "1" -> 1;
            case "false", "0" -> 0;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    /** yyyy-MM-dd as days since 1970-01-01 (ClickHouse Date: 1970..2149). */
    static int parseDate(String v) {
        if (v.length() != 10 || v.charAt(4) != '-' || v.charAt(7) != '-') {
            throw new IllegalArgumentException("expected yyyy-MM-dd");
        }
        long days = LocalDate.of(digits(v, 0, 4), digits(v, 5, 7), digits(v, 8, 10)).toEpochDay();
        if (days < 0 || days > 65535) {
            throw new IllegalArgumentException("outside 1970-01-01..2149-06-06");
        }
        return (int) days;
    }

    /** yyyy-MM-dd HH:mm:ss as seconds since the epoch, reading the wall clock as UTC (columns are DateTime('UTC')). */
    static long parseDateTime(String v) {
        if (v.length() != 19 || v.charAt(4) != '-' || v.charAt(7) != '-' || (v.charAt(10) != ' ' && v.charAt(10) != 'T')
                || v.charAt(13) != ':' || v.charAt(16) != ':') {
            throw new IllegalArgumentException("expected yyyy-MM-dd HH:mm:ss");
        }
        int h = digits(v, 11, 13);
        int m = digits(v, 14, 16);
        int s = digits(v, 17, 19);
        if (h > 23 || m > 59 || s > 59) {
            throw new IllegalArgumentException("time out of range");
        }
        long days = LocalDate.of(digits(v, 0, 4), digits(v, 5, 7), digits(v, 8, 10)).toEpochDay();
        long seconds = days * 86400 + h * 3600L + m * 60L + s;
        if (seconds < 0 || seconds > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("outside the DateTime range 1970..2106");
        }
        return seconds;
    }

    private static int digits(String v, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a digit at position " + (i + 1));
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static String abbreviate(String v) {
        return v == null ? "" : v.length() > 100 ? v.substring(0, 100) + "…" : v;
    }
}
