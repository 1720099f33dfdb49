package org.appmetrica.loader.writer;

import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.SchemaManager;
import org.appmetrica.loader.clickhouse.SliceTables;
import org.appmetrica.loader.clickhouse.TableLayout;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.coordination.Coordination;
import org.appmetrica.loader.coordination.InMemoryCoordinationStore;
import org.appmetrica.loader.coordination.SliceLease;
import org.appmetrica.loader.model.Slice;
import org.appmetrica.loader.model.SliceContext;
import org.appmetrica.loader.model.SliceHandOff;
import org.appmetrica.loader.model.SliceProperties;
import org.appmetrica.loader.model.SliceReport;
import org.appmetrica.loader.model.SliceState;
import org.appmetrica.loader.processor.MappedRows;
import org.appmetrica.loader.processor.RowMapper;
import org.appmetrica.loader.reader.Cells;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.SourceSpec;
import org.appmetrica.loader.testing.FakeJobContext;
import org.appmetrica.loader.testing.FakeStepContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The writer and the publish listener against the real ClickHouse: a restart trims the rows past its checkpoint from
 * the staging partition, publishing replaces the target partition with exactly the staged rows, and publishing again
 * (a replay after a crash) leaves exactly those rows.
 */
class ClickHouseItemWriterIT {

    private static final String DB = TestClickHouse.database("it_writer");
    private static final Slice SLICE = new Slice(701, "events", LocalDate.of(2024, 5, 1));
    private static final SourceSpec EVENTS = FieldCatalog.get().source("events").orElseThrow();
    private static final List<String> FIELDS = List.of("event_name", "appmetrica_device_id", "event_datetime");
    private static ClickHouseConnection clickhouse;

    private final List<ClickHouseItemWriter> writers = new ArrayList<>();
    private final List<SliceLease> leases = new ArrayList<>();
    private SliceTables tables;
    /** The writer's insertsInFlight. */
    private int inFlight = 1;
    /** The writer's insertRows, null for the default. */
    private String insertRows;

    @BeforeAll
    static void connect() {
        clickhouse = TestClickHouse.connect();
        TestClickHouse.recreate(clickhouse, DB);
        new SchemaManager(clickhouse, DB).prepare(new TableLayout(EVENTS));
    }

    @AfterAll
    static void disconnect() {
        clickhouse.close();
    }

    @BeforeEach
    void setUp() {
        Coordination.use(new InMemoryCoordinationStore());
        tables = new SliceTables(clickhouse, DB, new TableLayout(EVENTS), SLICE.applicationId(), SLICE.partitionDay());
        tables.resetStage();
        tables.dropTarget();
    }

    @AfterEach
    void tearDown() {
        writers.forEach(ClickHouseItemWriter::close);
        leases.forEach(SliceLease::release);
    }

    private Properties job() {
        Properties p = new Properties();
        p.setProperty("applicationIds", Long.toString(SLICE.applicationId()));
        p.setProperty("sources", SLICE.source());
        p.setProperty("dateSince", SLICE.day().toString());
        p.setProperty("dateUntil", SLICE.day().toString());
        p.setProperty("fields.events", String.join(",", FIELDS));
        p.setProperty("clickhouseUrl", TestClickHouse.URL);
        p.setProperty("clickhouseDatabase", DB);
        p.setProperty("insertsInFlight", Integer.toString(inFlight));
        if (insertRows != null) {
            p.setProperty("insertRows", insertRows);
        }
        return p;
    }

    private static FakeStepContext partition() {
        Properties p = new Properties();
        p.setProperty(SliceProperties.SLICE, SLICE.key());
        return new FakeStepContext(p);
    }

    /** A partition's writer opened as the runtime opens it: after the reader took the lease. */
    private ClickHouseItemWriter open(FakeStepContext step, long executionId, WriterCheckpoint checkpoint) throws InterruptedException {
        SliceLease lease = SliceLease.tryAcquire(SliceLease.key(DB, SLICE.source(), SLICE.applicationId(), SLICE.day().toString()),
                executionId, 1).orElseThrow();
        leases.add(lease);
        SliceContext.of(step, SLICE).handOff(new SliceHandOff(lease, false));
        ClickHouseItemWriter writer = new ClickHouseItemWriter();
        writer.jobContext = new FakeJobContext(job(), 1, executionId);
        writer.stepContext = step;
        writer.open(checkpoint);
        writers.add(writer);
        return writer;
    }

    private SlicePublishListener listener(FakeStepContext step) {
        SlicePublishListener listener = new SlicePublishListener();
        listener.stepContext = step;
        listener.jobContext = new FakeJobContext(job(), 1, 1);
        return listener;
    }

