package org.appmetrica.loader.processor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MappedRowsTest {

    private static final List<String[]> COLUMNS = List.<String[]>of(new String[] {"a", "UInt64"});

    @Test
    void aChunkIsContinuedOnlyByTheRowsThatFollowIt() {
        List<MappedRows> pool = MappedRows.pool();
        MappedRows chunk = MappedRows.take(pool, 100, COLUMNS);
        chunk.added(512);
        assertTrue(chunk.continuesAt(612));
        assertFalse(chunk.continuesAt(100), "a chunk read again after a rollback starts afresh");
        assertFalse(chunk.continuesAt(613));
        chunk.discard();
        assertSame(chunk, MappedRows.take(pool, 100, COLUMNS), "a chunk discarded before its write frees its buffer");
        assertTrue(pool.size() == 1);
    }

    @Test
    void aBufferSentIsNotRefilledUntilReleased() {
        List<MappedRows> pool = MappedRows.pool();
        MappedRows first = MappedRows.take(pool, 0, COLUMNS);
        first.added(10);
        first.send();
        assertFalse(first.continuesAt(10), "its INSERT may be running or be sent again");
        MappedRows second = MappedRows.take(pool, 10, COLUMNS);
        assertNotSame(first, second);
        first.release();
        assertFalse(first.continuesAt(10), "released: its rows are in ClickHouse, never appended to again");
        MappedRows third = MappedRows.take(pool, 20, COLUMNS);
        assertSame(first, third, "a released buffer is reused");
        assertTrue(third.rows() == 0 && third.block().rows() == 0 && third.firstPosition() == 20);
    }
}
