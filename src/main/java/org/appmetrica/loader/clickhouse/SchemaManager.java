package org.appmetrica.loader.clickhouse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Creates the database, the tables and their staging twins, and checks that existing tables still fit. */
public final class SchemaManager {

    private final ClickHouseConnection connection;
    private final String database;

    public SchemaManager(ClickHouseConnection connection, String database) {
        this.connection = connection;
        this.database = Identifiers.requirePlainName("clickhouseDatabase", database);
    }

    public void createDatabase() {
        connection.execute("CREATE DATABASE IF NOT EXISTS " + Identifiers.quote(database));
    }

    /** Creates the table and its staging table if missing; fails with a clear message if a column is missing or retyped. */
    public void prepare(TableLayout layout) {
        connection.execute(layout.createTableSql(database));
        checkColumns(layout.tableName(), layout);
        connection.execute(layout.createStageTableSql(database));
        if (!columnsOf(layout.stageTableName()).equals(columnsOf(layout.tableName()))) {
            // A stale staging table from an older layout: it holds no published data, so rebuild it.
            connection.execute("DROP TABLE IF EXISTS " + Identifiers.qualified(database, layout.stageTableName()));
            connection.execute(layout.createStageTableSql(database));
        }
    }

    void checkColumns(String table, TableLayout layout) {
        Map<String, String> actual = columnsOf(table);
        for (String[] column : layout.columns()) {
            String type = actual.get(column[0]);
            if (type == null) {
                throw new IllegalStateException("ClickHouse table " + database + "." + table + " has no column " + column[0]
                        + " " + column[1] + ": the table was altered. Add the column (ALTER TABLE " + database + "." + table
                        + " ADD COLUMN " + column[0] + " " + column[1] + ") or drop the table and load again.");
            }
            if (!normalize(type).equals(normalize(column[1]))) {
                throw new IllegalStateException("ClickHouse table " + database + "." + table + " column " + column[0]
                        + " has type " + type + ", expected " + column[1] + ": the table was altered.");
            }
        }
    }

    private Map<String, String> columnsOf(String table) {
        List<String[]> rows = connection.query("SELECT name, type FROM system.columns WHERE database = '"
                + Identifiers.requirePlainName("database", database) + "' AND table = '"
                + Identifiers.requirePlainName("table", table) + "'");
        Map<String, String> columns = new HashMap<>();
        rows.forEach(r -> columns.put(r[0], r[1]));
        return columns;
    }

    private static String normalize(String type) {
        return type.replace(" ", "").replace("\"", "'");
    }
}
