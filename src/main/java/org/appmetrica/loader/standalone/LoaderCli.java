package org.appmetrica.loader.standalone;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.job.LoadParameters;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatorConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Standalone command line: runs {@code appmetrica-load} on JBeret SE + Weld SE with a job repository in an H2 file.
 * Exit codes: 0 COMPLETED, 1 FAILED (or ABANDONED), 2 bad arguments or parameters, 3 STOPPED.
 */
@Command(name = "appmetrica-loader", mixinStandardHelpOptions = true,
        description = "Loads AppMetrica Logs API exports into ClickHouse (Jakarta Batch job appmetrica-load).",
        subcommands = {LoaderCli.Run.class, LoaderCli.Restart.class, LoaderCli.Stop.class, LoaderCli.Abandon.class,
                LoaderCli.Executions.class, LoaderCli.Status.class, LoaderCli.Schedule.class, LoaderCli.Simulator.class})
public final class LoaderCli {

    static final int COMPLETED = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int STOPPED = 3;

    @Option(names = "--data-dir", description = "job repository and spool directory (default ~/.appmetrica-loader)", scope = CommandLine.ScopeType.INHERIT)
    Path dataDir = Path.of(System.getProperty("user.home"), ".appmetrica-loader");

    @Option(names = "--repository-url", description = "JDBC URL of another job repository database", scope = CommandLine.ScopeType.INHERIT)
    String repositoryUrl;

