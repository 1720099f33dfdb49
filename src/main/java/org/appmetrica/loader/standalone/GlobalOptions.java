package org.appmetrica.loader.standalone;

import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every command takes, before or after its name: where the job repository is, and how progress is logged. */
final class GlobalOptions {

    @Option(names = "--data-dir", description = "job repository and spool directory (default ~/.appmetrica-loader)", scope = CommandLine.ScopeType.INHERIT)
    Path dataDir = Path.of(System.getProperty("user.home"), ".appmetrica-loader");

    @Option(names = "--repository-url", description = "JDBC URL of another job repository database", scope = CommandLine.ScopeType.INHERIT)
    String repositoryUrl;

    @Option(names = "--host-id", description = "this host's name in the execution owner records (default: the machine's host name); "
            + "loaders sharing a repository with distinct host ids vouch for each other by heartbeat only", scope = CommandLine.ScopeType.INHERIT)
    String hostId;

    @Option(names = "--heartbeat-interval", description = "seconds between this process's heartbeats and its checks for crashed "
            + "executions (default 20)", scope = CommandLine.ScopeType.INHERIT)
    int heartbeatInterval = 20;

    @Option(names = "--heartbeat-timeout", description = "seconds after which another host whose heartbeat stopped counts as gone "
            + "(default 120; the same on every host)", scope = CommandLine.ScopeType.INHERIT)
    int heartbeatTimeout = 120;

    @Option(names = "--log-format", description = "human (default) or json: one JSON object a line per progress event, for log shippers "
            + "(default from APPMETRICA_LOG_FORMAT or -Dappmetrica.logFormat)", scope = CommandLine.ScopeType.INHERIT,
            converter = LogFormat.Converter.class,
            defaultValue = "${sys:appmetrica.logFormat:-${env:APPMETRICA_LOG_FORMAT:-human}}", showDefaultValue = CommandLine.Help.Visibility.NEVER)
    LogFormat logFormat;
}
