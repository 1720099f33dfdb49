package org.appmetrica.loader.admin;

import jakarta.batch.operations.JobOperator;
import org.appmetrica.loader.admin.Views.Catalog;
import org.appmetrica.loader.regular.Scheduler;

import java.util.Properties;
import java.util.function.Supplier;

/**
 * What the admin REST API ({@link AdminResource}) serves, wired once: by {@code ConsoleRuntime} in the standalone
 * console, by {@link ConsoleApplication} in the WAR. Each part does one job; connections exist only where they are kept.
 */
public final class ConsoleServices {

    private final ExecutionQueries queries;
    private final ExecutionCommands commands;
    private final Applications applications;
    private final ConnectionService connectionStore;
    private final ConnectionCommands connections;
    private final ConnectionScheduler scheduler;
    private final Catalog catalog;

    private ConsoleServices(ExecutionQueries queries, ExecutionCommands commands, Applications applications, ConnectionService connectionStore,
                            ConnectionCommands connections, ConnectionScheduler scheduler, Catalog catalog) {
        this.queries = queries;
        this.commands = commands;
        this.applications = applications;
        this.connectionStore = connectionStore;
        this.connections = connections;
        this.scheduler = scheduler;
        this.catalog = catalog;
    }

    /** What a console offers, besides its JobOperator. */
    public record Setup(Properties startDefaults, AccessPolicy policy, Runnable beforeRead, TokenFiles tokenFiles, String oauthClientId,
                        ConnectionService connections, Scheduler scheduler) {

        /** Reads and executions only, every load allowed: no connections, no stored tokens, no scheduler. */
        public static Setup plain() {
            return new Setup(new Properties(), AccessPolicy.unrestricted(), () -> { }, null, null, null, null);
        }
    }

    /**
     * @param operator the JobOperator (per call: in WildFly it is the calling deployment's)
     * @param setup    connections null: not offered; scheduler null (or no connections): connections are not run here.
     *                 The connections are not scheduled yet: {@link #scheduleConnections()} does that.
     */
    public static ConsoleServices of(Supplier<JobOperator> operator, Setup setup) {
        Properties defaults = setup.startDefaults() == null ? new Properties() : setup.startDefaults();
        ExecutionQueries queries = new ExecutionQueries(operator, setup.beforeRead());
        ExecutionCommands commands = new ExecutionCommands(operator, queries, setup.policy(), defaults);
        Applications applications = new Applications(setup.policy(), setup.tokenFiles());
        ConnectionScheduler scheduler = setup.connections() == null || setup.scheduler() == null ? null
                : new ConnectionScheduler(setup.scheduler(), setup.connections());
        ConnectionCommands connections = setup.connections() == null ? null
                : new ConnectionCommands(setup.connections(), queries, operator, setup.policy(), defaults, scheduler, applications);
        Catalog catalog = Catalog.of(defaults, scheduler != null, connections != null, setup.oauthClientId());
        return new ConsoleServices(queries, commands, applications, setup.connections(), connections, scheduler, catalog);
    }

    public ExecutionQueries queries() {
        return queries;
    }

    public ExecutionCommands commands() {
        return commands;
    }

    public Applications applications() {
        return applications;
    }

    /** The connections; 501 where they are not kept (a server without the repository's datasource). */
    public ConnectionCommands connections() {
        if (connections == null) {
            throw new AdminException(501, "not-available", "connections are not managed here");
        }
        return connections;
    }

    public CoverageService coverage() {
        return new CoverageService(queries, connectionStore);
    }

    public Catalog catalog() {
        return catalog;
    }

    /** Runs every active connection on this console's scheduler (the console starts); nothing where none runs here. */
    public void scheduleConnections() {
        if (scheduler != null) {
            scheduler.scheduleActive();
        }
    }

    /** No more scheduled runs (the console or the deployment ends); the loads running go on. */
    public void shutdown() {
        if (scheduler != null) {
            scheduler.shutdown();
        }
    }
}
