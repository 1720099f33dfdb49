package org.appmetrica.loader.admin;

import jakarta.batch.operations.JobOperator;
import org.appmetrica.loader.admin.Views.Progress;
import org.appmetrica.loader.connection.Connection;

import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The connections as the REST API serves them ({@code /api/connections…}): the {@link ConnectionService}'s operations
 * held to the access policy, with what only a console adds: the next run and the progress of a load, and runs on the
 * console's {@link ConnectionScheduler} when a connection is created, edited, resumed or run.
 */
public final class ConnectionCommands {

    private static final Logger LOG = Logger.getLogger(ConnectionCommands.class.getName());

    private final ConnectionService connections;
    private final ExecutionQueries queries;
    private final Supplier<JobOperator> operator;
    private final AccessPolicy policy;
    private final Properties startDefaults;
    private final ConnectionScheduler scheduler;
    private final Applications applications;

    /** @param scheduler runs the connections here, or null: they are run by the standalone console or the schedule command */
    public ConnectionCommands(ConnectionService connections, ExecutionQueries queries, Supplier<JobOperator> operator, AccessPolicy policy,
                              Properties startDefaults, ConnectionScheduler scheduler, Applications applications) {
        this.connections = connections;
        this.queries = queries;
        this.operator = operator;
        this.policy = policy;
        this.startDefaults = startDefaults;
        this.scheduler = scheduler;
        this.applications = applications;
    }

    public List<ConnectionView> list() {
        return connections.list().stream().map(this::complete).toList();
    }

    public ConnectionView show(String name) {
        return complete(connections.show(name));
    }

    /** The console's "Test connection": which of the start checks pass for the form's connection (see ConnectionCheck). */
    public ConnectionCheck.Answer test(Connection body) {
        return ConnectionCheck.test(body, startDefaults, policy);
    }

    public ConnectionView create(Connection body) {
        check(body);
        connections.add(body);
        schedule(body.name());
        return show(body.name());
    }

    public ConnectionService.Edited edit(String name, Connection body, boolean dryRun) {
        Connection named = body.name() == null ? body.withName(name) : body;
        check(named); // the allow-lists, before anything is planned or saved
        ConnectionService.Edited answer = connections.edit(name, named, dryRun, false);
        if (dryRun) {
            return answer;
        }
        if (answer.connection().connection().isRegular()) {
            schedule(name); // at once (catching up what the edit made due), then at its new times
        } else if (scheduler != null) {
            scheduler.cancel(name); // one-time: it runs when asked (run)
        }
        return new ConnectionService.Edited(show(name), answer.plan());
    }

    public ConnectionView pause(String name) {
        ConnectionView view = connections.pause(name);
        if (scheduler != null) {
            scheduler.cancel(name);
        }
        stopRunning(view);
        return show(name);
    }

    public ConnectionView resume(String name) {
        connections.resume(name);
        schedule(name);
        return show(name);
    }

    public ConnectionView run(String name) {
        ConnectionView view = connections.show(name);
        if (view.state() == ConnectionState.PAUSED) {
            throw AdminException.conflict("connection " + name + " is paused: resume it first");
        }
        if (view.state() == ConnectionState.LOADING) {
            throw AdminException.conflict("connection " + name + " is loading already");
        }
        if (scheduler == null) {
            throw new AdminException(501, "not-available", "connections are run by the standalone console or the schedule command, not here");
        }
        scheduler.schedule(name);
        return show(name);
    }

    public ConnectionService.Deleted delete(String name, boolean dropData) {
        ConnectionView view = connections.show(name);
        if (scheduler != null) {
            scheduler.cancel(name);
        }
        stopRunning(view);
        ConnectionService.Deleted answer = connections.delete(name, dropData);
        forgetToken(view.connection().tokenRef());
        return answer;
    }

    private void schedule(String name) {
        if (scheduler != null) {
            scheduler.schedule(name);
        }
    }

    private void check(Connection body) {
        Connection c;
        try {
            c = body.validated();
        } catch (IllegalArgumentException e) {
            throw AdminException.badRequest(SecretMask.text(e.getMessage()));
        }
        policy.check(c.jobParameters(startDefaults));
    }

    /** The view with what this console knows besides the store: the next run, and while it loads, its progress. */
    private ConnectionView complete(ConnectionView view) {
        boolean scheduled = scheduler != null && view.state() != ConnectionState.PAUSED && view.connection().isRegular();
        return view.with(scheduled ? scheduler.nextRun(view.name()) : null, progress(view)); // one-time: runs once, now
    }

    /** While a connection loads: the slices of its execution done so far, as the executions list counts them. */
    private ConnectionView.Progress progress(ConnectionView view) {
        if (view.state() != ConnectionState.LOADING || view.lastRun() == null) {
            return null;
        }
        long id = view.lastRun().executionId();
        try {
            Progress p = queries.execution(id).execution().progress();
            return p == null ? null : new ConnectionView.Progress(p.completed() + p.earlier(), p.planned());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "progress of execution " + id, e); // the view without it
            return null;
        }
    }

    /** A token stored from the page goes with the last connection that uses it. */
    private void forgetToken(String tokenRef) {
        if (tokenRef != null && connections.store().list().stream().noneMatch(c -> tokenRef.equals(c.connection().tokenRef()))) {
            applications.forget(tokenRef);
        }
    }

    /** Stops the connection's execution if it is running (it ends STOPPED at its next checkpoint). */
    private void stopRunning(ConnectionView view) {
        if (view.running()) {
            try {
                operator.get().stop(view.lastRun().executionId());
            } catch (RuntimeException e) {
                LOG.info("could not stop execution " + view.lastRun().executionId() + ": " + e.getMessage());
            }
        }
    }
}
