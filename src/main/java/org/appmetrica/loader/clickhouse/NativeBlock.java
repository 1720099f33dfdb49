package org.appmetrica.loader.clickhouse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Rows held column by column and sent as one block of ClickHouse's Native format ({@code INSERT … FORMAT Native}),
 * which the server copies column by column instead of parsing row by row as RowBinary. The wire form over HTTP (no
 * block info, as a client of revision 0 sends): varint number of columns, varint number of rows, then for each column
 * its name, its type exactly as the table has it, and its data (a Nullable column's null map, then its values).
 * <p>A row is appended value by value, one per column in order, then {@link #rowDone}; {@link #dropPartialRow} takes
 * back the values of a row that failed half way, so that every column keeps as many values as the block has rows.
 * Reused from chunk to chunk: the columns keep their pages (see {@link PagedBytes}).
 */
public final class NativeBlock {

    private final NativeColumn[] columns;
    private int rows;
    private int markRows;

    /** @param columns name and type of each column, in the order of the INSERT's column list */
    public NativeBlock(List<String[]> columns) {
        this.columns = new NativeColumn[columns.size()];
        for (int i = 0; i < this.columns.length; i++) {
            this.columns[i] = new NativeColumn(columns.get(i)[0], columns.get(i)[1]);
        }
    }

    /** The columns themselves (not a copy), for appending values. */
    public NativeColumn[] columns() {
        return columns;
    }

    public NativeColumn column(int index) {
        return columns[index];
    }

    public void rowDone() {
        rows++;
    }

    /** Drops the values appended since the last {@link #rowDone}. */
    public void dropPartialRow() {
        for (NativeColumn c : columns) {
            c.dropPast(rows);
        }
    }

    /** {@code n} rows were appended column by column (each column told by {@link NativeColumn#added}). */
    public void rowsDone(int n) {
        rows += n;
    }

    /** Remembers where the block ends now: {@link #rollBack} drops whatever was appended after it. */
    public void mark() {
        markRows = rows;
        for (NativeColumn c : columns) {
            c.mark();
        }
    }

    /** Drops every value appended since the last {@link #mark} (a block of rows that failed part way). */
    public void rollBack() {
        rows = markRows;
        for (NativeColumn c : columns) {
            c.rollBack();
        }
    }

    public int rows() {
        return rows;
    }

    public void reset() {
        for (NativeColumn c : columns) {
            c.reset();
        }
        rows = 0;
        markRows = 0;
    }

    /** Bytes on the wire. */
    public long size() {
        long total = 2 * 5;
        for (NativeColumn c : columns) {
            total += c.size();
        }
        return total;
    }

    /** Bytes of the pages held, used or not. */
    public long capacity() {
        long total = 0;
        for (NativeColumn c : columns) {
            total += c.capacity();
        }
        return total;
    }

    /** Sends the block (no copy of the values). */
    public void writeTo(OutputStream out) throws IOException {
        for (NativeColumn c : columns) {
            if (c.count() != rows) {
                throw new IllegalStateException("column " + c.name() + " holds " + c.count() + " values, the block " + rows + " rows");
            }
        }
        byte[] head = new byte[20];
        int n = PagedBytes.varUInt(head, 0, columns.length);
        n = PagedBytes.varUInt(head, n, rows);
        out.write(head, 0, n);
        for (NativeColumn c : columns) {
            c.writeTo(out);
        }
    }

    public byte[] toByteArray() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