    public static void main(String[] args) {
        int code = new CommandLine(new LoaderCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + (e.getMessage() == null ? e : e.getMessage()));
                    return e instanceof IllegalArgumentException ? USAGE : FAILED;
                })
                .execute(args);
        System.exit(code);
    }

    void init() throws IOException {
        Files.createDirectories(dataDir);
        Repository.configure(dataDir, repositoryUrl);
        ConsoleLogging.install(System.out);
    }

    static Properties keyValues(List<String> pairs) {
        Properties p = new Properties();
        if (pairs != null) {
            for (String pair : pairs) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("'" + pair + "' is not KEY=VALUE");
                }
                p.setProperty(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return p;
    }

    /** Waits for the execution, stopping it gracefully on Ctrl-C, prints the summary, returns the exit code. */
    int follow(long executionId, PrintStream out) throws InterruptedException {
        // Ctrl-C (and kill) become a graceful stop instead of a JVM shutdown, so the run can end STOPPED and exit 3.
        sun.misc.SignalHandler stop = signal -> {
            out.println("stopping execution " + executionId + " (" + signal.getName() + "): it ends STOPPED and can be restarted");
            try {
                Repository.operator().stop(executionId);
            } catch (RuntimeException e) {
                out.println("could not stop: " + e.getMessage());
            }
        };
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), stop);
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), stop);
        JobExecution execution = Repository.await(executionId);
        Reports.summary(out, execution);
        BatchStatus status = execution.getBatchStatus();
        if (status == BatchStatus.COMPLETED) {
            return COMPLETED;
        }
        out.println("execution " + executionId + " ended " + status + ": " + Reports.failureReason(execution));
        out.println("restart it with: restart " + executionId);
        return status == BatchStatus.STOPPED ? STOPPED : FAILED;
    }

    @Command(name = "run", description = "Start a load: run KEY=VALUE... (job parameters) or --config FILE")
    static final class Run implements Callable<Integer> {
        @CommandLine.ParentCommand
        LoaderCli cli;
        @Option(names = "--config", description = "properties file with job parameters")
        Path config;
        @Parameters(description = "job parameters KEY=VALUE")
        List<String> parameters;

        @Override
        public Integer call() throws Exception {
            Properties p = new Properties();
            if (config != null) {
                try (InputStream in = Files.newInputStream(config)) {
                    p.load(in);
                }
            }
            p.putAll(keyValues(parameters));
            if (!p.containsKey(LoadParameters.SPOOL_DIR)) {
                p.setProperty(LoadParameters.SPOOL_DIR, cli.dataDir.resolve("spool").toString());
            }
            try {
                org.appmetrica.loader.job.LoadSettings settings = LoadParameters.parse(p);
                org.appmetrica.loader.config.SecretRef.resolve(LoadParameters.TOKEN_REF, settings.tokenRef(), true);
            } catch (IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage());
                return USAGE;
            }
            cli.init();
            long id = Repository.operator().start(Repository.JOB, p);
            System.out.println("execution id: " + id);
            return cli.follow(id, System.out);
        }
    }

    @Command(name = "restart", description = "Restart a FAILED or STOPPED execution from its last checkpoint: restart ID [KEY=VALUE...]")
    static final class Restart implements Callable<Integer> {
        @CommandLine.ParentCommand
        LoaderCli cli;
        @Parameters(index = "0")
        long executionId;
        @Parameters(index = "1..*", description = "parameter overrides KEY=VALUE (KEY= clears one)")
        List<String> overrides;

        @Override
        public Integer call() throws Exception {
            cli.init();
            Properties p = Repository.operator().getParameters(executionId);
            p.putAll(keyValues(overrides));
            long id = Repository.operator().restart(executionId, p);
            System.out.println("execution id: " + id);
            return cli.follow(id, System.out);
        }
    }

    @Command(name = "stop", description = "Ask a running execution to stop at its next checkpoint: stop ID")
    static final class Stop implements Callable<Integer> {
        @CommandLine.ParentCommand
        LoaderCli cli;
        @Parameters(index = "0")
        long executionId;

        @Override
        public Integer call() throws Exception {
            cli.init();
            Repository.operator().stop(executionId);
            System.out.println("stop requested for execution " + executionId);
            return COMPLETED;
        }
    }

    @Command(name = "abandon", description = "Mark a finished execution ABANDONED so it is never restarted: abandon ID")
    static final class Abandon implements Callable<Integer> {
        @CommandLine.ParentCommand
        LoaderCli cli;
        @Parameters(index = "0")
        long executionId;

        @Override
        public Integer call() throws Exception {
            cli.init();
            Repository.operator().abandon(executionId);
            System.out.println("execution " + executionId + " abandoned");
            return COMPLETED;
        }
    }

    @Command(name = "executions", description = "List executions")
    static final class Executions implements Callable<Integer> {
        @CommandLine.ParentCommand
        LoaderCli cli;

        @Override
        public Integer call() throws Exception {
            cli.init();
            Reports.executions(System.out);
            return COMPLETED;
        }
    }

    @Command(name = "status", description = "Steps and partitions of an execution: status ID")
    static final class Status implements Callable<Integer> {
        @CommandLine.ParentCommand
        LoaderCli cli;
        @Parameters(index = "0")
        long executionId;

        @Override
        public Integer call() throws Exception {
            cli.init();
            Reports.status(System.out, executionId);
            return COMPLETED;
        }
    }

    @Command(name = "schedule", description = "Run a regular load until stopped: schedule --config FILE (see README, Regular loads)")
    static final class Schedule implements Callable<Integer> {
        @CommandLine.ParentCommand
        LoaderCli cli;
        @Option(names = "--config", required = true, description = "properties file: name, loadFrom, schedule, timeZone, reloadWindowDays, includeToday and job parameters")
        Path config;
        @Option(names = "--once", description = "run what is due now and exit")
        boolean once;

        @Override
        public Integer call() throws Exception {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(config)) {
                p.load(in);
            }
            if (!p.containsKey(LoadParameters.SPOOL_DIR)) {
                p.setProperty(LoadParameters.SPOOL_DIR, cli.dataDir.resolve("spool").toString());
            }
            org.appmetrica.loader.regular.RegularLoadDefinition definition;
            try {
                definition = org.appmetrica.loader.regular.RegularLoadDefinition.parse(p);
                org.appmetrica.loader.config.SecretRef.resolve(LoadParameters.TOKEN_REF, definition.settings().tokenRef(), true);
            } catch (IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage());
                return USAGE;
            }
            cli.init();
            java.time.Clock clock = java.time.Clock.systemUTC();
            org.appmetrica.loader.regular.RegularLoadRunner runner = new org.appmetrica.loader.regular.RegularLoadRunner(Repository.operator(), clock);
            java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
            Thread main = Thread.currentThread();
            sun.misc.SignalHandler stop = signal -> {
                stopping.set(true);
                System.out.println("stopping the schedule (" + signal.getName() + ")");
                Repository.operator().getRunningExecutions(Repository.JOB).forEach(id -> Repository.operator().stop(id));
                main.interrupt();
            };
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), stop);
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), stop);
            // The first run happens at once: it catches up whatever a missed run (process down) left due.
            while (!stopping.get()) {
                try {
                    runner.runOnce(definition).ifPresent(e -> System.out.println(definition.name() + ": execution " + e.getExecutionId()
                            + " " + e.getBatchStatus() + (e.getBatchStatus() == jakarta.batch.runtime.BatchStatus.COMPLETED ? "" : " (" + e.getExitStatus() + ")")));
                } catch (RuntimeException e) {
                    System.out.println(definition.name() + ": run failed: " + e.getMessage() + "; trying again at the next scheduled time");
                }
                if (once) {
                    return COMPLETED;
                }
                java.time.ZonedDateTime next = definition.schedule().next(java.time.ZonedDateTime.now(clock));
                System.out.println(definition.name() + ": next run at " + next);
                try {
                    Thread.sleep(Math.max(0, java.time.Duration.between(java.time.ZonedDateTime.now(clock), next).toMillis()));
                } catch (InterruptedException e) {
                    if (stopping.get()) {
                        break;
                    }
                }
            }
            return STOPPED;
        }
    }

    @Command(name = "simulator", description = "Run the Logs API simulator on 127.0.0.1 until interrupted")
    static final class Simulator implements Callable<Integer> {
        @Option(names = "--port", defaultValue = "8090")
        int port;
        @Option(names = "--token", required = true, description = "the OAuth token it accepts")
        String token;
        @Option(names = "--rows-per-day", defaultValue = "1000")
        int rowsPerDay;
        @Option(names = "--seed", defaultValue = "42")
        long seed;
        @Option(names = "--ready-after", defaultValue = "2", description = "202 answers before an export is ready")
        int readyAfter;
        @Option(names = "--max-rows-per-file", defaultValue = "0", description = "above this a file needs parts (0 = never)")
        long maxRowsPerFile;
        @Option(names = "--fault-rate", defaultValue = "0", description = "share of requests answered 5xx")
        double faultRate;
        @Option(names = "--late-rows", defaultValue = "0", description = "rows of a day that arrive late, per day after it ends")
        int lateRows;
        @Option(names = "--late-days", defaultValue = "0", description = "days after its end a day keeps growing")
        int lateDays;

        @Override
        public Integer call() throws Exception {
            SimulatorConfig config = SimulatorConfig.defaults(token).withPort(port).withTokens(Map.of(token, Set.of()))
                    .withSeed(seed).withRowsPerDay(rowsPerDay).withReadyAfter(readyAfter)
                    .withMaxRowsPerFile(maxRowsPerFile).withFaultRate(faultRate);
            try (LogsApiSimulator simulator = new LogsApiSimulator(config).start()) {
                if (lateRows > 0 && lateDays > 0) {
                    simulator.setLateRows(new org.appmetrica.loader.simulator.SimulatedData.LateRows(lateRows, lateDays,
                            () -> java.time.LocalDate.now(java.time.ZoneOffset.UTC)));
                }
                System.out.println("Logs API simulator listening on " + simulator.baseUrl());
                Thread.currentThread().join();
            }
            return COMPLETED;
        }
    }
}
