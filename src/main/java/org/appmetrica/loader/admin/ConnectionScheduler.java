package org.appmetrica.loader.admin;

import org.appmetrica.loader.connection.StoredConnection;
import org.appmetrica.loader.regular.Scheduler;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Runs the connections of a console on its one scheduler: each active one when the console starts
 * ({@link #scheduleActive}), and one when it is created, edited, resumed or run. A connection runs at once (catching up
 * what is due), then a regular one at each scheduled time; the scheduler re-reads it before each run.
 */
public final class ConnectionScheduler {

    private static final Logger LOG = Logger.getLogger(ConnectionScheduler.class.getName());

    private final Scheduler scheduler;
    private final ConnectionService connections;

    public ConnectionScheduler(Scheduler scheduler, ConnectionService connections) {
        this.scheduler = scheduler;
        this.connections = connections;
        scheduler.onStarted((name, id) -> {
            if (!connections.store().recordRun(name, id)) {
                // deleted since its run was planned: the execution runs on, no connection names it
                LOG.warning("connection " + name + ": execution " + id + " started, but the connection is gone: not recorded");
            }
        });
    }

    /** Schedules every connection that is not paused (the console starts). */
    public void scheduleActive() {
        for (StoredConnection c : connections.store().list()) {
            if (!c.paused()) {
                schedule(c.name());
            }
        }
    }

    /** Runs the connection now; a regular one then on schedule (a one-time one runs once). */
    void schedule(String name) {
        scheduler.cancel(name);
        connections.activeDefinition(name).ifPresent(d -> {
            boolean oneTime = connections.store().find(name).map(s -> !s.connection().isRegular()).orElse(true);
            Set<String> ran = ConcurrentHashMap.newKeySet();
            // a one-time connection: its first run only; later runs of the entry find it gone and end it
            scheduler.add(d, n -> oneTime && !ran.add(n) ? Optional.empty() : connections.activeDefinition(n));
        });
    }

    void cancel(String name) {
        scheduler.cancel(name);
    }

    /** Its next scheduled run (ISO instant), or null. */
    String nextRun(String name) {
        return scheduler.list().stream().filter(st -> st.definition().name().equals(name) && st.nextRun() != null)
                .findFirst().map(st -> st.nextRun().toInstant().toString()).orElse(null);
    }

    /** No more runs start (the console or the deployment ends). */
    public void shutdown() {
        scheduler.shutdown();
    }
}
