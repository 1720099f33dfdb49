package org.appmetrica.loader.standalone;

import jakarta.batch.operations.JobOperator;
import org.appmetrica.loader.admin.ConnectionService;
import org.appmetrica.loader.admin.LoadLauncher;
import org.appmetrica.loader.connection.ConnectionFile;
import org.appmetrica.loader.regular.RegularLoadDefinition;
import org.appmetrica.loader.regular.Scheduler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;

/** {@code schedule}: runs regular loads (a definition file, one connection or every active regular one) until stopped. */
@Command(name = "schedule", description = "Run regular loads until stopped: schedule --config FILE (see docs/loads.md, Regular loads), "
        + "schedule --connection NAME, or schedule (every active regular connection)")
final class ScheduleCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    LoaderCli cli;
    @Option(names = "--config", description = "properties file read as a regular connection: name, loadFrom, schedule, timeZone, reloadDays, "
            + "includeToday and job parameters")
    Path config;
    @Option(names = "--connection", description = "a connection (see connections list); without it and --config: every active regular connection")
    String connection;
    @Option(names = "--once", description = "run what is due now and exit")
    boolean once;

    @Override
    public Integer call() throws Exception {
        if (config != null && connection != null) {
            throw new IllegalArgumentException("give --config FILE or --connection NAME, not both");
        }
        List<RegularLoadDefinition> definitions = new ArrayList<>();
        ConnectionService connections = null;
        if (config != null) {
            RegularLoadDefinition definition = ConnectionFile.read(config).validated().definition(cli.startDefaults());
            definition.settings().checkToken(); // a bad definition or token: "error: ..." and exit code 2
            cli.init();
            definitions.add(definition);
        } else {
            cli.init();
            connections = cli.connections();
            definitions.addAll(connection != null ? List.of(cli.connectionDefinition(connections, connection)) : regularOnes(connections));
            if (definitions.isEmpty()) {
                throw new IllegalArgumentException("no active regular connection to schedule: add one with connections add --file F.json");
            }
        }
        JobOperator operator = Repository.operator();
        if (!once) {
            cli.autoRestart(operator); // executions whose process died: this one restarts them (autoRestart=N)
        }
        ScheduledExecutorService threads = LoaderCli.threads(Math.min(4, definitions.size()), "regular-load");
        Scheduler scheduler = new Scheduler(() -> operator, LoadLauncher.unattended(() -> operator)::start, threads, Clock.systemUTC(),
                System.out::println);
        ConnectionService store = connections;
        if (store != null) {
            scheduler.onStarted((name, id) -> store.store().recordRun(name, id));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Set<Long> stopping = ConcurrentHashMap.newKeySet();
        Signals.onStop(signal -> {
            System.out.println("stopping the schedule (" + signal + ")");
            scheduler.shutdown();
            stopping.addAll(Repository.stopOwnExecutions(operator, System.out, "schedule"));
            stopped.countDown();
        });
        for (RegularLoadDefinition definition : definitions) {
            if (once) {
                scheduler.runNow(definition);
            } else {
                // the first run at once: it catches up whatever a missed run (process down) left due; a connection is read
                // again before each run, so an edit, pause or delete from another process applies from the next one
                scheduler.add(definition, store == null ? null : store::activeDefinition);
            }
        }
        if (once && stopped.getCount() > 0) {
            return ExitCodes.COMPLETED;
        }
        stopped.await();
        for (long id : stopping) {
            Repository.await(id);
        }
        return ExitCodes.STOPPED;
    }

    private static List<RegularLoadDefinition> regularOnes(ConnectionService connections) {
        return connections.store().list().stream().filter(c -> !c.paused() && c.connection().isRegular())
                .map(c -> connections.definition(c.name())).toList();
    }
}
