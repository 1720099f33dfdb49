package org.appmetrica.loader.standalone;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code restart ID [KEY=VALUE...]}: restarts an execution through the admin service and follows it to its end. */
@Command(name = "restart", description = "Restart a FAILED or STOPPED execution from its last checkpoint: restart ID [KEY=VALUE...]")
final class RestartCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    LoaderCli cli;
    @Parameters(index = "0")
    long executionId;
    @Parameters(index = "1..*", description = "parameter overrides KEY=VALUE (KEY= clears one)")
    List<String> overrides;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        cli.init(json.on);
        Map<String, String> changes = LoaderCli.keyValues(overrides);
        // The parameters the execution ran with, the overrides over them, validated: as the console's restart.
        long[] id = new long[1];
        Long[] continued = new Long[1];
        int code = LoaderCli.adminCommand(json.on, () -> {
            var restarted = cli.commands().restart(executionId, changes);
            id[0] = restarted.id();
            continued[0] = restarted.restartOf();
            return id[0];
        }, r -> { }, false);
        if (code != ExitCodes.COMPLETED) {
            return code;
        }
        if (continued[0] != null && continued[0] != executionId) {
            cli.humanOut(json.on).println("execution " + executionId + " was restarted before; continuing its newest execution, " + continued[0]);
        }
        return cli.followToTheEnd(id[0], json.on);
    }
}