    /** Rows at positions {@code from} to {@code to - 1}, their event names tagged. */
    private static List<Object> rows(String tag, int from, int to) {
        RowMapper mapper = new RowMapper(EVENTS, FIELDS, SLICE.applicationId(), SLICE.partitionDay(), "test");
        MappedRows mapped = MappedRows.take(MappedRows.pool(), from, new TableLayout(EVENTS).columns());
        for (int i = from; i < to; i++) {
            mapper.map(i, Cells.of(tag + " " + i, "18446744073709551615", "2024-05-01 10:00:00"), mapped.block());
        }
        mapped.added(to - from);
        List<Object> items = new ArrayList<>();
        for (int i = from; i < to; i += 3) {
            items.add(mapped); // one item per block of rows, each naming the chunk's buffer
        }
        return items;
    }

    private String namesIn(String table) {
        return clickhouse.queryValue("SELECT arrayStringConcat(arraySort(groupArray(concat(toString(" + TableLayout.ROW_COLUMN
                + "), ':', event_name))), ',') FROM " + table + " WHERE " + TableLayout.APPLICATION_COLUMN + " = " + SLICE.applicationId()
                + " AND " + TableLayout.DATE_COLUMN + " = '" + SLICE.partitionDay() + "'");
    }

    private static String expected(String tag, int from, int to) {
        List<String> names = new ArrayList<>();
        for (int i = from; i < to; i++) {
            names.add(i + ":" + tag + " " + i);
        }
        names.sort(null); // as ClickHouse sorts the strings
        return String.join(",", names);
    }

    /**
     * Loads 30 rows in three chunks of 10, one INSERT streaming them all but for a stop's marker after the second, which
     * ends it: the third reaches ClickHouse (its INSERT ends at close), but no checkpoint names it.
     */
    private WriterCheckpoint crashAfterThreeChunks(FakeStepContext step) throws Exception {
        ClickHouseItemWriter writer = open(step, 1, null);
        writer.writeItems(rows("first", 0, 10));
        writer.writeItems(rows("first", 10, 20));
        assertEquals(0, ((WriterCheckpoint) writer.checkpointInfo()).rowsStaged(), "the INSERT is still open");
        writer.writeItems(List.of(MappedRows.NOTHING));
        writer.writeItems(rows("lost", 20, 30));
        WriterCheckpoint checkpoint = (WriterCheckpoint) writer.checkpointInfo();
        assertEquals(20, checkpoint.rowsStaged());
        writer.close(); // the INSERTs still running end: their rows are staged past the checkpoint
        leases.forEach(SliceLease::release);
        assertEquals(30, tables.stageRows());
        return checkpoint;
    }

    @ParameterizedTest(name = "insertsInFlight={0}")
    @ValueSource(ints = {1, 2})
    void aRestartTrimsTheRowsPastItsCheckpoint(int inserts) throws Exception {
        inFlight = inserts;
        FakeStepContext step = partition();
        WriterCheckpoint checkpoint = crashAfterThreeChunks(step);
        int kept = (int) checkpoint.rowsStaged();
        FakeStepContext restarted = step.restarted();
        ClickHouseItemWriter writer = open(restarted, 2, checkpoint);
        assertEquals(kept, tables.stageRows());
        assertEquals(expected("first", 0, kept), namesIn(tables.stageTable()));
        assertEquals(kept, ((WriterCheckpoint) writer.checkpointInfo()).rowsStaged());
    }

    @ParameterizedTest(name = "insertsInFlight={0}")
    @ValueSource(ints = {1, 2})
    void publishingReplacesTheTargetPartitionWithExactlyTheStagedRows(int inserts) throws Exception {
        inFlight = inserts;
        ClickHouseItemWriter earlier = open(partition(), 9, null); // an earlier load of the day, 5 rows
        earlier.writeItems(rows("old", 0, 5));
        earlier.close();
        tables.publish();
        leases.forEach(SliceLease::release);
        tables.resetStage();

        FakeStepContext step = partition();
        WriterCheckpoint checkpoint = crashAfterThreeChunks(step);
        FakeStepContext restarted = step.restarted();
        ClickHouseItemWriter writer = open(restarted, 2, checkpoint);
        for (int from = (int) checkpoint.rowsStaged(); from < 30; from += 10) {
            writer.writeItems(rows("first", from, from + 10)); // the chunks read again
        }
        SlicePublishListener listener = listener(restarted);
        listener.afterChunk();
        assertEquals(expected("old", 0, 5), namesIn(tables.targetTable()), "nothing is published before the end of the export");
        SliceContext.of(restarted, SLICE).readerExhausted(true);
        listener.afterChunk(); // the last, empty chunk
        assertEquals(expected("first", 0, 30), namesIn(tables.targetTable()));
        SliceReport report = assertInstanceOf(SliceReport.class, restarted.getPersistentUserData());
        assertEquals(SliceState.PUBLISHED, report.sliceState());
        assertEquals(30, report.rows());
    }

