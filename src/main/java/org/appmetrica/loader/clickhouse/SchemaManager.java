package org.appmetrica.loader.clickhouse;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Creates the database, the tables and their staging twins, adds the field columns an existing table lacks, and refuses
 * existing tables the loader cannot publish into correctly (another engine, another partition key, a retyped column)
 * before any export is downloaded.
 */
public final class SchemaManager {

    private static final Logger LOG = Logger.getLogger(SchemaManager.class.getName());

    private final ClickHouseConnection connection;
    private final String database;
    /** Null for one server; else the cluster whose every node gets the database and ReplicatedMergeTree tables. */
    private final String cluster;

    public SchemaManager(ClickHouseConnection connection, String database) {
        this(connection, database, null);
    }

    public SchemaManager(ClickHouseConnection connection, String database, String cluster) {
        this.connection = connection;
        this.database = Identifiers.requirePlainName("clickhouseDatabase", database);
        this.cluster = cluster == null ? null : Identifiers.requirePlainName("clickhouseCluster", cluster);
    }

    public void createDatabase() {
        connection.execute("CREATE DATABASE IF NOT EXISTS " + Identifiers.quote(database) + onCluster());
    }

    /**
     * Creates the table and its staging table if missing, adds the field columns they lack; fails with a clear message if
     * an existing table does not fit.
     */
    public void prepare(TableLayout layout) {
        connection.execute(cluster == null ? layout.createTableSql(database)
                : layout.createReplicatedSql(database, layout.tableName(), cluster));
        ExistingTable target = read(layout.tableName());
        // before the staging table: CREATE … AS a Replicated table would copy its ZooKeeper path
        checkTarget(target, layout, cluster != null);
        ExistingTable before = target;
        target = addMissingFields(target, layout);
        createStage(layout);
        // the staging table too, so that rows it holds for a slice being loaded stay
        if (!addMissingFields(read(layout.stageTableName()), layout).sameShapeAs(target)) {
            // A stale staging table from an older layout: it holds no published data, so rebuild it.
            connection.execute("DROP TABLE IF EXISTS " + Identifiers.qualified(database, layout.stageTableName()) + onCluster());
            createStage(layout);
        }
        if (cluster != null) {
            if (target != before) { // the Distributed table keeps the columns it was made with: make it again (it holds no data)
                connection.execute("DROP TABLE IF EXISTS " + Identifiers.qualified(database, TableLayout.distributedName(layout.tableName()))
                        + onCluster());
            }
            connection.execute(layout.createDistributedSql(database, cluster));
        }
    }

    private void createStage(TableLayout layout) {
        connection.execute(cluster == null ? layout.createStageTableSql(database)
                : layout.createReplicatedSql(database, layout.stageTableName(), cluster));
    }

    private String onCluster() {
        return cluster == null ? "" : " ON CLUSTER " + Identifiers.quote(cluster);
    }

    /**
     * The engine, the partition key and the columns, in that order: the first that does not fit fails. A missing field
     * column does not fail: {@link #prepare} adds it.
     */
    static void checkTarget(ExistingTable table, TableLayout layout) {
        checkTarget(table, layout, false);
    }

    /** As {@link #checkTarget(ExistingTable, TableLayout)}; on a cluster the engine must be ReplicatedMergeTree. */
    static void checkTarget(ExistingTable table, TableLayout layout, boolean replicated) {
        if (replicated) {
            checkReplicatedEngine(table);
        } else {
            checkEngine(table);
        }
        checkPartitionKey(table, layout);
        List<ColumnMismatch> mismatches = columnMismatches(table, layout).stream()
                .filter(m -> !(m.missing() && layout.source().field(m.column()).isPresent())).toList();
        if (!mismatches.isEmpty()) {
            throw new IllegalStateException(mismatches.stream().map(m -> m.message(table)).collect(Collectors.joining(" ")));
        }
    }

    private static void checkEngine(ExistingTable table) {
        if (table.engine().equals("MergeTree")) {
            return;
        }
        String what = "ClickHouse table " + table.qualifiedName() + " exists with engine " + table.engine() + ". ";
        String why;
        if (table.engine().startsWith("Replicated") || table.engine().startsWith("Shared")) {
            why = "Replicated tables need the job parameter clickhouseCluster (the cluster's name in remote_servers); without it"
                    + " the loader would stage each slice in a copy of the table (CREATE TABLE … AS, which would copy the"
                    + " replication path). Shared tables (ClickHouse Cloud) are not supported.";
        } else {
            why = "The loader needs a plain MergeTree table: it counts and replaces the rows of each slice, which another"
                    + " engine may merge, collapse or not store.";
        }
        throw new IllegalStateException(what + why + " Load into another database (clickhouseDatabase), where the loader"
                + " creates its own tables, or drop or rename this table.");
    }

