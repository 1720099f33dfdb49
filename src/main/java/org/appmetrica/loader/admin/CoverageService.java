package org.appmetrica.loader.admin;

import jakarta.batch.runtime.BatchStatus;
import org.appmetrica.loader.admin.CoverageCells.Attempt;
import org.appmetrica.loader.admin.CoverageCells.Loaded;
import org.appmetrica.loader.admin.Views.ExecutionView;
import org.appmetrica.loader.admin.Views.PartitionView;
import org.appmetrica.loader.admin.Views.StepView;
import org.appmetrica.loader.connection.Connection;
import org.appmetrica.loader.connection.StoredConnection;
import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.ClickHouseTarget;
import org.appmetrica.loader.clickhouse.Identifiers;
import org.appmetrica.loader.clickhouse.TableLayout;
import org.appmetrica.loader.coordination.Coordination;
import org.appmetrica.loader.model.Jobs;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.model.Slice;
import org.appmetrica.loader.model.SliceState;
import org.appmetrica.loader.regular.LoadState;
import org.appmetrica.loader.regular.LoadStateTable;
import org.appmetrica.loader.schema.FieldCatalog;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Day coverage of a database ({@link Coverage}): row counts from its tables, loads from {@code _load_state} and the
 * executions of the job repository that wrote to it. The ClickHouse is the one the newest of those executions used.
 */
public final class CoverageService {

    /** Executions read for failures and running slices; older ones rarely matter for a grid. */
    private static final int EXECUTIONS = 100;
    private static final int MAX_DAYS = 400;
    /** The re-load window of a regular load whose definition is no longer known: the default for device time. */
    private static final int DEFAULT_WINDOW = 7;
    private static final List<String> NOT_FOR_START = List.of(LoadParameters.APPLICATION_IDS, LoadParameters.SOURCES,
            LoadParameters.DATE_SINCE, LoadParameters.DATE_UNTIL, Coordination.OWNER_PARAMETER);

    private final ExecutionQueries queries;
    private final ConnectionService connections;

    /** @param connections the connections whose re-load windows the grid uses, or null: none kept here */
    public CoverageService(ExecutionQueries queries, ConnectionService connections) {
        this.queries = queries;
        this.connections = connections;
    }

    /** The filters of a request; null means all. */
    public record Query(String database, Long application, String source, LocalDate from, LocalDate to) {

        /** Checks the request's text parameters (400 on a bad one). */
        public static Query parse(String database, String application, String source, String from, String to) {
            if (database == null || database.isBlank()) {
                throw AdminException.badRequest("database is required, e.g. ?database=appmetrica");
            }
            try {
                Identifiers.requirePlainName("database", database.trim());
            } catch (IllegalArgumentException e) {
                throw AdminException.badRequest(e.getMessage());
            }
            if (source != null && !source.isBlank() && !FieldCatalog.get().sourceNames().contains(source.trim())) {
                throw AdminException.badRequest("source=" + source + ": expected one of " + FieldCatalog.get().sourceNames());
            }
            Long app = null;
            if (application != null && !application.isBlank()) {
                try {
                    app = Long.parseLong(application.trim());
                } catch (NumberFormatException e) {
                    throw AdminException.badRequest("application=" + application + ": expected a number");
                }
            }
            return new Query(database.trim(), app, source == null || source.isBlank() ? null : source.trim(), day("from", from), day("to", to));
        }

        private static LocalDate day(String name, String text) {
            try {
                return text == null || text.isBlank() ? null : LocalDate.parse(text.trim());
            } catch (DateTimeParseException e) {
                throw AdminException.badRequest(name + "=" + text + ": expected a date YYYY-MM-DD");
            }
        }

        boolean wants(long app, String src, LocalDate day) {
            return (application == null || application == app) && (source == null || source.equals(src))
                    && (from == null || !day.isBefore(from)) && (to == null || !day.isAfter(to));
        }
    }

    /** What is known of one cell while the grid is built. */
    private static final class Facts {
        long rows;
        Loaded loaded;
        Attempt attempt;
        long attemptInstance;
        /** Rows the job repository says the loading slice wrote; -1 when the load is known from _load_state. */
        long repositoryRows = -1;

