package org.appmetrica.loader.connection;

import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.SchemaManager;
import org.appmetrica.loader.regular.LoadState;
import org.appmetrica.loader.regular.LoadStateTable;
import org.appmetrica.loader.regular.RegularLoadDefinition;
import org.appmetrica.loader.regular.RegularLoadRunner;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What edits and deletes do to a connection's data in its target ClickHouse, through {@code _load_state} (what it
 * loaded): a full reload forgets the recorded days so the next run plans every day from load-from again; a drop
 * removes the recorded days' partitions from the tables and forgets them.
 */
public final class ConnectionData {

    private final RegularLoadDefinition definition;

    public ConnectionData(RegularLoadDefinition definition) {
        this.definition = definition;
    }

    private interface OnState {
        void run(ClickHouseConnection connection, LoadStateTable state);
    }

    private void withState(OnState op) {
        String database = definition.settings().clickhouseDatabase();
        try (ClickHouseConnection connection = definition.settings().clickhouse().connect()) {
            new SchemaManager(connection, database, definition.settings().clickhouseCluster()).createDatabase();
            LoadStateTable state = new LoadStateTable(connection, database);
            state.create();
            op.run(connection, state);
        }
    }

    /** The next run loads every day from load-from again; with {@code dropBefore}, the days before it go first. */
    public void fullReload(boolean dropBefore) {
        withState((connection, state) -> {
            if (dropBefore) {
                List<LoadState> before = state.read(definition.name()).stream().filter(s -> s.day().isBefore(definition.loadFrom())).toList();
                RegularLoadRunner.dropDays(connection, definition.settings().clickhouse(), before);
            }
            state.forgetAll(definition.name());
        });
    }

    /** Drops what was loaded for the removed applications and sources. */
    public void dropRemoved(Set<Long> applications, Set<String> sources) {
        withState((connection, state) -> {
            List<LoadState> removed = state.read(definition.name()).stream()
                    .filter(s -> applications.contains(s.applicationId()) || sources.contains(s.source())).toList();
            RegularLoadRunner.dropDays(connection, definition.settings().clickhouse(), removed);
            state.forget(definition.name(), applications, sources);
        });
    }

    /**
     * The first and last day {@code _load_state} records for the connection; empty when none is recorded. Only reads:
     * a target without the table (nothing loaded yet) fails, and the caller shows no days.
     */
    public Optional<LocalDate[]> covers() {
        try (ClickHouseConnection connection = definition.settings().clickhouse().connect()) {
            List<LocalDate> days = new LoadStateTable(connection, definition.settings().clickhouseDatabase()).read(definition.name())
                    .stream().map(LoadState::day).sorted(Comparator.naturalOrder()).toList();
            return days.isEmpty() ? Optional.empty() : Optional.of(new LocalDate[] {days.get(0), days.get(days.size() - 1)});
        }
    }

    /** Drops everything the connection loaded. */
    public void dropAll() {
        withState((connection, state) -> {
            RegularLoadRunner.dropDays(connection, definition.settings().clickhouse(), state.read(definition.name()));
            state.forgetAll(definition.name());
        });
    }
}