    /** Parts the staging table got from INSERTs (level 0), merged since or not: one per INSERT. */
    private java.util.Set<String> insertedParts() {
        return new java.util.HashSet<>(clickhouse.query("SELECT name FROM system.parts WHERE level = 0 AND database = '" + DB
                + "' AND table = '" + new TableLayout(EVENTS).stageTableName() + "'").stream().map(r -> r[0]).toList());
    }

    /**
     * The rows of the parts the staging table got from INSERTs (level 0) since {@code before}, largest first (a part's
     * block number is taken when the server writes it, and the last INSERTs' parts are written at once).
     */
    private List<Long> insertedPartRows(java.util.Set<String> before) {
        return clickhouse.query("SELECT name, rows FROM system.parts WHERE level = 0 AND database = '" + DB + "' AND table = '"
                        + new TableLayout(EVENTS).stageTableName() + "'").stream()
                .filter(r -> !before.contains(r[0])).map(r -> Long.parseLong(r[1])).sorted(java.util.Comparator.reverseOrder()).toList();
    }

    /** Writes 60 chunks of 10 rows, telling the writer the rows left as the reader does, and publishes. */
    private void writeAndPublish600Rows() throws Exception {
        FakeStepContext step = partition();
        ClickHouseItemWriter writer = open(step, 1, null);
        for (int from = 0; from < 600; from += 10) {
            SliceContext.of(step, SLICE).exportRowsLeft(600 - from - 10);
            writer.writeItems(rows("many", from, from + 10));
        }
        SliceContext.of(step, SLICE).readerExhausted(true);
        listener(step).afterChunk(); // publishes: the last INSERT ends first
        assertEquals(expected("many", 0, 600), namesIn(tables.targetTable()));
        assertEquals(600, ((WriterCheckpoint) writer.checkpointInfo()).rowsStaged());
    }

    /**
     * 60 chunks of 10 rows: one INSERT, one part (one INSERT a chunk made 60 parts); insertRows bounds an INSERT, and
     * the INSERTs near the export's end halve down to one chunk (see InsertSizes).
     */
    @ParameterizedTest(name = "insertRows={0}")
    @ValueSource(strings = {"default", "100", "95"})
    void manyChunksStreamIntoFewInserts(String rows) throws Exception {
        insertRows = rows.equals("default") ? null : rows;
        java.util.Set<String> before = insertedParts();
        writeAndPublish600Rows();
        long expectedParts = switch (rows) {
            case "default" -> 1; // too few rows for a smaller last INSERT to be worth a part
            case "100" -> 9; // 10 chunks an INSERT, then 50, 30, 10, 10 rows
            default -> 9; // 9 chunks an INSERT (another would pass 95), then 80, 40, 20, 10
        };
        java.util.Set<String> parts = insertedParts();
        parts.removeAll(before);
        assertEquals(expectedParts, parts.size(), "parts the INSERTs made: " + parts);
    }

    /**
     * The last INSERT of a slice is small: the server writes an INSERT's part only once it ended, and the last one's
     * after the slice's last byte, while the loader waits. A writer that ends INSERTs only at their bound sends 100 rows
     * last; one INSERT a chunk sends 60 parts.
     */
    @Test
    void theInsertsHalveTowardTheEndOfTheSlice() throws Exception {
        insertRows = "100";
        java.util.Set<String> before = insertedParts();
        writeAndPublish600Rows();
        List<Long> parts = insertedPartRows(before);
        // the INSERTs' order: 100 five times at insertRows, then 50, 30, 10 and 10 as the rows left halve
        assertEquals(List.of(100L, 100L, 100L, 100L, 100L, 50L, 30L, 10L, 10L), parts, "rows of each INSERT's part");
    }

    @Test
    void publishingAgainLeavesExactlyTheSameRows() throws Exception {
        FakeStepContext step = partition();
        ClickHouseItemWriter writer = open(step, 1, null);
        writer.writeItems(rows("first", 0, 10));
        writer.writeItems(rows("first", 10, 17));
        SliceContext.of(step, SLICE).readerExhausted(true);
        listener(step).afterChunk();
        WriterCheckpoint checkpoint = (WriterCheckpoint) writer.checkpointInfo();
        assertEquals(17, checkpoint.rowsStaged());
        writer.close();
        leases.forEach(SliceLease::release);
        assertEquals(expected("first", 0, 17), namesIn(tables.targetTable()));

        // a crash after the swap, before the partition was saved COMPLETED: the restart publishes again
        FakeStepContext restarted = partition();
        open(restarted, 2, checkpoint);
        SliceContext.of(restarted, SLICE).readerExhausted(true);
        listener(restarted).afterChunk();
        assertEquals(expected("first", 0, 17), namesIn(tables.targetTable()));
        assertEquals(17, tables.targetRows());
    }
}
