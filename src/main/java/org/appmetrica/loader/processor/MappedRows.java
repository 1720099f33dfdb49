package org.appmetrica.loader.processor;

import org.appmetrica.loader.clickhouse.NativeBlock;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One chunk's rows as one Native block, appended item after item by the processor into columns that are reused from
 * chunk to chunk: no array per row. The processor hands the same object out for every item of the chunk; the writer
 * {@link #send sends} it once and {@link #release releases} it when its INSERT has ended, and only then may the next chunk
 * refill it. A few exist at once: the chunk being mapped and the ones whose INSERTs are in flight.
 */
public final class MappedRows {

    /** Passed through for {@code RowBlock.NOTHING}; the writer ignores it. */
    public static final Object NOTHING = new Object();

    private enum State { FILLING, SENT, FREE }

    private final NativeBlock block;
    private State state = State.FREE;
    private long firstPosition;
    private int rows;

    private MappedRows(List<String[]> columns) {
        block = new NativeBlock(columns);
    }

    /**
     * A free one of {@code pool}, emptied and starting at {@code position}; a new one, of these columns (name and type,
     * see TableLayout#columns), when all are in use (its columns grow page by page, see PagedBytes, and keep their pages
     * for the next chunks).
     */
    public static MappedRows take(List<MappedRows> pool, long position, List<String[]> columns) {
        MappedRows free = null;
        for (MappedRows m : pool) {
            if (m.state == State.FREE) {
                free = m;
                break;
            }
        }
        if (free == null) {
            free = new MappedRows(columns);
            pool.add(free);
        }
        free.state = State.FILLING;
        free.block.reset();
        free.firstPosition = position;
        free.rows = 0;
        return free;
    }

    public static List<MappedRows> pool() {
        return new ArrayList<>(3);
    }

    /** Whether the rows starting at {@code position} continue these (a chunk rolled back and read again does not). */
    boolean continuesAt(long position) {
        return state == State.FILLING && firstPosition + rows == position;
    }

    public NativeBlock block() {
        return block;
    }

    public void added(int count) {
        rows += count;
    }

    /** Makes it refillable by no one until {@link #release}: called by the writer as the INSERT starts. */
    public void send() {
        state = State.SENT;
    }

    public void release() {
        state = State.FREE;
    }

    /** Drops rows mapped but not sent (a chunk that failed): the buffer is free again. */
    void discard() {
        if (state == State.FILLING) {
            state = State.FREE;
        }
    }

    public int rows() {
        return rows;
    }

    public long firstPosition() {
        return firstPosition;
    }

    /** Bytes of the chunk's rows as they go into an INSERT's body. */
    public long bytes() {
        return block.size();
    }

    /**
     * Writes the chunk's rows as one Native block to an INSERT's body (a body may carry many blocks): the writer knows
     * no format.
     */
    public void writeTo(OutputStream out) throws IOException {
        block.writeTo(out);
    }
}
