package org.appmetrica.loader.reader;

import org.appmetrica.loader.logsapi.ApiResponse;
import java.util.concurrent.CountDownLatch;
import java.nio.charset.StandardCharsets;
import java.io.SequenceInputStream;
import java.io.InputStream;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import org.appmetrica.loader.coordination.Coordination;
import org.appmetrica.loader.coordination.InMemoryCoordinationStore;
import org.appmetrica.loader.logsapi.ExportRequest;
import org.appmetrica.loader.logsapi.ExportSpool;
import org.appmetrica.loader.model.SliceContext;
import org.appmetrica.loader.model.SliceProperties;
import org.appmetrica.loader.model.Slice;
import org.appmetrica.loader.testing.FakeJobContext;
import org.appmetrica.loader.testing.FakeLogsApi;
import org.appmetrica.loader.testing.FakeStepContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The reader's contract over a fake Logs API (no HTTP, no batch runtime): rows in order, checkpoints of the rows the
 * writer confirmed, a restart that skips exactly those rows of the same spooled bytes, and no spool of another request.
 */
class LogsApiItemReaderTest {

    private static final String TOKEN_PROPERTY = "appmetrica.test.reader-token";
    private static final Slice SLICE = new Slice(601, "events", LocalDate.of(2024, 5, 1));
    private static final long INSTANCE = 3;
    private static final int ROWS = 10;

    @TempDir
    Path spoolDir;