        /** A slice that wrote rows that are gone now was dropped since (a connection's edit or delete): not loaded. */
        Loaded loadedNow() {
            return rows == 0 && repositoryRows > 0 ? null : loaded;
        }
    }

    private record Key(long app, String source, LocalDate day) {
    }

    public Coverage coverage(Query q) {
        List<ExecutionView> executions = new ArrayList<>(queries.executions(EXECUTIONS).stream()
                .filter(e -> Jobs.LOAD_JOB.equals(e.job()) && q.database().equals(database(e.parameters()))).toList());
        executions.sort((a, b) -> Long.compare(a.id(), b.id())); // oldest first: a newer execution's word wins
        if (executions.isEmpty()) {
            // no load known here wrote to it: which ClickHouse it is on is not known either (never the defaults' guess)
            List<String> known = databases();
            throw new AdminException(404, "not-found", "no load in this job repository has written to database " + q.database()
                    + (known.isEmpty() ? "" : "; loads have written to: " + String.join(", ", known)));
        }
        Map<Key, Facts> facts = new HashMap<>();
        Map<Long, Map<String, String>> startParameters = new HashMap<>();
        for (ExecutionView e : executions) {
            readExecution(e, q, facts);
            for (String app : e.parameters().getOrDefault(LoadParameters.APPLICATION_IDS, "").split(",")) {
                try {
                    startParameters.put(Long.parseLong(app.trim()), forStart(e.parameters()));
                } catch (NumberFormatException ignored) {
                    // not an application id: nothing to offer
                }
            }
        }
        boolean regular;
        try (ClickHouseConnection ch = target(q.database(), executions).connect()) {
            readRows(ch, q, facts);
            regular = readLoadState(ch, q, facts);
        } catch (RuntimeException e) {
            throw new AdminException(502, "bad-gateway", "ClickHouse: " + SecretMask.text(e.getMessage()));
        }
        // a regular load is due up to yesterday: a day it has not loaded yet shows as missing, so staleness shows
        LocalDate until = q.to() != null || !regular ? q.to() : LocalDate.now(ZoneOffset.UTC).minusDays(1);
        return grid(q, until, facts, startParameters);
    }

    /** The databases loads known to the job repository have written to, for the page's list. */
    public List<String> databases() {
        return queries.executions(EXECUTIONS).stream().filter(e -> Jobs.LOAD_JOB.equals(e.job())).map(e -> database(e.parameters()))
                .distinct().sorted().toList();
    }

    private static String database(Map<String, String> parameters) {
        return parameters.getOrDefault(LoadParameters.CLICKHOUSE_DATABASE, LoadParameters.Defaults.CLICKHOUSE_DATABASE);
    }

    private static Map<String, String> forStart(Map<String, String> parameters) {
        Map<String, String> p = new TreeMap<>(parameters);
        p.keySet().removeIf(k -> NOT_FOR_START.contains(k) || k.startsWith("jberet.") || SecretMask.HIDDEN.equals(p.get(k)));
        return p;
    }

    /** The slices of one execution: completed ones are loaded, the others failed or still loading. */
    private void readExecution(ExecutionView e, Query q, Map<Key, Facts> facts) {
        boolean running = e.status() == BatchStatus.STARTING || e.status() == BatchStatus.STARTED || e.status() == BatchStatus.STOPPING;
        boolean failed = e.status() == BatchStatus.FAILED || e.status() == BatchStatus.STOPPED;
        if (!running && !failed && e.status() != BatchStatus.COMPLETED) {
            return; // ABANDONED: it will never load its days; they show as missing
        }
        Instant ended = instant(e.ended() != null ? e.ended() : e.lastUpdated());
        boolean restartable = e.actions().contains("restart");
        boolean stopped = e.status() == BatchStatus.STOPPED;
        String executionError = stopped ? null : e.failure();
        Map<Key, PartitionView> partitions = new HashMap<>();
        for (StepView step : queries.execution(e.id()).steps()) {
            for (PartitionView p : step.partitions()) {
                if (p.application() != null && p.day() != null) {
                    partitions.put(new Key(p.application(), p.source(), LocalDate.parse(p.day())), p);
                }
            }
        }
        for (Key k : planned(e, partitions)) {
            if (!q.wants(k.app(), k.source(), k.day())) {
                continue;
            }
            Facts f = facts.computeIfAbsent(k, x -> new Facts());
            PartitionView p = partitions.get(k);
            boolean published = p != null && (p.status() == BatchStatus.COMPLETED || p.apiState() == SliceState.PUBLISHED);
            if (published) {
                f.loaded = new Loaded(e.id(), ended == null ? Instant.now() : ended, 0);
                f.repositoryRows = p.rowsWritten();
                f.attempt = null;
            } else if (p == null && f.attempt == null && f.loaded != null && f.attemptInstance == e.instanceId()) {
                // a restart does not run again what an earlier execution of its instance completed
                continue;
            } else if (running) {
                f.attempt = new Attempt(e.id(), true, null, false, false);
            } else if (failed) {
                String error = p != null && p.lastError() != null ? p.lastError() : executionError;
                f.attempt = new Attempt(e.id(), false, error, restartable, stopped && (p == null || p.status() != BatchStatus.FAILED));
            }
            f.attemptInstance = e.instanceId();
        }
    }

