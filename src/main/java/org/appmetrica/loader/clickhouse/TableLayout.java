package org.appmetrica.loader.clickhouse;

import org.appmetrica.loader.schema.ColumnType;
import org.appmetrica.loader.schema.FieldSpec;
import org.appmetrica.loader.schema.SourceSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Columns of the ClickHouse table for one source: three load columns that identify the slice and the row's
 * position in the export, then one column per API field, named after it, in documentation order.
 */
public final class TableLayout {

    public static final String APPLICATION_COLUMN = "load_application_id";
    public static final String DATE_COLUMN = "load_date";
    public static final String ROW_COLUMN = "load_row";
    /** Prefix of the staging tables that hold a slice until it is published. */
    public static final String STAGE_PREFIX = "_stage_";
    /** Suffix of the Distributed table over every shard of a cluster: {@code events_all} reads {@code events}. */
    public static final String DISTRIBUTED_SUFFIX = "_all";

    private final SourceSpec source;

    public TableLayout(SourceSpec source) {
        this.source = source;
    }

    public SourceSpec source() {
        return source;
    }

    public String tableName() {
        return source.name();
    }

    public String stageTableName() {
        return STAGE_PREFIX + source.name();
    }

    /** All column names in table order. */
    public List<String> columnNames() {
        List<String> names = new ArrayList<>();
        names.add(APPLICATION_COLUMN);
        names.add(DATE_COLUMN);
        names.add(ROW_COLUMN);
        source.fields().forEach(f -> names.add(f.name()));
        return Collections.unmodifiableList(names);
    }

    /** Column name → SQL type, in table order. */
    public List<String[]> columns() {
        List<String[]> columns = new ArrayList<>();
        columns.add(new String[] {APPLICATION_COLUMN, "UInt64"});
        columns.add(new String[] {DATE_COLUMN, "Date"});
        columns.add(new String[] {ROW_COLUMN, "UInt64"});
        for (FieldSpec f : source.fields()) {
            columns.add(new String[] {f.name(), f.column().sql()});
        }
        return columns;
    }

    public List<ColumnType> fieldTypes() {
        return source.fields().stream().map(FieldSpec::column).toList();
    }

    /** The partition key every table of the loader has: one partition per (application, day). */
    public String partitionKey() {
        return "(" + APPLICATION_COLUMN + ", " + DATE_COLUMN + ")";
    }

    public static String distributedName(String table) {
        return table + DISTRIBUTED_SUFFIX;
    }

    public String createTableSql(String database) {
        return createSql(database, tableName(), null);
    }

    public String createStageTableSql(String database) {
        return "CREATE TABLE IF NOT EXISTS " + Identifiers.qualified(database, stageTableName())
                + " AS " + Identifiers.qualified(database, tableName());
    }

    /**
     * On cluster {@code cluster}: the table, or its staging twin, as ReplicatedMergeTree on every node, each with a
     * replica path of its own (a staging table made with AS would share the target's path).
     */
    public String createReplicatedSql(String database, String table, String cluster) {
        return createSql(database, table, Identifiers.requirePlainName("clickhouseCluster", cluster));
    }

    /** The Distributed table that reads every shard; it places rows as the loader does, by application id. */
    public String createDistributedSql(String database, String cluster) {
        return "CREATE TABLE IF NOT EXISTS " + Identifiers.qualified(database, distributedName(tableName())) + " ON CLUSTER "
                + Identifiers.quote(cluster) + " AS " + Identifiers.qualified(database, tableName()) + " ENGINE = Distributed("
                + Identifiers.quote(cluster) + ", " + Identifiers.quote(database) + ", " + Identifiers.quote(tableName()) + ", "
                + APPLICATION_COLUMN + ")";
    }

    private String createSql(String database, String table, String cluster) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(Identifiers.qualified(database, table));
        if (cluster != null) {
            sql.append(" ON CLUSTER ").append(Identifiers.quote(cluster));
        }
        sql.append(" (");
        List<String[]> columns = columns();
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(Identifiers.quote(columns.get(i)[0])).append(' ').append(columns.get(i)[1]);
        }
        sql.append(") ENGINE = ").append(cluster == null ? "MergeTree()"
                : "ReplicatedMergeTree('/clickhouse/tables/{shard}/" + database + "/" + table + "', '{replica}')");
        // One partition per (application, day): the unit that is replaced atomically.
        return sql.append(" PARTITION BY ").append(partitionKey())
                .append(" ORDER BY (").append(APPLICATION_COLUMN).append(", ").append(DATE_COLUMN).append(", ").append(ROW_COLUMN)
                .append(")").toString();
    }
}
