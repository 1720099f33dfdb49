package org.appmetrica.loader.clickhouse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One column of a {@link NativeBlock}: its values in ClickHouse's Native layout (fixed-width little-endian numbers, or
 * varint-prefixed strings), and for a Nullable column its null map beside them (one byte per row, 1 for NULL; the value
 * under a NULL is the type's zero). Writers append one value per row with the method of the column's type.
 */
public final class NativeColumn {

    /** First page of each buffer: a block of few rows (or of a few small columns) costs little. */
    private static final int FIRST_PAGE = 256;

    private final String name;
    private final String type;
    /** Name and type as the block's wire form has them before the data. */
    private final byte[] header;
    /** Bytes of each value; 0 for String. */
    private final int width;
    private final PagedBytes values = new PagedBytes(FIRST_PAGE);
    /** The null map, or null for a column that is not Nullable. */
    private final PagedBytes nulls;
    private int count;
    /** Where the latest String value starts: {@link #dropPast} goes back to it. */
    private long lastStart;
    /** What {@link #rollBack} goes back to: values, bytes of values, bytes of the null map at {@link #mark}. */
    private int markCount;
    private long markValues;
    private long markNulls;

    NativeColumn(String name, String type) {
        this.name = name;
        this.type = type;
        String nested = type;
        if (type.startsWith("Nullable(") && type.endsWith(")")) {
            nested = type.substring("Nullable(".length(), type.length() - 1);
            nulls = new PagedBytes(FIRST_PAGE);
        } else {
            nulls = null;
        }
        width = switch (nested) {
            case "String" -> 0;
            case "UInt8" -> 1;
            case "Date" -> 2;
            case "DateTime", "DateTime('UTC')" -> 4;
            case "Int64", "UInt64" -> 8;
            default -> throw new IllegalArgumentException("column " + name + ": type " + type + " is not supported");
        };
        if (width == 0 && nulls != null) {
            throw new IllegalArgumentException("column " + name + ": type " + type + " is not supported");
        }
        PagedBytes h = new PagedBytes(64);
        h.string(name);
        h.string(type);
        header = h.toByteArray();
    }

    public String name() {
        return name;
    }

    public String type() {
        return type;
    }

    /** Bytes of each value; 0 for String. */
    public int width() {
        return width;
    }

    /** Values appended. */
    int count() {
        return count;
    }

    /**
     * The values' bytes, for writers that append many values at once (processor/ColumnWriter): they write into its
     * pages and the null map's in this column's layout, then call {@link #added}.
     */
    public PagedBytes values() {
        return values;
    }

    /** The null map (one byte per value, 1 for NULL), or null for a column that is not Nullable. */
    public PagedBytes nulls() {
        return nulls;
    }

    /** {@code n} values were written into {@link #values} (and {@link #nulls}) directly. */
    public void added(int n) {
        count += n;
    }

    void mark() {
        markCount = count;
        markValues = values.size();
        markNulls = nulls == null ? 0 : nulls.size();
    }

    void rollBack() {
        values.truncate(markValues);
        if (nulls != null) {
            nulls.truncate(markNulls);
        }
        count = markCount;
    }

    public void nullValue() {
        if (nulls == null) {
            throw new IllegalStateException("column " + name + " of type " + type + " cannot hold NULL");
        }
        nulls.uint8(1);
        values.zeros(width);
        count++;
    }

    public void uint8(int value) {
        present();
        values.uint8(value);
    }

    /** UInt16, and Date as days since 1970-01-01. */
    public void uint16(int value) {
        present();
        values.uint16(value);
    }

    /** UInt32, and DateTime as seconds since the epoch. */
    public void uint32(long value) {
        present();
        values.uint32(value);
    }

    /** Int64 and UInt64 (a value above 2^63 arrives as a negative long). */
    public void int64(long value) {
        present();
        values.int64(value);
    }

    /** A String value from UTF-8 bytes already checked. */
    public void string(byte[] utf8, int from, int to) {
        lastStart = values.size();
        values.string(utf8, from, to);
        count++;
    }

    public void string(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        string(utf8, 0, utf8.length);
    }

    private void present() {
        if (nulls != null) {
            nulls.uint8(0);
        }
        count++;
    }

    /** Drops the value past the first {@code rows} (the one of a row that failed half way), if there is one. */
    void dropPast(int rows) {
        if (count <= rows) {
            return;
        }
        if (count > rows + 1) {
            throw new IllegalStateException("column " + name + " holds " + count + " values, the block " + rows + " rows");
        }
        values.truncate(width == 0 ? lastStart : (long) rows * width);
        if (nulls != null) {
            nulls.truncate(rows);
        }
        count = rows;
    }

    void reset() {
        markCount = 0;
        markValues = 0;
        markNulls = 0;
        values.reset();
        if (nulls != null) {
            nulls.reset();
        }
        count = 0;
    }

    /** Bytes on the wire. */
    long size() {
        return header.length + values.size() + (nulls == null ? 0 : nulls.size());
    }

    long capacity() {
        return values.capacity() + (nulls == null ? 0 : nulls.capacity());
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(header);
        if (nulls != null) {
            nulls.writeTo(out);
        }
        values.writeTo(out);
    }
}
