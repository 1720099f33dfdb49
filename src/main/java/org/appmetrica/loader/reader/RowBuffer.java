package org.appmetrica.loader.reader;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The bytes and cell ends of the row being parsed; reused from row to row, copied out by {@link #build()}. */
final class RowBuffer {

    private byte[] bytes = new byte[1024];
    private int size;
    private int[] ends = new int[64];
    private int count;

    void reset() {
        size = 0;
        count = 0;
    }

    int cellCount() {
        return count;
    }

    /** Whether the row so far is one empty cell: what an empty line parses to. */
    boolean isOneEmptyCell() {
        return count == 1 && size == 0;
    }

    void append(byte[] src, int from, int to) {
        int length = to - from;
        if (size + length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length));
        }
        System.arraycopy(src, from, bytes, size, length);
        size += length;
    }

    void append(byte b) {
        if (size == bytes.length) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        bytes[size++] = b;
    }

    void append(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        append(utf8, 0, utf8.length);
    }

    void endCell() {
        if (count == ends.length) {
            ends = Arrays.copyOf(ends, count * 2);
        }
        ends[count++] = size;
    }

    /** Whether the row's bytes are well-formed UTF-8 (what a strict decoder accepts). */
    boolean isValidUtf8() {
        return Utf8.isValid(bytes, 0, size);
    }

    Cells build() {
        return new Cells(Arrays.copyOf(bytes, size), Arrays.copyOf(ends, count));
    }
}
