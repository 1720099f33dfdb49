package org.appmetrica.loader.standalone;

import picocli.CommandLine.Option;

/** {@code --json}: a command prints what the REST API answers for the same operation; progress goes to standard error. */
final class JsonOption {

    @Option(names = "--json", description = "print the REST API's answer (JSON); progress goes to standard error")
    boolean on;
}
