package org.appmetrica.loader.schema;

/**
 * One exportable field of a Logs API source and the ClickHouse column it lands in (same name).
 *
 * @param name    field name as the API expects it in {@code fields=}
 * @param apiType documented JSON type (integer, string, boolean, undocumented)
 * @param kind    value kind: datetime, timestamp, date or no
 * @param column  ClickHouse column type
 * @param inDefaultSet whether a load without {@code fields.<source>} requests it
 */
public record FieldSpec(String name, String apiType, String kind, ColumnType column, boolean inDefaultSet) {
}
