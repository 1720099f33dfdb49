package org.appmetrica.loader.it;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.TableLayout;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's own table that the loader cannot publish into correctly (another engine, another partition key, a retyped
 * column) fails the load in its first step, before any Logs API request, and is left as it was; extra columns are fine.
 */
class ExistingTablesIT extends BatchIT {

    private static final TableLayout EVENTS = new TableLayout(FieldCatalog.get().source("events").orElseThrow());

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(TOKEN, 10, 16);

    @Test
    void anotherEngineIsRefused() throws Exception {
        String database = env.freshDatabase(TestClickHouse.database("it_own_engine"));
        env.clickhouse().execute(EVENTS.createTableSql(database).replace("ENGINE = MergeTree()", "ENGINE = ReplacingMergeTree()"));
        String failure = refused(database);
        assertTrue(failure.contains("exists with engine ReplacingMergeTree") && failure.contains("needs a plain MergeTree"), failure);
    }

    @Test
    void anotherPartitionKeyIsRefused() throws Exception {
        String database = env.freshDatabase(TestClickHouse.database("it_own_partition"));
        env.clickhouse().execute(EVENTS.createTableSql(database).replace("PARTITION BY " + EVENTS.partitionKey(),
                "PARTITION BY toYYYYMM(load_date)"));
        String failure = refused(database);
        assertTrue(failure.contains("is partitioned by toYYYYMM(load_date), but the loader needs PARTITION BY"
                + " (load_application_id, load_date)"), failure);
    }

    @Test
    void aRetypedColumnIsRefusedShowingBothTypes() throws Exception {
        String database = env.freshDatabase(TestClickHouse.database("it_own_types"));
        env.clickhouse().execute(EVENTS.createTableSql(database));
        env.clickhouse().execute("ALTER TABLE " + database + ".events MODIFY COLUMN event_name Nullable(String)");
        String failure = refused(database);
        assertTrue(failure.contains("column event_name has type Nullable(String), expected String"), failure);
    }

    @Test
    void aTableWithExtraColumnsIsLoadedExactly() throws Exception {
        String database = env.freshDatabase(TestClickHouse.database("it_own_extra"));
        env.clickhouse().execute(EVENTS.createTableSql(database).replace(") ENGINE", ", note String DEFAULT 'mine') ENGINE"));
        Properties p = load(database);
        JobExecution execution = run(p);
        assertEquals(BatchStatus.COMPLETED, execution.getBatchStatus(), describe(execution));
        GroundTruth.assertLoaded(env.clickhouse(), p, database, 16, 10);
        assertEquals(0, env.clickhouse().queryLong("SELECT count() FROM " + database + ".events WHERE note != 'mine'"));
    }

    private static Properties load(String database) {
        Properties p = parameters(env.apiUrl(), database);
        p.setProperty("applicationIds", "101");
        p.setProperty("sources", "events");
        p.setProperty("dateSince", "2024-03-01");
        p.setProperty("dateUntil", "2024-03-01");
        return p;
    }

    /** Runs a load into the database: it must fail before any Logs API request and create no staging table. */
    private String refused(String database) throws Exception {
        Properties p = load(database);
        int requestsBefore = env.simulator().requests().size();
        JobExecution execution = run(p);
        assertEquals(BatchStatus.FAILED, execution.getBatchStatus(), describe(execution));
        assertEquals(requestsBefore, env.simulator().requests().size(), "no Logs API request before the tables are checked");
        ClickHouseConnection c = env.clickhouse();
        assertEquals(1, c.queryLong("SELECT count() FROM system.tables WHERE database = '" + database + "'"),
                "the user's table stays, no staging table is made");
        return execution.getExitStatus();
    }
}
