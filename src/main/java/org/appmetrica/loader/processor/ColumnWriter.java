package org.appmetrica.loader.processor;

import org.appmetrica.loader.clickhouse.NativeColumn;
import org.appmetrica.loader.clickhouse.PagedBytes;
import org.appmetrica.loader.schema.ColumnType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Writes one field of a block of rows into its Native column, all rows at once: the type is chosen once per column (no
 * switch per value), and the values go straight into the column's page held in locals, with one check of the page's
 * room per value instead of a call per byte. Cell k of the rows spans {@code [ends[k], ends[k + 1])} of the bytes;
 * the field of the first row is cell {@code at}, of row r cell {@code at + r * width}.
 */
abstract class ColumnWriter {

    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    /** Appends the field of {@code rows} rows (see above) to {@code out}; a value that does not parse throws. */
    abstract void write(byte[] b, int[] ends, int width, int at, int rows, NativeColumn out);

    /** The writer of a requested field of this type; each holds its own state (a date's cache), one per column. */
    static ColumnWriter of(ColumnType type) {
        return switch (type) {
            case STRING -> new Strings();
            case INT64 -> new Longs(true);
            case UINT64 -> new Longs(false);
            case BOOL -> new Bools();
            case DATE -> new Days();
            case DATETIME -> new Seconds();
        };
    }

    /** The writer of a field not requested: '' in a String column, NULL in the others. */
    static ColumnWriter absent(ColumnType type) {
        return type == ColumnType.STRING ? new Constant(new byte[] {0}) : new Nulls();
    }

    /** Strings: varint length (one byte below 128), then the bytes; up to 16 bytes copied as two longs. */
    static final class Strings extends ColumnWriter {

        /** Room asked for beyond a value's bytes: its varint and the 16-byte copy's overrun. */
        private static final int SLACK = 5 + 16;

        @Override
        void write(byte[] b, int[] ends, int width, int at, int rows, NativeColumn out) {
            PagedBytes values = out.values();
            byte[] page = values.room(SLACK);
            int p = values.at();
            int limit = b.length - 16;
            for (int r = 0, k = at; r < rows; r++, k += width) {
                int from = ends[k];
                int length = ends[k + 1] - from;
                if (p + length + SLACK > page.length) {
                    values.at(p);
                    page = values.room(length + SLACK);
                    p = values.at();
                }
                if (length < 128) {
                    page[p++] = (byte) length;
                } else {
                    p = PagedBytes.varUInt(page, p, length);
                }
                if (length <= 16 && from <= limit) { // a call to arraycopy costs more for a few bytes
                    LONGS.set(page, p, (long) LONGS.get(b, from));
                    LONGS.set(page, p + 8, (long) LONGS.get(b, from + 8));
                } else {
                    System.arraycopy(b, from, page, p, length);
                }
                p += length;
            }
            values.at(p);
            out.added(rows);
        }
    }

    /**
     * Fixed-width Nullable values: an empty cell is NULL (1 in the null map, the type's zero as the value), any other
     * is parsed. As many rows as both pages hold are written per round, by each type's own loop (a call per value
     * through a shared loop would be megamorphic).
     */
    abstract static class Fixed extends ColumnWriter {

        private final int width;

        Fixed(int width) {
            this.width = width;
        }

        /**
         * Writes rows {@code [0, count)} starting at cell {@code k}, {@code step} cells apart, at {@code page[p]} and
         * {@code map[n]} (both have room).
         */
        abstract void rows(byte[] b, int[] ends, int k, int step, int count, byte[] page, int p, byte[] map, int n);

        @Override
        final void write(byte[] b, int[] ends, int step, int at, int rows, NativeColumn out) {
            PagedBytes values = out.values();
            PagedBytes nulls = out.nulls();
            int r = 0;
            while (r < rows) {
                byte[] page = values.room(width);
                int p = values.at();
                byte[] map = nulls.room(1);
                int n = nulls.at();
                int count = Math.min(rows - r, Math.min((page.length - p) / width, map.length - n));
                rows(b, ends, at + r * step, step, count, page, p, map, n);
                values.at(p + count * width);
                nulls.at(n + count);
                r += count;
            }
            out.added(rows);
        }
    }

