package org.appmetrica.loader.clickhouse;

import org.appmetrica.loader.schema.FieldCatalog;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks of an existing table, on what system.tables and system.columns would say (no server needed). */
class SchemaManagerTest {

    private final TableLayout layout = new TableLayout(FieldCatalog.get().source("clicks").orElseThrow());

    private ExistingTable table(String engine, String engineFull, String partitionKey) {
        Map<String, String> columns = new LinkedHashMap<>();
        layout.columns().forEach(c -> columns.put(c[0], c[1]));
        return new ExistingTable("db", "clicks", engine, engineFull, partitionKey, columns);
    }

    @Test
    void theLoadersOwnTableFits() {
        assertDoesNotThrow(() -> SchemaManager.checkTarget(table("MergeTree", "MergeTree() PARTITION BY …", "(load_application_id, load_date)"), layout));
        // 18.16 and 26.x print keys and types with or without spaces
        assertDoesNotThrow(() -> SchemaManager.checkTarget(table("MergeTree", "MergeTree", "(load_application_id,load_date)"), layout));
    }

    @Test
    void replicatedAndSharedTablesAreRefusedAsClusters() {
        for (String engine : new String[] {"ReplicatedMergeTree", "ReplicatedReplacingMergeTree", "SharedMergeTree"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> SchemaManager.checkTarget(
                    table(engine, engine + "('/clickhouse/tables/{shard}/db/clicks', '{replica}')", "(load_application_id, load_date)"), layout));
            assertTrue(e.getMessage().contains("Replicated tables need the job parameter clickhouseCluster"), e.getMessage());
        }
    }

    @Test
    void onAClusterOnlyReplicatedMergeTreeFits() {
        assertDoesNotThrow(() -> SchemaManager.checkTarget(table("ReplicatedMergeTree",
                "ReplicatedMergeTree('/clickhouse/tables/{shard}/db/clicks', '{replica}') PARTITION BY …",
                "(load_application_id, load_date)"), layout, true));
        for (String engine : new String[] {"MergeTree", "ReplicatedReplacingMergeTree", "SharedMergeTree"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> SchemaManager.checkTarget(
                    table(engine, engine, "(load_application_id, load_date)"), layout, true));
            assertTrue(e.getMessage().contains("With clickhouseCluster the loader needs ReplicatedMergeTree"), e.getMessage());
        }
    }

    @Test
    void replicatedTablesHaveReplicaPathsOfTheirOwn() {
        String target = layout.createReplicatedSql("db", layout.tableName(), "c2x2");
        String stage = layout.createReplicatedSql("db", layout.stageTableName(), "c2x2");
        assertTrue(target.contains("ON CLUSTER `c2x2`"), target);
        assertTrue(target.contains("ReplicatedMergeTree('/clickhouse/tables/{shard}/db/" + layout.tableName() + "', '{replica}')"), target);
        assertTrue(stage.contains("ReplicatedMergeTree('/clickhouse/tables/{shard}/db/" + layout.stageTableName() + "', '{replica}')"), stage);
        assertThrows(IllegalArgumentException.class, () -> layout.createReplicatedSql("db", layout.tableName(), "c'; DROP"));
    }

    @Test
    void everyRetypedColumnIsListedAndAMissingFieldIsLeftToAdd() {
        ExistingTable t = table("MergeTree", "MergeTree", "(load_application_id, load_date)");
        Map<String, String> columns = new LinkedHashMap<>(t.columns());
        columns.remove("click_id");
        columns.put("load_row", "Int64");
        columns.put("click_datetime", "Nullable(String)");
        ExistingTable altered = new ExistingTable("db", "clicks", "MergeTree", "MergeTree", t.partitionKey(), columns);
        assertEquals(3, SchemaManager.columnMismatches(altered, layout).size());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SchemaManager.checkTarget(altered, layout));
        assertTrue(e.getMessage().contains("column load_row has type Int64, expected UInt64"), e.getMessage());
        assertTrue(e.getMessage().contains("column click_datetime has type Nullable(String), expected Nullable(DateTime('UTC'))"),
                e.getMessage());
        assertFalse(e.getMessage().contains("click_id"), "a missing field column is added, not refused: " + e.getMessage());
    }

    @Test
    void aMissingFieldColumnPassesButAMissingLoadColumnFails() {
        ExistingTable t = table("MergeTree", "MergeTree", "(load_application_id, load_date)");
        Map<String, String> columns = new LinkedHashMap<>(t.columns());
        columns.remove("click_id");
        assertDoesNotThrow(() -> SchemaManager.checkTarget(
                new ExistingTable("db", "clicks", "MergeTree", "MergeTree", t.partitionKey(), columns), layout));
        columns.remove("load_row");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SchemaManager.checkTarget(
                new ExistingTable("db", "clicks", "MergeTree", "MergeTree", t.partitionKey(), columns), layout));
        assertTrue(e.getMessage().contains("has no column load_row UInt64"), e.getMessage());
    }
}
