package org.appmetrica.loader.standalone;

import picocli.CommandLine.Command;

/** {@code status ID}. */
@Command(name = "status", description = "Steps and partitions of an execution: status ID")
final class StatusCommand extends OnExecution {
    @Override
    public Integer call() throws Exception {
        cli.init(json.on);
        if (json.on) {
            return LoaderCli.adminCommand(true, () -> cli.queries().execution(executionId), r -> { });
        }
        Reports.status(System.out, executionId);
        return ExitCodes.COMPLETED;
    }
}
