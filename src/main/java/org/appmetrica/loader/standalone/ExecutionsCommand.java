package org.appmetrica.loader.standalone;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code executions [--json [--limit N]]}. */
@Command(name = "executions", description = "List executions")
final class ExecutionsCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    LoaderCli cli;
    @Mixin
    JsonOption json;
    @Option(names = "--limit", defaultValue = "1000000", description = "with --json: at most this many (newest first)")
    int limit;

    @Override
    public Integer call() throws Exception {
        cli.init(json.on);
        if (json.on) {
            return LoaderCli.adminCommand(true, () -> cli.queries().executions(limit), r -> { });
        }
        Reports.executions(System.out);
        return ExitCodes.COMPLETED;
    }
}