    /** The days the execution was to load: its plan, or at least the partitions it ran. */
    private static Iterable<Key> planned(ExecutionView e, Map<Key, PartitionView> partitions) {
        Set<Key> all = new LinkedHashSet<>(partitions.keySet());
        try {
            Properties p = new Properties();
            e.parameters().forEach((k, v) -> {
                if (!k.startsWith("jberet.") && !k.equals(Coordination.OWNER_PARAMETER)) {
                    p.setProperty(k, v);
                }
            });
            for (Slice s : LoadParameters.parse(p).slices()) {
                if (s.day() != null) {
                    all.add(new Key(s.applicationId(), s.source(), s.day()));
                }
            }
        } catch (RuntimeException ignored) {
            // parameters this version cannot parse: the partitions it ran are what is known
        }
        return all;
    }

    private static Instant instant(String iso) {
        return iso == null ? null : Instant.parse(iso);
    }

    /** The ClickHouse of the newest execution that wrote to the database (its stored parameters), or the defaults. */
    private ClickHouseTarget target(String database, List<ExecutionView> executions) {
        Properties p = executions.isEmpty() ? new Properties() : queries.effectiveParameters(executions.get(executions.size() - 1).id());
        String dataSource = p.getProperty(LoadParameters.CLICKHOUSE_DATA_SOURCE);
        return new ClickHouseTarget(dataSource != null ? null : p.getProperty(LoadParameters.CLICKHOUSE_URL, LoadParameters.Defaults.CLICKHOUSE_URL),
                p.getProperty(LoadParameters.CLICKHOUSE_USER, LoadParameters.Defaults.CLICKHOUSE_USER),
                p.getProperty(LoadParameters.CLICKHOUSE_PASSWORD_REF, LoadParameters.Defaults.CLICKHOUSE_PASSWORD_REF), dataSource, database);
    }

    /** Rows per application and day of each source's target table, grouped by its partition key. */
    private static void readRows(ClickHouseConnection ch, Query q, Map<Key, Facts> facts) {
        TreeSet<String> tables = new TreeSet<>();
        for (String[] r : ch.query("SELECT name FROM system.tables WHERE database = '" + q.database() + "'")) {
            tables.add(r[0]);
        }
        for (String source : FieldCatalog.get().sourceNames()) {
            if (!tables.contains(source) || q.source() != null && !q.source().equals(source)) {
                continue;
            }
            String where = q.application() == null ? "" : " WHERE " + TableLayout.APPLICATION_COLUMN + " = " + q.application();
            for (String[] r : ch.query("SELECT " + TableLayout.APPLICATION_COLUMN + ", toUInt32(" + TableLayout.DATE_COLUMN + "), count() FROM "
                    + Identifiers.qualified(q.database(), source) + where + " GROUP BY " + TableLayout.APPLICATION_COLUMN + ", "
                    + TableLayout.DATE_COLUMN)) {
                LocalDate day = LocalDate.ofEpochDay(Long.parseLong(r[1])); // 18.16 shows day 0 (dateless sources) as 0000-00-00
                long app = Long.parseLong(r[0]);
                if (!day.equals(Slice.NO_DAY) && q.wants(app, source, day)) {
                    facts.computeIfAbsent(new Key(app, source, day), x -> new Facts()).rows = Long.parseLong(r[2]);
                }
            }
        }
    }

