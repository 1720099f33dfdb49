package org.appmetrica.loader.standalone;

import org.appmetrica.loader.admin.AccessPolicy;
import org.appmetrica.loader.admin.LoadLauncher;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

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
        // checks before a start are off only for the class-data-sharing training run (-Dappmetrica.startChecks=off)
        LoadLauncher launcher = new LoadLauncher(Repository::operator, AccessPolicy.unrestricted(),
                !"off".equals(System.getProperty("appmetrica.startChecks")));
        launcher.validate(p); // a bad parameter or token: "error: ..." and exit code 2, before the repository is opened
        org.appmetrica.loader.config.Timeline.mark("parameters checked");
        cli.init(json.on);
        long id = launcher.start(p); // ClickHouse, token and applications checked before an execution exists
        return cli.followToTheEnd(id, json.on);
    }
}
