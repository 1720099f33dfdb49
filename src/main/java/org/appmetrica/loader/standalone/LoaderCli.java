package org.appmetrica.loader.standalone;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.admin.AccessPolicy;
import org.appmetrica.loader.admin.AdminException;
import org.appmetrica.loader.admin.AdminJson;
import org.appmetrica.loader.admin.AdminService;
import org.appmetrica.loader.admin.PasswordHash;
import org.appmetrica.loader.admin.SecretMask;
import org.appmetrica.loader.admin.LoadLauncher;
import org.appmetrica.loader.admin.TokenFiles;
import org.appmetrica.loader.admin.UserStore;
import org.appmetrica.loader.coordination.AutoRestart;
import org.appmetrica.loader.admin.ConnectionRestarts;
import org.appmetrica.loader.coordination.Coordination;
import org.appmetrica.loader.admin.ConnectionService;
import org.appmetrica.loader.connection.ConnectionStore;
import org.appmetrica.loader.coordination.CrashedExecutions;
import org.appmetrica.loader.coordination.ProcessIdentity;
import org.appmetrica.loader.model.Jobs;
import org.appmetrica.loader.model.LoadParameter;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.model.LoadParametersBuilder;
import org.appmetrica.loader.regular.RegularLoadDefinition;
import org.appmetrica.loader.regular.Scheduler;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatedData;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.appmetrica.loader.config.OwnerOnlyFile;
import org.appmetrica.loader.standalone.console.ConsoleServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Standalone command line: runs {@code appmetrica-load} on JBeret SE + Weld SE with a job repository in an H2 file.
 * Exit codes: 0 COMPLETED, 1 FAILED (or ABANDONED), 2 bad arguments or parameters, 3 STOPPED.
 */
@Command(name = "appmetrica-loader", mixinStandardHelpOptions = true, versionProvider = LoaderVersion.class,
        scope = CommandLine.ScopeType.INHERIT,
        description = "Loads AppMetrica Logs API exports into ClickHouse (Jakarta Batch job appmetrica-load).",
        subcommands = {LoaderCli.Run.class, LoaderCli.Restart.class, LoaderCli.Stop.class, LoaderCli.Abandon.class,
                LoaderCli.Executions.class, LoaderCli.Status.class, LoaderCli.Schedule.class, LoaderCli.Simulator.class,
                LoaderCli.Console.class, LoaderCli.HashPassword.class, ConnectionsCommand.class, CoverageCommand.class})
public final class LoaderCli {

    static final int COMPLETED = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int STOPPED = 3;

    private static final Logger PROGRESS = Logger.getLogger("org.appmetrica.loader.progress");

    @Option(names = "--data-dir", description = "job repository and spool directory (default ~/.appmetrica-loader)", scope = CommandLine.ScopeType.INHERIT)
    Path dataDir = Path.of(System.getProperty("user.home"), ".appmetrica-loader");

    @Option(names = "--repository-url", description = "JDBC URL of another job repository database", scope = CommandLine.ScopeType.INHERIT)
    String repositoryUrl;

    @Option(names = "--host-id", description = "this host's name in the execution owner records (default: the machine's host name); "
            + "loaders sharing a repository with distinct host ids vouch for each other by heartbeat only", scope = CommandLine.ScopeType.INHERIT)
    String hostId;

    @Option(names = "--heartbeat-interval", description = "seconds between this process's heartbeats and its checks for crashed "
            + "executions (default 20)", scope = CommandLine.ScopeType.INHERIT)
    int heartbeatInterval = 20;

    @Option(names = "--heartbeat-timeout", description = "seconds after which another host whose heartbeat stopped counts as gone "
            + "(default 120; the same on every host)", scope = CommandLine.ScopeType.INHERIT)
    int heartbeatTimeout = 120;