    /**
     * Regular loads (and connections) record each day they load, with its time; their definitions say the re-load
     * window. True when a regular one loaded into the database.
     */
    private boolean readLoadState(ClickHouseConnection ch, Query q, Map<Key, Facts> facts) {
        if (ch.queryLong("SELECT count() FROM system.tables WHERE database = '" + q.database() + "' AND name = '" + LoadStateTable.TABLE + "'") == 0) {
            return false;
        }
        Definitions definitions = definitions();
        List<LoadState> states = new LoadStateTable(ch, q.database()).readAll();
        for (LoadState s : states) {
            if (!q.wants(s.applicationId(), s.source(), s.day())) {
                continue;
            }
            Facts f = facts.computeIfAbsent(new Key(s.applicationId(), s.source(), s.day()), x -> new Facts());
            if (f.loaded == null || f.loaded.executionId() <= s.executionId()) {
                f.loaded = new Loaded(s.executionId(), s.loadedAt(), definitions.window(s.definition()));
                f.repositoryRows = -1;
                if (f.attempt != null && f.attempt.executionId() <= s.executionId()) {
                    f.attempt = null;
                }
            }
        }
        return states.stream().anyMatch(s -> !definitions.oneTime().contains(s.definition()));
    }

    /** What the known definitions say: the re-load window of each, and which are one-time (never due again). */
    private record Definitions(Map<String, Integer> windows, Set<String> oneTime) {
        int window(String name) {
            return windows.getOrDefault(name, DEFAULT_WINDOW);
        }
    }

    private Definitions definitions() {
        Map<String, Integer> windows = new HashMap<>();
        Set<String> oneTime = new HashSet<>();
        if (connections != null) {
            for (StoredConnection s : connections.store().list()) {
                Connection c = s.connection();
                if (c.isRegular()) {
                    windows.put(s.name(), c.reloadDays() == null ? DEFAULT_WINDOW : c.reloadDays());
                } else {
                    windows.put(s.name(), 0);
                    oneTime.add(s.name());
                }
            }
        }
        return new Definitions(windows, oneTime);
    }

    /** @param until the last day, or null: the last day known */
    private static Coverage grid(Query q, LocalDate until, Map<Key, Facts> facts, Map<Long, Map<String, String>> startParameters) {
        TreeSet<LocalDate> days = new TreeSet<>();
        Map<Long, TreeSet<String>> sources = new TreeMap<>();
        facts.keySet().forEach(k -> {
            days.add(k.day());
            sources.computeIfAbsent(k.app(), x -> new TreeSet<>()).add(k.source());
        });
        LocalDate to = until != null ? (days.isEmpty() || q.to() != null || until.isAfter(days.last()) ? until : days.last())
                : days.isEmpty() ? null : days.last();
        LocalDate from = q.from() != null ? q.from() : days.isEmpty() ? null : days.first();
        if (from == null || to == null || from.isAfter(to)) {
            return new Coverage(q.database(), from == null ? null : from.toString(), to == null ? null : to.toString(), List.of());
        }
        if (from.plusDays(MAX_DAYS).isBefore(to)) {
            from = to.minusDays(MAX_DAYS - 1);
        }
        List<Coverage.Application> apps = new ArrayList<>();
        for (Map.Entry<Long, TreeSet<String>> app : sources.entrySet()) {
            List<Coverage.Day> grid = new ArrayList<>();
            for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                Map<String, Coverage.Cell> cells = new LinkedHashMap<>();
                long total = 0;
                for (String source : app.getValue()) {
                    Facts f = facts.getOrDefault(new Key(app.getKey(), source, d), new Facts());
                    Coverage.Cell cell = CoverageCells.cell(d, f.rows, f.loadedNow(), f.attempt);
                    cells.put(source, cell);
                    total += cell.rows();
                }
                grid.add(new Coverage.Day(d.toString(), total, cells));
            }
            apps.add(new Coverage.Application(app.getKey(), List.copyOf(app.getValue()), grid,
                    startParameters.getOrDefault(app.getKey(), Map.of())));
        }
        return new Coverage(q.database(), from.toString(), to.toString(), apps);
    }
}
