package org.appmetrica.loader.reader;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The values of one export row as the API sent them: valid UTF-8 bytes, one range per requested field, in request
 * order. Kept as bytes so that the processor copies strings and parses numbers without a {@code String} per value.
 * <p>A view over a buffer that is reused from row to row (no copy per row): valid until the source or block that
 * handed it out moves on.
 */
public final class Cells {

    private byte[] bytes;
    /** Cell i spans {@code [ends[first+i-1], ends[first+i])}; cell 0 starts at {@code origin}. */
    private int[] ends;
    private int first;
    private int width;
    private int origin;

    Cells() {
    }

    Cells(byte[] bytes, int[] ends) {
        point(bytes, ends, 0, ends.length, 0);
    }

    /** Makes this view show another row. */
    Cells point(byte[] newBytes, int[] newEnds, int newFirst, int newWidth, int newOrigin) {
        this.bytes = newBytes;
        this.ends = newEnds;
        this.first = newFirst;
        this.width = newWidth;
        this.origin = newOrigin;
        return this;
    }

    /** For tests and for sources that parse to text (JSON): the values encoded as UTF-8. */
    public static Cells of(String... values) {
        RowBuffer row = new RowBuffer();
        for (String value : values) {
            row.append(value);
            row.endCell();
        }
        return row.build();
    }

    public int width() {
        return width;
    }

    /** The backing bytes; read-only by contract. */
    public byte[] bytes() {
        return bytes;
    }

    public int start(int i) {
        return i == 0 ? origin : ends[first + i - 1];
    }

    public int end(int i) {
        return ends[first + i];
    }

    public boolean isEmpty(int i) {
        return start(i) == end(i);
    }

    /** One value as text: for messages and tests, not for the load path. */
    public String text(int i) {
        return new String(bytes, start(i), end(i) - start(i), StandardCharsets.UTF_8);
    }

    public String[] strings() {
        String[] values = new String[width()];
        for (int i = 0; i < values.length; i++) {
            values[i] = text(i);
        }
        return values;
    }

    @Override
    public String toString() {
        return Arrays.toString(strings());
    }
}
