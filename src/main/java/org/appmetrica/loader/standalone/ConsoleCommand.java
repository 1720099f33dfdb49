package org.appmetrica.loader.standalone;

import org.appmetrica.loader.admin.UserStore;
import org.appmetrica.loader.config.OwnerOnlyFile;
import org.appmetrica.loader.standalone.console.ConsoleServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code console}: checks its options and files, starts the {@link ConsoleRuntime}, and serves until a signal. */
@Command(name = "console", description = "Serve the admin console (web page, REST API and /metrics) on 127.0.0.1 and run the loads started "
        + "from it, until interrupted: console --port P --users FILE [--bind ADDRESS] [--host-name NAME]... [--metrics-token-file FILE]")
final class ConsoleCommand implements Callable<Integer> {
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
                return ExitCodes.USAGE;
            }
            if (metricsToken.length() < 16 || metricsToken.chars().anyMatch(Character::isWhitespace)) {
                System.err.println("error: the --metrics-token-file must hold one token of at least 16 characters, without spaces");
                return ExitCodes.USAGE;
            }
        }
        UserStore store;
        try {
            store = UserStore.load(users);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("error: cannot read the users file: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        cli.init();
        if (!allowSecrets.isEmpty()) {
            System.err.println("console: WARNING: --allow-secret is deprecated: it allows a reference as a token and as a "
                    + "ClickHouse password; use --allow-token-ref or --allow-clickhouse-password-ref");
        }
        ConsoleRuntime runtime;
        try {
            runtime = ConsoleRuntime.start(cli, new ConsoleRuntime.Options(bind, port, hostNames, allowApiUrls, allowClickHouse,
                    concat(allowTokenRefs, allowSecrets), concat(allowPasswordRefs, allowSecrets), allowSpoolDirs, oauthClientId,
                    metricsToken), store);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        ConsoleServer server = runtime.server();
        CountDownLatch shutdown = new CountDownLatch(1);
        Signals.onStop(signal -> {
            System.out.println("console: stopping (" + signal + ")");
            shutdown.countDown();
        });
        System.out.println("admin console: " + server.url() + "console/ (REST API under " + server.url() + "api/, metrics at " + server.url() + "metrics), "
                + store.size() + " user(s), job repository in " + cli.options.dataDir.toAbsolutePath());
        if (!InetAddress.getByName(bind).isLoopbackAddress()) {
            System.out.println("console: WARNING: listening on " + bind + ", not only this machine; this is plain HTTP, put TLS in front of it");
        }
        shutdown.await();
        runtime.close();
        // Loads running in this process end STOPPED at their next checkpoint and can be restarted later.
        for (long id : Repository.stopOwnExecutions(runtime.operator(), System.out, "console")) {
            Repository.await(id);
        }
        return ExitCodes.COMPLETED;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
