package org.appmetrica.loader.it;

import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.Identifiers;
import org.appmetrica.loader.clickhouse.TableLayout;
import org.appmetrica.loader.model.Slice;
import org.appmetrica.loader.schema.ColumnType;
import org.appmetrica.loader.schema.FieldSpec;
import org.appmetrica.loader.schema.SourceSpec;
import org.appmetrica.loader.simulator.SimulatedData;

import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.model.LoadSettings;
import org.appmetrica.loader.schema.FieldCatalog;

import java.nio.charset.StandardCharsets;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Compares a ClickHouse table with what the simulator served, as multisets of rows over all columns:
 * the count and an order-independent checksum (sum of per-row SHA-256 prefixes), plus a sample difference.
 */
public final class GroundTruth {

    private GroundTruth() {
    }

    /** Canonical rows the simulator served for these slices, rendered as ClickHouse prints the loaded values. */
    public static Map<String, Integer> expected(SimulatedData data, SourceSpec source, List<String> requested, List<Slice> slices,
                                                String noDayText) {
        return expected(data, source, requested, Map.of(), slices, noDayText);
    }

    public static Map<String, Integer> expected(SimulatedData data, SourceSpec source, List<String> requested, Map<String, String> filters,
                                                List<Slice> slices, String noDayText) {
        Map<String, Integer> rows = new HashMap<>();
        for (Slice slice : slices) {
            Iterator<String[]> it = data.rows(slice.applicationId(), source, slice.day(), requested, filters);
            while (it.hasNext()) {
                String[] values = it.next();
                List<String> cells = new ArrayList<>();
                cells.add(Long.toString(slice.applicationId()));
                // 18.16 prints the zero Date as 0000-00-00, current releases as 1970-01-01
                cells.add(slice.day() == null ? noDayText : slice.day().toString());
                for (FieldSpec f : source.fields()) {
                    int at = requested.indexOf(f.name());
                    cells.add(render(f.column(), at < 0 ? null : values[at]));
                }
                rows.merge(String.join("\t", cells), 1, Integer::sum);
            }
        }
        return rows;
    }

    static String render(ColumnType type, String value) {
        if (type == ColumnType.STRING) {
            return value == null ? "" : value;
        }
        if (value == null || value.isEmpty()) {
            return "\\N";
        }
        return switch (type) {
            case BOOL -> value.equals("true") ? "1" : "0";
            case INT64 -> Long.toString(Long.parseLong(value));
            case UINT64 -> Long.toUnsignedString(Long.parseUnsignedLong(value));
            default -> value;
        };
    }

    /** Rows in ClickHouse, in the same canonical form. */
    public static Map<String, Integer> actual(ClickHouseConnection c, String database, SourceSpec source) {
        return actual(c, database, source.name(), source);
    }

    /** Rows of {@code table} (e.g. a cluster's Distributed {@code events_all}), which has the columns of {@code source}. */
    public static Map<String, Integer> actual(ClickHouseConnection c, String database, String table, SourceSpec source) {
        List<String> columns = new ArrayList<>();
        columns.add(Identifiers.quote(TableLayout.APPLICATION_COLUMN));
        columns.add(Identifiers.quote(TableLayout.DATE_COLUMN));
        source.fields().forEach(f -> columns.add(Identifiers.quote(f.name())));
        Map<String, Integer> rows = new HashMap<>();
        for (String[] r : c.query("SELECT " + String.join(", ", columns) + " FROM " + Identifiers.qualified(database, table))) {
            rows.merge(String.join("\t", r), 1, Integer::sum);
        }
        return rows;
    }

    public static long count(Map<String, Integer> rows) {
        return rows.values().stream().mapToLong(Integer::longValue).sum();
    }

    public static long checksum(Map<String, Integer> rows) {
        long sum = 0;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, Integer> e : rows.entrySet()) {
                byte[] d = sha.digest(e.getKey().getBytes(StandardCharsets.UTF_8));
                long h = 0;
                for (int i = 0; i < 8; i++) {
                    h = (h << 8) | (d[i] & 0xFF);
                }
                sum += h * e.getValue();
            }
        } catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
        return sum;
    }

    /** A short description of the first differences, for assertion messages. */
    public static String difference(Map<String, Integer> expected, Map<String, Integer> actual) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            if (!e.getValue().equals(actual.getOrDefault(e.getKey(), 0)) && shown++ < 3) {
                sb.append("\n expected x").append(e.getValue()).append(" got x").append(actual.getOrDefault(e.getKey(), 0)).append(": ")
                        .append(e.getKey(), 0, Math.min(400, e.getKey().length()));
            }
        }
        for (Map.Entry<String, Integer> e : actual.entrySet()) {
            if (!expected.containsKey(e.getKey()) && shown++ < 6) {
                sb.append("\n unexpected x").append(e.getValue()).append(": ").append(e.getKey(), 0, Math.min(400, e.getKey().length()));
            }
        }
        return sb.toString();
    }

    /** What the simulator (seed, rows per day) served for the load's slices of one source and the given applications. */
    public static Map<String, Integer> expected(ClickHouseConnection clickhouse, Properties p, String source, long seed, int rowsPerDay,
                                                java.util.function.LongPredicate applications) {
        LoadSettings settings = LoadParameters.parse(p);
        SourceSpec spec = FieldCatalog.get().source(source).orElseThrow();
        List<Slice> slices = settings.slices().stream()
                .filter(s -> s.source().equals(source) && applications.test(s.applicationId())).toList();
        return expected(new SimulatedData(seed, rowsPerDay), spec, settings.fields().get(source), settings.filters().get(source), slices,
                clickhouse.queryValue("SELECT toDate(0)"));
    }

    /** Every table of the load holds exactly what the simulator (seed, rows per day) served for its slices. */
    public static void assertLoaded(ClickHouseConnection clickhouse, Properties p, String database, long seed, int rowsPerDay) {
        LoadSettings settings = LoadParameters.parse(p);
        SimulatedData data = new SimulatedData(seed, rowsPerDay);
        for (String source : settings.sources()) {
            SourceSpec spec = FieldCatalog.get().source(source).orElseThrow();
            List<Slice> slices = settings.slices().stream().filter(s -> s.source().equals(source)).toList();
            Map<String, Integer> expected = expected(data, spec, settings.fields().get(source),
                    settings.filters().get(source), slices, clickhouse.queryValue("SELECT toDate(0)"));
            Map<String, Integer> actual = actual(clickhouse, database, spec);
            String diff = difference(expected, actual);
            assertEquals(count(expected), count(actual), source + ": row count" + diff);
            assertEquals(checksum(expected), checksum(actual), source + ": checksum over all columns" + diff);
        }
    }
}
