package org.appmetrica.loader.standalone;

import picocli.CommandLine.Command;

/** {@code stop ID}. */
@Command(name = "stop", description = "Ask a running execution to stop at its next checkpoint: stop ID")
final class StopCommand extends OnExecution {
    @Override
    public Integer call() throws Exception {
        cli.init(json.on);
        return LoaderCli.adminCommand(json.on, () -> cli.commands().stop(executionId),
                r -> System.out.println("stop requested for execution " + executionId));
    }
}
