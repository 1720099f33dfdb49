package org.appmetrica.loader.schema;

/**
 * ClickHouse type of one column. Every type here is accepted by ClickHouse 18.16 and by current releases.
 * Non-string values are {@code Nullable} so that an empty API value stays distinguishable from zero.
 */
public enum ColumnType {
    STRING("String", false),
    INT64("Nullable(Int64)", true),
    UINT64("Nullable(UInt64)", true),
    BOOL("Nullable(UInt8)", true),
    DATE("Nullable(Date)", true),
    DATETIME("Nullable(DateTime('UTC'))", true);

    private final String sql;
    private final boolean nullable;

    ColumnType(String sql, boolean nullable) {
        this.sql = sql;
        this.nullable = nullable;
    }

    /** The type as written in CREATE TABLE. */
    public String sql() {
        return sql;
    }

    public boolean nullable() {
        return nullable;
    }
}
