package org.appmetrica.loader.standalone;

import org.appmetrica.loader.config.Timeline;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.admin.AdminException;
import org.appmetrica.loader.admin.AdminJson;
import org.appmetrica.loader.admin.ConnectionRestarts;
import org.appmetrica.loader.admin.ConnectionService;
import org.appmetrica.loader.admin.ConnectionState;
import org.appmetrica.loader.admin.ConnectionView;
import org.appmetrica.loader.admin.ExecutionCommands;
import org.appmetrica.loader.admin.ExecutionQueries;
import org.appmetrica.loader.admin.AccessPolicy;
import org.appmetrica.loader.admin.LoadLauncher;
import org.appmetrica.loader.connection.ConnectionStore;
import org.appmetrica.loader.coordination.AutoRestart;
import org.appmetrica.loader.coordination.Coordination;
import org.appmetrica.loader.coordination.CrashedExecutions;
import org.appmetrica.loader.coordination.ProcessIdentity;
import org.appmetrica.loader.model.LoadParameter;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.model.LoadParametersBuilder;
import org.appmetrica.loader.regular.RegularLoadDefinition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Standalone command line: runs {@code appmetrica-load} on JBeret SE + Weld SE with a job repository in an H2 file. One
 * file per subcommand; what they share is here. Exit codes: {@link ExitCodes}.
 */
@Command(name = "appmetrica-loader", mixinStandardHelpOptions = true, versionProvider = LoaderVersion.class,
        scope = CommandLine.ScopeType.INHERIT,
        description = "Loads AppMetrica Logs API exports into ClickHouse (Jakarta Batch job appmetrica-load).")
public final class LoaderCli {

    /** The subcommands in the order the help lists them; {@link #commandLine} adds them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(RunCommand.class, RestartCommand.class, StopCommand.class, AbandonCommand.class,
            ExecutionsCommand.class, StatusCommand.class, ScheduleCommand.class, SimulatorCommand.class, ConsoleCommand.class,
            HashPasswordCommand.class, ConnectionsCommand.class, CoverageCommand.class);

    @Mixin
    GlobalOptions options = new GlobalOptions();

    @CommandLine.Option(names = "--config", paramLabel = "FILE", scope = CommandLine.ScopeType.LOCAL, description = "properties file with "
            + "the global options above (keys data-dir, repository-url, log-format); given on the command line, an option wins over the file")
    Path globalConfig; // read before parsing, by GlobalConfig

    public static void main(String[] args) {
        Timeline.mark("main (the JVM started at " + Timeline.jvmStart() + " ms since the epoch)");
        NativeHeapTrim.start();
        LoaderCli[] ran = new LoaderCli[1];
        int code;
        try {
            code = execute(args, GlobalConfig.subcommand(args), ran);
        } catch (IllegalArgumentException e) { // --config's file
            System.err.println("error: " + e.getMessage());
            code = ExitCodes.USAGE;
        }
        if (ran[0] != null && ran[0].options.logFormat == LogFormat.json) {
            // Weld's shutdown hook prints a line to System.out: standard output carries JSON lines only
            System.out.flush();
            System.setOut(System.err);
        }
        Timeline.mark("exit " + code);
        System.exit(code);
    }

    /**
     * Parses and runs the command. Picocli's model of a command costs time at every start (reflection over its classes
     * and annotations): with {@code only} the model has just that subcommand. An
     * error picocli finds before the subcommand is reported with the whole model, as without {@code only} (its usage
     * lists every subcommand).
     */
    static int execute(String[] args, String only, LoaderCli[] ran) {
        LoaderCli cli = new LoaderCli();
        CommandLine commandLine = commandLine(cli, only);
        GlobalConfig.apply(commandLine, args);
        if (commandLine.getSubcommands().size() < SUBCOMMANDS.size()) {
            CommandLine.IParameterExceptionHandler usual = commandLine.getParameterExceptionHandler();
            commandLine.setParameterExceptionHandler((e, a) -> e.getCommandLine() == commandLine ? execute(a, null, ran)
                    : usual.handleParseException(e, a));
        }
        ran[0] = cli;
        Timeline.mark("command line read");
        return commandLine.execute(args);
    }

