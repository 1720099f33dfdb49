package org.appmetrica.loader.reader;

import java.util.Arrays;

/**
 * The reader's item: up to a few hundred consecutive rows of the export, their bytes and cell ends in two arrays that
 * the reader refills for the next block. One item per block rather than per row is what keeps the chunk loop free of
 * garbage per row; the checkpoints still count rows (a chunk always ends at a block boundary).
 * <p>Valid until the reader's next {@code readItem}: the processor maps it at once. A block parsed ahead
 * ({@link ParseAhead}) may be handed out in parts, so that no item passes the rows its chunk may still take: then it
 * shows rows {@code [from, to)} of those it holds.
 */
public final class RowBlock {

    /** Handed out once when a stop arrives before the export was ready, so that the chunk can end cleanly. */
    public static final RowBlock NOTHING = new RowBlock();

    private byte[] bytes = new byte[64 * 1024];
    private int size;
    /** The cell ends of all rows, absolute in {@link #bytes}; row r's cells are {@code [r*width, (r+1)*width)}. */
    private int[] ends = new int[1024];
    private int rows;
    private int width;
    private long firstPosition;
    /** The rows shown, {@code [from, to)} of those held; {@code to} -1: up to the last. */
    private int from;
    private int to = -1;
    private final Cells view = new Cells();

    public boolean isNothing() {
        return this == NOTHING;
    }

    void reset(long position) {
        size = 0;
        rows = 0;
        firstPosition = position;
        from = 0;
        to = -1;
    }

    /** Shows rows {@code [first, end)} of those held. */
    void show(int first, int end) {
        from = first;
        to = end;
    }

    /** Rows held, whatever is shown. */
    int held() {
        return rows;
    }

    /** Drops buffers that a wide row grew past {@code limit} bytes, so that a block kept for reuse stays small. */
    void shrink(int limit) {
        if (bytes.length > limit) {
            bytes = new byte[64 * 1024];
        }
    }

    /** Copies one row in (the source reuses its own buffer for the next row). */
    void add(Cells cells) {
        int w = cells.width();
        if (rows == 0) {
            width = w;
        } else if (w != width) {
            throw new IllegalStateException("rows of one block differ in width: " + w + " and " + width);
        }
        if (w == 0) {
            rows++;
            return;
        }
        int from = cells.start(0);
        int to = cells.end(w - 1);
        if (size + (to - from) > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + (to - from)));
        }
        System.arraycopy(cells.bytes(), from, bytes, size, to - from);
        int at = rows * w;
        if (at + w > ends.length) {
            ends = Arrays.copyOf(ends, Math.max(ends.length * 2, at + w));
        }
        int shift = size - from;
        for (int i = 0; i < w; i++) {
            ends[at + i] = cells.end(i) + shift;
        }
        size += to - from;
        rows++;
    }

    /** Bytes of values held: the reader ends a block of wide rows early. */
    int bytes() {
        return size;
    }

    public int rows() {
        return (to < 0 ? rows : to) - from;
    }

    /** The 0-based position in the slice's export of the block's first row. */
    public long firstPosition() {
        return firstPosition + from;
    }

    /** Row {@code r} of the block, as a view that the next call to this method moves. */
    public Cells row(int r) {
        int at = (from + r) * width;
        return view.point(bytes, ends, at, width, at == 0 ? 0 : ends[at - 1]);
    }
}
