package org.appmetrica.loader.standalone;

import picocli.CommandLine.Command;

/** {@code abandon ID}. */
@Command(name = "abandon", description = "Mark a finished execution ABANDONED so it is never restarted: abandon ID")
final class AbandonCommand extends OnExecution {
    @Override
    public Integer call() throws Exception {
        cli.init(json.on);
        return LoaderCli.adminCommand(json.on, () -> cli.commands().abandon(executionId),
                r -> System.out.println("execution " + executionId + " abandoned"));
    }
}