    @Option(names = "--log-format", description = "human (default) or json: one JSON object a line per progress event, for log shippers "
            + "(default from APPMETRICA_LOG_FORMAT or -Dappmetrica.logFormat)", scope = CommandLine.ScopeType.INHERIT)
    String logFormat = System.getProperty("appmetrica.logFormat", System.getenv().getOrDefault("APPMETRICA_LOG_FORMAT", "human"));

    @Option(names = "--config", paramLabel = "FILE", scope = CommandLine.ScopeType.LOCAL, description = "properties file with the global options above (keys data-dir, "
            + "repository-url, log-format); given on the command line, an option wins over the file")
    Path globalConfig; // read before parsing, by GlobalConfig

    public static void main(String[] args) {
        LoaderCli cli = new LoaderCli();
        CommandLine commandLine = new CommandLine(cli);
        // run --help lists the job parameters from their one definition (picocli formats footers: % doubled)
        commandLine.getSubcommands().get("run").getCommandSpec().usageMessage()
                .footer(LoadParameter.help().replace("%", "%%").replace("\n", "%n"));
        commandLine
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + (e.getMessage() == null ? e : e.getMessage()));
                    return e instanceof IllegalArgumentException || e instanceof AdminException a && a.status() == 400 ? USAGE : FAILED;
                });
        try {
            GlobalConfig.apply(commandLine, args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(USAGE);
        }
        int code = commandLine.execute(args);
        if ("json".equals(cli.logFormat)) {
            // Weld's shutdown hook prints a line to System.out: standard output carries JSON lines only
            System.out.flush();
            System.setOut(System.err);
        }
        System.exit(code);
    }

    void init() throws IOException {
        init(false);
    }

    /** With --json, standard output carries only the JSON document: progress lines go to standard error. */
    void init(boolean json) throws IOException {
        if (hostId != null) {
            ProcessIdentity.useHost(hostId);
        }
        Coordination.heartbeat(Duration.ofSeconds(heartbeatInterval), Duration.ofSeconds(heartbeatTimeout));
        Repository.configure(dataDir, repositoryUrl);
        ConsoleLogging.install(json ? System.err : System.out, jsonLogs());
        Repository.operator(); // JBeret creates its tables before they are read below
        CrashedExecutions.reconcile(); // a run whose process died shows, and restarts, as FAILED (crashed)
    }

    boolean jsonLogs() {
        String f = logFormat == null ? "human" : logFormat.trim();
        if (!f.equals("human") && !f.equals("json")) {
            throw new IllegalArgumentException("--log-format " + logFormat + ": expected human or json");
        }
        return f.equals("json");
    }

    /** Where a run's own lines go: standard output, unless it carries JSON only (--json, --log-format json). */
    PrintStream humanOut(boolean json) {
        return json || jsonLogs() ? System.err : System.out;
    }

    /** The admin console's service over this process's JobOperator: the CLI's --json is the REST API's JSON. */
    AdminService admin() {
        JobOperator operator = Repository.operator();
        return new AdminService(() -> operator, startDefaults(), null);
    }

    Properties startDefaults() {
        return LoadParameters.builder().spoolDir(spoolDir()).build();
    }

    private Path spoolDir() {
        return dataDir.resolve("spool");
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
            return e.status() == 400 ? USAGE : FAILED;
        }
        if (json && printResult) {
            System.out.println(AdminJson.pretty(result));
        } else {
            human.accept(result);
        }
        return COMPLETED;
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

    /** Waits for the execution (see {@link #announce}), prints the summary, returns the exit code. */
    int follow(long executionId, PrintStream out) throws InterruptedException {
        JobExecution execution;
        try (ProgressReporter progress = ProgressReporter.start(admin(), executionId)) {
            execution = Repository.await(executionId);
        }
        Reports.summary(out, execution);
        BatchStatus status = execution.getBatchStatus();
        if (status == BatchStatus.COMPLETED) {
            return COMPLETED;
        }
        Reports.ending(out, execution);
        return status == BatchStatus.STOPPED ? STOPPED : FAILED;
    }

    @Command(name = "run", description = "Start a load: run KEY=VALUE... (job parameters) or --config FILE")
    static final class Run implements Callable<Integer> {
        @CommandLine.ParentCommand
        LoaderCli cli;
        @Option(names = "--config", description = "properties file with job parameters")
        Path config;
        @Option(names = "--json", description = "print the ended execution as JSON (the REST API's form); progress goes to standard error")
        boolean json;
        @Parameters(description = "job parameters KEY=VALUE")
        List<String> parameters;

        @Override
        public Integer call() throws Exception {
            Properties p = cli.parameters(config, parameters);
            LoadLauncher launcher = new LoadLauncher(Repository::operator, AccessPolicy.unrestricted(), true);
            launcher.validate(p); // a bad parameter or token: "error: ..." and exit code 2, before the repository is opened
            cli.init(json);
            long id = launcher.start(p); // ClickHouse, token and applications checked before an execution exists
            JsonLogFormatter.execution(id);
            PrintStream out = cli.humanOut(json);
            announce(id, out);
            int code = cli.follow(id, out);
            if (json) {
                System.out.println(AdminJson.pretty(cli.admin().execution(id).execution()));
            }
            return code;
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
        @Option(names = "--json", description = "print the ended execution as JSON (the REST API's form); progress goes to standard error")
        boolean json;

        @Override
        public Integer call() throws Exception {
            cli.init(json);
            Map<String, String> changes = keyValues(overrides);
            // The parameters the execution ran with, the overrides over them, validated: as the console's restart.
            long[] id = new long[1];
            Long[] continued = new Long[1];
            int code = adminCommand(json, () -> {
                var restarted = cli.admin().restart(executionId, changes);
                id[0] = restarted.id();
                continued[0] = restarted.restartOf();
                return id[0];
            }, r -> { }, false);
            if (code != COMPLETED) {
                return code;
            }
            JsonLogFormatter.execution(id[0]);
            PrintStream out = cli.humanOut(json);
            if (continued[0] != null && continued[0] != executionId) {
                out.println("execution " + executionId + " was restarted before; continuing its newest execution, " + continued[0]);
            }
            announce(id[0], out);
            code = cli.follow(id[0], out);
            if (json) {
                System.out.println(AdminJson.pretty(cli.admin().execution(id[0]).execution()));
            }
            return code;
        }
    }

    /** The commands about one execution: its id and --json (the REST API's form of the answer). */
    abstract static class OnExecution implements Callable<Integer> {
        @CommandLine.ParentCommand
        LoaderCli cli;
        @Parameters(index = "0", description = "the execution id")
        long executionId;
        @Option(names = "--json", description = "print the execution as JSON (the REST API's form)")
        boolean json;
    }

    @Command(name = "stop", description = "Ask a running execution to stop at its next checkpoint: stop ID")
    static final class Stop extends OnExecution {
        @Override
        public Integer call() throws Exception {
            cli.init(json);
            return adminCommand(json, () -> cli.admin().stop(executionId),
                    r -> System.out.println("stop requested for execution " + executionId));
        }
    }

    @Command(name = "abandon", description = "Mark a finished execution ABANDONED so it is never restarted: abandon ID")
    static final class Abandon extends OnExecution {
        @Override
        public Integer call() throws Exception {
            cli.init(json);
            return adminCommand(json, () -> cli.admin().abandon(executionId),
                    r -> System.out.println("execution " + executionId + " abandoned"));
        }
    }

    @Command(name = "executions", description = "List executions")
    static final class Executions implements Callable<Integer> {
        @CommandLine.ParentCommand
        LoaderCli cli;
        @Option(names = "--json", description = "JSON, newest first: what GET /api/executions serves")
        boolean json;
        @Option(names = "--limit", defaultValue = "1000000", description = "with --json: at most this many (newest first)")
        int limit;

        @Override
        public Integer call() throws Exception {
            cli.init(json);
            if (json) {
                return adminCommand(true, () -> cli.admin().executions(limit), r -> { });
            }
            Reports.executions(System.out);
            return COMPLETED;
        }
    }

    @Command(name = "status", description = "Steps and partitions of an execution: status ID")
    static final class Status extends OnExecution {
        @Override
        public Integer call() throws Exception {
            cli.init(json);
            if (json) {
                return adminCommand(true, () -> cli.admin().execution(executionId), r -> { });
            }
            Reports.status(System.out, executionId);
            return COMPLETED;
        }
    }

    @Command(name = "schedule", description = "Run regular loads until stopped: schedule --config FILE (see README, Regular loads), "
            + "schedule --connection NAME, or schedule (every active regular connection)")
    static final class Schedule implements Callable<Integer> {
        @CommandLine.ParentCommand
        LoaderCli cli;
        @Option(names = "--config", description = "properties file: name, loadFrom, schedule, timeZone, reloadWindowDays, includeToday and job parameters")
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
                RegularLoadDefinition definition = RegularLoadDefinition.parse(cli.parameters(config, List.of()));
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
            ScheduledExecutorService threads = threads(Math.min(4, definitions.size()), "regular-load");
            Scheduler scheduler = new Scheduler(() -> operator, threads, Clock.systemUTC(), System.out::println);
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
                return COMPLETED;
            }
            stopped.await();
            for (long id : stopping) {
                Repository.await(id);
            }
            return STOPPED;
        }

        private static List<RegularLoadDefinition> regularOnes(ConnectionService connections) {
            return connections.store().list().stream().filter(c -> !c.paused() && c.connection().isRegular())
                    .map(c -> connections.definition(c.name())).toList();
        }
    }

    /** Restarts crashed executions now and every heartbeat interval, as their autoRestart parameter allows. */
    void autoRestart(JobOperator operator) {
        ConnectionRestarts connections = new ConnectionRestarts(connections(), () -> operator);
        new AutoRestart(StandaloneRuntime.repositoryConnections(), () -> operator).onRestarted(connections::restarted)
                .start(threads(1, "auto-restart"));
    }

    /** The connections in the job repository, run by this process's JobOperator. */
    ConnectionService connections() {
        return new ConnectionService(new ConnectionStore(StandaloneRuntime.repositoryConnections(), Clock.systemUTC()), Repository::operator,
                startDefaults(), Clock.systemUTC());
    }

    /** A connection's definition; a one-time connection is refused (it runs with connections run, not on a schedule). */
    RegularLoadDefinition connectionDefinition(ConnectionService connections, String name) {
        Map<String, Object> view;
        try {
            view = connections.show(name);
        } catch (AdminException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (!"regular".equals(view.get("regularity"))) {
            throw new IllegalArgumentException("connection " + name + " is one-time: run it with connections run " + name);
        }
        if ("paused".equals(view.get("state"))) {
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

    @Command(name = "console", description = "Serve the admin console (web page, REST API and /metrics) on 127.0.0.1 and run the loads started "
            + "from it, until interrupted: console --port P --users FILE [--bind ADDRESS] [--host-name NAME]... [--metrics-token-file FILE]")
    static final class Console implements Callable<Integer> {
        @CommandLine.ParentCommand
        LoaderCli cli;
        @Option(names = "--port", defaultValue = "8085", description = "HTTP port (0: any free port)")
        int port;
        @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to listen on (default 127.0.0.1: this machine only)")
        String bind;
        @Option(names = "--users", required = true, description = "file of user=<hash> lines, mode 600; make a hash with the hash-password command")
        Path users;
        @Option(names = "--host-name", description = "a name browsers use to reach the console (repeatable); IP addresses and localhost "
                + "always work, other names in the Host header are refused")
        List<String> hostNames = new ArrayList<>();
        @Option(names = "--allow-api-url", description = "a Logs API URL that loads started here may use (repeatable), besides "
                + "https://api.appmetrica.yandex.ru")
        List<String> allowApiUrls = new ArrayList<>();
        @Option(names = "--allow-clickhouse", description = "a ClickHouse URL that loads started here may write to (repeatable), besides "
                + "jdbc:clickhouse://127.0.0.1:8123")
        List<String> allowClickHouse = new ArrayList<>();
        @Option(names = "--allow-token-ref", description = "a secret reference that loads started here may use as the Logs API token "
                + "(tokenRef; repeatable), besides env:APPMETRICA_TOKEN")
        List<String> allowTokenRefs = new ArrayList<>();
        @Option(names = "--allow-clickhouse-password-ref", description = "a secret reference that loads started here may use as the "
                + "ClickHouse password (clickhousePasswordRef; repeatable), besides env:CLICKHOUSE_PASSWORD")
        List<String> allowPasswordRefs = new ArrayList<>();
        @Option(names = "--allow-secret", description = "deprecated: allows the reference in both roles; use --allow-token-ref or "
                + "--allow-clickhouse-password-ref")
        List<String> allowSecrets = new ArrayList<>();
        @Option(names = "--allow-spool-dir", description = "a spoolDir that loads started here may use (repeatable), besides "
                + "<data-dir>/spool")
        List<String> allowSpoolDirs = new ArrayList<>();
        @Option(names = "--oauth-client-id", description = "the id of your OAuth application at oauth.yandex.ru: the connection form "
                + "then links to getting a token for it")
        String oauthClientId;
        @Option(names = "--metrics-token-file", description = "a file (mode 600) holding a token of at least 16 characters: GET /metrics "
                + "then also accepts 'Authorization: Bearer TOKEN', which opens nothing else (for a scraper)")
        Path metricsTokenFile;

        @Override
        public Integer call() throws Exception {
            String metricsToken = null;
            if (metricsTokenFile != null) {
                try {
                    metricsToken = OwnerOnlyFile.read(metricsTokenFile, "the --metrics-token-file").orElseThrow(
                            () -> new IllegalArgumentException("the --metrics-token-file " + metricsTokenFile + " does not exist")).strip();
                } catch (IllegalArgumentException e) {
                    System.err.println("error: " + e.getMessage());
                    return USAGE;
                }
                if (metricsToken.length() < 16 || metricsToken.chars().anyMatch(Character::isWhitespace)) {
                    System.err.println("error: the --metrics-token-file must hold one token of at least 16 characters, without spaces");
                    return USAGE;
                }
            }
            UserStore store;
            try {
                store = UserStore.load(users);
            } catch (IOException | IllegalArgumentException e) {
                System.err.println("error: cannot read the users file: " + e.getMessage());
                return USAGE;
            }
            cli.init();
            JobOperator operator = Repository.operator(); // on this thread: JBeret SE reads its configuration here
            cli.autoRestart(operator); // executions whose process died: this one restarts them (autoRestart=N)
            Scheduler regular = new Scheduler(() -> operator, threads(4, "regular-load"), Clock.systemUTC(),
                    line -> PROGRESS.info(SecretMask.text(line)));
            TokenFiles tokens = new TokenFiles(cli.dataDir.resolve("secrets"));
            AccessPolicy policy;
            try {
                // tokens pasted into the page are kept in <data-dir>/secrets, and the page may use them
                if (!allowSecrets.isEmpty()) {
                    System.err.println("console: WARNING: --allow-secret is deprecated: it allows a reference as a token and as a "
                            + "ClickHouse password; use --allow-token-ref or --allow-clickhouse-password-ref");
                }
                List<String> spoolDirs = new ArrayList<>(allowSpoolDirs);
                spoolDirs.add(cli.startDefaults().getProperty(LoadParameters.SPOOL_DIR));
                policy = AccessPolicy.of(allowApiUrls, allowClickHouse, concat(allowTokenRefs, allowSecrets), concat(allowPasswordRefs, allowSecrets))
                        .withTokenFiles(tokens.directory()).withSpoolDirs(spoolDirs);
            } catch (IllegalArgumentException e) {
                System.err.println("error: --allow-clickhouse " + e.getMessage());
                return USAGE;
            }
            // connections live in the job repository; this console's scheduler runs the active ones
            ConnectionService connections = new ConnectionService(new ConnectionStore(StandaloneRuntime.repositoryConnections(), Clock.systemUTC()),
                    () -> operator, cli.startDefaults(), Clock.systemUTC());
            AdminService service = new AdminService(() -> operator, cli.startDefaults(), regular)
                    .beforeRead(Repository::forgetEndedExecutions).policy(policy).connections(connections)
                    .tokenFiles(tokens).oauthClientId(oauthClientId);
            ConsoleServer server;
            try {
                server = new ConsoleServer(service, store, bind, port).hostNames(hostNames).metricsToken(metricsToken).start();
            } catch (IOException e) {
                System.err.println("error: cannot listen on " + bind + ":" + port + ": " + e.getMessage());
                return USAGE;
            }
            CountDownLatch shutdown = new CountDownLatch(1);
            Signals.onStop(signal -> {
                System.out.println("console: stopping (" + signal + ")");
                shutdown.countDown();
            });
            System.out.println("admin console: " + server.url() + "console/ (REST API under " + server.url() + "api/, metrics at " + server.url() + "metrics), "
                    + store.size() + " user(s), job repository in " + cli.dataDir.toAbsolutePath());
            if (!InetAddress.getByName(bind).isLoopbackAddress()) {
                System.out.println("console: WARNING: listening on " + bind + ", not only this machine; this is plain HTTP, put TLS in front of it");
            }
            shutdown.await();
            regular.shutdown();
            server.close();
            // Loads running in this process end STOPPED at their next checkpoint and can be restarted later.
            for (long id : Repository.stopOwnExecutions(operator, System.out, "console")) {
                Repository.await(id);
            }
            return COMPLETED;
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Command(name = "hash-password", description = "Print the hash of a password for the console's users file (reads the password "
            + "from the terminal, or one line from standard input): hash-password [--user NAME]")
    static final class HashPassword implements Callable<Integer> {
        @Option(names = "--user", description = "print a ready line NAME=<hash> for the users file")
        String user;

        @Override
        public Integer call() throws Exception {
            char[] password;
            var console = System.console();
            if (console != null) {
                password = console.readPassword("password: ");
                char[] again = console.readPassword("again: ");
                if (password == null || again == null || !Arrays.equals(password, again)) {
                    System.err.println("error: the passwords differ");
                    return USAGE;
                }
                Arrays.fill(again, '\0');
            } else {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                password = line == null ? new char[0] : line.toCharArray();
            }
            if (password == null || password.length == 0) {
                System.err.println("error: no password given");
                return USAGE;
            }
            String hash = PasswordHash.hash(password);
            Arrays.fill(password, '\0');
            System.out.println(user == null ? hash : user + "=" + hash);
            return COMPLETED;
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
        @Option(names = "--bandwidth", description = "pace exports to this link speed, e.g. 100mbit (default: unlimited)")
        String bandwidth;

        @Override
        public Integer call() throws Exception {
            SimulatorConfig config = SimulatorConfig.defaults(token).withPort(port).withTokens(Map.of(token, Set.of()))
                    .withSeed(seed).withRowsPerDay(rowsPerDay).withReadyAfter(readyAfter)
                    .withMaxRowsPerFile(maxRowsPerFile).withFaultRate(faultRate);
            try (LogsApiSimulator simulator = new LogsApiSimulator(config).start()) {
                if (lateRows > 0 && lateDays > 0) {
                    simulator.setLateRows(new SimulatedData.LateRows(lateRows, lateDays,
                            () -> LocalDate.now(ZoneOffset.UTC)));
                }
                if (bandwidth != null) {
                    simulator.setBandwidth(org.appmetrica.loader.simulator.Bandwidth.parse(bandwidth));
                }
                System.out.println("Logs API simulator listening on " + simulator.baseUrl());
                Thread.currentThread().join();
            }
            return COMPLETED;
        }
    }
}
