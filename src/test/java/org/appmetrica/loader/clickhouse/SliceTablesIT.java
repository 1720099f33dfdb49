package org.appmetrica.loader.clickhouse;

import org.appmetrica.loader.processor.RowMapper;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.SourceSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Staging, trimming and atomic publishing of a slice against the real ClickHouse. */
class SliceTablesIT {

    private static final String DB = TestClickHouse.database("it_slice_tables");
    private static final LocalDate DAY = LocalDate.of(2024, 3, 1);
    private static ClickHouseConnection connection;
    private final SourceSpec events = FieldCatalog.get().source("events").orElseThrow();

    @BeforeAll
    static void connect() {
        connection = TestClickHouse.connect();
        TestClickHouse.recreate(connection, DB);
    }

    @AfterAll
    static void close() {
        connection.close();
    }

    private void insert(SliceTables tables, long app, long from, long count) {
        RowMapper mapper = new RowMapper(events, List.of("event_name", "appmetrica_device_id", "event_datetime"), app, DAY, "test");
        tables.insert(out -> {
            for (long i = from; i < from + count; i++) {
                out.write(mapper.map(i, new String[] {"name " + i, "18446744073709551615", "2024-03-01 10:00:00"}));
            }
        });
    }

    @Test
    void stageTrimPublishAndRepublish() {
        TableLayout layout = new TableLayout(events);
        SchemaManager schema = new SchemaManager(connection, DB);
        schema.prepare(layout);
        schema.prepare(layout); // idempotent
        SliceTables app1 = new SliceTables(connection, DB, layout, 1, DAY);
        SliceTables app2 = new SliceTables(connection, DB, layout, 2, DAY);
        app1.resetStage();
        insert(app1, 1, 0, 100);
        insert(app1, 1, 100, 50); // a chunk whose checkpoint was "lost"
        assertEquals(150, app1.stageRows());
        app1.trimStage(100);
        assertEquals(100, app1.stageRows());
        // which delete trimmed: a lightweight one marks rows (_row_exists) on 24.9+, 18.16 rewrites the parts
        String trimmedBy = connection.queryValue("SELECT command FROM system.mutations WHERE database = '" + DB
                + "' AND table = '_stage_events' ORDER BY create_time DESC LIMIT 1");
        System.out.println("staging trim on ClickHouse " + connection.version().text() + ": " + trimmedBy);
        assertTrue(connection.version().lightweightDeleteInPartition() == trimmedBy.contains("_row_exists"), trimmedBy);
        insert(app2, 2, 0, 7);
        app1.publish();
        assertEquals(100, app1.targetRows());
        assertEquals(0, app2.targetRows());
        app1.publish(); // a replayed publish changes nothing
        assertEquals(100, app1.targetRows());
        assertEquals("18446744073709551615", connection.queryValue("SELECT toString(max(appmetrica_device_id)) FROM " + app1.targetTable()));

        app1.resetStage(); // a reload of the same day with fewer rows replaces it
        insert(app1, 1, 0, 3);
        app1.publish();
        assertEquals(3, app1.targetRows());
        app2.publish();
        assertEquals(7, app2.targetRows());
        assertEquals(10, connection.queryLong("SELECT count() FROM " + app1.targetTable()));
    }

    @Test
    void aDroppedColumnIsAddedBackInPlaceAndARetypedOneIsAClearError() {
        SourceSpec clicks = FieldCatalog.get().source("clicks").orElseThrow();
        TableLayout layout = new TableLayout(clicks);
        SchemaManager schema = new SchemaManager(connection, DB);
        dropClicks();
        schema.prepare(layout);
        List<String> fresh = columns("clicks");
        // dropped from the target only: the staging table still has it, and keeps its rows
        connection.execute("ALTER TABLE " + Identifiers.qualified(DB, "clicks") + " DROP COLUMN click_id");
        schema.prepare(layout);
        assertEquals(fresh, columns("clicks"), "added back where a fresh table has it");
        assertEquals(fresh, columns("_stage_clicks"));

        connection.execute("ALTER TABLE " + Identifiers.qualified(DB, "clicks") + " MODIFY COLUMN click_id Nullable(String)");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> schema.prepare(layout));
        assertTrue(e.getMessage().contains("column click_id has type Nullable(String), expected String"), e.getMessage());
    }

    @Test
    void aColumnAnotherLoadAddedMeanwhileIsNoError() {
        TableLayout layout = new TableLayout(FieldCatalog.get().source("clicks").orElseThrow());
        SchemaManager schema = new SchemaManager(connection, DB);
        dropClicks();
        schema.prepare(layout);
        List<String> fresh = columns("clicks");
        connection.execute("ALTER TABLE " + Identifiers.qualified(DB, "clicks") + " DROP COLUMN click_id");
        ExistingTable seen = ExistingTable.read(connection, DB, "clicks").orElseThrow();
        // another load adds it between this one's look and its ALTER (18.16 has no ADD COLUMN IF NOT EXISTS)
        connection.execute("ALTER TABLE " + Identifiers.qualified(DB, "clicks") + " ADD COLUMN click_id String AFTER click_datetime");
        assertEquals(fresh, schema.addMissingFields(seen, layout).columns().entrySet().stream()
                .map(c -> c.getKey() + " " + c.getValue()).toList());
    }

    private static void dropClicks() {
        connection.execute("DROP TABLE IF EXISTS " + Identifiers.qualified(DB, "clicks"));
        connection.execute("DROP TABLE IF EXISTS " + Identifiers.qualified(DB, "_stage_clicks"));
    }

    private static List<String> columns(String table) {
        return connection.query("SELECT name, type FROM system.columns WHERE database = '" + DB + "' AND table = '" + table + "'")
                .stream().map(r -> r[0] + " " + r[1]).toList();
    }

    @Test
    void identifiersAreValidatedNotEscaped() {
        assertThrows(IllegalArgumentException.class, () -> new SchemaManager(connection, "a`b"));
        assertThrows(IllegalArgumentException.class, () -> Identifiers.quote("events; DROP TABLE x"));
    }
}
