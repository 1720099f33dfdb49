package org.appmetrica.loader.admin;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.connection.StoredConnection;
import org.appmetrica.loader.model.Jobs;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.regular.RegularLoadRunner;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a connection's run does after its load, done for a load another process restarted after a crash
 * (coordination.AutoRestart): the connection's last run becomes the new execution, and once that completes its days are
 * recorded as loaded, so that the connection's next run finds nothing due instead of loading them again.
 */
public final class ConnectionRestarts {

    private static final Logger LOG = Logger.getLogger("org.appmetrica.loader.progress");

    private final ConnectionService connections;
    private final Supplier<JobOperator> operator;

    public ConnectionRestarts(ConnectionService connections, Supplier<JobOperator> operator) {
        this.connections = connections;
        this.operator = operator;
    }

    /** Called on the restarting thread: takes over the connection whose last run was {@code crashedId}, if any. */
    public void restarted(long crashedId, long newId) {
        Optional<StoredConnection> owner = connections.store().list().stream()
                .filter(c -> c.lastExecution() != null && c.lastExecution() == crashedId).findFirst();
        if (owner.isEmpty()) {
            return; // a load of no connection: nothing to record
        }
        String name = owner.get().name();
        connections.store().recordRun(name, newId);
        Thread waiter = new Thread(() -> recordWhenCompleted(name, newId), "connection-restart-" + newId);
        waiter.setDaemon(true);
        waiter.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        waiter.start();
    }

    private void recordWhenCompleted(String name, long id) {
        try {
            JobOperator op = operator.get();
            JobExecution end = Jobs.await(op, id);
            if (end.getBatchStatus() != BatchStatus.COMPLETED) {
                return;
            }
            Properties p = op.getParameters(id);
            new RegularLoadRunner(op, Clock.systemUTC(), LoadLauncher.unattended(operator)::start).recordLoaded(connections.definition(name),
                    LocalDate.parse(p.getProperty(LoadParameters.DATE_SINCE).trim()), LocalDate.parse(p.getProperty(LoadParameters.DATE_UNTIL).trim()), id);
            LOG.info(name + ": the restarted execution " + id + " completed; its days are recorded as loaded");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, name + ": the days of the restarted execution " + id + " were not recorded (the next run loads them "
                    + "again): " + e.getMessage(), e);
        }
    }
}
