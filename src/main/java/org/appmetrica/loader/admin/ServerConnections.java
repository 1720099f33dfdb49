package org.appmetrica.loader.admin;

import jakarta.batch.runtime.BatchRuntime;
import org.appmetrica.loader.connection.ConnectionStore;
import org.appmetrica.loader.coordination.Coordination;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Connections in the WAR: stored in the job repository's datasource (the one the coordination tables use, see
 * {@link Coordination#serverDataSourceName()}), so they survive a server restart as the executions do. Without that
 * datasource (the in-memory job repository of an unconfigured server) they are not offered: they would be lost with
 * the next restart.
 */
final class ServerConnections {

    private static final Logger LOG = Logger.getLogger(ServerConnections.class.getName());

    private ServerConnections() {
    }

    /** The connections of the server's job repository, or empty: not offered. */
    static Optional<ConnectionService> find(Properties defaults) {
        Optional<DataSource> dataSource = Coordination.serverDataSource();
        if (dataSource.isEmpty()) {
            LOG.info("no datasource " + Coordination.serverDataSourceName() + ": connections are not offered (configure.cli defines it)");
            return Optional.empty();
        }
        DataSource ds = dataSource.get();
        ConnectionStore store = new ConnectionStore(ds::getConnection, Clock.systemUTC());
        try {
            store.list(); // the table is there and readable before the console says it has connections
            LOG.info("connections are kept in " + Coordination.serverDataSourceName() + " (the active ones run where the server has a managed scheduled executor)");
            return Optional.of(new ConnectionService(store, BatchRuntime::getJobOperator, defaults, Clock.systemUTC()));
        } catch (RuntimeException e) {
            // never fail the console for this: executions and loads still work; a redeployment tries again
            LOG.log(Level.WARNING, "connections not offered: " + SecretMask.text(e.getMessage()), e);
            return Optional.empty();
        }
    }
}