    /** Int64, and UInt64 (above 2^63 as a negative long). */
    static final class Longs extends Fixed {

        private final boolean signed;

        Longs(boolean signed) {
            super(8);
            this.signed = signed;
        }

        @Override
        void rows(byte[] b, int[] ends, int k, int step, int count, byte[] page, int p, byte[] map, int n) {
            for (int i = 0; i < count; i++, k += step, p += 8) {
                int from = ends[k];
                int to = ends[k + 1];
                boolean empty = from == to;
                map[n + i] = (byte) (empty ? 1 : 0);
                long v = empty ? 0 : signed ? Numbers.parseLong(b, from, to) : Numbers.parseUnsignedLong(b, from, to);
                LONGS.set(page, p, v);
            }
        }
    }

    static final class Bools extends Fixed {

        Bools() {
            super(1);
        }

        @Override
        void rows(byte[] b, int[] ends, int k, int step, int count, byte[] page, int p, byte[] map, int n) {
            for (int i = 0; i < count; i++, k += step) {
                int from = ends[k];
                int to = ends[k + 1];
                boolean empty = from == to;
                map[n + i] = (byte) (empty ? 1 : 0);
                page[p + i] = (byte) (empty ? 0 : RowMapper.parseBool(b, from, to));
            }
        }
    }

    /** Date: days since 1970-01-01 as UInt16. */
    static final class Days extends Fixed {

        private final Dates dates = new Dates();

        Days() {
            super(2);
        }

        @Override
        void rows(byte[] b, int[] ends, int k, int step, int count, byte[] page, int p, byte[] map, int n) {
            for (int i = 0; i < count; i++, k += step, p += 2) {
                int from = ends[k];
                int to = ends[k + 1];
                boolean empty = from == to;
                map[n + i] = (byte) (empty ? 1 : 0);
                SHORTS.set(page, p, (short) (empty ? 0 : dates.date(b, from, to)));
            }
        }
    }

    /** DateTime: seconds since the epoch as UInt32. */
    static final class Seconds extends Fixed {

        private final Dates dates = new Dates();

        Seconds() {
            super(4);
        }

        @Override
        void rows(byte[] b, int[] ends, int k, int step, int count, byte[] page, int p, byte[] map, int n) {
            for (int i = 0; i < count; i++, k += step, p += 4) {
                int from = ends[k];
                int to = ends[k + 1];
                boolean empty = from == to;
                map[n + i] = (byte) (empty ? 1 : 0);
                INTS.set(page, p, (int) (empty ? 0 : dates.dateTime(b, from, to)));
            }
        }
    }

    /** The same bytes for every row (a String column's '', a load column's constant). */
    static final class Constant extends ColumnWriter {

        private final byte[] value;

        Constant(byte[] value) {
            this.value = value;
        }

        @Override
        void write(byte[] b, int[] ends, int width, int at, int rows, NativeColumn out) {
            fill(out.values(), value, rows);
            out.added(rows);
        }
    }

    /** NULL in every row: 1 in the null map, the type's zero as the value. */
    static final class Nulls extends ColumnWriter {

        private static final byte[] NULL = {1};

        @Override
        void write(byte[] b, int[] ends, int width, int at, int rows, NativeColumn out) {
            fill(out.nulls(), NULL, rows);
            out.values().zeros(out.width() * rows);
            out.added(rows);
        }
    }

    /** {@code rows} copies of {@code value} (a few bytes). */
    static void fill(PagedBytes bytes, byte[] value, int rows) {
        int r = 0;
        while (r < rows) {
            byte[] page = bytes.room(value.length);
            int p = bytes.at();
            int end = r + Math.min(rows - r, (page.length - p) / value.length);
            for (; r < end; r++) {
                for (byte v : value) {
                    page[p++] = v;
                }
            }
            bytes.at(p);
        }
    }
}
