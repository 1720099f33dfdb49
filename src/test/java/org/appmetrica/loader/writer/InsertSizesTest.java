package org.appmetrica.loader.writer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InsertSizesTest {

    /**
     * The rows of each INSERT when an export of {@code total} rows comes in chunks of {@code chunk} rows of
     * {@code rowBytes} each, the rows left known exactly ({@code known}) or not.
     */
    static List<Long> inserts(InsertSizes sizes, long total, long chunk, long rowBytes, boolean known) {
        List<Long> inserts = new ArrayList<>();
        long open = 0;
        for (long done = 0; done < total; done += chunk) {
            long rows = Math.min(chunk, total - done);
            long left = known ? total - done - rows : -1;
            if (open > 0 && sizes.endsBefore(open, open * rowBytes, rows, rows * rowBytes, left)) {
                inserts.add(open);
                open = 0;
            }
            open += rows;
        }
        inserts.add(open);
        return inserts;
    }

    @Test
    void insertsEndAtTheirBoundsAsBefore() {
        InsertSizes sizes = new InsertSizes(100, 1 << 20);
        assertEquals(List.of(100L, 100L, 100L, 100L, 100L, 100L), inserts(sizes, 600, 10, 50, false));
        assertTrue(sizes.endsBefore(95, 0, 10, 0, -1), "rows past insertRows");
        assertTrue(sizes.endsBefore(10, 1 << 20, 10, 1, -1), "bytes past insertMegabytes");
        assertFalse(sizes.endsBefore(90, 0, 10, 0, -1));
    }

    /** The defaults, an events export of 1 M rows: chunks of 43 000 rows (16 MB), INSERTs of 96 MB (5 chunks). */
    @Test
    void theInsertsHalveTowardTheEndOfTheExportDownToAChunk() {
        InsertSizes sizes = new InsertSizes(1_048_576, 96L << 20);
        List<Long> old = inserts(sizes, 1_000_000, 43_000, 468, false);
        assertEquals(List.of(215_000L, 215_000L, 215_000L, 215_000L, 140_000L), old);
        List<Long> tail = inserts(sizes, 1_000_000, 43_000, 468, true);
        assertEquals(List.of(215_000L, 215_000L, 215_000L, 215_000L, 86_000L, 54_000L), tail);
        assertEquals(1_000_000L, tail.stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void smallSlicesStayOneInsert() {
        InsertSizes sizes = new InsertSizes(1_048_576, 96L << 20);
        assertEquals(List.of(90_000L), inserts(sizes, 90_000, 43_000, 468, true));
        assertEquals(List.of(600L), inserts(sizes, 600, 10, 50, true));
    }

    /** At the bounds one INSERT is awaited beside the next, as before; at the tail the small ones do not wait. */
    @Test
    void theInsertsAwaitedStayWithinTwoInsertsBound() {
        long max = 96L << 20;
        InsertSizes sizes = new InsertSizes(1_048_576, max);
        assertTrue(sizes.awaitBeforeNext(2 * max, 215_000, max, -1), "two full INSERTs ending, the next one unknown");
        assertFalse(sizes.awaitBeforeNext(max, 215_000, max, -1), "one full INSERT ending beside the next");
        assertTrue(sizes.awaitBeforeNext(max + max / 2, 107_500, max / 2, 215_000), "the rows left fill an INSERT");
        assertFalse(sizes.awaitBeforeNext(max + max / 2, 86_000, max / 2 - 1, 54_000), "the tail: 54 000 rows left");
    }
}