    private static void checkReplicatedEngine(ExistingTable table) {
        if (!table.engine().equals("ReplicatedMergeTree")) {
            throw new IllegalStateException("ClickHouse table " + table.qualifiedName() + " exists with engine " + table.engine()
                    + ". With clickhouseCluster the loader needs ReplicatedMergeTree on every node: it publishes each slice on one"
                    + " replica of its shard and the others copy it. Load into another database (clickhouseDatabase), where the"
                    + " loader creates its own tables, or drop or rename this table.");
        }
    }

    private static void checkPartitionKey(ExistingTable table, TableLayout layout) {
        if (!ExistingTable.normalize(table.partitionKey()).equals(ExistingTable.normalize(layout.partitionKey()))) {
            throw new IllegalStateException("ClickHouse table " + table.qualifiedName() + " is partitioned by "
                    + (table.partitionKey().isEmpty() ? "nothing" : table.partitionKey()) + ", but the loader needs PARTITION BY "
                    + layout.partitionKey() + ": it replaces each (application, day) as one partition. Load into another"
                    + " database (clickhouseDatabase) or drop or rename this table.");
        }
    }

    /** A column of the layout that the table lacks ({@code actualType} null) or has with another type. */
    record ColumnMismatch(String column, String expectedType, String actualType) {

        boolean missing() {
            return actualType == null;
        }

        String message(ExistingTable table) {
            String name = table.qualifiedName();
            return missing()
                    ? "ClickHouse table " + name + " has no column " + column + " " + expectedType + ": the table was altered. Add"
                            + " the column (ALTER TABLE " + name + " ADD COLUMN " + column + " " + expectedType + ") or drop the"
                            + " table and load again."
                    : "ClickHouse table " + name + " column " + column + " has type " + actualType + ", expected " + expectedType
                            + ": the table was altered. Change the column back (ALTER TABLE " + name + " MODIFY COLUMN " + column
                            + " " + expectedType + "), or drop the column and the loader adds it again, empty for rows loaded"
                            + " before.";
        }
    }

    static List<ColumnMismatch> columnMismatches(ExistingTable table, TableLayout layout) {
        List<ColumnMismatch> mismatches = new ArrayList<>();
        for (String[] column : layout.columns()) {
            String type = table.columns().get(column[0]);
            if (type == null || !ExistingTable.normalize(type).equals(ExistingTable.normalize(column[1]))) {
                mismatches.add(new ColumnMismatch(column[0], column[1], type));
            }
        }
        return mismatches;
    }

    /**
     * Adds each field column of the layout that the table lacks, with the catalogue's type, right after the column that
     * comes before it in the layout: an extended table then looks like a fresh one. Rows already there read the type's
     * default (NULL, or '' for String), as if the field had not been requested. Returns the table as it is now.
     */
    ExistingTable addMissingFields(ExistingTable table, TableLayout layout) {
        List<String[]> columns = layout.columns();
        boolean added = false;
        for (int i = 1; i < columns.size(); i++) {
            String[] column = columns.get(i);
            if (table.columns().containsKey(column[0]) || layout.source().field(column[0]).isEmpty()) {
                continue;
            }
            try {
                // on a cluster on every shard (a replicated ALTER reaches only the replicas of its own shard)
                connection.execute("ALTER TABLE " + Identifiers.qualified(database, table.name()) + onCluster() + " ADD COLUMN "
                        + Identifiers.quote(column[0]) + " " + column[1] + " AFTER " + Identifiers.quote(columns.get(i - 1)[0]));
                LOG.info("ClickHouse table " + table.qualifiedName() + ": added column " + column[0] + " " + column[1]);
            } catch (ClickHouseException e) {
                // 18.16 has no ADD COLUMN IF NOT EXISTS: another load may just have added it
                if (!read(table.name()).columns().containsKey(column[0])) {
                    throw e;
                }
            }
            added = true;
        }
        return added ? read(table.name()) : table;
    }

    private ExistingTable read(String table) {
        return ExistingTable.read(connection, database, table)
                .orElseThrow(() -> new IllegalStateException("ClickHouse table " + database + "." + table + " is missing right after"
                        + " CREATE TABLE IF NOT EXISTS: another process dropped it?"));
    }
}
