package org.appmetrica.loader.standalone;

import jakarta.batch.operations.JobOperator;
import org.appmetrica.loader.admin.AccessPolicy;
import org.appmetrica.loader.admin.ConnectionService;
import org.appmetrica.loader.admin.ConsoleServices;
import org.appmetrica.loader.admin.LoadLauncher;
import org.appmetrica.loader.admin.SecretMask;
import org.appmetrica.loader.admin.TokenFiles;
import org.appmetrica.loader.admin.UserStore;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.regular.Scheduler;
import org.appmetrica.loader.standalone.console.ConsoleServer;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The standalone console's parts, wired once: this process's JobOperator, the scheduler of regular loads, the token
 * files, the access policy, the connections, the console's services and the HTTP server.
 */
final class ConsoleRuntime implements AutoCloseable {

    private static final Logger PROGRESS = Logger.getLogger("org.appmetrica.loader.progress");

    /** What the console command's options say. */
    record Options(String bind, int port, List<String> hostNames, List<String> allowApiUrls, List<String> allowClickHouse,
                   List<String> allowTokenRefs, List<String> allowPasswordRefs, List<String> allowSpoolDirs, String oauthClientId,
                   String metricsToken) {
    }

    private final JobOperator operator;
    private final Scheduler regular;
    private final ConsoleServer server;

    private ConsoleRuntime(JobOperator operator, Scheduler regular, ConsoleServer server) {
        this.operator = operator;
        this.regular = regular;
        this.server = server;
    }

    /** Starts the console; an IllegalArgumentException names a bad option (exit code 2). */
    static ConsoleRuntime start(LoaderCli cli, Options options, UserStore users) {
        JobOperator operator = Repository.operator(); // on this thread: JBeret SE reads its configuration here
        cli.autoRestart(operator); // executions whose process died: this one restarts them (autoRestart=N)
        Scheduler regular = new Scheduler(() -> operator, LoadLauncher.unattended(() -> operator)::start, LoaderCli.threads(4, "regular-load"),
                Clock.systemUTC(),
                line -> PROGRESS.info(SecretMask.text(line)));
        TokenFiles tokens = new TokenFiles(cli.options.dataDir.resolve("secrets"));
        AccessPolicy policy;
        try {
            // tokens pasted into the page are kept in <data-dir>/secrets, and the page may use them
            List<String> spoolDirs = new ArrayList<>(options.allowSpoolDirs());
            spoolDirs.add(cli.startDefaults().getProperty(LoadParameters.SPOOL_DIR));
            policy = AccessPolicy.of(options.allowApiUrls(), options.allowClickHouse(), options.allowTokenRefs(), options.allowPasswordRefs())
                    .withTokenFiles(tokens.directory()).withSpoolDirs(spoolDirs);
        } catch (IllegalArgumentException e) {
            regular.shutdown();
            throw new IllegalArgumentException("--allow-clickhouse " + e.getMessage(), e);
        }
        // connections live in the job repository; this console's scheduler runs the active ones
        ConnectionService connections = cli.connections(() -> operator);
        ConsoleServices services = ConsoleServices.of(() -> operator, new ConsoleServices.Setup(cli.startDefaults(), policy,
                Repository::forgetEndedExecutions, tokens, options.oauthClientId(), connections, regular));
        services.scheduleConnections();
        try {
            ConsoleServer server = new ConsoleServer(services, users, options.bind(), options.port()).hostNames(options.hostNames())
                    .metricsToken(options.metricsToken()).start();
            return new ConsoleRuntime(operator, regular, server);
        } catch (IOException e) {
            regular.shutdown();
            throw new IllegalArgumentException("cannot listen on " + options.bind() + ":" + options.port() + ": " + e.getMessage(), e);
        }
    }

    JobOperator operator() {
        return operator;
    }

    ConsoleServer server() {
        return server;
    }

    /** No more scheduled runs, no more requests; the loads running go on until the caller stops them. */
    @Override
    public void close() {
        regular.shutdown();
        server.close();
    }
}
