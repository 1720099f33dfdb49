package org.appmetrica.loader.connection;

import org.appmetrica.loader.coordination.CoordinationException;
import org.appmetrica.loader.coordination.JdbcCoordinationStore;
import org.appmetrica.loader.coordination.RepositoryDatabase;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Connections in the job repository's database, table {@code APPMETRICA_CONNECTIONS} beside the coordination tables.
 * That database is already shared by the CLI, the console and WildFly (H2 file standalone, the batch datasource in the
 * server) and survives their restarts; the target ClickHouse would not do, as an edit may change it. The definition is
 * one JSON column (secrets in it are references only); its state is columns. Plain SQL for H2 and PostgreSQL.
 */
public final class ConnectionStore {

    private static final String COLUMNS = "DEFINITION, PAUSED, CREATED, UPDATED, LAST_EXECUTION";

    private final RepositoryDatabase database;
    private final Clock clock;

    public ConnectionStore(JdbcCoordinationStore.ConnectionFactory connections, Clock clock) {
        this.database = new RepositoryDatabase(connections);
        this.clock = clock;
    }

    public List<StoredConnection> list() {
        return database.withConnection("list connections", c -> {
            List<StoredConnection> result = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM APPMETRICA_CONNECTIONS ORDER BY NAME");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(row(rs));
                }
            }
            return result;
        });
    }

    public Optional<StoredConnection> find(String name) {
        return database.withConnection("read connection", c -> {
            try (PreparedStatement ps = RepositoryDatabase.prepare(c, "SELECT " + COLUMNS + " FROM APPMETRICA_CONNECTIONS WHERE NAME = ?", name);
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        });
    }

    /** Adds a validated connection; false when the name is taken. */
    public boolean add(Connection connection) {
        Timestamp now = Timestamp.from(clock.instant());
        try {
            database.update("INSERT INTO APPMETRICA_CONNECTIONS (NAME, " + COLUMNS + ") VALUES (?, ?, FALSE, ?, ?, NULL)",
                    connection.name(), connection.toJson(), now, now);
            return true;
        } catch (CoordinationException e) {
            if (e.getCause() instanceof SQLException s && RepositoryDatabase.isDuplicateKey(s)) {
                return false;
            }
            throw e;
        }
    }

    /** Replaces the definition of an existing connection (its name stays); false when there is none. */
    public boolean replace(Connection connection) {
        return database.update("UPDATE APPMETRICA_CONNECTIONS SET DEFINITION = ?, UPDATED = ? WHERE NAME = ?", connection.toJson(),
                Timestamp.from(clock.instant()), connection.name()) == 1;
    }

    public boolean setPaused(String name, boolean paused) {
        return database.update("UPDATE APPMETRICA_CONNECTIONS SET PAUSED = ?, UPDATED = ? WHERE NAME = ?", paused,
                Timestamp.from(clock.instant()), name) == 1;
    }

    /** Records the execution a run started (its status is read from the job repository). */
    public boolean recordRun(String name, long executionId) {
        return database.update("UPDATE APPMETRICA_CONNECTIONS SET LAST_EXECUTION = ? WHERE NAME = ?", executionId, name) == 1;
    }

    public boolean delete(String name) {
        return database.update("DELETE FROM APPMETRICA_CONNECTIONS WHERE NAME = ?", name) == 1;
    }

    private static StoredConnection row(ResultSet rs) throws SQLException {
        long last = rs.getLong(5);
        Long lastExecution = rs.wasNull() ? null : last;
        return new StoredConnection(Connection.fromJson(rs.getString(1)), rs.getBoolean(2), rs.getTimestamp(3).toInstant(),
                rs.getTimestamp(4).toInstant(), lastExecution);
    }
}
