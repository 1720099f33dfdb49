package org.appmetrica.loader.admin;

import org.appmetrica.loader.admin.CoverageCells.Attempt;
import org.appmetrica.loader.admin.CoverageCells.Loaded;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoverageCellsTest {

    private static final LocalDate DAY = LocalDate.parse("2024-07-10");

    @Test
    void nothingKnownIsMissing() {
        Coverage.Cell c = CoverageCells.cell(DAY, 0, null, null);
        assertEquals(Coverage.MISSING, c.state());
        assertNull(c.executionId());
    }

    @Test
    void aDayLoadedInsideItsWindowIsReloadableWithItsLoadTime() {
        Instant loaded = Instant.parse("2024-07-12T03:00:00Z"); // day end + 7 days is 2024-07-18
        Coverage.Cell c = CoverageCells.cell(DAY, 120, new Loaded(5, loaded, 7), null);
        assertEquals(Coverage.RELOADABLE, c.state());
        assertEquals(loaded.toString(), c.loadedAt());
        assertEquals(5L, c.executionId());
        assertEquals(120, c.rows());
    }

    @Test
    void aDayLoadedAfterItsWindowIsFinal() {
        assertEquals(Coverage.FINAL, CoverageCells.cell(DAY, 120, new Loaded(5, Instant.parse("2024-07-18T00:00:00Z"), 7), null).state());
        assertEquals(Coverage.RELOADABLE, CoverageCells.cell(DAY, 120, new Loaded(5, Instant.parse("2024-07-17T23:59:59Z"), 7), null).state());
        assertEquals(Coverage.FINAL, CoverageCells.cell(DAY, 0, new Loaded(5, Instant.parse("2024-07-11T00:00:00Z"), 0), null).state(),
                "an empty day, loaded and past its window, is complete");
    }

    @Test
    void rowsNobodyHereLoadedCountAsFinal() {
        assertEquals(Coverage.FINAL, CoverageCells.cell(DAY, 7, null, null).state());
    }

    @Test
    void aNewerFailedAttemptIsFailedWithItsExecutionAndReason() {
        Coverage.Cell c = CoverageCells.cell(DAY, 0, null, new Attempt(9, false, "HTTP 503", true, false));
        assertEquals(Coverage.FAILED, c.state());
        assertEquals(9L, c.executionId());
        assertEquals("HTTP 503", c.error());
        assertTrue(c.restartable());

        Coverage.Cell reloadFailed = CoverageCells.cell(DAY, 120, new Loaded(5, Instant.parse("2024-07-11T00:00:00Z"), 7),
                new Attempt(9, false, "HTTP 503", false, false));
        assertEquals(Coverage.FAILED, reloadFailed.state(), "a failed re-load: the day may be incomplete");
        assertEquals(120, reloadFailed.rows());
        assertEquals("2024-07-11T00:00:00Z", reloadFailed.loadedAt());
    }

    @Test
    void anAttemptOlderThanTheLoadIsHistory() {
        Coverage.Cell c = CoverageCells.cell(DAY, 120, new Loaded(12, Instant.parse("2024-08-01T00:00:00Z"), 7),
                new Attempt(9, false, "HTTP 503", false, false));
        assertEquals(Coverage.FINAL, c.state());
        assertEquals(12L, c.executionId());
        assertNull(c.error());
    }

    @Test
    void aRunningAttemptIsLoading() {
        Coverage.Cell c = CoverageCells.cell(DAY, 0, null, new Attempt(14, true, null, false, false));
        assertEquals(Coverage.LOADING, c.state());
        assertEquals(14L, c.executionId());
        assertFalse(c.restartable());
    }

    @Test
    void aStoppedAttemptIsStoppedNotFailed() {
        Coverage.Cell c = CoverageCells.cell(DAY, 0, null, new Attempt(11, false, null, true, true));
        assertEquals(Coverage.STOPPED, c.state());
        assertEquals(11L, c.executionId());
        assertNull(c.error(), "a stop is no failure: no reason");
        assertTrue(c.restartable());
    }
}
