package org.appmetrica.loader.standalone;

import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** The commands about one execution: its id and --json (the REST API's form of the answer). */
abstract class OnExecution implements Callable<Integer> {
    @CommandLine.ParentCommand
    LoaderCli cli;
    @Parameters(index = "0", description = "the execution id")
    long executionId;
    @Mixin
    JsonOption json;
}
