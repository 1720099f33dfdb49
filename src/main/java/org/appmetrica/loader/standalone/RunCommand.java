package org.appmetrica.loader.standalone;

import org.appmetrica.loader.admin.AccessPolicy;
import org.appmetrica.loader.admin.LoadLauncher;
import org.appmetrica.loader.config.Timeline;
import org.appmetrica.loader.model.LoadSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** {@code run KEY=VALUE... | --config FILE}: starts a load in this process and follows it to its end. */
@Command(name = "run", description = "Start a load: run KEY=VALUE... (job parameters) or --config FILE")
final class RunCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    LoaderCli cli;
    @Option(names = "--config", description = "properties file with job parameters")
    Path config;
    @Mixin
    JsonOption json;
    @Parameters(description = "job parameters KEY=VALUE")
    List<String> parameters;

    @Override
    public Integer call() throws Exception {
        Properties p = cli.parameters(config, parameters);
        LoadLauncher launcher = new LoadLauncher(Repository::operator, AccessPolicy.unrestricted(), false);
        LoadSettings settings = launcher.validate(p); // a bad parameter or token: "error: ..." and exit code 2, before the repository is opened
        Timeline.mark("parameters checked");
        // ClickHouse, token and applications are checked before an execution exists, on a thread of their own: their
        // round trips overlap the opening of the job repository
        FutureTask<Void> checks = new FutureTask<>(() -> {
            check(launcher, settings);
            return null;
        });
        Thread thread = new Thread(checks, "start-checks");
        thread.setDaemon(true);
        thread.start();
        cli.init(json.on, true);
        try {
            checks.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        Timeline.mark("start checks done (ClickHouse, token, applications)");
        long id = launcher.startChecked(p);
        return cli.followToTheEnd(id, json.on);
    }

    /**
     * The checks, unless {@code -Dappmetrica.startChecks} is {@code off} (the job alone), or {@code training}: the
     * class-data-sharing training run (pom.xml) goes through the checks' code and on into the job whatever they find.
     */
    private static void check(LoadLauncher launcher, LoadSettings settings) {
        String mode = System.getProperty("appmetrica.startChecks", "on");
        if (mode.equals("off")) {
            return;
        }
        try {
            launcher.check(settings);
        } catch (RuntimeException e) {
            if (!mode.equals("training")) {
                throw e;
            }
        }
    }
}
