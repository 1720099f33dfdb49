package org.appmetrica.loader.reader;

import org.appmetrica.loader.reader.RestartDecision.Action;
import org.appmetrica.loader.reader.RestartDecision.Decision;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each restart case of the reader, one by one, without a Logs API, a spool or a lease. */
class RestartDecisionTest {

    private static final String KEY = "events/1/2024-05-01";
    private static final List<String> SHA = List.of("aa");

    private static ReaderCheckpoint saved(long rows, List<String> sha) {
        return new ReaderCheckpoint(KEY, 1, sha, rows, "epoch-1", "spool-1");
    }

    @Test
    void aCheckpointOfAnotherSliceIsRefused() {
        RestartDecision.checkIdentity(null, KEY);
        RestartDecision.checkIdentity(saved(3, SHA), KEY);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RestartDecision.checkIdentity(saved(3, SHA), "x"));
        assertEquals("checkpoint of slice " + KEY + " offered to slice x", e.getMessage());
    }

    @Test
    void aFreshStartReadsFromTheStart() {
        Decision d = RestartDecision.atLease(null, false, "epoch-1");
        assertEquals(Action.FROM_START, d.action());
        assertEquals(0, d.skip());
        assertFalse(d.restartsSlice(), "a fresh start empties the stage anyway (no writer checkpoint)");
        assertTrue(RestartDecision.readLive(d.skip(), false));
        assertFalse(RestartDecision.readLive(d.skip(), true), "a live read that broke off is fetched whole");
    }

    @Test
    void aPublishedSliceIsLeftAlone() {
        Decision d = RestartDecision.atLease(saved(7, SHA), true, "epoch-2");
        assertEquals(Action.ALREADY_PUBLISHED, d.action());
        assertFalse(d.restartsSlice(), "the stage epoch moved on, and still nothing is emptied");
        assertNotNull(d.why());
    }

    @Test
    void theSameStageResumesAfterTheConfirmedRows() {
        Decision d = RestartDecision.atLease(saved(7, SHA), false, "epoch-1");
        assertEquals(Action.RESUME, d.action());
        assertEquals(7, d.skip());
        assertFalse(RestartDecision.readLive(d.skip(), false), "skipping rows needs the whole export");
        Decision e = RestartDecision.atExport(saved(7, SHA), d.skip(), 1, 1, SHA, true);
        assertEquals(Action.RESUME, e.action());
        assertEquals(7, e.skip());
    }

    @Test
    void anotherLoadUsedTheStageSinceTheCheckpoint() {
        Decision d = RestartDecision.atLease(saved(7, SHA), false, "epoch-2");
        assertEquals(Action.FROM_FIRST_ROW, d.action());
        assertEquals(0, d.skip());
        assertTrue(d.restartsSlice());
        assertTrue(d.why().contains("another load used it"));
        Decision none = RestartDecision.atLease(saved(0, SHA), false, "epoch-2");
        assertTrue(none.restartsSlice(), "the writer empties the stage even when no row was confirmed");
        assertNull(none.why(), "nothing is lost, nothing to say");
    }

    @Test
    void moreParts() {
        Decision d = RestartDecision.atExport(saved(7, SHA), 7, 1, 3, List.of("a", "b", "c"), false);
        assertEquals(Action.FROM_FIRST_ROW, d.action());
        assertEquals(0, d.skip());
        assertEquals(Action.FROM_START, RestartDecision.atExport(saved(0, SHA), 0, 1, 3, List.of("a", "b", "c"), false).action());
        assertTrue(RestartDecision.atExport(saved(7, SHA), 7, 1, 3, null, false).restartsSlice(), "even when a stop came meanwhile");
    }

    @Test
    void aCheckpointTakenWhileTheExportArrived() {
        assertEquals(Action.RESUME, RestartDecision.atExport(saved(7, List.of()), 7, 1, 1, SHA, true).action(),
                "the complete spool holds the very bytes those rows came from");
        Decision gone = RestartDecision.atExport(saved(7, List.of()), 7, 1, 1, SHA, false);
        assertEquals(Action.FROM_FIRST_ROW, gone.action());
        assertFalse(gone.warning());
        assertTrue(gone.why().contains("still arriving"));
    }

    @Test
    void anExportThatDiffersIsReadFromItsFirstRow() {
        Decision d = RestartDecision.atExport(saved(7, SHA), 7, 1, 1, List.of("bb"), false);
        assertEquals(Action.FROM_FIRST_ROW, d.action());
        assertTrue(d.warning());
        assertTrue(d.why().contains("differs"));
    }

    @Test
    void aStopWhileFetchingKeepsThePosition() {
        Decision d = RestartDecision.atExport(saved(7, SHA), 7, 1, 1, null, false);
        assertEquals(Action.RESUME, d.action());
        assertEquals(7, d.skip());
    }
}