    /** The command line over {@code cli} with the subcommand named {@code only}, or with all when none has that name. */
    static CommandLine commandLine(LoaderCli cli, String only) {
        CommandLine commandLine = new CommandLine(cli);
        boolean known = SUBCOMMANDS.stream().anyMatch(c -> name(c).equals(only));
        for (Class<?> c : SUBCOMMANDS) {
            if (!known || name(c).equals(only)) {
                commandLine.addSubcommand(name(c), c);
            }
        }
        Timeline.mark("command line model built");
        CommandLine run = commandLine.getSubcommands().get("run");
        if (run != null) {
            // run --help lists the job parameters from their one definition (picocli formats footers: % doubled)
            run.getCommandSpec().usageMessage().footer(LoadParameter.help().replace("%", "%%").replace("\n", "%n"));
        }
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + (e.getMessage() == null ? e : e.getMessage()));
            return e instanceof IllegalArgumentException || e instanceof AdminException a && a.status() == 400 ? ExitCodes.USAGE
                    : ExitCodes.FAILED;
        });
        return commandLine;
    }

    private static String name(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    void init() throws IOException {
        init(false);
    }

    /** With --json, standard output carries only the JSON document: progress lines go to standard error. */
    void init(boolean json) throws IOException {
        init(json, false);
    }

    /** As {@link #init(boolean)}; for a run ({@code jobs}) the batch runtime's CDI container starts meanwhile. */
    void init(boolean json, boolean jobs) throws IOException {
        if (options.hostId != null) {
            ProcessIdentity.useHost(options.hostId);
        }
        Coordination.heartbeat(Duration.ofSeconds(options.heartbeatInterval), Duration.ofSeconds(options.heartbeatTimeout));
        Repository.configure(options.dataDir, options.repositoryUrl);
        Timeline.mark("repository configured");
        ConsoleLogging.install(json ? System.err : System.out, jsonLogs());
        if (jobs) {
            Repository.startContainer(); // after the logging: Weld's start-up lines stay quiet
        }
        Repository.operator(); // JBeret creates its tables before they are read below
        Timeline.mark("JobOperator ready (Weld, JBeret, H2)");
        CrashedExecutions.reconcile(); // a run whose process died shows, and restarts, as FAILED (crashed)
        Timeline.mark("crashed executions reconciled");
    }

    boolean jsonLogs() {
        return options.logFormat == LogFormat.json;
    }

    /** Where a run's own lines go: standard output, unless it carries JSON only (--json, --log-format json). */
    PrintStream humanOut(boolean json) {
        return json || jsonLogs() ? System.err : System.out;
    }

    /** The console's reads over this process's JobOperator: the CLI's --json is the REST API's JSON. */
    ExecutionQueries queries() {
        JobOperator operator = Repository.operator();
        return new ExecutionQueries(() -> operator);
    }

    /** The console's stop, abandon and restart over this process's JobOperator, every load allowed. */
    ExecutionCommands commands() {
        JobOperator operator = Repository.operator();
        return new ExecutionCommands(() -> operator, new ExecutionQueries(() -> operator), AccessPolicy.unrestricted(), startDefaults());
    }

    Properties startDefaults() {
        return LoadParameters.builder().spoolDir(spoolDir()).build();
    }

    private Path spoolDir() {
        return options.dataDir.resolve("spool");
    }

    /**
     * Parameters from a properties file (when given) with KEY=VALUE pairs over them, and the spool under --data-dir
     * unless they name one.
     */
    Properties parameters(Path file, List<String> pairs) throws IOException {
        LoadParametersBuilder p = LoadParameters.builder();
        if (file != null) {
            Properties fromFile = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                fromFile.load(in);
            }
            p.setAll(fromFile);
        }
        return p.setAll(keyValues(pairs)).setIfAbsent(LoadParameters.SPOOL_DIR, spoolDir().toString()).build();
    }

    /**
     * Runs an admin operation for a command: on success prints the JSON (with --json) or the human line; an
     * AdminException becomes "error: message" (or its JSON) and exit code 2 for bad parameters, 1 otherwise.
     */
    static int adminCommand(boolean json, Supplier<Object> operation, Consumer<Object> human) {
        return adminCommand(json, operation, human, true);
    }

    static int adminCommand(boolean json, Supplier<Object> operation, Consumer<Object> human, boolean printResult) {
        Object result;
        try {
            result = operation.get();
        } catch (AdminException e) {
            if (json) {
                System.out.println(AdminJson.pretty(e.view()));
            } else {
                System.err.println("error: " + e.getMessage());
            }
            return e.status() == 400 ? ExitCodes.USAGE : ExitCodes.FAILED;
        }
        if (json && printResult) {
            System.out.println(AdminJson.pretty(result));
        } else {
            human.accept(result);
        }
        return ExitCodes.COMPLETED;
    }

    /** KEY=VALUE pairs in their order; a later key wins. */
    static Map<String, String> keyValues(List<String> pairs) {
        Map<String, String> p = new LinkedHashMap<>();
        if (pairs != null) {
            for (String pair : pairs) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("'" + pair + "' is not KEY=VALUE");
                }
                p.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return p;
    }

    /**
     * Ctrl-C (and kill) become a graceful stop instead of a JVM shutdown, so the run can end STOPPED and exit 3; then
     * prints {@code execution id: N}. Once that line is out, a signal stops the execution: "stopping execution N" when
     * the signal arrives, "stop registered for execution N" once the runtime has it.
     */
    static void announce(long executionId, PrintStream out) {
        JobOperator operator = Repository.operator(); // taken here: the signal's thread has none of this thread's context
        Signals.onStop(signal -> {
            out.println("stopping execution " + executionId + " (" + signal + "): it ends STOPPED at its next checkpoint"
                    + " and can be restarted");
            try {
                operator.stop(executionId);
                out.println("stop registered for execution " + executionId);
            } catch (RuntimeException e) {
                out.println("could not stop: " + e.getMessage());
            }
        });
        out.println("execution id: " + executionId);
    }

    /**
     * Follows an execution this process started to its end (see {@link #announce}), prints the summary, with --json the
     * ended execution as the REST API shows it; returns the exit code.
     */
    int followToTheEnd(long executionId, boolean json) throws InterruptedException {
        JsonLogFormatter.execution(executionId);
        PrintStream out = humanOut(json);
        announce(executionId, out);
        JobExecution execution;
        try (ProgressReporter progress = ProgressReporter.start(queries(), executionId)) {
            execution = Repository.await(executionId);
            Timeline.mark("execution ended");
        }
        Reports.summary(out, execution);
        Timeline.mark("summary printed");
        BatchStatus status = execution.getBatchStatus();
        if (status != BatchStatus.COMPLETED) {
            Reports.ending(out, execution);
        }
        if (json) {
            System.out.println(AdminJson.pretty(queries().execution(executionId).execution()));
        }
        return ExitCodes.of(status);
    }

    /** Restarts crashed executions now and every heartbeat interval, as their autoRestart parameter allows. */
    void autoRestart(JobOperator operator) {
        ConnectionRestarts connections = new ConnectionRestarts(connections(() -> operator), () -> operator);
        new AutoRestart(StandaloneRuntime.repositoryConnections(), LoadLauncher.unattended(() -> operator)::restart).onRestarted(connections::restarted)
                .start(threads(1, "auto-restart"));
    }

    /** The connections in the job repository, run by this process's JobOperator. */
    ConnectionService connections() {
        return connections(Repository::operator);
    }

    ConnectionService connections(Supplier<JobOperator> operator) {
        return new ConnectionService(new ConnectionStore(StandaloneRuntime.repositoryConnections(), Clock.systemUTC()), operator,
                startDefaults(), Clock.systemUTC());
    }

    /** A connection's definition; a one-time connection is refused (it runs with connections run, not on a schedule). */
    RegularLoadDefinition connectionDefinition(ConnectionService connections, String name) {
        ConnectionView view;
        try {
            view = connections.show(name);
        } catch (AdminException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (!view.connection().isRegular()) {
            throw new IllegalArgumentException("connection " + name + " is one-time: run it with connections run " + name);
        }
        if (view.state() == ConnectionState.PAUSED) {
            throw new IllegalArgumentException("connection " + name + " is paused: connections resume " + name + " first");
        }
        return connections.definition(name);
    }

    /** Daemon threads with this thread's class loader (JBeret SE and Weld find the job and its artifacts with it). */
    static ScheduledExecutorService threads(int count, String name) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return Executors.newScheduledThreadPool(count, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        });
    }

}
