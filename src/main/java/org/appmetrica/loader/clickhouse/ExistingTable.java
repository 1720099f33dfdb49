package org.appmetrica.loader.clickhouse;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What ClickHouse says about a table that exists: its engine, partition key and columns (name → type),
 * read from system.tables and system.columns, which 18.16 and current releases both have.
 */
public record ExistingTable(String database, String name, String engine, String engineFull, String partitionKey,
                            Map<String, String> columns) {

    public static Optional<ExistingTable> read(ClickHouseConnection connection, String database, String table) {
        String where = " WHERE database = '" + Identifiers.requirePlainName("database", database) + "' AND "
                + "%s = '" + Identifiers.requirePlainName("table", table) + "'";
        List<String[]> tables = connection.query("SELECT engine, engine_full, partition_key FROM system.tables"
                + where.formatted("name"));
        if (tables.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> columns = new LinkedHashMap<>();
        connection.query("SELECT name, type FROM system.columns" + where.formatted("table"))
                .forEach(r -> columns.put(r[0], r[1]));
        String[] t = tables.get(0);
        return Optional.of(new ExistingTable(database, table, t[0], t[1], t[2], Collections.unmodifiableMap(columns)));
    }

    public String qualifiedName() {
        return database + "." + name;
    }

    /** Same engine, partition key and columns: a staging table that still fits its target. */
    public boolean sameShapeAs(ExistingTable other) {
        return engine.equals(other.engine) && normalize(partitionKey).equals(normalize(other.partitionKey))
                && columns.equals(other.columns);
    }

    /** A key or a type without the spaces and quote styles that versions print differently. */
    static String normalize(String text) {
        return text.replace(" ", "").replace("\"", "'");
    }
}
