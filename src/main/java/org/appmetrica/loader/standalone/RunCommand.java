package org.appmetrica.loader.standalone;

import org.appmetrica.loader.admin.StartChecks;
import org.appmetrica.loader.coordination.Coordination;
import org.appmetrica.loader.model.Jobs;
import org.appmetrica.loader.model.LoadParameters;
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
        LoadParameters.parse(p).checkToken(); // a bad parameter or token: "error: ..." and exit code 2
        cli.init(json.on);
        if (!"off".equals(System.getProperty("appmetrica.startChecks"))) { // off: only the class-data-sharing training run
            StartChecks.require(LoadParameters.parse(p)); // ClickHouse, token and applications, before an execution exists
        }
        long id = Repository.operator().start(Jobs.LOAD_JOB, Coordination.ownedParameters(p));
        return cli.followToTheEnd(id, json.on);
    }
}
