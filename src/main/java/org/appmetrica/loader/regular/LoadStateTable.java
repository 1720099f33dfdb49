package org.appmetrica.loader.regular;

import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.Identifiers;
import org.appmetrica.loader.clickhouse.NativeBlock;
import org.appmetrica.loader.clickhouse.NativeColumn;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code <database>._load_state}: what each regular load loaded, when, how many rows, by which execution — where users
 * see it next to their data. A ReplacingMergeTree keyed by (definition, application, source, day): the newest load of
 * a day wins.
 */
public final class LoadStateTable {

    public static final String TABLE = "_load_state";
    /** Name and type of each column, as create() makes them. */
    private static final List<String[]> COLUMNS = List.of(new String[] {"definition", "String"},
            new String[] {"application_id", "UInt64"}, new String[] {"source", "String"}, new String[] {"day", "Date"},
            new String[] {"load_from", "Date"}, new String[] {"rows", "UInt64"}, new String[] {"execution_id", "UInt64"},
            new String[] {"loaded_at", "DateTime('UTC')"});

    private final ClickHouseConnection connection;
    private final String database;

    public LoadStateTable(ClickHouseConnection connection, String database) {
        this.connection = connection;
        this.database = Identifiers.requirePlainName("clickhouseDatabase", database);
    }

    private String table() {
        return Identifiers.qualified(database, TABLE);
    }

    public void create() {
        connection.execute("CREATE TABLE IF NOT EXISTS " + table() + " (definition String, application_id UInt64, source String, "
                + "day Date, load_from Date, rows UInt64, execution_id UInt64, loaded_at DateTime('UTC')) "
                + "ENGINE = ReplacingMergeTree(loaded_at) ORDER BY (definition, application_id, source, day)");
    }

    /** Every row, of every definition (the coverage view). */
    public List<LoadState> readAll() {
        List<LoadState> states = new ArrayList<>();
        for (String[] r : connection.query("SELECT definition, application_id, source, toString(day), toString(load_from), rows, execution_id, "
                + "toUInt32(loaded_at) FROM " + table() + " FINAL")) {
            states.add(new LoadState(r[0], Long.parseLong(r[1]), r[2], LocalDate.parse(r[3]), LocalDate.parse(r[4]),
                    Long.parseLong(r[5]), Long.parseLong(r[6]), Instant.ofEpochSecond(Long.parseLong(r[7]))));
        }
        return states;
    }

    public List<LoadState> read(String definition) {
        List<LoadState> states = new ArrayList<>();
        for (String[] r : connection.query("SELECT application_id, source, toString(day), toString(load_from), rows, execution_id, "
                + "toUInt32(loaded_at) FROM " + table() + " FINAL WHERE definition = '" + Identifiers.requireKey("definition", definition) + "'")) {
            states.add(new LoadState(definition, Long.parseLong(r[0]), r[1], LocalDate.parse(r[2]), LocalDate.parse(r[3]),
                    Long.parseLong(r[4]), Long.parseLong(r[5]), Instant.ofEpochSecond(Long.parseLong(r[6]))));
        }
        return states;
    }

    public void record(List<LoadState> states) {
        if (states.isEmpty()) {
            return;
        }
        NativeBlock block = new NativeBlock(COLUMNS);
        NativeColumn[] c = block.columns();
        for (LoadState s : states) {
            c[0].string(s.definition());
            c[1].int64(s.applicationId());
            c[2].string(s.source());
            c[3].uint16((int) s.day().toEpochDay());
            c[4].uint16((int) s.loadFrom().toEpochDay());
            c[5].int64(s.rows());
            c[6].int64(s.executionId());
            c[7].uint32(s.loadedAt().getEpochSecond());
            block.rowDone();
        }
        connection.insertNative(database + "." + TABLE, COLUMNS.stream().map(n -> n[0]).toList(), block::writeTo);
    }

    /** Forgets the days before {@code loadFrom} (they were dropped from the tables). */
    public void forgetBefore(String definition, LocalDate loadFrom) {
        connection.deleteAndWait(database, TABLE, "definition = '" + Identifiers.requireKey("definition", definition)
                + "' AND day < '" + loadFrom + "'", 600_000);
    }

    /** Forgets every day of the load: its next run plans all days from load-from again (a full reload). */
    public void forgetAll(String definition) {
        connection.deleteAndWait(database, TABLE, "definition = '" + Identifiers.requireKey("definition", definition) + "'", 600_000);
    }

    /** Forgets the days of an application or a source the load no longer has (their data was dropped). */
    public void forget(String definition, Collection<Long> applications, Collection<String> sources) {
        List<String> or = new ArrayList<>();
        if (!applications.isEmpty()) {
            or.add("application_id IN (" + applications.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")");
        }
        if (!sources.isEmpty()) {
            or.add("source IN (" + sources.stream().map(s -> "'" + Identifiers.requirePlainName("source", s) + "'")
                    .collect(Collectors.joining(", ")) + ")");
        }
        if (or.isEmpty()) {
            return;
        }
        connection.deleteAndWait(database, TABLE, "definition = '" + Identifiers.requireKey("definition", definition) + "' AND ("
                + String.join(" OR ", or) + ")", 600_000);
    }
}
