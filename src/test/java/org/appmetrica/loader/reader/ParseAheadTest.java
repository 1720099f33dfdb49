package org.appmetrica.loader.reader;

import org.appmetrica.loader.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rows parsed ahead on a thread of their own reach the chunk thread as the chunk thread would have parsed them: every
 * row once, in order, in parts no larger than asked for; a parse error after the rows before it, as the same exception;
 * no thread left after close; the rows waiting bounded in bytes.
 */
class ParseAheadTest {

    private static final List<String> FIELDS = List.of("event_name", "n");
    private static final String THREAD = "appmetrica-parse test";

    @TempDir
    Path dir;
    private final AtomicInteger discarded = new AtomicInteger();
    private final List<ParseAhead> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (ParseAhead p : opened) {
            p.close();
        }
    }

    /** {@code rows} rows "event i,i"; row {@code broken}, if not negative, has three values. */
    private Path export(int rows, int broken, int width) throws IOException {
        StringBuilder csv = new StringBuilder("event_name,n\n");
        String pad = "x".repeat(width);
        for (int i = 0; i < rows; i++) {
            csv.append("event ").append(i).append(pad).append(',').append(i).append(i == broken ? ",extra" : "").append('\n');
        }
        Path file = dir.resolve("export-" + rows + "-" + broken + "-" + width + ".csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }

    private ParseAhead open(Path file, long skip, boolean thread) throws IOException {
        SpooledRows rows = SpooledRows.of(List.of(file), "csv", FIELDS, "test", discarded::incrementAndGet, Long.MAX_VALUE);
        assertTrue(rows.skip(skip));
        ParseAhead p = new ParseAhead(rows, skip, thread ? THREAD : null).start();
        opened.add(p);
        return p;
    }

    private static boolean parseThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(THREAD) && t.isAlive());
    }

    /** Takes blocks in parts of 1, 7, 100, 512, ... rows (as chunks' bounds cut them), checking order and positions. */
    private static List<String> takeAll(ParseAhead p, long first, List<Throwable> failure) {
        int[] bounds = {1, 7, 100, 512, 3, 1000};
        List<String> names = new ArrayList<>();
        long next = first;
        try {
            for (int i = 0; ; i++) {
                int max = bounds[i % bounds.length];
                RowBlock block = p.take(max);
                if (block == null) {
                    return names;
                }
                assertTrue(block.rows() > 0 && block.rows() <= max, block.rows() + " rows for at most " + max);
                assertEquals(next, block.firstPosition());
                for (int r = 0; r < block.rows(); r++) {
                    String[] values = block.row(r).strings();
                    assertEquals(Long.toString(next + r), values[1], "the row at position " + (next + r));
                    names.add(values[0]);
                }
                next += block.rows();
            }
        } catch (IOException | RuntimeException e) {
            failure.add(e);
            return names;
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void everyRowOnceInOrderFromTheSkippedPosition(boolean thread) throws Exception {
        Path file = export(5000, -1, 0);
        List<Throwable> failure = new ArrayList<>();
        List<String> names = takeAll(open(file, 1234, thread), 1234, failure);
        assertEquals(List.of(), failure);
        assertEquals(5000 - 1234, names.size());
        assertEquals("event 1234", names.get(0));
        assertEquals("event 4999", names.get(names.size() - 1));
    }

    /** The rows before a broken one are handed out, in order, then its error, the same with or without the thread. */
    @Test
    void anErrorAtRowKComesAfterTheRowsBeforeItAsTheSameException() throws Exception {
        Path file = export(3000, 2345, 0);
        List<Throwable> ahead = new ArrayList<>();
        List<String> names = takeAll(open(file, 0, true), 0, ahead);
        assertEquals(2345, names.size(), "every row before the broken one, none dropped");
        assertEquals("event 2344", names.get(2344));
        List<Throwable> inline = new ArrayList<>();
        takeAll(open(file, 0, false), 0, inline);
        assertEquals(1, ahead.size());
        assertEquals(CorruptExportException.class, ahead.get(0).getClass());
        assertEquals(inline.get(0).getMessage(), ahead.get(0).getMessage());
        assertTrue(ahead.get(0).getMessage().contains("row 2346 has 3 values, expected 2"), ahead.get(0).getMessage());
        assertEquals(2, discarded.get(), "the spool is given up once per failure");
    }

    @Test
    void noParseThreadOutlivesCloseAfterAFailure() throws Exception {
        ParseAhead p = open(export(3000, 10, 0), 0, true);
        assertThrows(CorruptExportException.class, () -> {
            for (RowBlock b = p.take(512); b != null; b = p.take(512)) {
                assertTrue(b.rows() > 0);
            }
        });
        p.close();
        assertFalse(parseThreadAlive());
    }

    /** Closed while the parse thread waits for the chunk thread to take blocks (nothing taken): it ends. */
    @Test
    void noParseThreadOutlivesCloseWhileItIsAhead() throws Exception {
        ParseAhead p = open(export(20_000, -1, 0), 0, true);
        Await.await(() -> p.bytesAhead() > 0 && parseThreadWaiting(), Duration.ofSeconds(30), () -> "the parse thread ahead");
        assertTrue(parseThreadAlive());
        p.close();
        assertFalse(parseThreadAlive());
        assertEquals(0, discarded.get(), "a close is no failure: the spool stays");
    }

    private static boolean parseThreadWaiting() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(THREAD) && t.getState() == Thread.State.WAITING);
    }

    /** Wide rows (crashes' stack traces): what waits parsed stays within a few blocks' bytes, not RING blocks of rows. */
    @Test
    void theRowsParsedAheadAreBoundedInBytes() throws Exception {
        int width = 100_000;
        ParseAhead p = open(export(200, -1, width), 0, true);
        Await.await(() -> parseThreadWaiting() && p.bytesAhead() > 0, Duration.ofSeconds(30), () -> "the parse thread ahead");
        long ahead = p.bytesAhead();
        assertTrue(ahead >= ParseAhead.AHEAD_BYTES, ahead + " bytes ahead: it waits only once it reached the bound");
        assertTrue(ahead < ParseAhead.AHEAD_BYTES + LogsApiItemReader.BLOCK_BYTES + width + 20, ahead + " bytes ahead");
        List<Throwable> failure = new ArrayList<>();
        assertEquals(200, takeAll(p, 0, failure).size());
        assertEquals(List.of(), failure);
        assertNull(p.take(10));
    }
}
