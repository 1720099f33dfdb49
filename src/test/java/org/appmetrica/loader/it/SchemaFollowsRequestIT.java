package org.appmetrica.loader.it;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.Identifiers;
import org.appmetrica.loader.clickhouse.TableLayout;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.model.LoadSettings;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.SourceSpec;
import org.appmetrica.loader.simulator.SimulatedData;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The table follows the request: a field column an existing table lacks is added (target and staging table, the
 * catalogue's type, in catalogue order) and reads NULL or '' for rows loaded before; a column with another type fails
 * before any download; fields not requested are NULL or ''; the INSERT names its columns, so the physical order of a
 * user's table does not matter.
 */
class SchemaFollowsRequestIT extends BatchIT {

    private static final SourceSpec EVENTS_SPEC = FieldCatalog.get().source("events").orElseThrow();
    private static final TableLayout EVENTS = new TableLayout(EVENTS_SPEC);
    private static final long SEED = 16;
    private static final int ROWS = 10;

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(TOKEN, ROWS, SEED);

    @Test
    void fieldColumnsMissingFromALoadedTableAreAddedAndOlderRowsReadEmpty() throws Exception {
        String database = env.freshDatabase(TestClickHouse.database("it_schema_added"));
        Properties first = load(database, "2024-03-01", "event_name,event_datetime,mcc,os_name,city");
        assertEquals(BatchStatus.COMPLETED, run(first).getBatchStatus());
        // the tables of an older loader, or a user's drop: a String and a Nullable(Int64) column gone from both
        for (String table : List.of("events", "_stage_events")) {
            for (String column : List.of("event_name", "mcc", "city")) {
                env.clickhouse().execute("ALTER TABLE " + database + "." + table + " DROP COLUMN " + column);
            }
        }
        // event_name is requested again, mcc and city are not
        Properties second = load(database, "2024-03-02", "event_name,event_datetime,os_name");
        JobExecution execution = run(second);
        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), describe(execution));

        assertEquals(freshColumns(), columns(database, "events"), "the extended table has a fresh table's columns, in order");
        assertEquals(freshColumns(), columns(database, "_stage_events"), "the staging table too");

        Map<String, Integer> expected = new HashMap<>();
        // rows of the first day lost the dropped values: NULL or '' now
        expected(first, List.of("event_datetime", "os_name")).forEach((k, v) -> expected.merge(k, v, Integer::sum));
        // the second day has the requested event_name; mcc and city were not requested: NULL and ''
        expected(second, null).forEach((k, v) -> expected.merge(k, v, Integer::sum));
        assertRows(expected, database);

        ClickHouseConnection c = env.clickhouse();
        String events = database + ".events";
        assertEquals(0, c.queryLong("SELECT count() FROM " + events + " WHERE load_date = '2024-03-01'"
                + " AND (event_name != '' OR mcc IS NOT NULL OR city != '')"));
        assertEquals(ROWS, c.queryLong("SELECT count() FROM " + events + " WHERE load_date = '2024-03-02' AND mcc IS NULL"
                + " AND city = ''"));
        assertTrue(c.queryLong("SELECT count() FROM " + events + " WHERE load_date = '2024-03-02' AND event_name != ''") > 0);
    }

    @Test
    void aColumnDroppedAndAddedWithAnotherTypeFailsBeforeAnyDownload() throws Exception {
        String database = env.freshDatabase(TestClickHouse.database("it_schema_retyped"));
        Properties p = load(database, "2024-03-01", "event_name,event_datetime,mcc");
        assertEquals(BatchStatus.COMPLETED, run(p).getBatchStatus());
        env.clickhouse().execute("ALTER TABLE " + database + ".events DROP COLUMN mcc");
        env.clickhouse().execute("ALTER TABLE " + database + ".events ADD COLUMN mcc String");
        int requestsBefore = env.simulator().requests().size();
        JobExecution failed = run(load(database, "2024-03-02", "event_name,event_datetime,mcc"));
        assertEquals(BatchStatus.FAILED, failed.getBatchStatus(), describe(failed));
        assertTrue(failed.getExitStatus().contains("column mcc has type String, expected Nullable(Int64)"), failed.getExitStatus());
        assertEquals(requestsBefore, env.simulator().requests().size(), "no Logs API request before the tables are checked");
        assertEquals("String", env.clickhouse().queryValue("SELECT type FROM system.columns WHERE database = '" + database
                + "' AND table = 'events' AND name = 'mcc'"), "the column is left as the user made it");
        assertEquals(ROWS, env.clickhouse().queryLong("SELECT count() FROM " + database + ".events"), "the loaded rows stay");
    }

    @Test
    void aTableWithAnotherColumnOrderGetsEveryValueInItsColumn() throws Exception {
        String database = env.freshDatabase(TestClickHouse.database("it_schema_order"));
        env.clickhouse().execute("CREATE DATABASE IF NOT EXISTS " + database);
        // the user's own table: the fields in reverse order, and event_name missing
        List<String> columns = new ArrayList<>();
        List<String[]> layout = EVENTS.columns();
        for (int i = 0; i < layout.size(); i++) {
            String[] column = layout.get(i < 3 ? i : layout.size() - 1 - (i - 3));
            if (!column[0].equals("event_name")) {
                columns.add(Identifiers.quote(column[0]) + " " + column[1]);
            }
        }
        String create = EVENTS.createTableSql(database);
        env.clickhouse().execute(create.substring(0, create.indexOf('(') + 1) + String.join(", ", columns)
                + create.substring(create.indexOf(") ENGINE")));
        Properties p = load(database, "2024-03-01", "event_name,event_datetime,event_timestamp,mcc,os_name,city,session_id");
        JobExecution execution = run(p);
        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), describe(execution));
        GroundTruth.assertLoaded(env.clickhouse(), p, database, SEED, ROWS);
        List<String> order = columns(database, "events").stream().map(c -> c.split(" ")[0]).toList();
        assertEquals(order.indexOf("event_json") + 1, order.indexOf("event_name"),
                "added after the field before it in the catalogue: " + order);
    }

    private static Properties load(String database, String day, String fields) {
        Properties p = parameters(env.apiUrl(), database);
        p.setProperty("applicationIds", "101");
        p.setProperty("sources", "events");
        p.setProperty("dateSince", day);
        p.setProperty("dateUntil", day);
        p.setProperty("fields.events", fields);
        return p;
    }

    /** "name type" of every column of a fresh table, in order. */
    private static List<String> freshColumns() {
        return EVENTS.columns().stream().map(c -> c[0] + " " + c[1]).toList();
    }

    private static List<String> columns(String database, String table) {
        return env.clickhouse().query("SELECT name, type FROM system.columns WHERE database = '" + database + "' AND table = '"
                + table + "'").stream().map(r -> r[0] + " " + r[1]).toList();
    }

    /** The rows the simulator served for the load's slices, as if only {@code fields} (null: the load's own) were requested. */
    private static Map<String, Integer> expected(Properties p, List<String> fields) {
        LoadSettings settings = LoadParameters.parse(p);
        List<String> requested = settings.fields().get("events");
        Map<String, Integer> served = GroundTruth.expected(new SimulatedData(SEED, ROWS), EVENTS_SPEC, requested,
                settings.slices(), env.clickhouse().queryValue("SELECT toDate(0)"));
        if (fields == null) {
            return served;
        }
        // blank the columns of fields not kept: the canonical row is load_application_id, load_date, then every field
        Map<String, Integer> kept = new HashMap<>();
        served.forEach((row, count) -> {
            String[] cells = row.split("\t", -1);
            for (int i = 0; i < EVENTS_SPEC.fields().size(); i++) {
                var field = EVENTS_SPEC.fields().get(i);
                if (!fields.contains(field.name())) {
                    cells[i + 2] = field.column().nullable() ? "\\N" : "";
                }
            }
            kept.merge(String.join("\t", Arrays.asList(cells)), count, Integer::sum);
        });
        return kept;
    }

    private static void assertRows(Map<String, Integer> expected, String database) {
        Map<String, Integer> actual = GroundTruth.actual(env.clickhouse(), database, EVENTS_SPEC);
        String diff = GroundTruth.difference(expected, actual);
        assertEquals(GroundTruth.count(expected), GroundTruth.count(actual), "row count" + diff);
        assertEquals(GroundTruth.checksum(expected), GroundTruth.checksum(actual), "checksum over all columns" + diff);
    }
}
