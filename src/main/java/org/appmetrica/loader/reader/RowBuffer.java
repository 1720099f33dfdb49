package org.appmetrica.loader.reader;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The bytes and cell ends of the row being parsed; reused from row to row, shown by {@link #view()}, copied by {@link #build()}. */
final class RowBuffer {

    /** A row's bytes: far above any real export's (crash stack traces are some KB), and within a 256 MB heap. */
    static final int MAX_ROW_BYTES = 64 << 20;
    /** Values in a row: an export has a few dozen fields. */
    static final int MAX_CELLS = 100_000;

    private byte[] bytes = new byte[1024];
    private int size;
    private int[] ends = new int[64];
    private int count;

    void reset() {
        size = 0;
        count = 0;
    }

    void append(byte[] src, int from, int to) {
        int length = to - from;
        if (size + length > bytes.length) {
            grow(size + length);
        }
        System.arraycopy(src, from, bytes, size, length);
        size += length;
    }

    void append(byte b) {
        if (size == bytes.length) {
            grow(size + 1);
        }
        bytes[size++] = b;
    }

    void append(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        append(utf8, 0, utf8.length);
    }

    /**
     * Appends chars as UTF-8 (what a JSON parser hands out without making a String). An unpaired surrogate is an error,
     * as the strict decoders elsewhere treat broken text.
     */
    void append(char[] chars, int from, int to) {
        if (size + (long) (to - from) * 3 > bytes.length) {
            grow(size + (long) (to - from) * 3);
        }
        byte[] b = bytes;
        int n = size;
        for (int i = from; i < to; i++) {
            char c = chars[i];
            if (c < 0x80) {
                b[n++] = (byte) c;
            } else if (c < 0x800) {
                b[n++] = (byte) (0xC0 | c >> 6);
                b[n++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= to || !Character.isLowSurrogate(chars[i + 1])) {
                    throw new IllegalArgumentException("an unpaired UTF-16 surrogate");
                }
                int cp = Character.toCodePoint(c, chars[++i]);
                b[n++] = (byte) (0xF0 | cp >> 18);
                b[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
                b[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                b[n++] = (byte) (0x80 | cp & 0x3F);
            } else {
                b[n++] = (byte) (0xE0 | c >> 12);
                b[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[n++] = (byte) (0x80 | c & 0x3F);
            }
        }
        size = n;
    }

    private void grow(long needed) {
        if (needed > MAX_ROW_BYTES) {
            throw new RowTooLargeException("a row or field larger than " + (MAX_ROW_BYTES >> 20) + " MB");
        }
        bytes = Arrays.copyOf(bytes, (int) Math.min(MAX_ROW_BYTES, Math.max(bytes.length * 2L, needed)));
    }

    /** Appends a range of another buffer's bytes (a value moved into its place in the row). */
    void append(RowBuffer other, int from, int to) {
        append(other.bytes, from, to);
    }

    int size() {
        return size;
    }

    void endCell() {
        if (count == MAX_CELLS) {
            throw new RowTooLargeException("a row of more than " + MAX_CELLS + " values");
        }
        if (count == ends.length) {
            ends = Arrays.copyOf(ends, count * 2);
        }
        ends[count++] = size;
    }

    /** Whether the row's bytes are well-formed UTF-8 (what a strict decoder accepts). */
    boolean isValidUtf8() {
        return Utf8.isValid(bytes, 0, size);
    }

    /** The row as a view over this buffer: valid until the buffer is reset or appended to. */
    Cells view() {
        return view.point(bytes, ends, 0, count, 0);
    }

    private final Cells view = new Cells();

    Cells build() {
        return new Cells(Arrays.copyOf(bytes, size), Arrays.copyOf(ends, count));
    }
}