    private final FakeLogsApi api = new FakeLogsApi();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<String> log = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (log) {
                log.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final List<LogsApiItemReader> opened = new ArrayList<>();

    /** The reader with its rows parsed ahead (a subclass runs the same tests with the chunk thread parsing). */
    boolean parseAhead() {
        return true;
    }

    @BeforeEach
    void setUp() {
        System.setProperty("appmetrica.parseAhead", Boolean.toString(parseAhead()));
        Coordination.use(new InMemoryCoordinationStore());
        System.setProperty(TOKEN_PROPERTY, "reader-token");
        Logger.getLogger("org.appmetrica.loader.progress").addHandler(capture);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (LogsApiItemReader reader : opened) {
            reader.close();
        }
        Logger.getLogger("org.appmetrica.loader.progress").removeHandler(capture);
        System.clearProperty(TOKEN_PROPERTY);
        System.clearProperty("appmetrica.parseAhead");
    }

    private Properties job(String filters) {
        Properties p = new Properties();
        p.setProperty("applicationIds", Long.toString(SLICE.applicationId()));
        p.setProperty("sources", SLICE.source());
        p.setProperty("dateSince", SLICE.day().toString());
        p.setProperty("dateUntil", SLICE.day().toString());
        p.setProperty("fields.events", "event_name,event_datetime");
        if (filters != null) {
            p.setProperty("filters.events", filters);
        }
        p.setProperty("apiUrl", "http://fake-reader-api");
        p.setProperty("tokenRef", "prop:" + TOKEN_PROPERTY);
        p.setProperty("clickhouseDatabase", "reader_test");
        p.setProperty("spoolDir", spoolDir.toString());
        p.setProperty("pollIntervalSeconds", "0");
        return p;
    }

    private static FakeStepContext partition() {
        Properties p = new Properties();
        p.setProperty(SliceProperties.SLICE, SLICE.key());
        return new FakeStepContext(p);
    }

    /** An export of {@link #ROWS} rows; {@code tag} tells one rendering from another. */
    private static String export(String tag) {
        StringBuilder csv = new StringBuilder("event_name,event_datetime\n");
        for (int i = 0; i < ROWS; i++) {
            csv.append(tag).append(' ').append(i).append(",2024-05-01 00:00:0").append(i).append('\n');
        }
        return csv.toString();
    }

    private LogsApiItemReader reader(Properties job, FakeStepContext step, long executionId) {
        LogsApiItemReader reader = new LogsApiItemReader(new FakeJobContext(job, INSTANCE, executionId), step, api, stop::get);
        opened.add(reader);
        return reader;
    }

    /** One row as a test keeps it (a block's rows are views the next read moves). */
    private record Row(long position, String[] values) {
    }

    /**
     * Reads up to {@code max} rows as one chunk of that many rows would (the chunk's budget tells the reader the rows
     * left), checking that no block passes them.
     */
    private static List<Row> read(LogsApiItemReader reader, int max) throws Exception {
        List<Row> rows = new ArrayList<>();
        SliceContext context = SliceContext.of(reader.stepContext, SLICE);
        while (rows.size() < max) {
            context.chunkRowsLeft(max - rows.size());
            RowBlock block = (RowBlock) reader.readItem();
            if (block == null) {
                break;
            }
            assertTrue(block.rows() > 0 && block.rows() <= max - rows.size(), block.rows() + " rows in a block");
            if (!rows.isEmpty()) {
                assertEquals(rows.get(rows.size() - 1).position() + 1, block.firstPosition(), "blocks follow each other");
            }
            for (int r = 0; r < block.rows(); r++) {
                rows.add(new Row(block.firstPosition() + r, block.row(r).strings()));
            }
        }
        return rows;
    }

    private static List<String> names(List<Row> rows) {
        return rows.stream().map(r -> r.values()[0]).toList();
    }

    private static List<Long> positions(List<Row> rows) {
        return rows.stream().map(Row::position).toList();
    }

    private static List<String> names(String tag, int from) {
        List<String> names = new ArrayList<>();
        for (int i = from; i < ROWS; i++) {
            names.add(tag + " " + i);
        }
        return names;
    }

    /** Reads {@code rows} rows, has the "writer" confirm them and returns the checkpoint the chunk commits. */
    private static ReaderCheckpoint chunk(LogsApiItemReader reader, FakeStepContext step, int rows) throws Exception {
        read(reader, rows);
        SliceContext context = SliceContext.of(step, SLICE);
        context.rowsStaged(context.rowsStaged() + rows);
        return (ReaderCheckpoint) reader.checkpointInfo();
    }

    @Test
    void readsEveryRowWithoutACheckpoint() throws Exception {
        api.serving(r -> export("first"));
        FakeStepContext step = partition();
        LogsApiItemReader reader = reader(job(null), step, 1);
        reader.open(null);
        List<Row> rows = read(reader, ROWS + 5);
        assertEquals(names("first", 0), names(rows));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), positions(rows));
        assertEquals("2024-05-01 00:00:03", rows.get(3).values()[1]);
        assertTrue(SliceContext.of(step, SLICE).readerExhausted());
        assertEquals(List.of("reader-token"), api.tokens());
        assertEquals(1, api.calls().size());
    }

    /**
     * The export ends right where a chunk ended: the next chunk gets one end marker before null, so that the writer gets
     * a chunk in which to end its INSERT (the runtime writes no empty chunk).
     */
    @Test
    void anExportEndingAtAChunksEndGivesAnEndMarkerThenNull() throws Exception {
        api.serving(r -> export("first"));
        FakeStepContext step = partition();
        LogsApiItemReader reader = reader(job(null), step, 1);
        reader.open(null);
        assertEquals(ROWS, read(reader, ROWS).size());
        assertFalse(SliceContext.of(step, SLICE).readerExhausted(), "the reader has not seen the end yet");
        SliceContext.of(step, SLICE).chunkRowsLeft(ROWS);
        assertSame(RowBlock.NOTHING, reader.readItem());
        assertTrue(SliceContext.of(step, SLICE).readerExhausted());
        assertNull(reader.readItem());
    }

    /** Once the export is spooled whole, each block tells the writer about how many rows follow (see InsertSizes). */
    @Test
    void tellsAboutHowManyRowsFollowOnceTheExportIsSpooled() throws Exception {
        StringBuilder csv = new StringBuilder("event_name,event_datetime\n");
        for (int i = 0; i < 40_000; i++) {
            csv.append(String.format("e %05d,2024-05-01 00:00:00%n", i)); // rows of one size: 28 bytes
        }
        api.serving(r -> csv.toString());
        FakeStepContext step = partition();
        LogsApiItemReader reader = reader(job(null), step, 1);
        reader.open(null);
        reader.awaitDownload();
        read(reader, 30_000);
        long left = SliceContext.of(step, SLICE).exportRowsLeft();
        // low by what the streams read ahead (two 64 KB buffers at most: 4 681 of these rows, and the rows' size as
        // estimated from the bytes read, 1 460 here)
        assertTrue(left > 10_000 - 4_681 - 1_460 && left <= 10_000, left + " rows left, 10 000 follow");
    }

    @Test
    void checkpointsCarryTheRowsTheWriterConfirmedNotTheRowsRead() throws Exception {
        api.serving(r -> export("first"));
        FakeStepContext step = partition();
        LogsApiItemReader reader = reader(job(null), step, 1);
        reader.open(null);
        reader.awaitDownload();
        read(reader, 4);
        ReaderCheckpoint unconfirmed = (ReaderCheckpoint) reader.checkpointInfo();
        assertEquals(0, unconfirmed.rowsDone(), "the chunk's INSERT may still be running: it is not in the checkpoint yet");
        SliceContext.of(step, SLICE).rowsStaged(4);
        ReaderCheckpoint first = (ReaderCheckpoint) reader.checkpointInfo();
        assertEquals(4, first.rowsDone());
        assertEquals(SLICE.key(), first.sliceKey());
        assertEquals(1, first.partsCount());
        assertEquals(1, first.partSha256().size());
        assertNotNull(first.spoolId());
        assertEquals(SliceContext.of(step, SLICE).handOff().lease().stageEpoch(), first.stageEpoch());
        ReaderCheckpoint second = chunk(reader, step, 4);
        assertEquals(8, second.rowsDone());
        assertEquals(first.partSha256(), second.partSha256());
        assertEquals(first.spoolId(), second.spoolId());
    }

    @Test
    void aRestartSkipsExactlyTheConfirmedRowsOfTheSameSpooledBytes() throws Exception {
        api.serving(r -> export("first"));
        FakeStepContext step = partition();
        LogsApiItemReader reader = reader(job(null), step, 1);
        reader.open(null);
        reader.awaitDownload();
        read(reader, 2);
        ReaderCheckpoint saved = chunk(reader, step, 2); // 2 + 2 read, 2 confirmed
        read(reader, 3); // read, never confirmed: a restart reads them again
        reader.close();

        api.serving(r -> export("second")); // the API would serve other bytes now
        int calls = api.calls().size();
        FakeStepContext restarted = step.restarted();
        LogsApiItemReader again = reader(job(null), restarted, 2);
        again.open(saved);
        List<Row> rows = read(again, ROWS);
        assertEquals(names("first", 2), names(rows));
        assertEquals(2L, rows.get(0).position());
        assertEquals(calls, api.calls().size(), "the spooled export is read again, not requested");
        assertFalse(SliceContext.of(restarted, SLICE).handOff().fromFirstRow());
        assertEquals(saved.partSha256(), ((ReaderCheckpoint) again.checkpointInfo()).partSha256());
    }

    @Test
    void aSpoolOfAnotherRequestIsNotReused() throws Exception {
        api.serving(r -> export(r.filters().isEmpty() ? "unfiltered" : "filtered"));
        FakeStepContext step = partition();
        LogsApiItemReader reader = reader(job(null), step, 1);
        reader.open(null);
        ReaderCheckpoint saved = chunk(reader, step, 4);
        reader.close();

        // the same job instance and checkpoint, but the request changed (a restart with another filter)
        FakeStepContext restarted = step.restarted();
        LogsApiItemReader again = reader(job("event_name=x"), restarted, 2);
        again.open(saved);
        List<Row> rows = read(again, ROWS + 1);
        assertEquals(names("filtered", 0), names(rows), "every row of the new request, none of the old file");
        assertEquals(0L, rows.get(0).position());
        assertTrue(SliceContext.of(restarted, SLICE).handOff().fromFirstRow());
        List<FakeLogsApi.Call> calls = api.calls();
        ExportRequest last = calls.get(calls.size() - 1).request();
        assertEquals("x", last.filters().get("event_name"));
        assertTrue(calls.get(calls.size() - 1).noCache(), "another request's submission says nothing about this one");
        ReaderCheckpoint now = (ReaderCheckpoint) again.checkpointInfo();
        assertFalse(now.spoolId().equals(saved.spoolId()), "the spool got a new identity");
    }

    @Test
    void anExportThatDiffersAfterTheSpoolWasLostIsReadFromItsFirstRow() throws Exception {
        api.serving(r -> export("first"));
        FakeStepContext step = partition();
        LogsApiItemReader reader = reader(job(null), step, 1);
        reader.open(null);
        reader.awaitDownload();
        ReaderCheckpoint saved = chunk(reader, step, 5);
        reader.close();
        ExportSpool.deleteInstance(spoolDir, INSTANCE);

        api.serving(r -> export("second"));
        FakeStepContext restarted = step.restarted();
        LogsApiItemReader again = reader(job(null), restarted, 2);
        again.open(saved);
        assertEquals(names("second", 0), names(read(again, ROWS + 1)));
        assertTrue(SliceContext.of(restarted, SLICE).handOff().fromFirstRow(), "the writer must empty the staging partition");
        assertTrue(log.stream().anyMatch(l -> l.contains("the export downloaded again differs from the one loading started from")), log.toString());
    }

    /** A body that stops after its first {@code head} bytes until {@code release} is counted down. */
    private static ApiResponse arriving(String body, int head, CountDownLatch release) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        InputStream in = new SequenceInputStream(new ByteArrayInputStream(bytes, 0, head), new InputStream() {
            private final InputStream rest = new ByteArrayInputStream(bytes, head, bytes.length - head);

            @Override
            public int read() throws IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return rest.read();
            }
        });
        return new ApiResponse(200, null, in, bytes.length, null);
    }

    /** Reads and confirms 3 rows of an export whose download is held after its 4th row; returns that checkpoint. */
    private ReaderCheckpoint checkpointWhileArriving(FakeStepContext step, CountDownLatch release) throws Exception {
        String body = export("first");
        int head = 0;
        for (int lines = 0; lines < 5; head++) { // the header and 4 rows
            lines += body.charAt(head) == '\n' ? 1 : 0;
        }
        api.then(arriving(body, head, release));
        LogsApiItemReader reader = reader(job(null), step, 1);
        reader.open(null);
        ReaderCheckpoint saved = chunk(reader, step, 3);
        assertEquals(List.of(), saved.partSha256(), "the export is still arriving: its hash is not known yet");
        assertEquals(3, saved.rowsDone());
        release.countDown();
        reader.close(); // waits for the download to complete
        return saved;
    }

    @Test
    void aCheckpointTakenWhileTheExportArrivedResumesFromTheCompletedSpool() throws Exception {
        FakeStepContext step = partition();
        ReaderCheckpoint saved = checkpointWhileArriving(step, new CountDownLatch(1));
        int calls = api.calls().size();
        FakeStepContext restarted = step.restarted();
        LogsApiItemReader again = reader(job(null), restarted, 2);
        again.open(saved);
        List<Row> rows = read(again, ROWS);
        assertEquals(names("first", 3), names(rows));
        assertEquals(3L, rows.get(0).position());
        assertEquals(calls, api.calls().size(), "the spool the download completed is read, nothing is requested");
        assertFalse(SliceContext.of(restarted, SLICE).handOff().fromFirstRow());
        assertEquals(1, ((ReaderCheckpoint) again.checkpointInfo()).partSha256().size());
    }

    @Test
    void aCheckpointTakenWhileTheExportArrivedLoadsFromTheFirstRowIfThatDownloadIsGone() throws Exception {
        FakeStepContext step = partition();
        ReaderCheckpoint saved = checkpointWhileArriving(step, new CountDownLatch(1));
        ExportSpool.deleteInstance(spoolDir, INSTANCE);
        api.serving(r -> export("first")); // even the same bytes: nothing ties them to the rows read before
        FakeStepContext restarted = step.restarted();
        LogsApiItemReader again = reader(job(null), restarted, 2);
        again.open(saved);
        List<Row> rows = read(again, ROWS + 1);
        assertEquals(names("first", 0), names(rows));
        assertTrue(SliceContext.of(restarted, SLICE).handOff().fromFirstRow(), "the writer must empty the staging partition");
        assertTrue(log.stream().anyMatch(l -> l.contains("taken while the export was still arriving")), log.toString());
    }

    @Test
    void aStopWhileTheExportWaitsInTheQueueEndsTheChunkWithNothingRead() throws Exception {
        api.then(FakeLogsApi.queued(30)).otherwise(r -> {
            stop.set(true);
            return FakeLogsApi.queued(40);
        });
        FakeStepContext step = partition();
        LogsApiItemReader reader = reader(job(null), step, 1);
        reader.open(null);
        assertTrue(log.stream().anyMatch(l -> l.contains("waiting in the API queue (30%)")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("stop requested while waiting for the export")), log.toString());
        assertSame(RowBlock.NOTHING, reader.readItem());
        assertNull(reader.readItem());
        ReaderCheckpoint checkpoint = (ReaderCheckpoint) reader.checkpointInfo();
        assertEquals(0, checkpoint.rowsDone());
        assertEquals(List.of(), checkpoint.partSha256());
    }

    @Test
    void namesTheRequestedFieldsInOrder() throws Exception {
        api.serving(r -> export("first"));
        LogsApiItemReader reader = reader(job(null), partition(), 1);
        reader.open(null);
        assertEquals(List.of("event_name", "event_datetime"), api.calls().get(0).request().fields());
        assertEquals(Arrays.asList("first 0", "2024-05-01 00:00:00"), Arrays.asList(((RowBlock) reader.readItem()).row(0).strings()));
    }

    private static boolean parseThread(Thread.State... states) {
        List<Thread.State> wanted = Arrays.asList(states);
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("appmetrica-parse " + SLICE)
                && t.isAlive() && (wanted.isEmpty() || wanted.contains(t.getState())));
    }

    /**
     * A row that does not parse, met by the parse thread ahead of the chunks: the rows before it reach the chunks, in
     * order and across a chunk's bound, then the very error a reader without the thread gives; no thread after close.
     */
    @Test
    void aBrokenRowFailsTheChunkAfterTheRowsBeforeIt() throws Exception {
        assumeTrue(parseAhead(), "without the thread the rows of the broken row's block are not handed out (the chunk fails alike)");
        String broken = export("first").replace("first 7,2024-05-01 00:00:07", "first 7,2024-05-01 00:00:07,extra");
        api.serving(r -> broken);
        FakeStepContext step = partition();
        LogsApiItemReader reader = reader(job(null), step, 1);
        reader.open(null);
        assertEquals(names("first", 0).subList(0, 5), names(read(reader, 5)));
        List<Row> rows = new ArrayList<>();
        SliceContext context = SliceContext.of(step, SLICE);
        CorruptExportException e = assertThrows(CorruptExportException.class, () -> {
            while (true) {
                context.chunkRowsLeft(5 - rows.size());
                RowBlock block = (RowBlock) reader.readItem();
                for (int r = 0; r < block.rows(); r++) {
                    rows.add(new Row(block.firstPosition() + r, block.row(r).strings()));
                }
            }
        });
        assertEquals(List.of("first 5", "first 6"), names(rows));
        assertEquals(List.of(5L, 6L), positions(rows));
        assertTrue(e.getMessage().matches(".*: row 8 has 3 values, expected 2 \\(malformed or truncated file\\) \\(the downloaded file was "
                + "removed; it is downloaded again on retry\\)"), e.getMessage());
        reader.close();
        assertFalse(parseThread());
    }

    /** Closed after a chunk (a stop, a retry's rollback) while the parse thread is ahead: the thread ends with the reader. */
    @Test
    void theParseThreadEndsWhenTheReaderClosesWhileItIsAhead() throws Exception {
        assumeTrue(parseAhead());
        StringBuilder big = new StringBuilder("event_name,event_datetime\n");
        for (int i = 0; i < 50_000; i++) {
            big.append("big ").append(i).append(",2024-05-01 00:00:00\n");
        }
        api.serving(r -> big.toString());
        FakeStepContext step = partition();
        LogsApiItemReader reader = reader(job(null), step, 1);
        reader.open(null);
        assertEquals(100, read(reader, 100).size());
        org.appmetrica.loader.testing.Await.await(() -> parseThread(Thread.State.WAITING), java.time.Duration.ofSeconds(30),
                () -> "the parse thread waiting, ahead of the chunks");
        reader.close();
        assertFalse(parseThread());
    }
}
